"""API rate limits: every request counted per token (per address without one), writes sharing the
pages' "posting" and "reporting" counts per member, IETF draft RateLimit headers, 429 problems."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Post


@pytest.fixture
def limits(app, rate_limits_enabled):
    """Small limits for one test: limits(api="3 per minute")."""
    saved = app.config.get("RATE_LIMITS")

    def _set(**named):
        app.config["RATE_LIMITS"] = named

    yield _set
    app.config["RATE_LIMITS"] = saved


def _state(response) -> dict[str, int]:
    match = re.fullmatch(r"limit=(\d+), remaining=(\d+), reset=(\d+)", response.headers["RateLimit"])
    assert match, response.headers["RateLimit"]
    return dict(zip(("limit", "remaining", "reset"), map(int, match.groups())))


def assert_api_429(response) -> None:
    assert response.status_code == 429
    assert response.mimetype == "application/problem+json"
    assert response.json["type"] == "/api/v1/problems/rate-limited" and response.json["status"] == 429
    assert "Rate limit exceeded" in response.json["detail"]
    assert 0 < int(response.headers["Retry-After"]) <= 3600
    assert _state(response)["remaining"] == 0


def test_headers_follow_the_ietf_draft(client, limits):
    limits(api="5 per minute;100 per hour")
    first = client.get("/api/v1/boards")
    assert first.status_code == 200
    assert _state(first) == {"limit": 5, "remaining": 4, "reset": _state(first)["reset"]}
    assert 0 < _state(first)["reset"] <= 60
    assert first.headers["RateLimit-Policy"] == "5;w=60, 100;w=3600"
    assert _state(client.get("/api/v1/boards"))["remaining"] == 3


def test_no_headers_when_limits_are_off(client):
    response = client.get("/api/v1/boards")
    assert "RateLimit" not in response.headers and "RateLimit-Policy" not in response.headers


def test_counted_per_token(client, member, other_member, make_token, bearer, limits):
    limits(api="2 per minute")
    mine, theirs = bearer(make_token(member, "read")), bearer(make_token(member, "read", name="second"))
    for _ in range(2):
        assert client.get("/api/v1/me", headers=mine).status_code == 200
    assert_api_429(client.get("/api/v1/me", headers=mine))
    # Another token (even the same member's) and anonymous callers have their own counts.
    assert client.get("/api/v1/me", headers=theirs).status_code == 200
    assert client.get("/api/v1/me", headers=bearer(make_token(other_member, "read"))).status_code == 200
    assert client.get("/api/v1/boards").status_code == 200


def test_anonymous_callers_counted_per_address(client, limits):
    limits(api="2 per minute")
    here = {"REMOTE_ADDR": "10.9.0.1"}
    for _ in range(2):
        assert client.get("/api/v1/boards", environ_base=here).status_code == 200
    assert_api_429(client.get("/api/v1/boards", environ_base=here))
    assert_api_429(client.get("/api/v1/articles", environ_base=here))  # every operation shares it
    assert client.get("/api/v1/boards", environ_base={"REMOTE_ADDR": "10.9.0.2"}).status_code == 200


def test_errors_count_and_carry_headers(client, limits, member, make_token, bearer):
    limits(api="3 per minute")
    reader = bearer(make_token(member, "read"))
    assert client.get("/api/v1/posts/999999", headers=reader).status_code == 404
    no_scope = client.put("/api/v1/me/watches/boards/general", json={"level": "muted"}, headers=reader)
    assert no_scope.status_code == 403 and _state(no_scope)["remaining"] == 1
    assert client.get("/api/v1/me", headers=reader).status_code == 200
    assert_api_429(client.get("/api/v1/me", headers=reader))


def test_api_writes_share_the_posting_count_with_the_pages(client, login, member, make_board, make_topic, make_token, bearer, limits):
    limits(posting="3 per minute")
    board = make_board()
    topic = make_topic(board=board)
    writer = bearer(make_token(member, "read write"))
    login(member)  # the same member on the pages
    assert client.post(f"/topics/{topic.id}/reply", data={"body": "From the page"}).status_code == 302
    created = client.post(f"/api/v1/topics/{topic.id}/posts", json={"body": "From the API"}, headers=writer)
    assert created.status_code == 201
    assert "3;w=60" in created.headers["RateLimit-Policy"].split(", ")  # the posting quota, the tightest
    assert _state(created) == {"limit": 3, "remaining": 1, "reset": _state(created)["reset"]}
    assert client.patch(f"/api/v1/posts/{created.json['id']}", json={"body": "Edited"}, headers=writer).status_code == 200
    before = db.session.scalar(select(func.count()).select_from(Post))
    assert_api_429(client.post(f"/api/v1/boards/{board.slug}/topics", json={"title": "Too many", "body": "x"}, headers=writer))
    assert client.post(f"/topics/{topic.id}/reply", data={"body": "And the page too"}).status_code == 429
    assert db.session.scalar(select(func.count()).select_from(Post)) == before
    # Reading is not a post.
    assert client.get(f"/api/v1/topics/{topic.id}", headers=writer).status_code == 200


def test_posting_is_per_member_not_per_token(client, member, other_member, make_topic, make_token, bearer, limits):
    limits(posting="1 per minute")
    topic = make_topic()
    first, second = bearer(make_token(member, "write")), bearer(make_token(member, "write", name="second"))
    assert client.post(f"/api/v1/topics/{topic.id}/posts", json={"body": "One"}, headers=first).status_code == 201
    assert_api_429(client.post(f"/api/v1/topics/{topic.id}/posts", json={"body": "Two"}, headers=second))
    assert client.post(f"/api/v1/topics/{topic.id}/posts", json={"body": "Hi"}, headers=bearer(make_token(other_member, "write"))).status_code == 201


def test_reports_share_the_reporting_count_with_the_pages(client, login, member, make_post, make_token, bearer, limits):
    limits(reporting="2 per hour")
    posts = [make_post(body=f"Post {n}") for n in range(3)]
    login(member)
    assert client.post(f"/report/post/{posts[0].id}", data={"reason": "spam"}).status_code == 302
    writer = bearer(make_token(member, "write"))
    assert client.post(f"/api/v1/posts/{posts[1].id}/report", json={"reason": "spam"}, headers=writer).status_code == 201
    assert_api_429(client.post(f"/api/v1/posts/{posts[2].id}/report", json={"reason": "spam"}, headers=writer))
    assert client.post(f"/report/post/{posts[2].id}", data={"reason": "spam"}).status_code == 429
