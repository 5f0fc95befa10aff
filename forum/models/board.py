"""Boards, topics and posts. A reply is a Post; the first Post opens its Topic."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, WriteOnlyMapped, foreign, mapped_column, relationship

from forum.models.base import db, str_enum, utcnow
from forum.models.user import User


class ContentStatus(enum.Enum):
    """Where a topic or post stands. Only PUBLISHED is shown to everyone."""

    PUBLISHED = "published"
    HELD = "held"  # waiting for a moderator's approval
    HIDDEN = "hidden"  # hidden by a moderator or by reports
    DELETED = "deleted"  # soft-deleted by its author or a moderator


class Board(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(String(500), default="")
    position: Mapped[int] = mapped_column(default=0, index=True)
    # Shown above the new-topic form on boards about treatment and diagnosis.
    shows_disclaimer: Mapped[bool] = mapped_column(default=False)
    topic_count: Mapped[int] = mapped_column(default=0)
    post_count: Mapped[int] = mapped_column(default=0)
    last_posted_at: Mapped[datetime | None]
    last_topic_id: Mapped[int | None]

    topics: WriteOnlyMapped["Topic"] = relationship(back_populates="board")
    last_topic: Mapped["Topic | None"] = relationship(
        primaryjoin=lambda: foreign(Board.last_topic_id) == Topic.id, viewonly=True, lazy="raise"
    )

    def __repr__(self) -> str:
        return f"<Board {self.slug}>"


class Topic(db.Model):
    __table_args__ = (
        # The board listing: published topics, newest activity first, paged by key.
        Index("ix_topic_board_listing", "board_id", "status", "pinned", "last_posted_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    title: Mapped[str] = mapped_column(String(150))
    status: Mapped[ContentStatus] = mapped_column(str_enum(ContentStatus), default=ContentStatus.PUBLISHED)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_posted_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_post_id: Mapped[int | None]
    last_poster_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Published replies (the opening post is not a reply).
    reply_count: Mapped[int] = mapped_column(default=0)
    view_count: Mapped[int] = mapped_column(default=0)
    # Highest post number handed out in this topic; posts are numbered 1, 2, 3...
    last_number: Mapped[int] = mapped_column(default=0)
    pinned: Mapped[bool] = mapped_column(default=False)
    locked_at: Mapped[datetime | None]
    is_demo: Mapped[bool] = mapped_column(default=False)

    board: Mapped[Board] = relationship(back_populates="topics", lazy="raise")
    author: Mapped[User | None] = relationship(foreign_keys=[author_id], lazy="raise")
    last_poster: Mapped[User | None] = relationship(foreign_keys=[last_poster_id], lazy="raise")
    posts: WriteOnlyMapped["Post"] = relationship(back_populates="topic", order_by="Post.number")

    def __repr__(self) -> str:
        return f"<Topic {self.id} {self.title!r}>"

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def is_visible(self) -> bool:
        return self.status is ContentStatus.PUBLISHED


class Post(db.Model):
    __table_args__ = (UniqueConstraint("topic_id", "number", name="uq_post_topic_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    # Position in the topic: 1 opens the topic. Pages are ranges of numbers.
    number: Mapped[int]
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    status: Mapped[ContentStatus] = mapped_column(str_enum(ContentStatus), default=ContentStatus.PUBLISHED)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    revision_count: Mapped[int] = mapped_column(default=0)
    deleted_at: Mapped[datetime | None]
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Moderation reason shown to the author when a post is hidden or rejected.
    moderation_note: Mapped[str | None] = mapped_column(String(500))
    is_demo: Mapped[bool] = mapped_column(default=False)
    # Community: support reactions, kept on the row as {kind: count}.
    reaction_counts: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")

    topic: Mapped[Topic] = relationship(back_populates="posts", lazy="raise")
    author: Mapped[User | None] = relationship(foreign_keys=[author_id], lazy="raise")
    revisions: WriteOnlyMapped["PostRevision"] = relationship(
        back_populates="post", order_by="PostRevision.number"
    )

    def __repr__(self) -> str:
        return f"<Post {self.id} #{self.number} in topic {self.topic_id}>"

    @property
    def is_first(self) -> bool:
        return self.number == 1

    @property
    def deleted_by_author(self) -> bool:
        return self.status is ContentStatus.DELETED and self.deleted_by_id == self.author_id


class PostRevision(db.Model):
    """An earlier version of a post, kept on every edit.

    Its author (or staff) may erase it: the text goes (body, title and note emptied) and a stub
    stays, with the version's number and dates.
    """

    __table_args__ = (UniqueConstraint("post_id", "number", name="uq_post_revision_post_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id"))
    number: Mapped[int]
    title: Mapped[str | None] = mapped_column(String(150))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # When this version was written and by whom.
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    note: Mapped[str | None] = mapped_column(String(500))
    erased_at: Mapped[datetime | None]

    post: Mapped[Post] = relationship(back_populates="revisions", lazy="raise")
    editor: Mapped[User | None] = relationship(lazy="raise")


class TopicRead(db.Model):
    """How far a member has read a topic: one small row per member and topic."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id"), primary_key=True, index=True)
    last_read_number: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
