"""Personal access tokens: creating, listing, revoking, and recognising them on a request.

A token is `fsf_` followed by 43 URL-safe characters (32 random bytes). Only its SHA-256
is stored: the token has 256 bits of entropy, so a fast hash is the right one (a slow
password hash would add nothing but cost on every API request).
"""
from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from forum.errors import InvalidInput, NotFound
from forum.models import ApiToken, TokenScope, User, utcnow
from forum.models.base import db
from forum.permissions import is_staff

TOKEN_PREFIX = "fsf_"
NAME_MAX = 60
MAX_TOKENS_PER_MEMBER = 20
MAX_LIFETIME = timedelta(days=366)
# last_used_at is written at most this often per token, so reads stay reads.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass
class IssuedToken:
    """A freshly created token: `secret` is shown once and never stored."""

    token: ApiToken
    secret: str


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def scopes_member_may_grant(user: User) -> list[TokenScope]:
    """Moderate is offered to staff only."""
    scopes = [TokenScope.READ, TokenScope.WRITE]
    if is_staff(user):
        scopes.append(TokenScope.MODERATE)
    return scopes


def create_token(user: User, name: str, scopes: Iterable[TokenScope | str], expires_at: datetime | None = None) -> IssuedToken:
    """Issue a token for `user`; caller commits and shows `secret` once."""
    name = " ".join((name or "").split())
    if not 1 <= len(name) <= NAME_MAX or "\x00" in name:
        raise InvalidInput(f"Give the token a name of 1 to {NAME_MAX} characters.")
    try:
        chosen = {TokenScope(s) if not isinstance(s, TokenScope) else s for s in scopes}
    except ValueError:
        raise InvalidInput("Unknown scope: choose among read, write and moderate.") from None
    if not chosen:
        raise InvalidInput("Choose at least one scope.")
    if not chosen <= set(scopes_member_may_grant(user)):
        raise InvalidInput("Only moderators can create tokens with the moderate scope.")
    now = utcnow()
    if expires_at is not None and not now < expires_at <= now + MAX_LIFETIME:
        raise InvalidInput("The expiry date must be in the future and at most a year away.")
    if len(active_tokens(user)) >= MAX_TOKENS_PER_MEMBER:
        raise InvalidInput(f"You can have at most {MAX_TOKENS_PER_MEMBER} tokens. Revoke one you no longer use.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=hash_token(secret),
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        scopes=" ".join(s.value for s in TokenScope if s in chosen),
        created_at=now,
        expires_at=expires_at,
    )
    db.session.add(token)
    db.session.flush()
    return IssuedToken(token=token, secret=secret)


def active_tokens(user: User) -> list[ApiToken]:
    """The member's tokens that are not revoked, newest first (expired ones are listed as such)."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.id.desc())
        )
    )


def revoke_token(user: User, token_id: int) -> ApiToken:
    """Revoke one of the member's own tokens; caller commits."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or token.is_revoked:
        raise NotFound("There is no such token.")
    token.revoked_at = utcnow()
    return token


class TokenRefused(Exception):
    """The bearer token is unknown, revoked or expired, or its account is closed."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def authenticate(secret: str) -> ApiToken:
    """The live token for this secret, with its user loaded (one query; a second at most once a minute)."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        raise TokenRefused("The token is not one the forum issued.")
    token = db.session.scalar(
        select(ApiToken).options(joinedload(ApiToken.user)).where(ApiToken.token_hash == hash_token(secret))
    )
    if token is None:
        raise TokenRefused("The token is not one the forum issued.")
    if token.is_revoked:
        raise TokenRefused("The token has been revoked.")
    now = utcnow()
    if token.is_expired(now):
        raise TokenRefused("The token has expired.")
    if token.user.password_hash == "":
        raise TokenRefused("The account that owns this token is closed.")
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        db.session.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
        token.last_used_at = now
    return token
