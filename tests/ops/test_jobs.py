"""Background jobs: after-commit hand-over, retries, the failed list, the Redis queue and its outbox."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select, text

from config import TestingConfig
from forum import create_app, jobs
from forum.models import QueuedJob
from forum.models.base import db as _db
from tests import redis_test_url

CALLS: list = []
REDIS_URL = redis_test_url(2)


def record(value, *, tag="x"):
    CALLS.append((value, tag))


def always_fails(value):
    CALLS.append(("failing", value))
    raise RuntimeError(f"cannot do {value}")


@pytest.fixture(autouse=True)
def _clear_calls():
    CALLS.clear()
    yield
    CALLS.clear()


def test_a_job_runs_only_after_its_transaction_commits(db, member):
    db.session.execute(text("SELECT 1"))  # a transaction is open
    jobs.enqueue(record, 1, tag="committed")
    assert CALLS == []
    db.session.commit()
    assert CALLS == [(1, "committed")]


def test_a_job_of_a_rolled_back_transaction_never_runs(db, member):
    db.session.execute(text("SELECT 1"))
    jobs.enqueue(record, 2)
    db.session.rollback()
    db.session.commit()
    assert CALLS == []


def test_outside_a_transaction_a_job_runs_at_once(db):
    db.session.commit()
    jobs.enqueue(record, 3)
    assert CALLS == [(3, "x")]


def test_a_job_that_keeps_failing_is_retried_then_kept_for_admins(db, client, login, admin):
    db.session.commit()
    jobs.enqueue(always_fails, 7)
    assert CALLS == [("failing", 7)] * 3  # first try and two retries (JOB_RETRY_INTERVALS in tests)
    row = db.session.scalar(select(QueuedJob))
    assert row.failed_at is not None and row.attempts == 3
    assert "cannot do 7" in row.last_error

    login(admin)
    page = client.get("/admin/jobs")
    assert page.status_code == 200
    assert b"tests.ops.test_jobs.always_fails" in page.data and b"cannot do 7" in page.data

    response = client.post(f"/admin/jobs/db-{row.id}/retry")
    assert response.status_code == 302
    assert CALLS.count(("failing", 7)) == 6
    assert db.session.scalar(select(func.count()).select_from(QueuedJob)) == 1  # failed again, kept again


def test_the_failed_jobs_page_needs_a_signed_in_member(client):
    assert client.get("/admin/jobs").status_code == 302


def test_the_failed_jobs_page_is_for_admins_only(client, login, member):
    login(member)
    assert client.get("/admin/jobs").status_code == 403
    assert client.post("/admin/jobs/db-1/retry").status_code == 403


# ---------------------------------------------------------------- with Redis (RQ)

@pytest.fixture
def redis_app(database_url):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.exceptions.RedisError:
        pytest.skip("Redis is not running at " + REDIS_URL)
    name = f"test-{uuid.uuid4().hex[:10]}"
    app = create_app(
        TestingConfig, SQLALCHEMY_DATABASE_URI=database_url, REDIS_URL=REDIS_URL, JOBS_QUEUE=name, REDIS_PREFIX=name + ":"
    )
    yield app
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"*{name}*"):
        client.delete(key)


def test_with_redis_a_job_goes_through_the_outbox_to_rq_after_commit(redis_app, member):
    with redis_app.app_context():
        queue = jobs.get_queue()
        _db.session.execute(text("SELECT 1"))
        jobs.enqueue(record, 11, tag="rq")
        assert queue.count == 0
        _db.session.commit()
        assert queue.count == 1
        assert _db.session.scalar(select(func.count()).select_from(QueuedJob)) == 0
        job = queue.jobs[0]
        assert job.id.startswith("outbox-") and job.retries_left == len(redis_app.config["JOB_RETRY_INTERVALS"])
        from rq import SimpleWorker

        SimpleWorker([queue], connection=queue.connection).work(burst=True)
        assert CALLS == [(11, "rq")]


def test_with_redis_down_jobs_wait_in_the_database_and_move_when_it_is_back(redis_app, member):
    redis_app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    redis_app.extensions.pop("forum_redis", None)
    with redis_app.app_context():
        _db.session.execute(text("SELECT 1"))
        jobs.enqueue(record, 12)
        _db.session.commit()  # Redis does not answer: the job stays in the outbox
        assert _db.session.scalar(select(func.count()).select_from(QueuedJob)) == 1
        _db.session.commit()
        jobs.enqueue(record, 13)  # outside a transaction: written to the outbox directly
        assert _db.session.scalar(select(func.count()).select_from(QueuedJob)) == 2
    redis_app.config["REDIS_URL"] = REDIS_URL
    redis_app.extensions.pop("forum_redis", None)
    assert jobs.relay_outbox(redis_app, min_age_seconds=0) == 2
    with redis_app.app_context():
        queue = jobs.get_queue()
        assert queue.count == 2
        assert _db.session.scalar(select(func.count()).select_from(QueuedJob)) == 0
        from rq import SimpleWorker

        SimpleWorker([queue], connection=queue.connection).work(burst=True)
    assert sorted(CALLS) == [(12, "x"), (13, "x")]


def test_with_redis_a_failing_job_is_retried_then_lands_in_the_failed_registry(redis_app, db, client, login, admin):
    redis_app.config["JOB_RETRY_INTERVALS"] = (0,)
    with redis_app.app_context():
        jobs.enqueue(always_fails, 21)
        queue = jobs.get_queue()
        from rq import SimpleWorker

        SimpleWorker([queue], connection=queue.connection).work(burst=True, with_scheduler=False)
        assert queue.failed_job_registry.count == 1
        assert CALLS == [("failing", 21)] * 2
        stats = jobs.queue_stats()
        assert stats["failed"]["redis"] == 1
        (entry,) = [e for e in jobs.failed_jobs() if e["where"] == "queue"]
        assert entry["func"] == "tests.ops.test_jobs.always_fails"
        assert "cannot do 21" in entry["error"][0]
        assert jobs.retry_failed(entry["id"])
        assert queue.count == 1
