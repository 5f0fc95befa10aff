"""Background jobs: after-commit hand-over, retries, the failed list, the Redis queue and its outbox."""
from __future__ import annotations

import signal
import threading
from datetime import timedelta

import pytest
from redis.client import PubSub, PubSubWorkerThread
from sqlalchemy import func, select, text

from forum import jobs
from forum.models import QueuedJob, utcnow
from forum.models.base import db as _db

CALLS: list = []


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


@pytest.fixture(autouse=True)
def _worker_leaves_no_trace(monkeypatch):
    """A worker sets the app its jobs run with and installs SIGINT/SIGTERM handlers: both are
    put back after the test."""
    monkeypatch.setattr(jobs, "_worker_app", None)
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    yield
    for number, handler in handlers.items():
        signal.signal(number, handler)


def _count_outbox() -> int:
    return _db.session.scalar(select(func.count()).select_from(QueuedJob))


def _wait_in_the_outbox(func, *args) -> None:
    """A job written to the database outbox a minute ago, as when Redis did not answer."""
    row = QueuedJob(func=jobs.job_name(func), payload={"args": list(args), "kwargs": {}}, created_at=utcnow() - timedelta(minutes=1))
    _db.session.add(row)
    _db.session.commit()


def test_with_redis_a_job_goes_through_the_outbox_to_rq_after_commit(redis_app, member):
    with redis_app.app_context():
        queue = jobs.get_queue()
        _db.session.execute(text("SELECT 1"))
        jobs.enqueue(record, 11, tag="rq")
        assert queue.count == 0
        _db.session.commit()
        assert queue.count == 1
        assert _count_outbox() == 0
        job = queue.jobs[0]
        assert job.id.startswith("outbox-") and job.retries_left == len(redis_app.config["JOB_RETRY_INTERVALS"])
    jobs.run_worker(redis_app, burst=True)
    assert CALLS == [(11, "rq")]


def test_with_redis_down_jobs_wait_in_the_database_and_move_when_it_is_back(redis_app, redis_url, member):
    redis_app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    redis_app.extensions.pop("forum_redis", None)
    with redis_app.app_context():
        _db.session.execute(text("SELECT 1"))
        jobs.enqueue(record, 12)
        _db.session.commit()  # Redis does not answer: the job stays in the outbox
        assert _count_outbox() == 1
        _db.session.commit()
        jobs.enqueue(record, 13)  # outside a transaction: written to the outbox directly
        assert _count_outbox() == 2
    redis_app.config["REDIS_URL"] = redis_url
    redis_app.extensions.pop("forum_redis", None)
    assert jobs.relay_outbox(redis_app, min_age_seconds=0) == 2
    with redis_app.app_context():
        assert jobs.get_queue().count == 2
        assert _count_outbox() == 0
    jobs.run_worker(redis_app, burst=True)
    assert sorted(CALLS) == [(12, "x"), (13, "x")]


def test_with_redis_a_failing_job_is_retried_then_lands_in_the_failed_registry(redis_app, db, client, login, admin):
    redis_app.config["JOB_RETRY_INTERVALS"] = (0,)
    with redis_app.app_context():
        jobs.enqueue(always_fails, 21)
    jobs.run_worker(redis_app, burst=True)
    with redis_app.app_context():
        queue = jobs.get_queue()
        assert queue.failed_job_registry.count == 1
        assert CALLS == [("failing", 21)] * 2
        stats = jobs.queue_stats()
        assert stats["failed"]["redis"] == 1
        (entry,) = [e for e in jobs.failed_jobs() if e["where"] == "queue"]
        assert entry["func"] == "tests.ops.test_jobs.always_fails"
        assert "cannot do 21" in entry["error"][0]
        assert jobs.retry_failed(entry["id"])
        assert queue.count == 1


def test_a_burst_worker_stops_listening_for_commands_before_it_returns(redis_app, monkeypatch):
    """A worker listens for commands (rq's pubsub thread) and, as it stops, unsubscribes and stops
    that thread. Here the thread reads the unsubscribe reply before the worker goes on, as on a
    busy machine: it must leave at once, not wait a minute for a new subscription."""
    unsubscribe = PubSub.unsubscribe
    left: list[bool] = []

    def unsubscribe_and_let_the_listener_read_the_reply(pubsub, *args):
        listeners = [t for t in threading.enumerate() if isinstance(t, PubSubWorkerThread) and t.pubsub is pubsub]
        result = unsubscribe(pubsub, *args)
        for listener in listeners:
            listener.join(timeout=20)  # generous: a listener told to stop leaves as the reply wakes it
            left.append(not listener.is_alive())
        return result

    monkeypatch.setattr(PubSub, "unsubscribe", unsubscribe_and_let_the_listener_read_the_reply)
    with redis_app.app_context():
        jobs.enqueue(record, 31)
    worker = jobs.run_worker(redis_app, burst=True)
    assert CALLS == [(31, "x")]
    assert left == [True], "the worker's listener for commands was still waiting after it unsubscribed"
    assert not worker.pubsub_thread.is_alive()


def test_the_worker_command_runs_the_waiting_jobs_and_stops(redis_app, member):
    """`flask worker --burst`: the jobs waiting in the queue and in the database outbox, then exit."""
    with redis_app.app_context():  # the command's app (the suite's own is current otherwise)
        jobs.enqueue(record, 41)  # to the queue
        _wait_in_the_outbox(record, 42)  # as when Redis did not answer
        result = redis_app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert sorted(CALLS) == [(41, "x"), (42, "x")]
    assert _count_outbox() == 0


def test_the_worker_command_needs_redis(runner):
    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code == 1
    assert "REDIS_URL is not set" in result.output


class _Rounds:
    """Stands for the worker's stop event: lets the housekeeping loop go round `n` times, at once."""

    def __init__(self, n: int) -> None:
        self.left = n

    def wait(self, timeout: float) -> bool:
        self.left -= 1
        return self.left < 0


def test_worker_housekeeping_relays_the_outbox_and_starts_each_periodic_job_when_due(redis_app, member):
    """What run_worker does beside the worker, every JOB_RELAY_SECONDS."""
    periodic = jobs.periodic_jobs(redis_app)
    with redis_app.app_context():
        _wait_in_the_outbox(record, 51)
        queue = jobs.get_queue()

        start = 10.0**6
        jobs._housekeeping(redis_app, _Rounds(1), every=0, clock=lambda: start)
        assert _count_outbox() == 0
        first = sorted(job.description for job in queue.jobs)
        assert first == sorted(["tests.ops.test_jobs.record"] + [path for _, path in periodic])
        queue.empty()

        # A second round, one mail interval later: only the jobs due again (each loop keeps its own times).
        later = iter([start, start + redis_app.config["MAIL_SEND_SECONDS"]])
        jobs._housekeeping(redis_app, _Rounds(2), every=0, clock=lambda: next(later))
        due = sorted(path for interval, path in periodic if interval <= redis_app.config["MAIL_SEND_SECONDS"])
        assert sorted(job.description for job in queue.jobs) == sorted([path for _, path in periodic] + due)
        assert "forum.services.outbox.send_mail_job" in due and "forum.services.outbox.digest_job" not in due
