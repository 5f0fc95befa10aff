"""Passwords, sign-in errors, session renewal and cookie flags."""
from __future__ import annotations

import re
from http.cookies import SimpleCookie

import pytest

from config import ProductionConfig
from forum import create_app
from forum.extensions import db
from forum.services import accounts
from tests.factories import PASSWORD


def set_cookies(response) -> dict[str, str]:
    """name -> the raw Set-Cookie header for that cookie."""
    cookies = {}
    for header in response.headers.getlist("Set-Cookie"):
        cookies[header.split("=", 1)[0]] = header
    return cookies


def test_passwords_are_hashed_with_scrypt(make_user):
    user = make_user(username="hash_hana")
    assert user.password_hash.startswith("scrypt:")
    assert PASSWORD not in user.password_hash
    assert user.check_password(PASSWORD)
    assert not user.check_password(PASSWORD + "x")
    assert accounts.authenticate("hash_hana", PASSWORD) is user


def _error_text(response) -> str:
    html = response.get_data(as_text=True)
    return " ".join(re.findall(r'<p class="error"[^>]*>(.*?)</p>', html, re.S))


def test_sign_in_errors_never_say_which_part_was_wrong(client, make_user):
    make_user(username="known_kim")
    wrong_password = client.post("/signin", data={"login": "known_kim", "password": "not-the-password"})
    unknown_name = client.post("/signin", data={"login": "unknown_ula", "password": "not-the-password"})
    unknown_email = client.post("/signin", data={"login": "nobody@example.org", "password": "not-the-password"})
    assert wrong_password.status_code == unknown_name.status_code == unknown_email.status_code == 422
    assert _error_text(wrong_password) == _error_text(unknown_name) == _error_text(unknown_email)
    assert "do not match" in _error_text(wrong_password)
    for response in (wrong_password, unknown_name):
        text = response.get_data(as_text=True).lower()
        assert "unknown user" not in text and "wrong password" not in text and "no account" not in text


def test_session_is_renewed_on_sign_in(client, make_user):
    make_user(username="renew_rui")
    client.get("/signin")
    with client.session_transaction() as session:
        session["planted"] = "set before signing in"
        before_token = session.get("csrf_token")
    before_cookie = client.get_cookie("session").value
    response = client.post("/signin", data={"login": "renew_rui", "password": PASSWORD})
    assert response.status_code == 302
    after_cookie = client.get_cookie("session").value
    assert after_cookie != before_cookie
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("csrf_token") != before_token or before_token is None
        assert session["_user_id"].startswith(str(accounts.find_by_login("renew_rui").id) + ":")


def test_signing_in_replaces_a_session_set_by_someone_else(client, make_user):
    """Session fixation: a session prepared by an attacker is not the one that gets signed in."""
    make_user(username="fix_fay")
    with client.session_transaction() as session:
        session["csrf_token"] = "attacker-known-value"
    client.post("/signin", data={"login": "fix_fay", "password": PASSWORD})
    with client.session_transaction() as session:
        assert session.get("csrf_token") != "attacker-known-value"


def test_cookies_are_httponly_and_lax(client, make_user):
    make_user(username="cookie_cai")
    response = client.post("/signin", data={"login": "cookie_cai", "password": PASSWORD, "remember": "y"})
    cookies = set_cookies(response)
    for name in ("session", "remember_token"):
        assert name in cookies, cookies
        assert "HttpOnly" in cookies[name]
        assert "SameSite=Lax" in cookies[name]
        assert "Secure" not in cookies[name]  # development and tests run over plain HTTP


@pytest.fixture
def production_app(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "p" * 40)
    app = create_app(
        ProductionConfig,
        SECRET_KEY="p" * 40,
        SITE_URL="https://forum.example",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'production.db'}",
        RATELIMIT_ENABLED=False,
        MAIL_BACKEND="log",
    )
    with app.app_context():
        db.create_all()
        accounts.create_user("prod_pia", "pia@example.org", PASSWORD)
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_cookies_are_secure_in_production(production_app):
    client = production_app.test_client()
    page = client.get("/signin", base_url="https://forum.example").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post(
        "/signin",
        data={"login": "prod_pia", "password": PASSWORD, "remember": "y", "csrf_token": token},
        base_url="https://forum.example",
        headers={"Referer": "https://forum.example/signin"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    cookies = set_cookies(response)
    for name in ("session", "remember_token"):
        assert "Secure" in cookies[name] and "HttpOnly" in cookies[name] and "SameSite=Lax" in cookies[name]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_production_hashes_with_scrypt_full_work_factor(production_app):
    """Tests use a small scrypt work factor for speed; production uses werkzeug's full one."""
    from sqlalchemy import select

    from forum.models import User

    with production_app.app_context():
        user = db.session.scalar(select(User).where(User.username == "prod_pia"))
        assert user.password_hash.startswith("scrypt:32768:8:1$")


# --- Sessions end on sign-out, password change and "Sign out everywhere" ---------------------------


def _signed_in(app, password: str = PASSWORD, login: str = "copied_cy"):
    """A browser signed in with "Remember me" (a fresh test client)."""
    browser = app.test_client()
    response = browser.post("/signin", data={"login": login, "password": password, "remember": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return browser


def _copy(app, browser, *names: str):
    """Another browser holding copies of these cookies of `browser` (stolen, say)."""
    thief = app.test_client()
    for name in names:
        thief.set_cookie(name, browser.get_cookie(name).value)
    return thief


def _is_signed_in(browser) -> bool:
    response = browser.get("/settings")
    assert response.status_code in (200, 302)
    return response.status_code == 200


@pytest.fixture
def copied_cy(make_user):
    return make_user(username="copied_cy", email="cy@example.org")


def test_signing_out_ends_copies_of_the_session_and_remember_cookies(app, copied_cy):
    browser = _signed_in(app)
    session_copy = _copy(app, browser, "session")
    remember_copy = _copy(app, browser, "remember_token")
    assert _is_signed_in(session_copy)
    browser.post("/signout")
    assert not _is_signed_in(browser)  # the remember-me cookie does not sign this browser back in
    assert not _is_signed_in(session_copy)
    assert not _is_signed_in(remember_copy)
    assert not _is_signed_in(_copy(app, browser, "session"))


def test_a_password_change_keeps_this_session_and_ends_the_others(app, copied_cy):
    from forum import mail

    browser = _signed_in(app)
    session_copy = _copy(app, browser, "session")
    remember_copy = _copy(app, browser, "remember_token")
    mail.sent_messages.clear()
    response = browser.post("/settings/password", data={
        "current_password": PASSWORD, "new_password": "a brand new secret", "confirm_password": "a brand new secret",
    })
    assert response.status_code == 302
    assert _is_signed_in(browser)
    # Its remember-me cookie was issued again and works on its own.
    assert _is_signed_in(_copy(app, browser, "remember_token"))
    assert not _is_signed_in(session_copy) and not _is_signed_in(remember_copy)
    assert accounts.authenticate("copied_cy", "a brand new secret") is not None
    notice = [m for m in mail.sent_messages if m["To"] == "cy@example.org"]
    assert len(notice) == 1 and "password" in notice[0]["Subject"].lower()


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"current_password": "not my password"}, "not your current password"),
        ({"new_password": "short", "confirm_password": "short"}, "at least 10 characters"),
        ({"confirm_password": "something else"}, "do not match"),
    ],
)
def test_a_password_change_needs_the_current_password_and_the_rules(app, copied_cy, changes, message):
    browser = _signed_in(app)
    token = copied_cy.session_token
    data = {"current_password": PASSWORD, "new_password": "a brand new secret", "confirm_password": "a brand new secret"}
    response = browser.post("/settings/password", data={**data, **changes})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    db.session.refresh(copied_cy)
    assert copied_cy.check_password(PASSWORD) and copied_cy.session_token == token


def test_sign_out_everywhere_from_another_session(app, copied_cy):
    laptop = _signed_in(app)
    phone = _signed_in(app)
    stolen = _copy(app, laptop, "remember_token")
    response = phone.post("/settings/sign-out-everywhere")
    assert response.status_code == 302
    assert _is_signed_in(phone)
    assert not _is_signed_in(laptop) and not _is_signed_in(stolen)


def test_the_settings_page_offers_the_account_forms(client, login, copied_cy):
    login(copied_cy)
    html = client.get("/settings").get_data(as_text=True)
    for action in ("/settings/password", "/settings/email", "/settings/sign-out-everywhere"):
        assert f'action="{action}"' in html


def test_remember_me_lasts_a_month_at_most(app, copied_cy):
    from datetime import datetime, timedelta, timezone
    from email.utils import parsedate_to_datetime

    assert app.config["REMEMBER_COOKIE_DURATION"] <= timedelta(days=30)
    response = app.test_client().post("/signin", data={"login": "copied_cy", "password": PASSWORD, "remember": "y"})
    expires = re.search(r"Expires=([^;]+)", set_cookies(response)["remember_token"]).group(1)
    assert parsedate_to_datetime(expires) <= datetime.now(timezone.utc) + timedelta(days=30, minutes=1)
