"""Verified experts: a member whose clinical credential an admin has checked."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.models.base import db, utcnow
from forum.models.user import User


class ExpertProfile(db.Model):
    """One row per member ever verified; revoking keeps the row (and their articles)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), unique=True)
    # Shown beside the badge, e.g. "Neurologist, movement disorders".
    credential: Mapped[str] = mapped_column(String(120))
    institution: Mapped[str | None] = mapped_column(String(150))
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    verified_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="raise")
    verified_by: Mapped[User | None] = relationship(foreign_keys=[verified_by_id], lazy="raise")

    def __repr__(self) -> str:
        return f"<ExpertProfile user={self.user_id} {self.credential!r}>"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


# User.expert_profile: load it with joinedload(User.expert_profile) wherever a badge is shown;
# forum.services.experts.verified_profile() reads it without ever running a query.
User.__mapper__.add_property(
    "expert_profile",
    relationship(
        ExpertProfile,
        primaryjoin=User.id == ExpertProfile.user_id,
        foreign_keys=[ExpertProfile.user_id],
        uselist=False,
        viewonly=True,
        lazy="raise",
    ),
)
