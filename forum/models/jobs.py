"""Background jobs kept in the database: the outbox between a commit and the queue, and failures.

A job enqueued inside a transaction is written here in that same transaction, so it exists if
and only if the change that asked for it was committed. After the commit it is handed to the
queue and its row deleted; if the queue (Redis) is down, the row waits and the worker hands it
over when Redis answers again. Jobs run in-process (no REDIS_URL) that fail every retry are kept
here with `failed_at` set, for admins to see and retry.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from forum.models.base import db, utcnow


class QueuedJob(db.Model):
    __tablename__ = "queued_job"
    __table_args__ = (Index("ix_queued_job_failed_created", "failed_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Dotted path of a module-level function, e.g. "forum.services.reading.flush_views".
    func: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict] = mapped_column(JSON)  # {"args": [...], "kwargs": {...}}
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    failed_at: Mapped[datetime | None]

