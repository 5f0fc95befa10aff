"""Each endpoint's query count is constant in the data size."""
from __future__ import annotations

import pytest

from forum.extensions import db
from forum.models import Board
from forum.services import audit, notifications


def _count(client, count_queries, url, headers=None, method="GET", json=None):
    with count_queries() as counter:
        response = client.open(url, method=method, headers=headers, json=json)
    assert response.status_code < 300, response.get_data(as_text=True)
    return counter.count


@pytest.fixture
def world(make_board, make_topic, make_user):
    """Grow the data between two measurements: grow(n) adds n topics with n replies each."""
    board = make_board()
    users = [make_user() for _ in range(3)]

    def grow(n: int):
        for i in range(n):
            topic = make_topic(board=board, author=users[i % 3], replies=n)
            for user in users:
                notifications.notify([user.id], "reply", "New reply", f"/topics/{topic.id}", actor_id=users[0].id)
                audit.log_action(users[0], "post.hide", "post", topic.id, subject_user_id=user.id)
        db.session.commit()
        return board

    return board, users, grow


def test_api_query_counts_do_not_grow_with_data(client, count_queries, world, moderator, make_token, bearer):
    board, users, grow = world
    grow(2)
    reader = bearer(make_token(users[0], "read write"))
    mod = bearer(make_token(moderator, "read moderate"))
    topic_id = db.session.scalar(db.select(db.func.min(db.text("id"))).select_from(db.text("topic")))
    urls = [
        ("/api/v1/boards", None),
        (f"/api/v1/boards/{board.slug}", None),
        (f"/api/v1/boards/{board.slug}/topics?limit=5", None),
        (f"/api/v1/boards/{board.slug}/topics?limit=5", reader),
        (f"/api/v1/topics/{topic_id}?limit=5", None),
        (f"/api/v1/topics/{topic_id}?limit=5", reader),
        (f"/api/v1/topics/{topic_id}/posts?limit=5", reader),
        ("/api/v1/posts/1", reader),
        (f"/api/v1/members/{users[0].username}", None),
        ("/api/v1/me", reader),
        ("/api/v1/me/notifications?limit=5", reader),
        ("/api/v1/moderation/log?limit=5", mod),
    ]
    # A token's first use writes its last-used time (at most once a minute): not measured here.
    client.get("/api/v1/me", headers=reader)
    client.get("/api/v1/me", headers=mod)
    small = {url + str(bool(h)): _count(client, count_queries, url, h) for url, h in urls}
    grow(8)
    large = {url + str(bool(h)): _count(client, count_queries, url, h) for url, h in urls}
    assert large == small
    # And a small constant: the token lookup, then one or two reads.
    assert max(small.values()) <= 4, small


def test_api_write_query_counts_do_not_grow_with_data(client, count_queries, world, make_token, bearer):
    board, users, grow = world
    grow(2)
    writer = bearer(make_token(users[0], "read write"))
    topic_id = db.session.scalar(db.select(db.func.min(db.text("id"))).select_from(db.text("topic")))
    client.get("/api/v1/me", headers=writer)

    def writes():
        counts = [
            _count(client, count_queries, f"/api/v1/topics/{topic_id}/posts", writer, "POST", {"body": "A reply"}),
            _count(client, count_queries, f"/api/v1/boards/{board.slug}/topics", writer, "POST", {"title": "A new topic", "body": "Hi"}),
        ]
        post_id = db.session.scalar(db.select(db.func.max(db.text("id"))).select_from(db.text("post")))
        counts.append(_count(client, count_queries, f"/api/v1/posts/{post_id}", writer, "PATCH", {"body": "Edited"}))
        counts.append(_count(client, count_queries, f"/api/v1/posts/{post_id}", writer, "DELETE"))
        return counts

    small = writes()
    grow(8)
    assert writes() == small
