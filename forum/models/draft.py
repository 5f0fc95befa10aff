"""Drafts: a member's unfinished topic or reply, one per member per place."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.models.base import db, utcnow
from forum.models.board import Board, Topic


class Draft(db.Model):
    """An unfinished new topic (board set) or reply (topic set). Private to its member.

    The text is kept as typed (Markdown, never rendered): it goes back into the form's fields.
    """

    __table_args__ = (
        # Exactly one place: a board for a new topic, or a topic for a reply.
        CheckConstraint("(board_id IS NULL) <> (topic_id IS NULL)", name="one_place"),
        UniqueConstraint("user_id", "board_id", name="uq_draft_user_board"),
        UniqueConstraint("user_id", "topic_id", name="uq_draft_user_topic"),
        # "Your drafts", most recently changed first, paged by key.
        Index("ix_draft_user_listing", "user_id", "updated_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    board_id: Mapped[int | None] = mapped_column(ForeignKey("board.id"))
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topic.id"), index=True)
    title: Mapped[str] = mapped_column(String(150), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    board: Mapped[Board | None] = relationship(lazy="raise")
    topic: Mapped[Topic | None] = relationship(lazy="raise")

    @property
    def is_reply(self) -> bool:
        return self.topic_id is not None
