"""Members and their roles."""
from __future__ import annotations

import enum
from datetime import datetime

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from forum.models.base import db, str_enum, utcnow


class Role(enum.Enum):
    MEMBER = "member"
    EXPERT = "expert"
    MODERATOR = "moderator"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def is_staff(self) -> bool:
        return self.rank >= _RANKS[Role.MODERATOR]


_RANKS = {Role.MEMBER: 1, Role.EXPERT: 2, Role.MODERATOR: 3, Role.ADMIN: 4}


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(30))
    # Lower-cased username: uniqueness ignores case.
    username_key: Mapped[str] = mapped_column(String(30), unique=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    role: Mapped[Role] = mapped_column(str_enum(Role), default=Role.MEMBER)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime | None]
    post_count: Mapped[int] = mapped_column(default=0)
    # Posts and topics published so far (held ones are not counted until approved).
    bio: Mapped[str | None] = mapped_column(Text)
    is_demo: Mapped[bool] = mapped_column(default=False)
    # Sanctions (set by moderators).
    suspended_until: Mapped[datetime | None]
    suspension_reason: Mapped[str | None] = mapped_column(String(500))
    banned_at: Mapped[datetime | None]
    ban_reason: Mapped[str | None] = mapped_column(String(500))
    # Bumped to sign a member out of every session (password change, deletion).
    session_token: Mapped[str] = mapped_column(String(64), default="")
    # Moderation: formal warnings not yet acknowledged (the member cannot post until they are).
    unacknowledged_warnings: Mapped[int] = mapped_column(default=0, server_default="0")
    # Reading comfort: the member's Reading choice, as "size.theme.motion.spacing" (services/comfort.py).
    reading_preference: Mapped[str | None] = mapped_column(String(32))
    # Private messages: conversations with unread messages (the header's number, read with the member).
    unread_conversations: Mapped[int] = mapped_column(default=0, server_default="0")
    # How many members this member blocked, and how many blocked them: when 0, pages and
    # notifications skip the block lookups altogether.
    blocking_count: Mapped[int] = mapped_column(default=0, server_default="0")
    blocked_by_count: Mapped[int] = mapped_column(default=0, server_default="0")

    def __repr__(self) -> str:
        return f"<User {self.username}>"

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def set_password(self, password: str) -> None:
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    @property
    def is_banned(self) -> bool:
        return self.banned_at is not None

    @property
    def is_suspended(self) -> bool:
        return self.suspended_until is not None and self.suspended_until > utcnow()

    @property
    def is_staff(self) -> bool:
        return self.role.is_staff

    @staticmethod
    def key_for(username: str) -> str:
        return username.strip().lower()
