"""One-time keys of submitted forms, so that a form sent twice posts once."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from forum.models.base import db, utcnow


class FormSubmission(db.Model):
    """The hidden one-time key of a reply or new-topic form: a second POST of the same form finds
    its key taken (unique) and is sent to the post the first one made, instead of posting twice."""

    __tablename__ = "form_submission"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("post.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
