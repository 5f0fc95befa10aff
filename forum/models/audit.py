"""The audit log: one row for every moderator or admin action."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.models.base import db, utcnow
from forum.models.user import User


class ModerationAction(db.Model):
    __table_args__ = (
        Index("ix_moderation_action_target", "target_type", "target_id"),
        Index("ix_moderation_action_actor", "actor_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Who acted; None only for actions the system took by itself (e.g. hiding after reports).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # A dotted verb, e.g. "post.hide", "topic.lock", "user.suspend", "article.publish".
    action: Mapped[str] = mapped_column(String(60), index=True)
    target_type: Mapped[str] = mapped_column(String(30))
    target_id: Mapped[int]
    # The member the action concerns (the author of a post, the sanctioned member), for filtering.
    subject_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    reason: Mapped[str | None] = mapped_column(String(1000))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id], lazy="raise")
    subject_user: Mapped[User | None] = relationship(foreign_keys=[subject_user_id], lazy="raise")
