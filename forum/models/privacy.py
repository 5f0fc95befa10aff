"""A member's private settings: optional profile facts, whom they are shown to, email confirmation."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from forum.models.base import db, utcnow


class AccountSettings(db.Model):
    """One row per member who has confirmed their email or filled in their profile.

    Every profile fact is private unless its show_* switch is on. The bio itself lives on User.
    """

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    condition: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(60))
    show_bio: Mapped[bool] = mapped_column(default=False)
    show_condition: Mapped[bool] = mapped_column(default=False)
    show_country: Mapped[bool] = mapped_column(default=False)
    email_verified_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
