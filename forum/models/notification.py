"""In-app notifications: what a member has to hear back about."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.models.base import db, str_enum, utcnow
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


class EmailPreference(enum.Enum):
    NONE = "none"  # in-app only (the default)
    IMMEDIATE = "immediate"  # one mail per notification
    DAILY = "daily"  # one digest a day of what is still unread


class NotificationSettings(db.Model):
    """A member's choices about notifications; no row means the defaults."""

    __tablename__ = "notification_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    email: Mapped[EmailPreference] = mapped_column(str_enum(EmailPreference), default=EmailPreference.NONE)
    # Starting or replying to a topic watches it.
    watch_participated: Mapped[bool] = mapped_column(default=True)
    last_digest_at: Mapped[datetime | None]


class OutboxMail(db.Model):
    """Mail waiting to be sent: written in the same transaction as its event, sent by `flask send-mail`."""

    __tablename__ = "outbox_mail"
    __table_args__ = (Index("ix_outbox_mail_pending", "sent_at", "next_attempt_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # "notification", "digest" or "account" (links and notices about the account: forum/services/outbox.py).
    kind: Mapped[str] = mapped_column(String(20), default="notification")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime | None]
    # Set when sending failed for good (after the last attempt).
    failed_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
