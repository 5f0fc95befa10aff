"""Signing up, signing in and managing accounts."""
from __future__ import annotations

import functools
import re
import secrets

from flask import current_app
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload

from forum.errors import InvalidInput
from forum.models import Role, User, utcnow
from forum.models.base import db
from forum.services import notifications, outbox
from forum.site_urls import external_url_for

USERNAME_RE = re.compile(r"^[A-Za-z0-9_-]{3,30}$")
PASSWORD_MIN = 10


def check_username(username: str) -> str:
    username = (username or "").strip()
    if not USERNAME_RE.fullmatch(username):
        raise InvalidInput("Usernames are 3 to 30 characters: letters, digits, _ and - only.")
    return username


def check_password(password: str, username: str) -> None:
    if len(password or "") < PASSWORD_MIN:
        raise InvalidInput(f"Passwords must be at least {PASSWORD_MIN} characters long.")
    if password.strip().lower() == (username or "").strip().lower():
        raise InvalidInput("Your password cannot be your username.")


def username_taken(username: str) -> bool:
    return db.session.scalar(select(User.id).where(User.username_key == User.key_for(username))) is not None


def email_taken(email: str) -> bool:
    return find_by_email(email) is not None


def find_by_email(email: str) -> User | None:
    """The member with this address, ignoring case."""
    email = (email or "").strip().lower()
    return db.session.scalar(select(User).where(func.lower(User.email) == email)) if email else None


def create_user(username: str, email: str, password: str, role: Role = Role.MEMBER, **fields) -> User:
    """Create an account after checking every rule; caller commits."""
    username = check_username(username)
    check_password(password, username)
    email = (email or "").strip().lower()
    if username_taken(username):
        raise InvalidInput("That username is already taken.")
    if email_taken(email):
        raise InvalidInput("An account with that email address already exists.")
    user = User(
        username=username,
        username_key=User.key_for(username),
        email=email,
        role=role,
        session_token=secrets.token_hex(8),
        **{"created_at": utcnow(), **fields},
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def find_by_login(login: str) -> User | None:
    """A member by username or email, ignoring case."""
    login = (login or "").strip()
    if "@" in login:
        return find_by_email(login)
    return db.session.scalar(select(User).where(User.username_key == login.lower()))


def failure_key(user: User | None, login: str = "") -> str:
    """Whom failed sign-ins count against (forum/ratelimits.py): the member once the name or email
    resolves, so both share one count; otherwise the name typed, so unknown ones behave the same."""
    if user is not None:
        return f"member:{user.id}"
    return "login:" + (login or "").strip().lower()[:254]


def password_matches(user: User | None, password: str) -> bool:
    """Whether this is the member's password; as slow for no member as for a wrong password."""
    if user is None:
        spend_hashing_time(password)  # so that unknown names cannot be told apart by timing
        return False
    return user.check_password(password)


def authenticate(login: str, password: str) -> User | None:
    """The member whose credentials these are, or None (never saying which part was wrong)."""
    user = find_by_login(login)
    return user if password_matches(user, password) else None


def end_sessions(user: User) -> None:
    """Sign the member out of every session and remember-me cookie made so far (caller commits).

    The session and the remember-me cookie hold `get_id()`, "id:token"; a new token makes every
    earlier one fail in the user loader. A session that should go on is signed in again afterwards.
    """
    user.session_token = secrets.token_hex(8)


def set_new_password(user: User, password: str) -> None:
    """Set a new password (the rules of signing up) and end every session (caller commits)."""
    check_password(password, user.username)
    user.set_password(password)
    end_sessions(user)


def send_password_changed_notice(user: User) -> None:
    """Tell the member their password changed, so that they notice if it was not them."""
    site = current_app.config["SITE_NAME"]
    outbox.queue_account_mail(
        user,
        f"Your password for {site} was changed",
        f"Hello {user.username},\n\nThe password of your account on {site} was just changed, and every device "
        "signed in to it was signed out.\n\nIf that was you, there is nothing more to do. If it was not, reset "
        f"your password at once: {external_url_for('accounts.forgot_password')}\n",
    )


def user_by_session_id(session_id: str, *, with_bell: bool = False, with_profile: bool = False) -> User | None:
    """Flask-Login's loader: `id:token`, so that bumping the token signs out every session.

    with_bell: the signed-in member of this request; the header's notification count comes in the
    same query and is kept for the request (notifications.unread_count then reads no more).
    with_profile: the member's expert profile comes in that query too, for pages whose permissions
    ask for it (a join costs every other page a little, a query of its own costs these more).
    """
    user_id, _, token = (session_id or "").partition(":")
    if not user_id.isdigit() or len(user_id) > 18:
        return None
    if with_bell:
        row = db.session.execute(_member_with_bell(with_profile), {"member_id": int(user_id)}).first()
        user = row[0] if row else None
    else:
        user = db.session.get(User, int(user_id))
    if user is None or user.session_token != token or user.password_hash == "":
        return None
    if with_bell:
        notifications.remember_unread_count(row[1])
    return user


@functools.cache
def _member_with_bell(with_profile: bool):
    """Built once: building the statement costs more than running it."""
    member_id = bindparam("member_id")
    statement = select(User, notifications.unread_count_query(member_id)).where(User.id == member_id)
    return statement.options(joinedload(User.expert_profile)) if with_profile else statement


def spend_hashing_time(password: str) -> None:
    """Hash the password as signing in or opening an account would, and forget the result: a
    request that finds no account then takes as long as one that does."""
    User(password_hash=_DUMMY_HASH).check_password(password)


def _dummy_hash() -> str:
    u = User()
    u.set_password(secrets.token_hex(16))
    return u.password_hash


_DUMMY_HASH = _dummy_hash()
