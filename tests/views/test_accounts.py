"""Signing up, in and out, and profiles."""
from __future__ import annotations

import re
import smtplib
import socket

import pytest
from sqlalchemy import func, select

from forum import jobs, mail
from forum.extensions import db
from forum.models import User
from forum.models.notification import OutboxMail
from forum.services import outbox, privacy
from tests.factories import PASSWORD

GOOD = {"username": "blinking_bea", "email": "bea@example.org", "password": "a long secret 1", "confirm": "a long secret 1"}


def _user_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


pytestmark = pytest.mark.usefixtures("sent_mail")


def test_sign_up_creates_a_member_who_then_signs_in(client):
    assert client.get("/signup").status_code == 200
    response = client.post("/signup", data=GOOD)
    assert response.status_code == 302 and response.headers["Location"] == "/signin"
    user = db.session.scalar(select(User))
    assert user.username == "blinking_bea" and user.email == "bea@example.org"
    assert user.password_hash.startswith("scrypt:")
    [message] = mail.sent_messages
    assert message["To"] == "bea@example.org" and "/confirm-email/" in message.get_content()
    # Not signed in by signing up (an address that has an account could not be): signing in works.
    assert "blinking_bea" not in client.get("/").get_data(as_text=True)
    assert client.post("/signin", data={"login": "blinking_bea", "password": GOOD["password"]}).status_code == 302
    assert "blinking_bea" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"username": "ab"}, "3 to 30 characters"),
        ({"username": "x" * 31}, "3 to 30 characters"),
        ({"username": "bad name"}, "3 to 30 characters"),
        ({"username": "émilie"}, "3 to 30 characters"),
        ({"username": ""}, "Please choose a username."),
        ({"email": "not-an-email"}, "valid email"),
        ({"email": ""}, "Please enter your email address."),
        ({"password": "short", "confirm": "short"}, "at least 10 characters"),
        ({"confirm": "something else"}, "do not match"),
        ({"password": "Blinking_Bea", "confirm": "Blinking_Bea"}, "cannot be your username"),
        ({"username": "nul\x00name"}, "NUL character"),
    ],
)
def test_sign_up_rules(client, changes, message):
    response = client.post("/signup", data={**GOOD, **changes})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _user_count() == 0


def test_username_is_unique_ignoring_case_and_email_is_unique(client, make_user):
    make_user(username="Blinking_Bea", email="first@example.org")
    # Usernames are public: a taken one is said to be taken.
    response = client.post("/signup", data={**GOOD, "email": "other@example.org"})
    assert response.status_code == 422 and b"already taken" in response.data
    # Addresses are private: no second account, but nothing on the page says so.
    response = client.post("/signup", data={**GOOD, "username": "someone_else", "email": "FIRST@example.org"})
    assert response.status_code == 302 and b"already exists" not in response.data
    assert _user_count() == 1


def _page_text(response) -> str:
    """The page as a visitor reads it, without the per-session CSRF token."""
    return re.sub(r'name="csrf_token"[^>]*', "", response.get_data(as_text=True))


def _sign_up_as(client, username: str, email: str):
    return client.post("/signup", data={**GOOD, "username": username, "email": email})


def test_sign_up_answers_the_same_for_a_known_and_an_unknown_address(app, client, make_user):
    owner = make_user(username="owner_olga", email="olga@example.org")
    known = _sign_up_as(client, "copy_cat", "OLGA@example.org")
    known_page = client.get(known.headers["Location"])
    unknown = _sign_up_as(client, "fresh_fay", "fay@example.org")
    unknown_page = client.get(unknown.headers["Location"])
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    assert known.get_data() == unknown.get_data()
    assert known_page.status_code == unknown_page.status_code == 200
    assert _page_text(known_page) == _page_text(unknown_page)
    assert "open the link in it" in _page_text(known_page)
    # No account was made for the known address, and its owner was told instead.
    assert db.session.scalar(select(User).where(User.username == "copy_cat")) is None
    to_owner = [m for m in mail.sent_messages if m["To"] == owner.email]
    assert len(to_owner) == 1
    body = to_owner[0].get_content()
    assert "Someone" in to_owner[0]["Subject"] and "no new account was made" in body
    assert "sign in as owner_olga" in body and "/signin" in body and "/password/forgot" in body
    assert "/confirm-email/" not in body and "/password/reset/" not in body  # nothing that acts for anyone


def test_sign_up_with_a_known_address_still_refuses_a_taken_username(client, make_user):
    make_user(username="owner_olga", email="olga@example.org")
    response = _sign_up_as(client, "Owner_Olga", "someone@example.org")
    assert response.status_code == 422 and b"already taken" in response.data
    assert mail.sent_messages == []


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens here once the socket is closed


@pytest.fixture
def smtp_down(app, monkeypatch):
    """MAIL_BACKEND=smtp at a closed port; background jobs are held back (as if a worker ran them
    later) and every SMTP connection attempt is counted."""
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", _closed_port())
    held: list[dict] = []
    monkeypatch.setattr(jobs, "_run_in_process", lambda app_, job: held.append(job))
    attempts: list[tuple] = []
    real_smtp = smtplib.SMTP

    def counting_smtp(*args, **kwargs):
        attempts.append(args)
        return real_smtp(*args, **kwargs)

    monkeypatch.setattr(smtplib, "SMTP", counting_smtp)
    return held, attempts


def test_no_mail_server_is_contacted_while_signing_up_or_asking_for_a_reset(client, make_user, smtp_down):
    held, attempts = smtp_down
    owner = make_user(username="owner_olga", email="olga@example.org")
    answers = {
        "sign-up known": _sign_up_as(client, "copy_cat", owner.email),
        "sign-up unknown": _sign_up_as(client, "fresh_fay", "fay@example.org"),
        "reset known": client.post("/password/forgot", data={"email": owner.email}),
        "reset unknown": client.post("/password/forgot", data={"email": "nobody@example.org"}),
    }
    assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(answers, 302)
    assert answers["sign-up known"].headers["Location"] == answers["sign-up unknown"].headers["Location"]
    assert answers["reset known"].headers["Location"] == answers["reset unknown"].headers["Location"]
    assert attempts == []  # no request talked to the mail server
    # Both reset requests did the same: hand the address to a job, which looks it up later.
    resets = [job for job in held if job["func"] == "forum.services.privacy.send_password_reset"]
    assert [job["args"] for job in resets] == [["olga@example.org"], ["nobody@example.org"]]
    assert {job["func"] for job in held} == {"forum.services.outbox.send_mail_job", "forum.services.privacy.send_password_reset"}
    # The worker's turn: the reset jobs queue mail for the known address only...
    for job in resets:
        privacy.send_password_reset(*job["args"])
    db.session.commit()
    queued = db.session.scalars(select(OutboxMail).order_by(OutboxMail.id)).all()
    assert [(m.to_address, m.kind) for m in queued] == [
        ("olga@example.org", "account"), ("fay@example.org", "account"), ("olga@example.org", "account"),
    ]
    assert "/password/reset/" in queued[2].body
    # ...and the mail server is down, so each message waits for another attempt.
    assert outbox.send_mail_job() == 0
    assert len(attempts) == 3
    db.session.expire_all()
    assert all(m.attempts == 1 and m.sent_at is None and m.failed_at is None for m in db.session.scalars(select(OutboxMail)))


def test_sign_in_with_username_or_email_and_remember_me(client, make_user):
    make_user(username="left_side_lou", email="lou@example.org")
    response = client.post("/signin", data={"login": "LEFT_SIDE_LOU", "password": PASSWORD})
    assert response.status_code == 302
    assert not any(c.key == "remember_token" for c in client._cookies.values())
    client.post("/signout")
    response = client.post("/signin", data={"login": "lou@example.org", "password": PASSWORD, "remember": "y"})
    assert response.status_code == 302
    assert any(c.key == "remember_token" for c in client._cookies.values())


def test_sign_in_failure_does_not_say_which_part_was_wrong(client, make_user):
    make_user(username="left_side_lou")
    wrong_password = client.post("/signin", data={"login": "left_side_lou", "password": "not the password"})
    unknown_name = client.post("/signin", data={"login": "nobody_here", "password": "not the password"})
    assert wrong_password.status_code == unknown_name.status_code == 422
    message = "That username or email and password do not match an account."
    assert message in wrong_password.get_data(as_text=True)
    assert message in unknown_name.get_data(as_text=True)


def test_sign_in_redirects_only_to_local_next(client, make_user):
    make_user(username="left_side_lou")
    ok = client.post("/signin?next=/boards/coping", data={"login": "left_side_lou", "password": PASSWORD})
    assert ok.headers["Location"] == "/boards/coping"
    client.post("/signout")
    evil = client.post("/signin?next=https://evil.example/", data={"login": "left_side_lou", "password": PASSWORD})
    assert evil.headers["Location"] == "/"


def test_sign_out_is_a_post(client, login, member):
    login(member)
    assert client.get("/signout").status_code == 405
    assert client.post("/signout").status_code == 302
    assert b"Sign in" in client.get("/").data


def test_profile_shows_pseudonym_role_join_date_and_post_count_never_email(client, make_topic, make_user):
    user = make_user(username="rose_tint_rita", email="rita.private@example.org")
    make_topic(author=user)
    html = client.get("/users/rose_tint_rita").get_data(as_text=True)
    assert "<h1>rose_tint_rita" in html
    assert "Member" in html and "Joined" in html
    assert "<dt>Posts</dt><dd>1</dd>" in html
    assert "rita.private" not in html and "example.org" not in html


def test_profile_lookup_ignores_case_and_unknown_is_404(client, make_user):
    make_user(username="rose_tint_rita")
    assert client.get("/users/ROSE_TINT_RITA").status_code == 200
    assert client.get("/users/nobody").status_code == 404


def test_email_never_appears_on_any_page_for_others(client, login, make_topic, make_user, other_member):
    author = make_user(username="quiet_kai", email="kai.secret@example.org")
    topic = make_topic(author=author)
    login(other_member)
    for path in ["/", f"/topics/{topic.id}", "/users/quiet_kai"]:
        assert "kai.secret" not in client.get(path).get_data(as_text=True)
