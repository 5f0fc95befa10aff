"""Personal access tokens for the JSON API: stored only as a SHA-256 hash."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.models.base import db, utcnow
from forum.models.user import User


class TokenScope(enum.Enum):
    READ = "read"  # signed-in reads: own notifications, watches, data export
    WRITE = "write"  # posting, editing, deleting, reporting, watching
    MODERATE = "moderate"  # the review queue and the moderation log (staff only)


class ApiToken(db.Model):
    __table_args__ = (Index("ix_api_token_user", "user_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    name: Mapped[str] = mapped_column(String(60))
    # Hex SHA-256 of the whole token; the token itself is shown once and never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The token's first characters, shown in the list so that members can tell tokens apart.
    prefix: Mapped[str] = mapped_column(String(16))
    # Space-separated TokenScope values, e.g. "read write".
    scopes: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="raise")

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.prefix}… of user {self.user_id}>"

    @property
    def scope_set(self) -> frozenset[TokenScope]:
        return frozenset(TokenScope(value) for value in self.scopes.split())

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_expired(self, now: datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or utcnow())
