"""In-app notifications: what a member has to hear back about."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.models.base import db, utcnow
from forum.models.user import User


class Notification(db.Model):
    __table_args__ = (
        # The bell's unread count and the notifications page, newest first.
        Index("ix_notification_user_unread", "user_id", "read_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    # What happened, e.g. "reply", "quote", "mention", "report_outcome", "moderation", "article".
    kind: Mapped[str] = mapped_column(String(40))
    # A short plain-text line shown to the member, and where it leads.
    text: Mapped[str] = mapped_column(String(300))
    url: Mapped[str] = mapped_column(String(300), default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topic.id"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("post.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id], lazy="raise")
