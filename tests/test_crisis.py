"""Crisis language: found in titles and bodies, any case, inside Markdown; the author gets help at
once; moderators get an "at_risk" flag; the post stays published unless holding is configured."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.models import ContentStatus, Post
from forum.services.crisis import DEFAULT_LINES, find_crisis_phrases
from forum.services.screening import screen_content

HELP_HEADING = "You are not alone"


@pytest.mark.parametrize(
    "title, body, phrase",
    [
        ("I want to end my life", "Nothing else in the body.", "end my life"),
        ("Bad week", "Some days I think about SUICIDE.", "suicide"),
        ("Bad week", "I Want To Die.", "want to die"),
        ("Bad week", "I *really* want to **kill** _myself_ today", "kill myself"),
        ("Bad week", "> I can\u2019t go on like this", "can't go on"),
        ("Bad week", "- first\n- I keep cutting myself\n- third", "cutting myself"),
        ("Bad week", "# Self-Harm\n\nagain", "self-harm"),
        ("Bad week", "[no reason to live](https://example.org)", "no reason to live"),
        ("Bad week", "I dont want to live anymore", "dont want to live"),
        ("Bad week", "`better off dead`", "better off dead"),
        ("Bad week", "I might hurt\nmyself", "hurt myself"),
    ],
)
def test_phrases_are_found_in_titles_and_markdown_bodies_in_any_case(db, title, body, phrase):
    assert phrase in [found.lower().replace("\u2019", "'") for found in find_crisis_phrases(title, body)]


@pytest.mark.parametrize(
    "body",
    [
        "My eyelid twitches all day; the injections help.",
        "I skilled myselfless volunteers",  # no whole-word match
        "Cutting my hair short helped with the heat.",
        "The diet did not kill my mood.",
    ],
)
def test_ordinary_posts_are_not_flagged(db, body):
    assert find_crisis_phrases("A normal title", body) == []


def test_screening_flags_at_risk_and_keeps_publishing(db, member, make_board):
    verdict = screen_content(member, make_board(), "Tired", "I cannot go on.")
    assert verdict.status is ContentStatus.PUBLISHED
    assert len(verdict.flags) == 1
    reason, note = verdict.flags[0]
    assert reason == "at_risk"
    assert "cannot go on" in note


def test_holding_is_an_admin_choice(app, db, member, make_board):
    app.config["CRISIS_HOLD"] = True
    try:
        verdict = screen_content(member, make_board(), "Tired", "I cannot go on.")
    finally:
        app.config["CRISIS_HOLD"] = False
    assert verdict.status is ContentStatus.HELD
    assert verdict.flags[0][0] == "at_risk"


def test_phrases_and_lines_are_configurable(app, db):
    app.config["CRISIS_PHRASES"] = ["lost all hope"]
    app.config["CRISIS_LINES"] = [{"name": "Local line", "contact": "0800 000 000"}]
    try:
        assert find_crisis_phrases(None, "I have LOST all hope") == ["lost all hope"]
        assert find_crisis_phrases(None, "I want to die") == []
        from forum.services.crisis import help_lines

        assert help_lines() == [{"name": "Local line", "contact": "0800 000 000", "note": "", "url": ""}]
    finally:
        app.config["CRISIS_PHRASES"] = None
        app.config["CRISIS_LINES"] = None


def test_author_sees_help_at_once_after_a_new_topic(client, login, member, other_member, make_board, db):
    board = make_board(slug="coping")
    login(member)
    response = client.post(f"/boards/{board.slug}/new", data={"title": "I can't do this anymore", "body": "Everything hurts."}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert HELP_HEADING in page
    assert "findahelpline.com" in page and "emergency number" in page
    # Still published, and shown once only.
    assert db.session.scalar(select(Post.status)) is ContentStatus.PUBLISHED
    assert HELP_HEADING not in client.get(response.request.path).get_data(as_text=True)
    # Other members never see it.
    login(other_member)
    assert HELP_HEADING not in client.get(response.request.path).get_data(as_text=True)


def test_author_sees_help_after_a_reply_and_an_edit(client, login, member, make_topic):
    topic = make_topic()
    login(member)
    page = client.post(f"/topics/{topic.id}/reply", data={"body": "Sometimes I want to **hurt myself**."}, follow_redirects=True)
    assert HELP_HEADING in page.get_data(as_text=True)
    post_id = max(p.id for p in [*client.application.extensions["sqlalchemy"].session.scalars(select(Post))])
    page = client.post(f"/posts/{post_id}/edit", data={"body": "I think about suicide."}, follow_redirects=True)
    assert HELP_HEADING in page.get_data(as_text=True)


def test_ordinary_post_shows_no_help_box(client, login, member, make_board):
    board = make_board(slug="coping")
    login(member)
    page = client.post(f"/boards/{board.slug}/new", data={"title": "Botox day", "body": "Went well."}, follow_redirects=True)
    assert HELP_HEADING not in page.get_data(as_text=True)


def test_held_post_still_gets_help(app, client, login, member, make_board):
    board = make_board(slug="coping")
    login(member)
    app.config["CRISIS_HOLD"] = True
    try:
        page = client.post(f"/boards/{board.slug}/new", data={"title": "No way out", "body": "..."}, follow_redirects=True)
    finally:
        app.config["CRISIS_HOLD"] = False
    text = page.get_data(as_text=True)
    assert HELP_HEADING in text and "waiting for a moderator" in text


def test_support_page_lists_the_lines(client):
    page = client.get("/support").get_data(as_text=True)
    for line in DEFAULT_LINES:
        assert line["name"].replace("&", "&amp;") in page
    assert "Find help now" in client.get("/").get_data(as_text=True)
