"""Moderation: reports, the review queue, watched words, warnings and staff notes on members.

Vocabulary (after Discourse's reviewables): a member's Report is about one item (a post or a
member); the reports on an item gather in one ReviewEntry, the line moderators see in the queue.
Held posts and flags raised by screening open entries too, with reports filed by the system.
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.models.base import db, str_enum, utcnow
from forum.models.user import User

# Reasons a member can choose, with the words shown to them, in the order shown.
REPORT_REASONS: dict[str, str] = {
    "misinformation": "Medical misinformation",
    "harassment": "Harassment or hate",
    "spam": "Spam or advertising",
    "personal_info": "Personal information shared",
    "at_risk": "Someone may be at risk (self-harm or crisis)",
    "other": "Other",
}
# Reasons only the forum itself files (screening, holds).
SYSTEM_REASONS: dict[str, str] = {
    "held": "Waiting for approval",
    "watched_word": "Watched word",
    "admin_review": "An admin's post hidden by a moderator, for another admin to review",
}
ADMIN_REVIEW_REASON = "admin_review"
REASON_LABELS: dict[str, str] = {**REPORT_REASONS, **SYSTEM_REASONS}
URGENT_REASON = "at_risk"


def reason_label(key: str) -> str:
    return REASON_LABELS.get(key, key.replace("_", " ").capitalize())


class ReportStatus(enum.Enum):
    OPEN = "open"
    UPHELD = "upheld"  # a moderator acted on the item
    DISMISSED = "dismissed"  # no violation found


class ReviewStatus(enum.Enum):
    PENDING = "pending"
    DISMISSED = "dismissed"  # no violation
    ACTIONED = "actioned"  # hidden, deleted, edited, sanctioned...
    APPROVED = "approved"  # a held post was published
    REJECTED = "rejected"  # a held post was refused

    @property
    def label(self) -> str:
        return self.value.capitalize()


class TargetType(enum.Enum):
    POST = "post"
    USER = "user"
    EXPERIENCE = "experience"  # the story of a treatment experience report
    MESSAGE = "message"  # a private message (moderators see it only through its reports)


class ReviewEntry(db.Model):
    """One line of the review queue: one item, however many reports it has."""

    __table_args__ = (
        # At most one pending entry per item: concurrent first reports meet here.
        Index(
            "uq_review_entry_pending_target",
            "target_type",
            "target_id",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
        # The queue: pending first, most urgent, then latest activity.
        Index("ix_review_entry_queue", "status", "priority", "updated_at"),
        Index("ix_review_entry_target", "target_type", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[TargetType] = mapped_column(str_enum(TargetType, 10))
    target_id: Mapped[int]
    # Context kept on the row so the queue lists entries without loading every item.
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topic.id"))
    subject_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    status: Mapped[ReviewStatus] = mapped_column(str_enum(ReviewStatus), default=ReviewStatus.PENDING)
    # 100 when someone may be at risk, 0 otherwise: higher comes first.
    priority: Mapped[int] = mapped_column(default=0)
    report_count: Mapped[int] = mapped_column(default=0)
    # True when reports hid the item: dismissing the entry shows it again.
    hidden_by_reports: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # The action that settled it, e.g. "post.hide", "dismiss", "user.suspend".
    resolution: Mapped[str | None] = mapped_column(String(60))
    resolution_note: Mapped[str | None] = mapped_column(String(1000))

    subject_user: Mapped[User | None] = relationship(foreign_keys=[subject_user_id], lazy="raise")
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id], lazy="raise")

    @property
    def is_pending(self) -> bool:
        return self.status is ReviewStatus.PENDING

    @property
    def is_urgent(self) -> bool:
        return self.priority >= URGENT_PRIORITY


URGENT_PRIORITY = 100


class Report(db.Model):
    """One member's (or the system's) report about one item."""

    __table_args__ = (
        # One open report per member per item.
        Index(
            "uq_report_open_per_reporter",
            "reporter_id",
            "target_type",
            "target_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
        Index("ix_report_reporter", "reporter_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("review_entry.id"), index=True)
    target_type: Mapped[TargetType] = mapped_column(str_enum(TargetType, 10))
    target_id: Mapped[int]
    # None when the forum itself filed it (a held post, a watched word, crisis language).
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reason: Mapped[str] = mapped_column(String(30), index=True)
    note: Mapped[str | None] = mapped_column(String(1000))
    status: Mapped[ReportStatus] = mapped_column(str_enum(ReportStatus), default=ReportStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]

    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id], lazy="raise")
    entry: Mapped[ReviewEntry] = relationship(lazy="raise")

    @property
    def reason_label(self) -> str:
        return reason_label(self.reason)


class WatchedWordAction(enum.Enum):
    BLOCK = "block"  # refuse the post, naming the rule
    HOLD = "hold"  # store it held for approval
    FLAG = "flag"  # publish it and open a report

    @property
    def label(self) -> str:
        return {"block": "Block the post", "hold": "Hold for approval", "flag": "Publish and flag for review"}[self.value]


class WatchedWord(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    # Lower-cased word or phrase, matched on word boundaries, ignoring case.
    word: Mapped[str] = mapped_column(String(100), unique=True)
    action: Mapped[WatchedWordAction] = mapped_column(str_enum(WatchedWordAction, 10))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MemberWarning(db.Model):
    """A formal warning: the member must acknowledge it before posting again."""

    __table_args__ = (Index("ix_member_warning_user", "user_id", "acknowledged_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reason: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    acknowledged_at: Mapped[datetime | None]

    moderator: Mapped[User | None] = relationship(foreign_keys=[moderator_id], lazy="raise")


class StaffNote(db.Model):
    """A private note on a member, visible to moderators and admins only."""

    __table_args__ = (Index("ix_staff_note_user", "user_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    body: Mapped[str] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship(foreign_keys=[author_id], lazy="raise")
