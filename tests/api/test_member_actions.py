"""Reporting, watching and the data export through the API: the same services as the pages."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Post, Report, ReportStatus, utcnow
from forum.models.watching import BoardWatch, TopicWatch, WatchLevel
from forum.services import moderation, privacy


@pytest.fixture
def writer(member, make_token, bearer):
    return bearer(make_token(member, "read write"))



# ---------------------------------------------------------------- reports

def test_report_a_post_opens_a_queue_entry(client, member, make_post, writer):
    post = make_post(body="Buy cheap pills here")
    response = client.post(f"/api/v1/posts/{post.id}/report", json={"reason": "spam", "note": "An advert"}, headers=writer)
    assert response.status_code == 201
    assert response.json["target_type"] == "post" and response.json["target_id"] == post.id
    assert response.json["reason"] == "spam" and response.json["status"] == "open" and response.json["note"] == "An advert"
    report = db.session.get(Report, response.json["id"])
    assert report.reporter_id == member.id
    assert moderation.pending_entry(report.target_type, post.id) is not None


def test_report_a_topic_reports_its_opening_post(client, make_topic, writer):
    topic = make_topic()
    response = client.post(f"/api/v1/topics/{topic.id}/report", json={"reason": "harassment"}, headers=writer)
    assert response.status_code == 201
    first = db.session.scalar(select(Post.id).where(Post.topic_id == topic.id, Post.number == 1))
    assert response.json["target_id"] == first


def test_reporting_twice_is_a_conflict(problem, client, make_post, writer):
    post = make_post()
    assert client.post(f"/api/v1/posts/{post.id}/report", json={"reason": "spam"}, headers=writer).status_code == 201
    problem = problem(client.post(f"/api/v1/posts/{post.id}/report", json={"reason": "other", "note": "again"}, headers=writer), 409, "conflict")
    assert "already reported" in problem["detail"]
    assert db.session.scalar(select(func.count()).select_from(Report)) == 1


@pytest.mark.parametrize("body, pointer", [
    ({"reason": "boring"}, "/reason"),
    ({"reason": 3}, "/reason"),
    ({}, "/reason"),
    ({"reason": "other"}, "/note"),
    ({"reason": "other", "note": "   "}, "/note"),
    ({"reason": "spam", "note": "x" * 1001}, "/note"),
    ({"reason": "spam", "note": 12}, "/note"),
    ({"reason": "spam", "note": "a\x00b"}, "/note"),
    ({"reason": "spam", "note": "a\x07b"}, "/note"),
    ({"reason": "spam", "extra": 1}, "/extra"),
])
def test_report_bad_input(problem, client, make_post, writer, body, pointer):
    post = make_post()
    problem = problem(client.post(f"/api/v1/posts/{post.id}/report", json=body, headers=writer), 422, "validation-error")
    assert pointer in [e["pointer"] for e in problem["errors"]]
    assert db.session.scalar(select(func.count()).select_from(Report)) == 0


def test_report_malformed_json(client, make_post, writer):
    post = make_post()
    response = client.post(f"/api/v1/posts/{post.id}/report", data="{reason:", headers={**writer, "Content-Type": "application/json"})
    assert response.status_code in (400, 422) and response.mimetype == "application/problem+json"


def test_report_refusals(problem, client, member, make_post, make_token, bearer, writer, moderator):
    own = make_post(author=member)
    problem(client.post(f"/api/v1/posts/{own.id}/report", json={"reason": "spam"}, headers=writer), 403, "forbidden")
    problem(client.post("/api/v1/posts/999999/report", json={"reason": "spam"}, headers=writer), 404)
    problem(client.post("/api/v1/topics/999999/report", json={"reason": "spam"}, headers=writer), 404)
    theirs = make_post()
    problem(client.post(f"/api/v1/posts/{theirs.id}/report", json={"reason": "spam"}), 401, "unauthenticated")
    reader = bearer(make_token(member, "read", name="reader"))
    problem(client.post(f"/api/v1/posts/{theirs.id}/report", json={"reason": "spam"}, headers=reader), 403, "insufficient-scope")
    # A hidden post cannot be seen, so it cannot be reported.
    moderation.hide_post(theirs, moderator, "Off topic")
    db.session.commit()
    problem(client.post(f"/api/v1/posts/{theirs.id}/report", json={"reason": "spam"}, headers=writer), 404)


def test_suspended_member_cannot_report(problem, client, make_user, make_post, make_token, bearer):
    suspended = make_user(suspended_until=utcnow() + timedelta(days=3))
    post = make_post()
    response = client.post(f"/api/v1/posts/{post.id}/report", json={"reason": "spam"}, headers=bearer(make_token(suspended, "write")))
    assert problem(response, 403)["detail"].startswith("Your account is suspended")


# ---------------------------------------------------------------- watches

def test_watch_mute_and_unwatch_a_topic(client, member, make_topic, writer):
    topic = make_topic()
    watched = client.put(f"/api/v1/me/watches/topics/{topic.id}", json={"level": "watching"}, headers=writer)
    assert watched.status_code == 200 and watched.json["level"] == "watching" and watched.json["topic"]["id"] == topic.id
    muted = client.put(f"/api/v1/me/watches/topics/{topic.id}", json={"level": "muted"}, headers=writer)
    assert muted.json["level"] == "muted"
    assert db.session.get(TopicWatch, (member.id, topic.id)).level is WatchLevel.MUTED
    listed = client.get("/api/v1/me/watches/topics", headers=writer).json
    assert [(w["topic"]["id"], w["level"]) for w in listed["items"]] == [(topic.id, "muted")]
    assert client.delete(f"/api/v1/me/watches/topics/{topic.id}", headers=writer).status_code == 204
    assert db.session.get(TopicWatch, (member.id, topic.id)) is None
    assert client.delete(f"/api/v1/me/watches/topics/{topic.id}", headers=writer).status_code == 204  # idempotent


def test_watch_and_mute_a_board(client, member, make_board, writer):
    board = make_board(slug="daily-life")
    response = client.put(f"/api/v1/me/watches/boards/{board.slug}", json={"level": "watching"}, headers=writer)
    assert response.status_code == 200 and response.json["board"]["slug"] == "daily-life"
    assert client.get("/api/v1/me/watches/boards", headers=writer).json["items"][0]["level"] == "watching"
    assert client.delete(f"/api/v1/me/watches/boards/{board.slug}", headers=writer).status_code == 204
    assert db.session.get(BoardWatch, (member.id, board.id)) is None
    assert client.get("/api/v1/me/watches/boards", headers=writer).json == {"items": []}


def test_watch_list_pages_and_leaves_out_hidden_topics(client, member, make_topic, moderator, writer):
    topics = [make_topic() for _ in range(3)]
    for topic in topics:
        client.put(f"/api/v1/me/watches/topics/{topic.id}", json={"level": "watching"}, headers=writer)
    first = client.get("/api/v1/me/watches/topics?limit=2", headers=writer).json
    assert [w["topic"]["id"] for w in first["items"]] == [topics[2].id, topics[1].id]
    rest = client.get(f"/api/v1/me/watches/topics?limit=2&cursor={first['next_cursor']}", headers=writer).json
    assert [w["topic"]["id"] for w in rest["items"]] == [topics[0].id] and rest["next_cursor"] is None
    opening = db.session.scalar(select(Post).where(Post.topic_id == topics[2].id, Post.number == 1))
    moderation.hide_post(opening, moderator, "Off topic")
    db.session.commit()
    assert topics[2].id not in [w["topic"]["id"] for w in client.get("/api/v1/me/watches/topics", headers=writer).json["items"]]


@pytest.mark.parametrize("body", [{}, {"level": "normal"}, {"level": "WATCHING"}, {"level": 1}, {"level": "muted", "x": 1}, []])
def test_watch_bad_input(problem, client, make_topic, make_board, writer, body):
    topic, board = make_topic(), make_board()
    problem(client.put(f"/api/v1/me/watches/topics/{topic.id}", json=body, headers=writer), 422, "validation-error")
    problem(client.put(f"/api/v1/me/watches/boards/{board.slug}", json=body, headers=writer), 422, "validation-error")


def test_watch_unknown_or_invisible(problem, client, make_topic, moderator, writer):
    problem(client.put("/api/v1/me/watches/topics/999999", json={"level": "muted"}, headers=writer), 404)
    problem(client.put("/api/v1/me/watches/boards/no-such-board", json={"level": "muted"}, headers=writer), 404)
    problem(client.delete("/api/v1/me/watches/boards/no-such-board", headers=writer), 404)
    problem(client.put("/api/v1/me/watches/topics/0", json={"level": "muted"}, headers=writer), 404)


def test_watches_need_the_right_scope(problem, client, member, make_topic, make_token, bearer):
    topic = make_topic()
    reader = bearer(make_token(member, "read"))
    problem(client.get("/api/v1/me/watches/topics"), 401)
    problem(client.put(f"/api/v1/me/watches/topics/{topic.id}", json={"level": "muted"}, headers=reader), 403, "insufficient-scope")
    assert client.get("/api/v1/me/watches/topics", headers=reader).status_code == 200
    problem(client.get("/api/v1/me/watches/boards", headers=bearer(make_token(member, "write", name="w"))), 403, "insufficient-scope")


# ---------------------------------------------------------------- export

def test_export_is_the_web_export(client, login, member, make_topic, make_token, bearer):
    make_topic(author=member, title="My own topic here")
    response = client.get("/api/v1/me/export", headers=bearer(make_token(member, "read")))
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    data = response.json
    login(member)
    page = json.loads(client.get("/settings/export").get_data(as_text=True))
    for document in (data, page):
        document.pop("exported_at")
        document["other"].pop("api_token", None)  # the API call itself marks the token used
    assert data == page
    assert data["format"] == "forum-account-export/1" and data["profile"]["email"] == member.email
    assert [t["title"] for t in data["topics"]] == ["My own topic here"]
    assert not any("hash" in key for row in response.json["other"].get("api_token", []) for key in row)


def test_export_needs_a_read_token(problem, client, member, make_token, bearer):
    problem(client.get("/api/v1/me/export"), 401)
    problem(client.get("/api/v1/me/export", headers=bearer(make_token(member, "write"))), 403, "insufficient-scope")


def test_report_outcome_is_in_the_export(client, member, make_post, writer, make_token, bearer):
    post = make_post()
    client.post(f"/api/v1/posts/{post.id}/report", json={"reason": "spam"}, headers=writer)
    data = client.get("/api/v1/me/export", headers=writer).json
    assert [r["reason"] for r in data["reports"]] == ["spam"]
    assert privacy.export_account(member)["reports"][0]["status"] == ReportStatus.OPEN.value
