"""Gunicorn settings for `make serve`, all read from the environment.

    BIND (127.0.0.1:8000), WEB_CONCURRENCY (workers, 2), GUNICORN_THREADS (threads per worker, 4),
    GUNICORN_TIMEOUT (seconds, 30), GUNICORN_MAX_REQUESTS (recycle a worker after this many, 2000).

Logs go to stdout: gunicorn's own lines and the forum's (one line per request, with its id).
Several workers share Prometheus counters through files in PROMETHEUS_MULTIPROC_DIR.
"""
import glob
import os
import tempfile

bind = os.environ.get("BIND", "127.0.0.1:8000").split(",")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "20"))
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# The forum logs every request itself (with request id, route, duration, query count).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Several instances may run side by side on one machine: no shared control socket.
control_socket_disable = True
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Must be set before any worker imports prometheus_client.
metrics_dir = os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="forum-metrics-"))


def on_starting(server):
    os.makedirs(metrics_dir, exist_ok=True)
    for stale in glob.glob(os.path.join(metrics_dir, "*.db")):
        os.unlink(stale)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
