"""Writes through the API obey the same rules as the pages, because both call the same services."""
from __future__ import annotations

from datetime import timedelta

import pytest

from forum.extensions import db
from forum.models import Board, ContentStatus, Post, PostRevision, Topic, utcnow


@pytest.fixture
def writer(member, make_token, bearer):
    return bearer(make_token(member, "read write"))


def test_start_topic(client, make_board, member, writer):
    board = make_board()
    response = client.post(f"/api/v1/boards/{board.slug}/topics", json={"title": "Botox every 12 weeks?", "body": "How long does it last for you?"}, headers=writer)
    assert response.status_code == 201
    post = response.json
    assert post["number"] == 1 and post["held"] is False and post["author"]["username"] == member.username
    assert response.headers["Location"].endswith(f"/api/v1/topics/{post['topic_id']}")
    topic = db.session.get(Topic, post["topic_id"])
    assert topic.title == "Botox every 12 weeks?" and topic.author_id == member.id
    db.session.refresh(board)
    assert board.topic_count == 1


def test_reply_edit_delete_own_post(client, make_topic, member, writer):
    topic = make_topic()
    created = client.post(f"/api/v1/topics/{topic.id}/posts", json={"body": "Same here."}, headers=writer)
    assert created.status_code == 201
    post_id = created.json["id"]
    edited = client.patch(f"/api/v1/posts/{post_id}", json={"body": "Same here, for years.", "note": "typo"}, headers=writer)
    assert edited.status_code == 200 and edited.json["body"] == "Same here, for years." and edited.json["edited_at"]
    assert db.session.scalar(db.select(db.func.count()).select_from(PostRevision)) == 1
    deleted = client.delete(f"/api/v1/posts/{post_id}", headers=writer)
    assert deleted.status_code == 204
    assert db.session.get(Post, post_id).status is ContentStatus.DELETED


def test_edit_opening_post_title(client, make_topic, member, writer):
    topic = make_topic(author=member)
    first = db.session.scalar(db.select(Post).where(Post.topic_id == topic.id, Post.number == 1))
    response = client.patch(f"/api/v1/posts/{first.id}", json={"body": "Updated", "title": "A better title"}, headers=writer)
    assert response.status_code == 200
    db.session.refresh(topic)
    assert topic.title == "A better title"


def test_title_only_on_opening_post(client, make_topic, make_post, member, writer):
    reply = make_post(author=member)
    response = client.patch(f"/api/v1/posts/{reply.id}", json={"body": "x", "title": "New title here"}, headers=writer)
    assert response.status_code == 422 and response.json["errors"][0]["pointer"] == "/title"


def test_cannot_edit_or_delete_someone_elses_post(client, make_post, other_member, writer):
    post = make_post(author=other_member, body="Theirs")
    assert client.patch(f"/api/v1/posts/{post.id}", json={"body": "Mine now"}, headers=writer).status_code == 403
    assert client.delete(f"/api/v1/posts/{post.id}", headers=writer).status_code == 403
    db.session.refresh(post)
    assert post.body == "Theirs" and post.status is ContentStatus.PUBLISHED


def test_moderator_may_edit_any_post(client, make_post, other_member, moderator, make_token, bearer):
    post = make_post(author=other_member)
    response = client.patch(f"/api/v1/posts/{post.id}", json={"body": "Edited by a moderator"}, headers=bearer(make_token(moderator, "write")))
    assert response.status_code == 200


def test_locked_topic_refuses_replies_but_not_from_moderators(client, make_topic, moderator, make_token, bearer, writer):
    topic = make_topic(locked_at=utcnow())
    response = client.post(f"/api/v1/topics/{topic.id}/posts", json={"body": "Hello"}, headers=writer)
    assert response.status_code == 403 and "locked" in response.json["detail"]
    staff = client.post(f"/api/v1/topics/{topic.id}/posts", json={"body": "Moderator note"}, headers=bearer(make_token(moderator, "write")))
    assert staff.status_code == 201


def test_opening_post_with_replies_cannot_be_deleted(client, make_topic, member, writer):
    topic = make_topic(author=member, replies=1)
    first = db.session.scalar(db.select(Post).where(Post.topic_id == topic.id, Post.number == 1))
    response = client.delete(f"/api/v1/posts/{first.id}", headers=writer)
    assert response.status_code == 403


def test_suspended_member_is_refused_by_both_the_page_and_the_api(client, login, make_topic, member, make_token, bearer):
    """One rule, two doors: the reply page and the API both call posting.reply_to_topic."""
    topic = make_topic()
    secret = make_token(member, "read write")
    member.suspended_until = utcnow() + timedelta(days=3)
    member.suspension_reason = "Cooling off"
    db.session.commit()

    api = client.post(f"/api/v1/topics/{topic.id}/posts", json={"body": "Via the API"}, headers=bearer(secret))
    assert api.status_code == 403
    assert api.json["type"] == "/api/v1/problems/forbidden" and "suspended" in api.json["detail"]

    board = db.session.get(Board, topic.board_id)
    api_topic = client.post(f"/api/v1/boards/{board.slug}/topics", json={"title": "A new topic", "body": "Hi"}, headers=bearer(secret))
    assert api_topic.status_code == 403

    login(member)
    page = client.post(f"/topics/{topic.id}/reply", data={"body": "Via the page"})
    assert page.status_code == 403
    assert "suspended" in page.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Post).where(Post.topic_id == topic.id)) == 1
    # Reading still works for a suspended member.
    assert client.get(f"/api/v1/topics/{topic.id}", headers=bearer(secret)).status_code == 200


def test_banned_member_cannot_write(client, make_topic, member, make_token, bearer):
    topic = make_topic()
    secret = make_token(member, "write")
    member.banned_at = utcnow()
    db.session.commit()
    assert client.post(f"/api/v1/topics/{topic.id}/posts", json={"body": "Hi"}, headers=bearer(secret)).status_code == 403


def test_held_content_is_reported_as_held(client, make_topic, expert, member, writer, holds):
    """Screening decides (here: a new member's first post waits); the API only says what it decided."""
    topic = make_topic(author=expert)  # experts are never held
    response = client.post(f"/api/v1/topics/{topic.id}/posts", json={"body": "Needs a look"}, headers=writer)
    assert response.status_code == 201
    assert response.json["held"] is True and response.json["status"] == "held"
    assert db.session.get(Post, response.json["id"]).status is ContentStatus.HELD


@pytest.mark.parametrize(
    "payload, pointer",
    [
        ({}, "/body"),
        ({"body": ""}, "/body"),
        ({"body": 42}, "/body"),
        ({"body": None}, "/body"),
        ({"body": ["a"]}, "/body"),
        ({"body": "x" * 50_001}, "/body"),
        ({"body": "nul\x00here"}, "/body"),
        ({"body": "start of heading\x01here"}, "/body"),
        ({"body": "escape\x1bhere"}, "/body"),
        ({"body": "ok", "extra": 1}, "/extra"),
    ],
)
def test_reply_bad_input_is_422_with_field_errors(client, make_topic, writer, payload, pointer):
    topic = make_topic()
    response = client.post(f"/api/v1/topics/{topic.id}/posts", json=payload, headers=writer)
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert response.json["type"] == "/api/v1/problems/validation-error"
    assert pointer in [e["pointer"] for e in response.json["errors"]]
    assert db.session.scalar(db.select(db.func.count()).select_from(Post)) == 1


def test_whitespace_only_body_is_refused_by_the_service(client, make_topic, writer):
    topic = make_topic()
    response = client.post(f"/api/v1/topics/{topic.id}/posts", json={"body": "   \n  "}, headers=writer)
    assert response.status_code == 422 and response.json["errors"][0]["pointer"] == "/body"


@pytest.mark.parametrize(
    "payload, pointer",
    [
        ({"title": "Hi", "body": "Body"}, "/title"),
        ({"title": "x" * 151, "body": "Body"}, "/title"),
        ({"title": 12345, "body": "Body"}, "/title"),
        ({"body": "Body"}, "/title"),
        ({"title": "     a     ", "body": "Body"}, "/title"),
    ],
)
def test_start_topic_bad_input(client, make_board, writer, payload, pointer):
    board = make_board()
    response = client.post(f"/api/v1/boards/{board.slug}/topics", json=payload, headers=writer)
    assert response.status_code == 422
    assert pointer in [e["pointer"] for e in response.json["errors"]]
    assert db.session.scalar(db.select(db.func.count()).select_from(Topic)) == 0


@pytest.mark.parametrize("field", ["title", "body"])
def test_control_characters_are_refused_with_a_message_naming_the_field(client, make_board, writer, field):
    board = make_board()
    payload = {"title": "A fine title", "body": "A fine body", field: "pasted\x01 text, a fine one"}
    response = client.post(f"/api/v1/boards/{board.slug}/topics", json=payload, headers=writer)
    assert response.status_code == 422 and response.content_type == "application/problem+json"
    [error] = response.json["errors"]
    assert error["pointer"] == f"/{field}"
    assert f"`{field}`" in error["detail"] and "control character (U+0001)" in error["detail"]
    assert db.session.scalar(db.select(db.func.count()).select_from(Topic)) == 0
    payload[field] = "tab\tand\r\nline breaks are fine"
    assert client.post(f"/api/v1/boards/{board.slug}/topics", json=payload, headers=writer).status_code == 201


@pytest.mark.parametrize("data", ["{not json", "", "[1, 2]", "\"just a string\"", "null"])
def test_malformed_or_non_object_json(client, make_topic, writer, data):
    topic = make_topic()
    response = client.post(f"/api/v1/topics/{topic.id}/posts", data=data, content_type="application/json", headers=writer)
    assert response.status_code in (400, 422)
    assert response.content_type == "application/problem+json"


def test_form_encoded_body_is_not_accepted(client, make_topic, writer):
    topic = make_topic()
    response = client.post(f"/api/v1/topics/{topic.id}/posts", data={"body": "hello"}, headers=writer)
    assert response.status_code in (415, 422)
    assert db.session.scalar(db.select(db.func.count()).select_from(Post)) == 1


@pytest.mark.parametrize(
    "method, url",
    [("POST", "/api/v1/topics/99999/posts"), ("PATCH", "/api/v1/posts/99999"), ("DELETE", "/api/v1/posts/99999"), ("POST", "/api/v1/boards/nope/topics")],
)
def test_writes_to_unknown_ids_are_404(client, writer, method, url):
    response = client.open(url, method=method, json={"body": "x", "title": "Hello there"} if "boards" in url else {"body": "x"} if method != "DELETE" else None, headers=writer)
    assert response.status_code == 404


def test_too_large_body_is_413_json(client, make_topic, writer, app):
    topic = make_topic()
    big = '{"body": "' + "x" * (app.config["MAX_CONTENT_LENGTH"] + 10) + '"}'
    response = client.post(f"/api/v1/topics/{topic.id}/posts", data=big, content_type="application/json", headers=writer)
    assert response.status_code == 413 and response.content_type == "application/problem+json"
