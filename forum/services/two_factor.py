"""Two-factor sign-in: time-based one-time codes (TOTP, RFC 6238, with pyotp) and recovery codes.

Setting up makes a secret that the member adds to an authenticator app; it is used only once a
code from the app confirms it. Sign-in then asks for a code after the password. A code is
accepted in its own 30-second step and one step either side (clocks drift), and only once: the
step of the last accepted code is kept, and no code of that step or an earlier one works again.

Ten recovery codes are made when two-factor sign-in is switched on, shown once, and kept only
as SHA-256 hashes: each has 80 random bits, so (as for API tokens) a fast hash is the right one.
Each works once. Moderators and admins must use two-factor sign-in when REQUIRE_2FA_FOR_STAFF is on.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime, timezone

import pyotp
from flask import current_app
from sqlalchemy import delete, func, or_, select, update

from forum.errors import Conflict, InvalidInput, NotAllowed, NotFound
from forum.models import RecoveryCode, TwoFactor, User, utcnow
from forum.models.base import db
from forum.services import accounts

RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"  # 32 symbols: 5 bits each, 16 of them
_TOTP_CODE = re.compile(r"^\d{6}$")
WRONG_CODE = "That code is not right. Use the newest 6-digit code from your app, or one of your recovery codes."


def state_for(user: User) -> TwoFactor | None:
    return db.session.get(TwoFactor, user.id)


def is_enabled(user: User) -> bool:
    row = state_for(user)
    return row is not None and row.enabled_at is not None


def required_for(user: User) -> bool:
    """Whether this member must use two-factor sign-in (staff, when the forum requires it)."""
    return bool(current_app.config.get("REQUIRE_2FA_FOR_STAFF")) and user.is_staff


def begin_setup(user: User) -> TwoFactor:
    """Make a new secret for the member to add to their app (caller commits)."""
    row = state_for(user)
    if row is not None and row.enabled_at is not None:
        raise Conflict("Two-factor sign-in is already on.")
    if row is None:
        row = TwoFactor(user_id=user.id, created_at=utcnow())
        db.session.add(row)
    row.secret, row.last_step = pyotp.random_base32(), None
    db.session.flush()
    return row


def provisioning_uri(row: TwoFactor, user: User) -> str:
    """The otpauth:// address an authenticator app reads (typed in, or as a QR code)."""
    return pyotp.TOTP(row.secret).provisioning_uri(name=user.username, issuer_name=current_app.config["SITE_NAME"])


def _normalise(code: str | None) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def _accept_totp(row: TwoFactor, code: str, now: datetime | None = None) -> bool:
    """Accept a code of the current step or one either side, once; record its step."""
    if not _TOTP_CODE.match(code):
        return False
    totp = pyotp.TOTP(row.secret)
    current = totp.timecode(now or datetime.now(timezone.utc))
    step = next((s for s in (current - 1, current, current + 1) if hmac.compare_digest(totp.generate_otp(s), code)), None)
    if step is None:
        return False
    # A conditional update: of two requests with the same code, only one finds the step unused.
    used = db.session.execute(
        update(TwoFactor)
        .where(TwoFactor.user_id == row.user_id, or_(TwoFactor.last_step.is_(None), TwoFactor.last_step < step))
        .values(last_step=step)
        .execution_options(synchronize_session=False)
    ).rowcount
    if used:
        db.session.expire(row, ["last_step"])
    return bool(used)


def _hash_recovery_code(code: str) -> str:
    return hashlib.sha256(_normalise(code).encode()).hexdigest()


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    now = utcnow()
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(16))
        codes.append("-".join(raw[i:i + 4] for i in range(0, 16, 4)))
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash_recovery_code(c), created_at=now) for c in codes)
    return codes


def confirm_setup(user: User, code: str) -> list[str]:
    """Switch two-factor sign-in on with a first code from the app; returns the recovery codes to show once.

    Every other session of the member is signed out (the caller signs this one in again and commits).
    """
    row = state_for(user)
    if row is None or row.enabled_at is not None:
        raise Conflict("There is no two-factor setup waiting for a code.")
    if not _accept_totp(row, _normalise(code)):
        raise InvalidInput("That code is not right. Check that your device's clock is correct and type the newest code.")
    row.enabled_at = utcnow()
    accounts.end_sessions(user)
    codes = _new_recovery_codes(user)
    db.session.flush()
    return codes


def verify_code(user: User, code: str | None) -> str | None:
    """Check a sign-in code: "totp" or "recovery" when accepted (and used up), None when not."""
    row = state_for(user)
    if row is None or row.enabled_at is None:
        return None
    code = _normalise(code)
    if _TOTP_CODE.match(code):
        return "totp" if _accept_totp(row, code) else None
    if not code or len(code) > 32:
        return None
    used = db.session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash_recovery_code(code), RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    return "recovery" if used else None


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(
        select(func.count()).select_from(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )


def disable(user: User, password: str, code: str) -> None:
    """Switch two-factor sign-in off, with the password and a current code (caller commits)."""
    row = state_for(user)
    if row is None or row.enabled_at is None:
        raise NotFound("Two-factor sign-in is not on.")
    if required_for(user):
        raise NotAllowed("Moderators and admins must keep two-factor sign-in on.")
    if not user.check_password(password or ""):
        raise InvalidInput("That is not your password.")
    if verify_code(user, code) is None:
        raise InvalidInput(WRONG_CODE)
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.delete(row)
    db.session.flush()


def export_facts(user: User) -> dict:
    """What the account export says about two-factor sign-in (never the secret nor the codes)."""
    row = state_for(user)
    enabled = row is not None and row.enabled_at is not None
    return {
        "enabled": enabled,
        "enabled_at": row.enabled_at.isoformat() if enabled else None,
        "recovery_codes_left": recovery_codes_left(user) if enabled else 0,
    }
