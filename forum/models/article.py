"""Articles written by verified experts and reviewed by moderators before they are shown.

An Article is the stable thing readers link to (its slug, status, pins and discussion topic).
Its words live in ArticleRevisions: every version is kept. `published_revision` is what readers
see; `pending_revision` is the author's working version (a draft, in review or returned).
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, foreign, mapped_column, relationship

from forum.models.base import db, str_enum, utcnow
from forum.models.board import Board
from forum.models.user import User


class ArticleStatus(enum.Enum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"
    ARCHIVED = "archived"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class RevisionStatus(enum.Enum):
    DRAFT = "draft"  # the author is still writing it
    IN_REVIEW = "in_review"  # submitted, waiting for a moderator
    RETURNED = "returned"  # sent back with a comment; the author's next edit starts a new revision
    PUBLISHED = "published"  # approved; readers see the newest published revision

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class ArticleRevision(db.Model):
    __table_args__ = (UniqueConstraint("article_id", "number", name="uq_article_revision_article_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id"))
    number: Mapped[int]
    status: Mapped[RevisionStatus] = mapped_column(str_enum(RevisionStatus), default=RevisionStatus.DRAFT)
    title: Mapped[str] = mapped_column(String(150))
    summary: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # [{"citation": str, "url": str | None, "doi": str | None}, ...] in the order shown.
    references: Mapped[list] = mapped_column(JSON, default=list)
    # Related boards, the main board first; applied to the article when this revision is published.
    board_ids: Mapped[list] = mapped_column(JSON, default=list)
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    # The review: who published or returned this revision, when, and what they said.
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reviewed_at: Mapped[datetime | None]
    # How the reviewer was described when they reviewed (their credential, or their role).
    reviewer_credential: Mapped[str | None] = mapped_column(String(120))
    review_comment: Mapped[str | None] = mapped_column(String(2000))

    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id], lazy="raise")
    editor: Mapped[User | None] = relationship(foreign_keys=[editor_id], lazy="raise")


class Article(db.Model):
    __table_args__ = (
        Index("ix_article_listing", "status", "first_published_at", "id"),
        Index("ix_article_reviewed", "status", "last_reviewed_at", "id"),
        Index("ix_article_home_pin", "home_pin_position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    status: Mapped[ArticleStatus] = mapped_column(str_enum(ArticleStatus), default=ArticleStatus.DRAFT)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    first_published_at: Mapped[datetime | None]
    last_reviewed_at: Mapped[datetime | None]
    archived_at: Mapped[datetime | None]
    revision_count: Mapped[int] = mapped_column(default=0)
    published_revision_id: Mapped[int | None]
    pending_revision_id: Mapped[int | None]
    # "Discuss this article": the topic opened in the main board when first published.
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topic.id"))
    # Pinned on the home page when set; lower numbers come first.
    home_pin_position: Mapped[int | None]
    is_demo: Mapped[bool] = mapped_column(default=False)

    author: Mapped[User] = relationship(foreign_keys=[author_id], lazy="raise")
    published_revision: Mapped[ArticleRevision | None] = relationship(
        primaryjoin=lambda: foreign(Article.published_revision_id) == ArticleRevision.id, viewonly=True, lazy="raise"
    )
    pending_revision: Mapped[ArticleRevision | None] = relationship(
        primaryjoin=lambda: foreign(Article.pending_revision_id) == ArticleRevision.id, viewonly=True, lazy="raise"
    )
    board_links: Mapped[list["ArticleBoard"]] = relationship(
        back_populates="article", order_by="ArticleBoard.position", lazy="raise", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Article {self.slug} {self.status.value}>"

    @property
    def is_published(self) -> bool:
        return self.status is ArticleStatus.PUBLISHED


class ArticleBoard(db.Model):
    """An article's related board; position 0 is its main board. Pinned there when pin_position is set."""

    __table_args__ = (Index("ix_article_board_pins", "board_id", "pin_position"),)

    article_id: Mapped[int] = mapped_column(ForeignKey("article.id"), primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id"), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)
    pin_position: Mapped[int | None]

    article: Mapped[Article] = relationship(back_populates="board_links", lazy="raise")
    board: Mapped[Board] = relationship(lazy="raise")
