"""Signing up, in and out, and profiles."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import User
from tests.factories import PASSWORD

GOOD = {"username": "blinking_bea", "email": "bea@example.org", "password": "a long secret 1", "confirm": "a long secret 1"}


def _user_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_sign_up_creates_a_member_and_signs_in(client):
    assert client.get("/signup").status_code == 200
    response = client.post("/signup", data=GOOD)
    assert response.status_code == 302
    user = db.session.scalar(select(User))
    assert user.username == "blinking_bea" and user.email == "bea@example.org"
    assert user.password_hash.startswith("scrypt:")
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
    response = client.post("/signup", data={**GOOD, "email": "other@example.org"})
    assert response.status_code == 422 and b"already taken" in response.data
    response = client.post("/signup", data={**GOOD, "username": "someone_else", "email": "FIRST@example.org"})
    assert response.status_code == 422 and b"already exists" in response.data
    assert _user_count() == 1


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
