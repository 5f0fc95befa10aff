"""Background jobs: `enqueue(func, *args, **kwargs)` and the worker that runs them.

With REDIS_URL set, jobs go to an RQ queue and `make worker` runs them; with no REDIS_URL
(the embedded default) the same functions run in this process, in a thread (or synchronously
under tests), so nothing else is needed.

Rules for a job function:
- a plain module-level function; arguments are JSON values (ids, strings), never model objects;
- idempotent: it may run twice (after a crash or a retry), so it checks what is already done;
- it uses `db.session` as usual and commits its own work; it runs in a fresh app context.

`enqueue()` called inside a database transaction takes effect only if that transaction commits:
the job is written to the `queued_job` outbox in the same transaction and handed to the queue
right after the commit. If Redis is down then, the row waits and the worker hands it over when
Redis is back. Failing jobs are retried with backoff; a job that fails every retry lands in RQ's
failed registry (or, in-process, in `queued_job` with `failed_at`), shown to admins on
/admin/jobs, never dropped silently.
"""
from __future__ import annotations

import importlib
import logging
import threading
import time
import traceback
from datetime import timedelta
from typing import Any, Callable

from flask import Flask, current_app, has_app_context
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy import event

from forum.models.base import db, utcnow
from forum.models.jobs import QueuedJob

log = logging.getLogger("forum.jobs")

_SESSION_KEY = "forum_jobs"
# The app a worker process runs jobs with (set by the worker command).
_worker_app: Flask | None = None


def job_name(func: Callable) -> str:
    name = f"{func.__module__}.{func.__qualname__}"
    if "<" in name:
        raise ValueError(f"{name} is not a module-level function and cannot be a background job")
    return name


def enqueue(func: Callable | str, *args: Any, **kwargs: Any) -> None:
    """Run func(*args, **kwargs) in the background, after the current transaction commits.

    Outside a transaction it is handed over at once. Arguments must be JSON values.
    """
    path = func if isinstance(func, str) else job_name(func)
    from forum import metrics

    metrics.JOBS_ENQUEUED.labels(path).inc()
    session = db.session()
    job = {"func": path, "args": list(args), "kwargs": dict(kwargs)}
    if current_app.config.get("REDIS_URL"):
        row = QueuedJob(func=path, payload={"args": job["args"], "kwargs": job["kwargs"]}, created_at=utcnow())
        if session.in_transaction():
            session.add(row)
            job["row"] = row
            session.info.setdefault(_SESSION_KEY, []).append(job)
            return
        _push_or_keep(current_app._get_current_object(), job, row)
        return
    if session.in_transaction():
        session.info.setdefault(_SESSION_KEY, []).append(job)
        return
    _run_in_process(current_app._get_current_object(), job)


def enqueue_once(func: Callable | str, *args: Any, **kwargs: Any) -> None:
    """Like enqueue(), but a job already waiting for this transaction's commit is not added twice."""
    path = func if isinstance(func, str) else job_name(func)
    session = db.session()
    if session.in_transaction():
        for job in session.info.get(_SESSION_KEY, []):
            if job["func"] == path and job["args"] == list(args) and job["kwargs"] == dict(kwargs):
                return
    enqueue(path, *args, **kwargs)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    pending = session.info.pop(_SESSION_KEY, None)
    if not pending or not has_app_context():
        return
    app = current_app._get_current_object()
    for job in pending:
        if "row" in job:
            _push_or_keep(app, job, job["row"], committed=True)
        else:
            _run_in_process(app, job)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_SESSION_KEY, None)


# ---------------------------------------------------------------- Redis (RQ) side

def get_queue(app: Flask | None = None):
    from rq import Queue

    from forum.redis_conn import redis_client

    app = app or current_app._get_current_object()
    connection = redis_client(app)
    if connection is None:
        return None
    return Queue(app.config.get("JOBS_QUEUE", "forum"), connection=connection, default_timeout=app.config.get("JOB_TIMEOUT", 300))


def _retry(app: Flask):
    from rq import Retry

    intervals = list(app.config.get("JOB_RETRY_INTERVALS", (10, 60, 300)))
    return Retry(max=len(intervals), interval=intervals)


def _push(app: Flask, path: str, args: list, kwargs: dict, job_id: str | None) -> None:
    queue = get_queue(app)
    queue.enqueue(
        "forum.jobs.execute",
        path,
        args,
        kwargs,
        job_id=job_id,
        description=path,
        retry=_retry(app),
        result_ttl=3600,
        failure_ttl=30 * 24 * 3600,
    )


def _push_or_keep(app: Flask, job: dict, row: QueuedJob, committed: bool = False) -> None:
    """Hand a job to RQ; if Redis does not answer, keep it in the database outbox for the worker."""
    from redis.exceptions import RedisError

    try:
        if committed:
            _push(app, job["func"], job["args"], job["kwargs"], job_id=f"outbox-{row.id}")
            with db.engine.begin() as connection:
                connection.execute(delete(QueuedJob).where(QueuedJob.id == row.id))
        else:
            _push(app, job["func"], job["args"], job["kwargs"], job_id=None)
        return
    except RedisError as error:
        log.warning("Redis unavailable; job %s waits in the database outbox (%s)", job["func"], error)
    except Exception:  # the commit already happened: never let a queue problem break the page
        log.exception("Could not hand job %s to the queue; it waits in the database outbox", job["func"])
    if not committed:
        with db.engine.begin() as connection:
            connection.execute(
                QueuedJob.__table__.insert().values(
                    func=row.func, payload=row.payload, created_at=row.created_at, attempts=0
                )
            )


def relay_outbox(app: Flask, min_age_seconds: float = 5.0, limit: int = 500) -> int:
    """Hand jobs waiting in the database outbox to RQ (called by the worker every few seconds).

    Rows younger than min_age_seconds are left to the request that wrote them. The RQ job id is
    derived from the row id, so a row handed over twice is still one job.
    """
    from redis.exceptions import RedisError

    cutoff = utcnow() - timedelta(seconds=min_age_seconds)
    with app.app_context():
        rows = db.session.execute(
            select(QueuedJob.id, QueuedJob.func, QueuedJob.payload)
            .where(QueuedJob.failed_at.is_(None), QueuedJob.created_at <= cutoff)
            .order_by(QueuedJob.id)
            .limit(limit)
        ).all()
        db.session.rollback()
        moved = 0
        for row in rows:
            try:
                _push(app, row.func, row.payload.get("args", []), row.payload.get("kwargs", {}), job_id=f"outbox-{row.id}")
            except RedisError as error:
                log.warning("Redis still unavailable; %d jobs wait in the database outbox (%s)", len(rows) - moved, error)
                break
            db.session.execute(delete(QueuedJob).where(QueuedJob.id == row.id))
            db.session.commit()
            moved += 1
        db.session.remove()
    if moved:
        log.info("Handed %d jobs from the database outbox to the queue", moved)
    return moved


def execute(path: str, args: list, kwargs: dict) -> Any:
    """What the RQ worker runs: the named function in a fresh app context."""
    from forum import create_app, metrics

    global _worker_app
    if _worker_app is None:
        _worker_app = current_app._get_current_object() if has_app_context() else create_app()
    func = _resolve(path)
    with _worker_app.app_context():
        try:
            result = func(*args, **kwargs)
            db.session.commit()
        except Exception:
            db.session.rollback()
            metrics.JOBS_FINISHED.labels(path, "error").inc()
            raise
        finally:
            db.session.remove()
    metrics.JOBS_FINISHED.labels(path, "ok").inc()
    return result


def _resolve(path: str) -> Callable:
    module_name, _, attr = path.rpartition(".")
    return getattr(importlib.import_module(module_name), attr)


# ---------------------------------------------------------------- in-process side (no Redis)

def _run_in_process(app: Flask, job: dict) -> None:
    if app.config.get("JOBS_INLINE", "thread") == "sync":
        _run_with_retries(app, job)
        return
    thread = threading.Thread(target=_run_with_retries, args=(app, job), name=f"job:{job['func']}", daemon=True)
    thread.start()


def _run_with_retries(app: Flask, job: dict) -> None:
    from forum import metrics

    intervals = list(app.config.get("JOB_RETRY_INTERVALS", (10, 60, 300)))
    attempts = 0
    while True:
        attempts += 1
        try:
            with app.app_context():
                try:
                    _resolve(job["func"])(*job["args"], **job["kwargs"])
                    db.session.commit()
                finally:
                    db.session.rollback()
                    db.session.remove()
            metrics.JOBS_FINISHED.labels(job["func"], "ok").inc()
            return
        except Exception as error:
            metrics.JOBS_FINISHED.labels(job["func"], "error").inc()
            if attempts > len(intervals):
                _record_failure(app, job, attempts, error)
                return
            delay = intervals[attempts - 1]
            log.warning("Job %s failed (attempt %d), retrying in %ss: %s", job["func"], attempts, delay, error)
            if delay:
                time.sleep(delay)


def _record_failure(app: Flask, job: dict, attempts: int, error: Exception) -> None:
    log.error("Job %s failed %d times and was kept for admins: %s", job["func"], attempts, error)
    try:
        with app.app_context():
            with db.engine.begin() as connection:
                connection.execute(
                    QueuedJob.__table__.insert().values(
                        func=job["func"],
                        payload={"args": job["args"], "kwargs": job["kwargs"]},
                        created_at=utcnow(),
                        attempts=attempts,
                        last_error="".join(traceback.format_exception(error))[-4000:],
                        failed_at=utcnow(),
                    )
                )
    except Exception:
        log.exception("Could not record the failed job %s %r", job["func"], job)


# ---------------------------------------------------------------- what admins see

def queue_stats(app: Flask | None = None) -> dict:
    """{"queued": {where: n}, "failed": {where: n}} for metrics and the admin page."""
    app = app or current_app._get_current_object()
    stats: dict = {"queued": {}, "failed": {}}
    try:
        waiting, failed = db.session.execute(
            select(
                func.count().filter(QueuedJob.failed_at.is_(None)),
                func.count().filter(QueuedJob.failed_at.is_not(None)),
            )
        ).one()
        from forum.models.notification import OutboxMail

        unsent, mail_failed = db.session.execute(
            select(
                func.count().filter(OutboxMail.sent_at.is_(None), OutboxMail.failed_at.is_(None)),
                func.count().filter(OutboxMail.failed_at.is_not(None), OutboxMail.attempts > 0),
            ).where(OutboxMail.sent_at.is_(None))  # the pending index: sent mail is never read
        ).one()
        db.session.rollback()
        stats["queued"]["database_outbox"] = waiting
        stats["failed"]["database"] = failed
        stats["queued"]["mail_outbox"] = unsent  # messages, not jobs: sent by the mail job
        stats["failed"]["mail"] = mail_failed
    except Exception:
        log.warning("Could not count jobs in the database outbox", exc_info=True)
    queue = get_queue(app)
    if queue is not None:
        try:
            stats["queued"]["redis"] = queue.count
            stats["queued"]["redis_scheduled"] = queue.scheduled_job_registry.count
            stats["failed"]["redis"] = queue.failed_job_registry.count
        except Exception:
            log.warning("Could not count jobs in Redis", exc_info=True)
    return stats


def failed_jobs(limit: int = 100) -> list[dict]:
    """The jobs that failed every retry, newest first, from RQ and from the database."""
    entries: list[dict] = []
    for row in db.session.scalars(
        select(QueuedJob).where(QueuedJob.failed_at.is_not(None)).order_by(QueuedJob.failed_at.desc()).limit(limit)
    ):
        entries.append(
            {
                "id": f"db-{row.id}",
                "func": row.func,
                "args": row.payload,
                "failed_at": row.failed_at,
                "error": (row.last_error or "").strip().splitlines()[-1:] or [""],
                "where": "in-process",
            }
        )
    queue = get_queue()
    if queue is not None:
        from redis.exceptions import RedisError
        from rq.job import Job

        try:
            ids = queue.failed_job_registry.get_job_ids(0, limit - 1)
            for job in Job.fetch_many(ids, connection=queue.connection):
                if job is None:
                    continue
                result = job.latest_result()
                error = ((result.exc_string if result else "") or "").strip().splitlines()[-1:] or [""]
                entries.append(
                    {
                        "id": job.id,
                        "func": job.description,
                        "args": {"args": job.args[1:2], "kwargs": job.args[2:3]},
                        "failed_at": job.ended_at,
                        "error": error,
                        "where": "queue",
                    }
                )
        except RedisError as error:
            log.warning("Could not read failed jobs from Redis: %s", error)
    return entries


def retry_failed(job_id: str) -> bool:
    """Send a failed job round again (admin action). True if it was found."""
    if job_id.startswith("db-") and job_id[3:].isdigit():
        row = db.session.get(QueuedJob, int(job_id[3:]))
        if row is None or row.failed_at is None:
            return False
        payload = row.payload
        db.session.delete(row)
        enqueue(row.func, *payload.get("args", []), **payload.get("kwargs", {}))
        return True
    queue = get_queue()
    if queue is None:
        return False
    from rq.exceptions import InvalidJobOperation, NoSuchJobError

    try:
        queue.failed_job_registry.requeue(job_id)
    except (NoSuchJobError, InvalidJobOperation):
        return False
    return True


# ---------------------------------------------------------------- the worker process

def periodic_jobs(app: Flask) -> list[tuple[float, str]]:
    """(interval in seconds, job) pairs run on a timer: by the worker with Redis, else in-process."""
    return [
        (float(app.config.get("VIEW_FLUSH_SECONDS", 10)), "forum.services.reading.flush_views_job"),
        (24 * 3600.0, "forum.services.posting.prune_submission_keys"),
        # Mail whose earlier attempt failed and is due again, or whose job was lost.
        (float(app.config.get("MAIL_SEND_SECONDS", 60)), "forum.services.outbox.send_mail_job"),
        (float(app.config.get("DIGEST_CHECK_SECONDS", 900)), "forum.services.outbox.digest_job"),
        # SQLite's query planner statistics (PostgreSQL's autovacuum keeps its own).
        (float(app.config.get("DB_ANALYZE_SECONDS", 6 * 3600)), "forum.database.refresh_statistics"),
    ]


_tick_lock = threading.Lock()
_last_tick: dict[str, float] = {}


def run_periodic_in_process(app: Flask, clock: Callable[[], float] = time.monotonic) -> None:
    """Without Redis (the embedded default): start the periodic jobs that are due, in threads.

    Called after each request; each web process keeps its own timers (the jobs are idempotent).
    """
    if app.config.get("REDIS_URL") or app.config.get("JOBS_INLINE", "thread") != "thread":
        return
    now = clock()
    if not _tick_lock.acquire(blocking=False):
        return
    try:
        due = []
        for interval, path in periodic_jobs(app):
            last = _last_tick.setdefault(path, now)  # the first run waits one interval
            if now - last >= interval:
                _last_tick[path] = now
                due.append(path)
    finally:
        _tick_lock.release()
    for path in due:
        _run_in_process(app, {"func": path, "args": [], "kwargs": {}})


def _housekeeping(app: Flask, stop: threading.Event, every: float, clock: Callable[[], float] = time.monotonic) -> None:
    """Relay the database outbox and enqueue periodic jobs until stopped."""
    last_run: dict[str, float] = {}
    while not stop.wait(every):
        try:
            relay_outbox(app)
            now = clock()
            for interval, path in periodic_jobs(app):
                if now - last_run.get(path, 0.0) >= interval:
                    last_run[path] = now
                    _push(app, path, [], {}, job_id=None)
        except Exception:
            log.warning("Worker housekeeping failed; trying again shortly", exc_info=True)


def _stop_listening(worker) -> None:
    """Stop a worker's listener for commands (its pubsub thread), then unsubscribe.

    rq unsubscribes first and stops the thread after. If the thread reads the unsubscribe reply in
    between (likely on a busy machine), it goes back to wait up to 60 s for a new subscription,
    and with redis-py 8, whose stop() waits for the thread, every shutdown and every burst run
    waited with it. Told to stop first, the thread leaves as soon as the reply wakes it.
    """
    from redis.exceptions import RedisError

    thread = worker.pubsub_thread
    if thread is None:
        return
    try:
        thread.stop(timeout=0)  # redis-py 8: lower the flag without waiting for the thread
    except TypeError:
        thread.stop()  # earlier redis-py: stop() only lowers the flag
    try:
        worker.pubsub.unsubscribe()
    except RedisError:
        pass  # the connection is gone, and the thread's read ended with it
    thread.join(timeout=5)
    worker.pubsub.close()


def _forum_worker(queue):
    """An RQ SimpleWorker (jobs run in this process: no fork, so the connection pool and the app
    are reused) whose shutdown does not wait for its command listener."""
    from rq import SimpleWorker

    class ForumWorker(SimpleWorker):
        def unsubscribe(self) -> None:
            _stop_listening(self)

    return ForumWorker([queue], connection=queue.connection)


def run_worker(app: Flask, burst: bool = False):
    """Run an RQ worker for the forum queue, plus the outbox relay and periodic jobs.

    Returns the worker once it has stopped (burst: once the waiting jobs are done).
    """
    global _worker_app
    _worker_app = app
    queue = get_queue(app)
    if queue is None:
        raise RuntimeError("REDIS_URL is not set: without Redis, jobs run inside the web process.")
    stop = threading.Event()
    helper = threading.Thread(
        target=_housekeeping, args=(app, stop, float(app.config.get("JOB_RELAY_SECONDS", 5))), daemon=True
    )
    if burst:
        relay_outbox(app, min_age_seconds=0)
    else:
        helper.start()
    worker = _forum_worker(queue)
    try:
        worker.work(burst=burst, with_scheduler=True)
    finally:
        stop.set()
    return worker
