"""The Reading control: the choice, its cookie, the account setting and the form's route."""
from __future__ import annotations

import re

import pytest

from forum.extensions import db
from forum.models import User
from forum.services.comfort import DEFAULT, ReadingChoice


def reading_cookie(response) -> str:
    """The Set-Cookie header for the `reading` cookie, or ""."""
    return next((c for c in response.headers.getlist("Set-Cookie") if c.startswith("reading=")), "")


def html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.get_data(as_text=True)).group(0)


def test_a_choice_round_trips_through_its_short_form():
    choice = ReadingChoice(150, "contrast", reduce_motion=True, wide_spacing=False)
    assert choice.encode() == "150.contrast.1.0"
    assert ReadingChoice.decode("150.contrast.1.0") == choice
    assert DEFAULT.encode() == "100.system.0.0" and DEFAULT.is_default


@pytest.mark.parametrize("raw", ["", "125", "999.dark.0.0", "125.neon.0.0", "125.dark.2.0", "125.dark.0.0.1", "x.dark.0.0", None, "125.dark.0.0\x00"])
def test_malformed_short_forms_are_refused(raw):
    assert ReadingChoice.decode(raw) is None


def test_pages_carry_the_default_choice(client, make_board):
    make_board()
    tag = html_tag(client.get("/"))
    assert 'data-theme="system"' in tag and 'data-text-size="100"' in tag
    assert "data-motion" not in tag and "data-spacing" not in tag


def test_every_page_has_the_reading_form(client):
    body = client.get("/signin").get_data(as_text=True)
    assert 'action="/reading"' in body and "Apply reading settings" in body
    # Visitors get no CSRF token from it, so their pages stay cacheable.
    assert "csrf_token" not in body.split('id="reading"')[1]


def test_a_visitor_choice_is_kept_in_the_reading_cookie(client):
    response = client.post("/reading", data={"size": "125", "theme": "dark", "reduce_motion": "y", "next": "/signin"})
    assert response.status_code == 302 and response.headers["Location"] == "/signin"
    cookie = reading_cookie(response)
    assert cookie.startswith("reading=125.dark.1.0;")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Max-Age=31536000" in cookie
    tag = html_tag(client.get("/signin"))
    assert 'data-theme="dark"' in tag and 'data-text-size="125"' in tag and 'data-motion="reduce"' in tag


def test_choosing_the_defaults_removes_the_cookie(client):
    client.set_cookie("reading", "200.dark.0.1")
    response = client.post("/reading", data={"size": "100", "theme": "system"})
    assert reading_cookie(response).startswith("reading=;") and "Max-Age=0" in reading_cookie(response)


def test_a_malformed_cookie_is_ignored(client):
    client.set_cookie("reading", "<script>.x.y.z")
    response = client.get("/signin")
    assert response.status_code == 200
    assert 'data-theme="system"' in html_tag(response)


@pytest.mark.parametrize("data", [{"size": "300", "theme": "dark"}, {"size": "125", "theme": "neon"}, {"size": "125\x00", "theme": "dark"}])
def test_invalid_choices_are_refused_and_nothing_is_kept(client, data):
    response = client.post("/reading", data=data)
    assert response.status_code == 422
    assert reading_cookie(response) == ""


def test_a_form_posted_from_another_site_is_refused(client):
    response = client.post("/reading", data={"size": "200", "theme": "dark"}, headers={"Origin": "https://elsewhere.example"})
    assert response.status_code == 403
    assert reading_cookie(response) == ""
    ok = client.post("/reading", data={"size": "200", "theme": "dark"}, headers={"Origin": "http://localhost"})
    assert ok.status_code == 302


@pytest.mark.parametrize("target", ["https://elsewhere.example/", "//elsewhere.example/x", "javascript:alert(1)", "/\\elsewhere.example", ""])
def test_it_only_goes_back_to_pages_of_this_site(client, target):
    response = client.post("/reading", data={"size": "125", "theme": "light", "next": target})
    assert response.headers["Location"] == "/"


def test_a_member_keeps_the_choice_on_the_account(client, login, member):
    login(member)
    response = client.post("/reading", data={"size": "200", "theme": "contrast", "wide_spacing": "y", "next": "/boards/x?page=2"})
    assert response.headers["Location"] == "/boards/x?page=2"
    db.session.expire_all()
    assert db.session.get(User, member.id).reading_preference == "200.contrast.0.1"
    # On another device (no cookie), the account's choice applies.
    client.delete_cookie("reading")
    tag = html_tag(client.get("/"))
    assert 'data-theme="contrast"' in tag and 'data-text-size="200"' in tag and 'data-spacing="wide"' in tag


def test_the_account_choice_wins_over_the_cookie(client, login, member):
    member.reading_preference = "150.light.0.0"
    db.session.commit()
    login(member)
    client.set_cookie("reading", "200.dark.0.0")
    tag = html_tag(client.get("/"))
    assert 'data-theme="light"' in tag and 'data-text-size="150"' in tag


def test_a_member_without_a_saved_choice_keeps_the_cookie(client, login, member):
    login(member)
    client.set_cookie("reading", "125.dark.0.0")
    tag = html_tag(client.get("/"))
    assert 'data-theme="dark"' in tag


def test_members_need_the_csrf_token(app, client, login, member):
    login(member)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post("/reading", data={"size": "200", "theme": "dark"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(User, member.id).reading_preference is None
