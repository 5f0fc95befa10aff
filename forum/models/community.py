"""What members add around posts: support reactions and bookmarks."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.models.base import db, utcnow
from forum.models.board import Post
from forum.models.user import User


class PostReaction(db.Model):
    """One member's reaction of one kind on one post ("Me too", "Helpful", "Sending support")."""

    __table_args__ = (Index("ix_post_reaction_post_kind", "post_id", "kind"),)

    post_id: Mapped[int] = mapped_column(ForeignKey("post.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True, index=True)
    kind: Mapped[str] = mapped_column(String(30), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(lazy="raise")


class Bookmark(db.Model):
    """A post a member saved to come back to, with an optional private note."""

    __table_args__ = (
        Index("ix_bookmark_user_listing", "user_id", "id"),
        UniqueConstraint("user_id", "post_id", name="uq_bookmark_user_post"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id"), index=True)
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    post: Mapped[Post] = relationship(lazy="raise")
