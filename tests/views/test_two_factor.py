"""Two-factor sign-in: setting it up, signing in with a code or a recovery code, wrong and
replayed codes, the slow-down after failures, staff who must use it, and turning it off."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pyotp
import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import RecoveryCode, Role, TwoFactor
from forum.services import two_factor
from tests.factories import PASSWORD


def _code(secret: str, steps_ago: int = 0) -> str:
    return pyotp.TOTP(secret).at(datetime.now(timezone.utc) - timedelta(seconds=30 * steps_ago))


def _enable(client, login, user) -> tuple[str, list[str]]:
    """Switch two-factor sign-in on through the pages; returns the secret and the recovery codes."""
    login(user)
    assert client.post("/settings/two-factor/setup").status_code == 302
    page = client.get("/settings/two-factor").get_data(as_text=True)
    secret = db.session.get(TwoFactor, user.id).secret
    assert " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)) in page
    assert "otpauth://totp/" in page and f"secret={secret}" in page
    response = client.post("/settings/two-factor/confirm", data={"code": _code(secret, steps_ago=1)})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    codes = re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})</code>", response.get_data(as_text=True))
    assert len(codes) == 10 and len(set(codes)) == 10
    client.post("/signout")
    return secret, codes


def _password_step(client, user, remember: bool = False):
    data = {"login": user.username, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    return client.post("/signin?next=/bookmarks", data=data)


def _signed_in_as(client) -> str | None:
    with client.session_transaction() as session:
        return session.get("_user_id")


# --- Setting up -----------------------------------------------------------------------------------


def test_enabling_shows_the_key_then_needs_a_code_and_keeps_codes_hashed(client, login, member):
    login(member)
    assert client.post("/settings/two-factor/setup").status_code == 302
    row = db.session.get(TwoFactor, member.id)
    assert row.enabled_at is None and len(row.secret) >= 16
    wrong = client.post("/settings/two-factor/confirm", data={"code": "000000" if _code(row.secret) != "000000" else "111111"})
    assert wrong.status_code == 422 and "not right" in wrong.get_data(as_text=True)
    assert db.session.get(TwoFactor, member.id).enabled_at is None
    # Still signed in, until the sign-out in _enable.
    secret, codes = _enable(client, login, member)
    row = db.session.get(TwoFactor, member.id)
    assert row.enabled_at is not None and row.enabled_at.tzinfo is not None
    stored = list(db.session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == member.id)))
    assert len(stored) == 10 and not any(code in stored or code.replace("-", "") in stored for code in codes)
    login(member)
    page = client.get("/settings/two-factor").get_data(as_text=True)
    assert "It is on" in page and "10 unused recovery codes" in page and secret not in page
    assert not any(code in page for code in codes)  # shown once only


def test_enabling_signs_out_other_sessions_but_not_this_one(client, app, login, member):
    login(member)
    old_id = member.get_id()
    client.post("/settings/two-factor/setup")
    secret = db.session.get(TwoFactor, member.id).secret
    client.post("/settings/two-factor/confirm", data={"code": _code(secret)})
    assert _signed_in_as(client) != old_id
    assert client.get("/settings/two-factor").status_code == 200  # this session goes on
    other = app.test_client()
    with other.session_transaction() as session:
        session["_user_id"], session["_fresh"] = old_id, True
    assert client.get("/drafts").status_code == 200
    assert other.get("/drafts").status_code == 302  # the other device was signed out


def test_setting_up_again_is_refused_once_on(client, login, member):
    _enable(client, login, member)
    login(member)
    assert client.post("/settings/two-factor/setup").status_code == 409


# --- Signing in -----------------------------------------------------------------------------------


def test_sign_in_asks_for_the_code_after_the_password(client, login, member):
    secret, _ = _enable(client, login, member)
    response = _password_step(client, member)
    assert response.status_code == 302 and response.headers["Location"].endswith("/signin/code")
    assert _signed_in_as(client) is None  # not signed in until the code passes
    assert client.get("/drafts").status_code == 302
    assert client.get("/signin/code").status_code == 200
    response = client.post("/signin/code", data={"code": _code(secret)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/bookmarks")
    assert _signed_in_as(client) == db.session.get(type(member), member.id).get_id()


def test_remember_me_waits_for_the_code(client, login, member):
    secret, _ = _enable(client, login, member)
    response = _password_step(client, member, remember=True)
    assert "remember_token" not in " ".join(response.headers.getlist("Set-Cookie"))
    response = client.post("/signin/code", data={"code": _code(secret)})
    assert "remember_token=" in " ".join(response.headers.getlist("Set-Cookie"))


def test_a_wrong_code_does_not_sign_in(client, login, member):
    secret, _ = _enable(client, login, member)
    _password_step(client, member)
    wrong = "123456" if _code(secret) != "123456" and _code(secret, 1) != "123456" else "654321"
    for code in (wrong, "abc", "1234567", "x" * 40):
        response = client.post("/signin/code", data={"code": code})
        assert response.status_code == 422, code
        assert _signed_in_as(client) is None
    assert client.post("/signin/code", data={"code": "x" * 41}).status_code == 422


def test_a_code_works_once_even_within_its_window(client, login, member):
    secret, _ = _enable(client, login, member)
    code = _code(secret)
    _password_step(client, member)
    assert client.post("/signin/code", data={"code": code}).status_code == 302
    client.post("/signout")
    _password_step(client, member)
    assert client.post("/signin/code", data={"code": code}).status_code == 422  # replayed
    assert client.post("/signin/code", data={"code": _code(secret, steps_ago=1)}).status_code == 422  # older
    assert _signed_in_as(client) is None


def test_a_recovery_code_signs_in_once(client, login, member):
    _, codes = _enable(client, login, member)
    _password_step(client, member)
    response = client.post("/signin/code", data={"code": f"  {codes[3].upper()} "}, follow_redirects=True)
    assert response.status_code == 200 and "9 left" in response.get_data(as_text=True)
    client.post("/signout")
    _password_step(client, member)
    assert client.post("/signin/code", data={"code": codes[3]}).status_code == 422
    assert client.post("/signin/code", data={"code": codes[4].replace("-", "")}).status_code == 302
    assert two_factor.recovery_codes_left(member) == 8


def test_the_code_step_needs_the_password_step_first_and_expires(client, login, member):
    secret, _ = _enable(client, login, member)
    response = client.post("/signin/code", data={"code": _code(secret)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/signin")
    _password_step(client, member)
    from forum.accounts.views import PENDING_KEY, PENDING_SECONDS

    with client.session_transaction() as session:  # the password step was a little too long ago
        session[PENDING_KEY] = dict(session[PENDING_KEY], since=session[PENDING_KEY]["since"] - PENDING_SECONDS - 1)
    response = client.post("/signin/code", data={"code": _code(secret)})
    assert response.headers["Location"].endswith("/signin") and _signed_in_as(client) is None


def test_a_password_change_ends_a_half_finished_sign_in(client, login, member):
    secret, _ = _enable(client, login, member)
    _password_step(client, member)
    member.session_token = "changed"
    db.session.commit()
    response = client.post("/signin/code", data={"code": _code(secret)})
    assert response.headers["Location"].endswith("/signin") and _signed_in_as(client) is None


def test_wrong_codes_count_toward_the_sign_in_slow_down(client, login, member, rate_limits_enabled, app):
    app.config["SIGN_IN_FAILURE_LIMITS"] = {"account": "3 per 15 minutes", "address": "100 per 15 minutes"}
    try:
        secret, _ = _enable(client, login, member)
        _password_step(client, member)
        wrong = "123456" if _code(secret) != "123456" and _code(secret, 1) != "123456" else "654321"
        for _ in range(3):
            assert client.post("/signin/code", data={"code": wrong}).status_code == 422
        slowed = client.post("/signin/code", data={"code": _code(secret)})
        assert slowed.status_code == 429 and int(slowed.headers["Retry-After"]) > 0
        assert _signed_in_as(client) is None
        # The password step of the same account is slowed down too.
        assert _password_step(client, member).status_code == 429
    finally:
        app.config.pop("SIGN_IN_FAILURE_LIMITS", None)


# --- Staff must use it ----------------------------------------------------------------------------


@pytest.fixture
def staff_required(app):
    app.config["REQUIRE_2FA_FOR_STAFF"] = True
    yield
    app.config["REQUIRE_2FA_FOR_STAFF"] = False


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.ADMIN])
def test_staff_without_it_are_sent_to_set_it_up_first(client, login, make_user, role, staff_required):
    user = make_user(role=role)
    login(user)
    for url in ("/mod", "/mod/log", "/", "/drafts"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].endswith("/settings/two-factor"), url
    assert "you need two-factor sign-in" in client.get("/settings/two-factor").get_data(as_text=True)
    _enable(client, login, user)
    login(db.session.get(type(user), user.id))
    assert client.get("/mod").status_code == 200


def test_staff_signed_in_only_by_the_remember_cookie_are_sent_too(client, moderator, staff_required):
    response = client.post("/signin", data={"login": moderator.username, "password": PASSWORD, "remember": "y"})
    assert response.status_code == 302
    client.delete_cookie("session")  # the browser was closed: only the remember cookie is left
    response = client.get("/drafts")
    assert response.status_code == 302 and response.headers["Location"].endswith("/settings/two-factor")


def test_visitors_who_are_not_signed_in_are_not_sent_anywhere(client, staff_required):
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("role", [Role.MEMBER, Role.EXPERT])
def test_other_members_are_not_sent_anywhere(client, login, make_user, role, staff_required):
    login(make_user(role=role))
    assert client.get("/drafts").status_code == 200


def test_staff_cannot_turn_it_off_while_required(client, login, moderator, staff_required):
    secret, _ = _enable(client, login, moderator)
    login(db.session.get(type(moderator), moderator.id))
    response = client.post("/settings/two-factor/disable", data={"password": PASSWORD, "code": _code(secret)})
    assert response.status_code == 403
    assert two_factor.is_enabled(moderator)


def test_staff_need_no_setup_when_not_required(client, login, moderator):
    login(moderator)
    assert client.get("/mod").status_code == 200


def test_required_by_default_in_production_but_not_in_development():
    from config import Config, DevelopmentConfig, TestingConfig

    assert Config.REQUIRE_2FA_FOR_STAFF is True
    assert DevelopmentConfig.REQUIRE_2FA_FOR_STAFF is False and TestingConfig.REQUIRE_2FA_FOR_STAFF is False


# --- Turning it off -------------------------------------------------------------------------------


def test_disabling_needs_the_password_and_a_code(client, login, member):
    secret, codes = _enable(client, login, member)
    login(db.session.get(type(member), member.id))
    assert client.post("/settings/two-factor/disable", data={"password": "wrong-password", "code": _code(secret)}).status_code == 422
    assert client.post("/settings/two-factor/disable", data={"password": PASSWORD, "code": "not-a-code"}).status_code == 422
    assert two_factor.is_enabled(member)
    response = client.post("/settings/two-factor/disable", data={"password": PASSWORD, "code": codes[0]})
    assert response.status_code == 302
    assert db.session.get(TwoFactor, member.id) is None
    assert db.session.scalar(select(func.count()).select_from(RecoveryCode).where(RecoveryCode.user_id == member.id)) == 0
    client.post("/signout")
    response = _password_step(client, member)
    assert response.headers["Location"].endswith("/bookmarks")  # a password alone again
    assert client.post("/settings/two-factor/disable", data={"password": PASSWORD, "code": "123456"}).status_code == 404


# --- Privacy --------------------------------------------------------------------------------------


def test_export_says_whether_it_is_on_but_holds_no_secret(client, login, member):
    secret, codes = _enable(client, login, member)
    login(db.session.get(type(member), member.id))
    text = client.get("/settings/export").get_data(as_text=True)
    assert '"two_factor"' in text and '"enabled": true' in text and '"recovery_codes_left": 10' in text
    assert secret not in text and not any(code in text for code in codes)
    for row_hash in db.session.scalars(select(RecoveryCode.code_hash)):
        assert row_hash not in text
