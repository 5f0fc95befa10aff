"""Local support groups: a directory members propose and moderators verify before it is listed.

Contact goes through the forum: a member's message is stored as a SupportGroupContact and the
organiser is notified; no address is ever shown. A group outlives its organiser's account (the
organiser becomes NULL and the group can no longer be contacted until staff find a new one).
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.models.base import db, str_enum, utcnow
from forum.models.user import User


class GroupStatus(enum.Enum):
    PENDING = "pending"  # proposed or edited, waiting for a moderator
    LISTED = "listed"  # verified by a moderator, shown in the directory
    REJECTED = "rejected"  # refused or unlisted by a moderator, with a note to the organiser

    @property
    def label(self) -> str:
        return {"pending": "Waiting for a moderator", "listed": "Listed", "rejected": "Not listed"}[self.value]


class MeetingFormat(enum.Enum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    BOTH = "both"

    @property
    def label(self) -> str:
        return {"in_person": "In person", "online": "Online", "both": "In person and online"}[self.value]


class SupportGroup(db.Model):
    __table_args__ = (
        # The directory, by name (paged by key), and its country filter.
        Index("ix_support_group_listing", "status", "name_key", "id"),
        Index("ix_support_group_country", "status", "country_key", "name_key", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    name_key: Mapped[str] = mapped_column(String(120))  # lower-cased, for search and ordering
    country: Mapped[str | None] = mapped_column(String(60))
    country_key: Mapped[str] = mapped_column(String(60), default="")
    city: Mapped[str | None] = mapped_column(String(80))
    format: Mapped[MeetingFormat] = mapped_column(str_enum(MeetingFormat))
    schedule: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    description_html: Mapped[str] = mapped_column(Text)
    status: Mapped[GroupStatus] = mapped_column(str_enum(GroupStatus), default=GroupStatus.PENDING)
    organiser_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    verified_at: Mapped[datetime | None]
    # Last time the organiser or a moderator said the group still meets.
    confirmed_at: Mapped[datetime | None]
    moderation_note: Mapped[str | None] = mapped_column(String(500))
    # The group's announcements thread in the local groups board.
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topic.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    is_demo: Mapped[bool] = mapped_column(default=False)

    organiser: Mapped[User | None] = relationship(foreign_keys=[organiser_id], lazy="raise")

    @property
    def place(self) -> str:
        where = ", ".join(part for part in (self.city, self.country) if part)
        if self.format is MeetingFormat.ONLINE:
            return f"Online{f' (based in {where})' if where else ''}"
        return where


class SupportGroupContact(db.Model):
    """A member's message to a group's organiser, sent through the forum."""

    __table_args__ = (Index("ix_support_group_contact_group", "group_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("support_group.id"))
    sender_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    body: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    sender: Mapped[User] = relationship(lazy="raise")
