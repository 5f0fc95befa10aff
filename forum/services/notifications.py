"""Telling members what happened: notifications written in a fixed number of statements."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, insert, select, update

from forum.models import utcnow
from forum.models.base import db
from forum.models.notification import Notification


def notify(
    user_ids: Iterable[int],
    kind: str,
    text: str,
    url: str = "",
    *,
    actor_id: int | None = None,
    topic_id: int | None = None,
    post_id: int | None = None,
) -> int:
    """Notify every member in `user_ids` (one INSERT, whatever their number); returns how many."""
    recipients = sorted({uid for uid in user_ids if uid is not None and uid != actor_id})
    if not recipients:
        return 0
    now = utcnow()
    rows = [
        {
            "user_id": uid, "kind": kind, "text": text[:300], "url": url[:300], "actor_id": actor_id,
            "topic_id": topic_id, "post_id": post_id, "created_at": now,
        }
        for uid in recipients
    ]
    db.session.execute(insert(Notification), rows)
    return len(rows)


def unread_count(user_id: int) -> int:
    """The bell's number: one indexed COUNT over the member's unread rows."""
    return db.session.scalar(
        select(func.count()).select_from(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    ) or 0


def mark_all_read(user_id: int) -> None:
    db.session.execute(
        update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None)).values(read_at=utcnow())
    )


def mark_read(user_id: int, notification_ids: Iterable[int]) -> None:
    """Mark some of a member's own notifications read (others' ids are ignored); one UPDATE."""
    ids = sorted(set(notification_ids))
    if not ids:
        return
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.id.in_(ids), Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
