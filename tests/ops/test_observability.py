"""Probes, request ids, structured logs, the 503/500 pages and metrics."""
from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from config import TestingConfig
from forum import create_app
from forum.observability import JsonFormatter, RequestIdFilter


@pytest.fixture
def fresh_app(database_url):
    """A second app on the same database, to which a test may still add routes."""

    def _make(**overrides):
        return create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database_url, **overrides)

    return _make


def test_healthz_answers_without_touching_the_database(client, count_queries):
    with count_queries() as counter:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}
    assert counter.count == 0


def test_readyz_checks_the_database_and_writes_nothing(client, count_queries):
    with count_queries() as counter:
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json["status"] == "ready"
    assert response.json["checks"]["database"]["status"] == "ok"
    assert "redis" not in response.json["checks"]
    assert all(s.strip().upper().startswith("SELECT") for s in counter.statements)


def test_readyz_is_unavailable_when_redis_does_not_answer(fresh_app):
    app = fresh_app(REDIS_URL="redis://127.0.0.1:1/0", REDIS_CONNECT_TIMEOUT=0.2)
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["redis"]["status"] == "error"
    assert response.json["checks"]["database"]["status"] == "ok"


def test_request_id_is_returned_and_a_valid_incoming_one_is_kept(client):
    generated = client.get("/healthz").headers["X-Request-ID"]
    assert len(generated) == 32
    assert client.get("/healthz", headers={"X-Request-ID": "lb-1234.abc"}).headers["X-Request-ID"] == "lb-1234.abc"
    replaced = client.get("/healthz", headers={"X-Request-ID": "bad id <script>"}).headers["X-Request-ID"]
    assert replaced != "bad id <script>" and len(replaced) == 32


def test_every_request_logs_route_status_duration_and_queries(client, make_board, caplog):
    make_board(slug="coping")
    with caplog.at_level(logging.INFO, logger="forum.access"):
        response = client.get("/boards/coping", headers={"X-Request-ID": "req-42"})
    assert response.status_code == 200
    (record,) = [r for r in caplog.records if r.name == "forum.access"]
    assert record.route == "/boards/<slug>"
    assert record.status == 200
    assert record.duration_ms >= 0
    assert record.queries >= 1
    assert record.request_id == "req-42"


def test_json_log_lines_carry_the_request_id_and_extra_fields():
    record = logging.LogRecord("forum.access", logging.INFO, __file__, 1, "GET / %s", (200,), None)
    record.route, record.status = "/", 200
    RequestIdFilter().filter(record)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "GET / 200"
    assert entry["request_id"] == "-"
    assert entry["route"] == "/" and entry["status"] == 200 and entry["level"] == "INFO"


def test_the_500_page_shows_the_request_id(fresh_app):
    app = fresh_app()

    @app.get("/boom")
    def boom():
        raise RuntimeError("kaboom")

    response = app.test_client().get("/boom", headers={"X-Request-ID": "quote-me-123"})
    assert response.status_code == 500
    assert b"quote-me-123" in response.data
    assert response.headers["X-Request-ID"] == "quote-me-123"


def test_a_database_outage_gives_a_503_page_with_retry_after(fresh_app):
    app = fresh_app()

    @app.get("/db-down")
    def db_down():
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))

    response = app.test_client().get("/db-down")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert b"Temporarily unavailable" in response.data
    assert response.headers["X-Request-ID"].encode() in response.data


def test_metrics_are_hidden_unless_a_token_is_configured(client):
    assert client.get("/metrics").status_code == 404


def test_metrics_need_the_token_and_count_requests_by_route(fresh_app):
    app = fresh_app(METRICS_TOKEN="s3cret-token")
    client = app.test_client()
    client.get("/healthz")
    client.get("/no/such/page")
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    response = client.get("/metrics", headers={"Authorization": "Bearer s3cret-token"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'forum_http_requests_total{method="GET",route="/healthz",status="200"}' in body
    assert 'route="<unmatched>",status="404"' in body
    assert "forum_http_request_duration_seconds_bucket" in body
    assert 'forum_jobs_queued{where="database_outbox"} 0.0' in body
    assert 'forum_jobs_failed{where="database"} 0.0' in body
    assert 'forum_jobs_failed{where="mail"} 0.0' in body


def test_postgresql_engine_has_pre_ping_and_a_statement_timeout(fresh_app, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only: runs in make test-pg")
    app = fresh_app(DB_STATEMENT_TIMEOUT_MS=300)
    from forum.extensions import db

    with app.app_context():
        assert db.engine.pool._pre_ping
        assert db.engine.dialect.name == "postgresql"
        with db.engine.connect() as connection:
            assert connection.execute(text("SHOW statement_timeout")).scalar_one() == "300ms"
            with pytest.raises(OperationalError):
                connection.execute(text("SELECT pg_sleep(3)"))
        db.engine.dispose()
