"""Public and signed-in reads: boards, topics, posts, profiles, notifications, the log;
cursor pagination, ETags, visibility per role."""
from __future__ import annotations

import pytest

from forum.extensions import db
from forum.models import ContentStatus, Notification, Post, utcnow
from forum.services import audit, notifications


def _all_pages(client, url, headers=None, key="items"):
    items, cursor, pages = [], None, 0
    while True:
        sep = "&" if "?" in url else "?"
        response = client.get(url + (f"{sep}cursor={cursor}" if cursor else ""), headers=headers)
        assert response.status_code == 200, response.json
        items += response.json[key]
        pages += 1
        cursor = response.json["next_cursor"]
        if cursor is None:
            return items, pages


def test_boards(client, make_board):
    first = make_board(name="Living with it", position=1)
    make_board(name="Treatments", position=2)
    response = client.get("/api/v1/boards")
    assert response.status_code == 200
    assert [b["name"] for b in response.json["items"]] == ["Living with it", "Treatments"]
    one = client.get(f"/api/v1/boards/{first.slug}")
    assert one.json["slug"] == first.slug and one.json["topic_count"] == 0


def test_unknown_board_is_a_json_404(client):
    response = client.get("/api/v1/boards/no-such-board")
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
    assert client.get("/api/v1/boards/no-such-board/topics").status_code == 404


def test_board_topics_are_paged_by_cursor_pinned_first(client, make_board, make_topic, member):
    board = make_board()
    topics = [make_topic(board=board, author=member, title=f"Topic number {i}") for i in range(7)]
    topics[2].pinned = True
    db.session.commit()
    items, pages = _all_pages(client, f"/api/v1/boards/{board.slug}/topics?limit=3")
    assert pages == 3
    ids = [t["id"] for t in items]
    assert ids[0] == topics[2].id
    assert sorted(ids) == sorted(t.id for t in topics) and len(set(ids)) == 7
    assert items[1]["author"] == {"username": member.username, "role": "member"}


def test_board_topics_leave_out_held_and_deleted(client, make_board, make_topic):
    board = make_board()
    shown = make_topic(board=board)
    make_topic(board=board, status=ContentStatus.HELD)
    make_topic(board=board, status=ContentStatus.DELETED)
    response = client.get(f"/api/v1/boards/{board.slug}/topics")
    assert [t["id"] for t in response.json["items"]] == [shown.id]


def test_topic_with_posts_and_cursor(client, make_topic):
    topic = make_topic(replies=5)
    response = client.get(f"/api/v1/topics/{topic.id}?limit=4")
    assert response.status_code == 200
    data = response.json
    assert data["title"] == topic.title and data["board"]["id"] == topic.board_id
    assert [p["number"] for p in data["posts"]["items"]] == [1, 2, 3, 4]
    rest = client.get(f"/api/v1/topics/{topic.id}/posts?limit=4&cursor={data['posts']['next_cursor']}")
    assert [p["number"] for p in rest.json["items"]] == [5, 6]
    assert rest.json["next_cursor"] is None


@pytest.mark.parametrize("status", [ContentStatus.DELETED, ContentStatus.HELD, ContentStatus.HIDDEN])
def test_invisible_topics_are_404_for_visitors(client, make_topic, status):
    topic = make_topic(status=status)
    assert client.get(f"/api/v1/topics/{topic.id}").status_code == 404
    assert client.get(f"/api/v1/topics/{topic.id}/posts").status_code == 404


def test_held_topic_visible_to_author_and_staff(client, make_topic, member, moderator, other_member, make_token, bearer):
    topic = make_topic(author=member, status=ContentStatus.HELD)
    db.session.execute(db.update(Post).where(Post.topic_id == topic.id).values(status=ContentStatus.HELD))
    db.session.commit()
    assert client.get(f"/api/v1/topics/{topic.id}", headers=bearer(make_token(member, "read"))).status_code == 200
    assert client.get(f"/api/v1/topics/{topic.id}", headers=bearer(make_token(moderator, "read"))).status_code == 200
    assert client.get(f"/api/v1/topics/{topic.id}", headers=bearer(make_token(other_member, "read"))).status_code == 404


def test_post_visibility_per_viewer(client, make_topic, make_post, member, other_member, moderator, make_token, bearer):
    topic = make_topic()
    held = make_post(topic=topic, author=member, body="Held one", status=ContentStatus.HELD)
    hidden = make_post(topic=topic, author=member, body="Hidden one", status=ContentStatus.HIDDEN)
    deleted = make_post(topic=topic, author=member, body="Deleted one")
    deleted.status, deleted.deleted_at, deleted.deleted_by_id = ContentStatus.DELETED, utcnow(), member.id
    db.session.commit()

    def numbers(headers):
        items = client.get(f"/api/v1/topics/{topic.id}/posts", headers=headers).json["items"]
        return {p["number"]: p for p in items}

    anon = numbers(None)
    assert held.number not in anon
    assert anon[hidden.number]["body_html"] is None and anon[hidden.number]["notice"]
    assert anon[deleted.number]["body_html"] is None and anon[deleted.number]["author"] is None
    assert "body" not in anon[1]
    assert client.get(f"/api/v1/posts/{held.id}").status_code == 404
    assert client.get(f"/api/v1/posts/{hidden.id}").json["body_html"] is None

    mine = numbers(bearer(make_token(member, "read")))
    assert mine[held.number]["body_html"] and mine[held.number]["body"] == "Held one"
    assert mine[hidden.number]["body_html"]

    others = numbers(bearer(make_token(other_member, "read")))
    assert held.number not in others

    staff = numbers(bearer(make_token(moderator, "read")))
    assert staff[held.number]["body_html"] and staff[hidden.number]["body_html"]
    assert "Deleted one" not in str(staff[deleted.number])


def test_member_profile_is_public_and_leaks_nothing_private(client, make_user):
    user = make_user(username="quiet_quinn", bio="private notes", email="quinn@example.org")
    user.suspended_until, user.suspension_reason = utcnow(), "secret reason"
    db.session.commit()
    response = client.get("/api/v1/members/Quiet_Quinn")
    assert response.status_code == 200
    assert set(response.json) == {"username", "role", "joined_at", "post_count"}
    assert "quinn@example.org" not in response.get_data(as_text=True)
    assert client.get("/api/v1/members/nobody_here").status_code == 404


def test_closed_accounts_have_no_profile(client, make_user):
    user = make_user(username="gone_gary")
    user.password_hash = ""
    db.session.commit()
    assert client.get("/api/v1/members/gone_gary").status_code == 404


def test_no_email_anywhere_in_reads(client, make_topic, member):
    topic = make_topic(author=member, replies=2)
    for url in ["/api/v1/boards", f"/api/v1/topics/{topic.id}", f"/api/v1/topics/{topic.id}/posts", f"/api/v1/members/{member.username}"]:
        assert "@example.org" not in client.get(url).get_data(as_text=True)


def test_notifications_list_and_mark_read(client, member, other_member, make_token, bearer):
    for i in range(5):
        notifications.notify([member.id], "reply", f"Reply {i}", "/topics/1", actor_id=other_member.id)
    notifications.notify([other_member.id], "reply", "Not yours", "/topics/1")
    db.session.commit()
    headers = bearer(make_token(member, "read"))
    items, pages = _all_pages(client, "/api/v1/me/notifications?limit=2", headers)
    assert pages == 3 and [n["text"] for n in items] == [f"Reply {i}" for i in reversed(range(5))]
    assert items[0]["actor"]["username"] == other_member.username
    theirs = db.session.scalar(db.select(Notification.id).where(Notification.user_id == other_member.id))
    response = client.post("/api/v1/me/notifications/read", json={"ids": [items[0]["id"], theirs]}, headers=headers)
    assert response.status_code == 200 and response.json == {"unread_count": 4}
    assert db.session.scalar(db.select(Notification.read_at).where(Notification.id == theirs)) is None
    unread = client.get("/api/v1/me/notifications?unread=true", headers=headers).json["items"]
    assert len(unread) == 4
    assert client.post("/api/v1/me/notifications/read", json={"all": True}, headers=headers).json == {"unread_count": 0}


@pytest.mark.parametrize("body", [{}, {"ids": []}, {"all": False}, {"ids": [1], "all": True}, {"all": 1}, {"ids": ["1"]}, {"ids": [True]}, {"ids": [0]}])
def test_mark_read_bad_input(client, member, make_token, bearer, body):
    response = client.post("/api/v1/me/notifications/read", json=body, headers=bearer(make_token(member, "read")))
    assert response.status_code == 422
    assert response.json["errors"]


def test_moderation_log_for_moderators(client, moderator, member, make_token, bearer):
    for i in range(3):
        audit.log_action(moderator, "post.hide", "post", i + 1, subject_user_id=member.id, reason=f"r{i}")
    audit.log_action(moderator, "user.suspend", "user", member.id, subject_user_id=member.id)
    db.session.commit()
    headers = bearer(make_token(moderator, "read moderate"))
    items, pages = _all_pages(client, "/api/v1/moderation/log?limit=2", headers)
    assert pages == 2 and items[0]["action"] == "user.suspend"
    assert items[1]["subject"]["username"] == member.username
    only = client.get("/api/v1/moderation/log?action=post.", headers=headers).json["items"]
    assert {e["action"] for e in only} == {"post.hide"}
    assert "@example.org" not in client.get("/api/v1/moderation/log", headers=headers).get_data(as_text=True)


def test_etag_and_304(client, make_topic):
    topic = make_topic(replies=1)
    first = client.get(f"/api/v1/topics/{topic.id}")
    etag = first.headers["ETag"]
    assert etag
    again = client.get(f"/api/v1/topics/{topic.id}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    from tests.factories import make_post

    make_post(topic=topic)
    changed = client.get(f"/api/v1/topics/{topic.id}", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


@pytest.mark.parametrize("cursor", ["x", "!!!", "W10", "WyJhIl0", "WzEsMl0", "Wy0xXQ", "WzEuNV0", "WyIxIl0"])
def test_bad_cursors_are_400(client, make_topic, cursor):
    topic = make_topic()
    response = client.get(f"/api/v1/topics/{topic.id}/posts?cursor={cursor}")
    assert response.status_code == 400
    assert response.json["type"] == "/api/v1/problems/bad-request"
    board_response = client.get(f"/api/v1/boards/{topic.board.slug if False else 'x'}/topics?cursor={cursor}")
    assert board_response.status_code in (400, 404)


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "limit=abc", "limit=-1", "cursor=" + "a" * 201])
def test_bad_limits_are_422_with_field_errors(client, make_topic, query):
    topic = make_topic()
    response = client.get(f"/api/v1/topics/{topic.id}/posts?{query}")
    assert response.status_code == 422
    assert response.json["errors"][0]["pointer"].startswith("query#")


@pytest.mark.parametrize("url", ["/api/v1/topics/0", "/api/v1/topics/99999", "/api/v1/topics/99999999999999", "/api/v1/posts/-1", "/api/v1/posts/abc", "/api/v1/members/x"])
def test_unknown_ids_are_json_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
