"""Private messages between members, and members blocking one another.

A Conversation has two to MESSAGES_MAX_MEMBERS members (ConversationMember rows). Each member row
keeps that member's unread count and the time of the conversation's last message, so the inbox is
one indexed range read per page and the header's number (User.unread_conversations) costs no query.

Moderators never browse conversations: they see a message because someone reported it, and opening
the conversation around it writes an audit row ("conversation.view").
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.models.base import db, str_enum, utcnow
from forum.models.board import ContentStatus
from forum.models.user import User


class Conversation(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(150))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_message_at: Mapped[datetime] = mapped_column(default=utcnow)
    message_count: Mapped[int] = mapped_column(default=0)

    created_by: Mapped[User | None] = relationship(lazy="raise")


class ConversationMember(db.Model):
    __tablename__ = "conversation_member"
    __table_args__ = (
        # A member's inbox, latest activity first, paged by key.
        Index("ix_conversation_member_inbox", "user_id", "left_at", "last_message_at", "conversation_id"),
    )

    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversation.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when the member leaves: they receive nothing more and the conversation leaves their inbox.
    left_at: Mapped[datetime | None]
    # Copied from the conversation on every message, for the inbox's order.
    last_message_at: Mapped[datetime] = mapped_column(default=utcnow)
    unread_count: Mapped[int] = mapped_column(default=0)
    last_read_message_id: Mapped[int] = mapped_column(default=0)

    user: Mapped[User] = relationship(lazy="raise")
    conversation: Mapped[Conversation] = relationship(lazy="raise")


class Message(db.Model):
    __table_args__ = (Index("ix_message_conversation", "conversation_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversation.id"))
    # None once the author deleted their account.
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # PUBLISHED, or HIDDEN by a moderator after a report.
    status: Mapped[ContentStatus] = mapped_column(str_enum(ContentStatus), default=ContentStatus.PUBLISHED)
    moderation_note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship(lazy="raise")
    conversation: Mapped[Conversation] = relationship(lazy="raise")


class MemberBlock(db.Model):
    """`blocker` blocked `blocked`: no messages between them, no mentions, and their posts collapsed."""

    __tablename__ = "member_block"

    blocker_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    blocked_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    blocked: Mapped[User] = relationship(foreign_keys=[blocked_id], lazy="raise")
