"""Who is calling: a personal access token in `Authorization: Bearer …`, or nobody.

The API never reads the session cookie. A request without a token is an anonymous
visitor (public reads only); writes need a token with the `write` scope, so a browser's
cookies can never be used to write through the API (which is why it needs no CSRF token).
"""
from __future__ import annotations

from functools import wraps

from flask import g, request

from forum.api.errors import ApiProblem
from forum.extensions import db, login_manager
from forum.models import ApiToken, TokenScope
from forum.permissions import can_moderate
from forum.services import tokens

SCOPE_HELP = {
    TokenScope.READ: "read (your notifications, your data)",
    TokenScope.WRITE: "write (posting, editing, reporting, watching)",
    TokenScope.MODERATE: "moderate (the review queue and the moderation log)",
}


def _challenge(error: str | None = None, scope: str | None = None) -> dict:
    value = 'Bearer realm="forum"'
    if error:
        value += f', error="{error}"'
    if scope:
        value += f', scope="{scope}"'
    return {"WWW-Authenticate": value}


def load_caller() -> None:
    """Before every API request: set g.api_token and g.api_user from the bearer token, if any."""
    g.api_token = None
    g.api_user = login_manager.anonymous_user()
    header = request.headers.get("Authorization")
    if header is None:
        return
    scheme, _, secret = header.partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret:
        raise ApiProblem(401, "invalid-token", "Send the token as `Authorization: Bearer <token>`.", headers=_challenge("invalid_request"))
    try:
        token = tokens.authenticate(secret)
    except tokens.TokenRefused as refused:
        db.session.rollback()
        raise ApiProblem(401, "invalid-token", refused.reason, headers=_challenge("invalid_token")) from None
    # last_used_at may have been written: keep it even if the request fails later.
    db.session.commit()
    g.api_token = token
    g.api_user = token.user


def caller():
    """The member behind the token, or Flask-Login's anonymous user."""
    return g.api_user


def current_token() -> ApiToken | None:
    return g.get("api_token")


def require_scope(scope: TokenScope):
    """The operation needs a token with `scope` (401 without a token, 403 without the scope)."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            check_scope(scope)
            return view(*args, **kwargs)

        wrapper._api_scope = scope  # type: ignore[attr-defined]  (read when documenting security)
        return wrapper

    return decorator


def check_scope(scope: TokenScope) -> None:
    token = current_token()
    if token is None:
        raise ApiProblem(401, "unauthenticated", f"This needs a personal access token with the {SCOPE_HELP[scope]} scope.", headers=_challenge())
    if scope not in token.scope_set:
        raise ApiProblem(
            403,
            "insufficient-scope",
            f"This token does not have the {SCOPE_HELP[scope]} scope.",
            headers=_challenge("insufficient_scope", scope.value),
        )
    if scope is TokenScope.MODERATE and not can_moderate(token.user):
        raise ApiProblem(403, "forbidden", "Only moderators can do this.")
