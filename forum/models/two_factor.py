"""Two-factor sign-in: a member's authenticator secret and their one-time recovery codes."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from forum.models.base import db, utcnow


class TwoFactor(db.Model):
    """The member's TOTP secret (RFC 6238). Set up first, in use once a code confirms it."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    # The shared secret, in base32 as the authenticator app shows it. Never exported or logged.
    secret: Mapped[str] = mapped_column(String(64))
    # None while being set up: sign-in asks for codes only once the member confirmed one.
    enabled_at: Mapped[datetime | None]
    # The time step of the last code accepted: each code (and any older one) works once.
    last_step: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RecoveryCode(db.Model):
    """One of the member's one-time recovery codes, kept only as a SHA-256 hash."""

    __table_args__ = (Index("ix_recovery_code_user_hash", "user_id", "code_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
