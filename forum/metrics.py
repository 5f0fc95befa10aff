"""Prometheus metrics: requests by route and status, latency histograms, queued and failed jobs.

With several gunicorn workers, prometheus-client's multiprocess mode is used: gunicorn.conf.py
sets PROMETHEUS_MULTIPROC_DIR before any worker imports this module, every worker writes its
counters to files there, and a scrape of any worker adds them all up.

/metrics answers only when METRICS_TOKEN is set, and only to `Authorization: Bearer <token>`.
"""
from __future__ import annotations

import hmac
import os

from flask import Flask, Response, abort, current_app, request
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

REQUESTS = Counter(
    "forum_http_requests_total", "HTTP requests answered, by route, method and status.", ["route", "method", "status"]
)
LATENCY = Histogram(
    "forum_http_request_duration_seconds",
    "Time to answer an HTTP request, by route and method.",
    ["route", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
JOBS_ENQUEUED = Counter("forum_jobs_enqueued_total", "Background jobs handed to the queue (or run in-process).", ["job"])
JOBS_FINISHED = Counter("forum_jobs_finished_total", "Background job runs, by outcome (ok or error).", ["job", "outcome"])


def observe_request(route: str, method: str, status: int, seconds: float) -> None:
    REQUESTS.labels(route, method, str(status)).inc()
    LATENCY.labels(route, method).observe(seconds)


class JobsCollector:
    """Queue depths read at scrape time: jobs waiting, failed, and waiting in the database outbox."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def collect(self):
        from forum import jobs

        queued = GaugeMetricFamily("forum_jobs_queued", "Jobs waiting to run, by where they wait.", labels=["where"])
        failed = GaugeMetricFamily("forum_jobs_failed", "Jobs that failed every retry, by where they are kept.", labels=["where"])
        stats = jobs.queue_stats()
        for where, count in stats["queued"].items():
            queued.add_metric([where], count)
        for where, count in stats["failed"].items():
            failed.add_metric([where], count)
        yield queued
        yield failed


def render_metrics() -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        body = generate_latest(REGISTRY)
    jobs_registry = CollectorRegistry()
    jobs_registry.register(JobsCollector(current_app._get_current_object()))
    return body + generate_latest(jobs_registry)


def init_app(app: Flask) -> None:
    app.config.setdefault("METRICS_TOKEN", os.environ.get("METRICS_TOKEN") or None)

    @app.get("/metrics")
    def metrics():
        token = app.config.get("METRICS_TOKEN")
        if not token:
            abort(404)
        given = request.headers.get("Authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return Response("Metrics need the bearer token.\n", 401, {"WWW-Authenticate": "Bearer"}, mimetype="text/plain")
        return Response(render_metrics(), mimetype=CONTENT_TYPE_LATEST)
