"""Fault tests: real gunicorn servers, a PostgreSQL database and Redis of their own, faults injected.

They are slow, so they run only when selected with `-m faults` (`make test-faults`, called by
.ci/run). Servers bind to 127.0.0.1 on free ports; every loop is bounded by count and time.
"""
from __future__ import annotations

import http.client
import os
import secrets
import shutil
import signal
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest

from tests import free_port, wait_until  # noqa: F401 - wait_until is imported from here by the fault tests
from tests.ops import pg

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SECRET_KEY = secrets.token_hex(32)


def pytest_collection_modifyitems(config, items):
    if "faults" in (config.option.markexpr or ""):
        return
    skip = pytest.mark.skip(reason="fault test: run with -m faults (make test-faults)")
    for item in items:
        if "faults" in item.keywords:
            item.add_marker(skip)


class Client:
    """A tiny HTTP client: one connection per request, cookies sent as given, no redirects followed."""

    def __init__(self, port: int, cookie: str | None = None, timeout: float = 15.0) -> None:
        self.port, self.cookie, self.timeout = port, cookie, timeout

    def request(self, method: str, path: str, form: dict | None = None, headers: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            headers = dict(headers or {})
            if self.cookie:
                headers["Cookie"] = f"session={self.cookie}"
            body = None
            if form is not None:
                body = urllib.parse.urlencode(form)
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def get(self, path: str, **kw):
        return self.request("GET", path, **kw)

    def post(self, path: str, form: dict, **kw):
        return self.request("POST", path, form=form, **kw)


def signed_in(user) -> tuple[str, str]:
    """(session cookie, CSRF form token) for a member, signed with the servers' secret key."""
    from flask import Flask
    from itsdangerous import URLSafeTimedSerializer

    signer = Flask("fault-tests")
    signer.secret_key = SECRET_KEY
    raw = secrets.token_hex(20)
    cookie = signer.session_interface.get_signing_serializer(signer).dumps(
        {"_user_id": user.get_id(), "_fresh": True, "csrf_token": raw}
    )
    token = URLSafeTimedSerializer(SECRET_KEY, salt="wtf-csrf-token").dumps(raw)
    return cookie, token


class Server:
    """A gunicorn serving the forum in production mode on a free port."""

    def __init__(self, tmp: Path, database_url: str, redis_url: str | None = None, workers: int = 2, threads: int = 4, **env) -> None:
        self.port = free_port()
        self.log_path = tmp / f"gunicorn-{self.port}.log"
        metrics_dir = tmp / f"metrics-{self.port}"
        metrics_dir.mkdir()
        self.env = {
            **os.environ,
            "FORUM_ENV": "production",
            "SECRET_KEY": SECRET_KEY,
            "DATABASE_URL": database_url,
            "BIND": f"127.0.0.1:{self.port}",
            "SITE_URL": f"http://127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_THREADS": str(threads),
            "GUNICORN_TIMEOUT": "20",
            "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
            "RATELIMIT_ENABLED": "0",
            "LOG_LEVEL": "WARNING",
            # The members of these tests are new: their replies must publish at once, not wait for a
            # moderator (holding new members' posts is tested in tests/moderation).
            "MODERATION_FIRST_POSTS_HELD": "0",
            "MODERATION_NEW_MEMBER_POSTS": "0",
            **{k: str(v) for k, v in env.items()},
        }
        self.env.pop("REDIS_URL", None)
        if redis_url:
            self.env["REDIS_URL"] = redis_url
        self.process: subprocess.Popen | None = None

    def start(self) -> "Server":
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "wsgi:app"],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        # Generous: on a busy shared machine importing the app alone can take half a minute.
        if wait_until(lambda: self.client().get("/healthz")[0] == 200, timeout=90) is None:
            self.stop()
            raise RuntimeError("gunicorn did not start:\n" + self.log_path.read_text()[-3000:])
        return self

    def client(self, cookie: str | None = None) -> Client:
        return Client(self.port, cookie)

    def worker_pids(self) -> list[int]:
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    pids.append(int(entry.name))
        return pids

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        if getattr(self, "log", None):
            self.log.close()


@pytest.fixture
def fault_db(database_url):
    """A PostgreSQL database of the test's own, migrated with `flask db upgrade`."""
    if not database_url.startswith("postgresql"):  # selected on purpose (-m faults): say so, do not skip
        pytest.fail("fault tests need PostgreSQL: set DATABASE_URL (make test-faults does)", pytrace=False)
    url = pg.create_database(database_url, "ops_fault")
    env = {**os.environ, "FORUM_ENV": "development", "DATABASE_URL": url}
    result = subprocess.run(
        [str(BIN / "flask"), "--app", "forum", "db", "upgrade"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    yield url
    pg.drop_database(url)


@pytest.fixture
def fault_app(fault_db):
    """The forum app on the test's own database, to seed it and to check it afterwards."""
    from config import TestingConfig
    from forum import create_app
    from forum.extensions import db

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=fault_db, CACHE_PAGES=False)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def servers(tmp_path):
    started: list[Server] = []

    def _start(*args, **kwargs) -> Server:
        server = Server(tmp_path, *args, **kwargs).start()
        started.append(server)
        return server

    yield _start
    for server in started:
        server.stop()


@pytest.fixture
def own_redis(tmp_path):
    """A redis-server of the test's own on a free port (the shared one is never stopped)."""
    if not shutil.which("redis-server"):
        pytest.fail("this fault test starts a Redis of its own: install redis-server", pytrace=False)
    port = free_port()

    class OwnRedis:
        url = f"redis://127.0.0.1:{port}/0"
        process: subprocess.Popen | None = None

        def start(self):
            self.process = subprocess.Popen(
                ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path,
            )
            import redis

            assert wait_until(lambda: redis.Redis(port=port, socket_connect_timeout=0.2).ping(), timeout=10) is not None

        def stop(self):
            if self.process and self.process.poll() is None:
                self.process.terminate()
                self.process.wait(timeout=10)

    instance = OwnRedis()
    instance.start()
    yield instance
    instance.stop()
