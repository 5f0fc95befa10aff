"""Support reactions and bookmarks, for each kind of visitor, with bad input."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import ContentStatus, Post, Topic, User, utcnow
from forum.models.community import Bookmark, PostReaction


def _first_post(topic) -> Post:
    return db.session.scalar(select(Post).where(Post.topic_id == topic.id, Post.number == 1))


def _reactions() -> int:
    return db.session.scalar(select(func.count()).select_from(PostReaction))


def test_member_reacts_and_takes_it_back(client, login, member, make_topic):
    topic = make_topic()
    post = _first_post(topic)
    before = db.session.get(Topic, topic.id).last_posted_at
    login(member)
    assert client.post(f"/posts/{post.id}/react", data={"kind": "me_too"}).status_code == 302
    assert client.post(f"/posts/{post.id}/react", data={"kind": "support"}).status_code == 302
    assert db.session.get(Post, post.id).reaction_counts == {"me_too": 1, "support": 1}
    html = client.get(f"/topics/{topic.id}").get_data(as_text=True)
    assert 'aria-pressed="true"' in html and "Who reacted" in html
    assert client.post(f"/posts/{post.id}/react", data={"kind": "me_too"}).status_code == 302
    assert db.session.get(Post, post.id).reaction_counts == {"support": 1}
    assert db.session.get(Topic, topic.id).last_posted_at == before  # reacting never bumps the topic


def test_counts_add_up_over_members_and_who_reacted_is_shown_on_request(client, login, make_topic, make_user):
    topic = make_topic()
    post = _first_post(topic)
    for name in ("helper_one", "helper_two"):
        login(make_user(username=name))
        client.post(f"/posts/{post.id}/react", data={"kind": "helpful"})
    assert db.session.get(Post, post.id).reaction_counts == {"helpful": 2}
    html = client.get(f"/posts/{post.id}/reactions").get_data(as_text=True)
    assert "Helpful (2)" in html and "helper_one" in html and "helper_two" in html


def test_anonymous_visitors_see_counts_but_cannot_react(client, make_topic, make_user, login):
    topic = make_topic()
    post = _first_post(topic)
    login(make_user())
    client.post(f"/posts/{post.id}/react", data={"kind": "helpful"})
    client.post("/signout")
    html = client.get(f"/topics/{topic.id}").get_data(as_text=True)
    assert "Helpful 1" in html
    response = client.post(f"/posts/{post.id}/react", data={"kind": "helpful"})
    assert response.status_code == 302 and "/signin" in response.headers["Location"]


def test_no_reacting_to_ones_own_post(client, login, make_topic):
    topic = make_topic()
    post = _first_post(topic)
    login(db.session.get(User, topic.author_id))
    assert client.post(f"/posts/{post.id}/react", data={"kind": "helpful"}).status_code == 403
    assert _reactions() == 0


@pytest.mark.parametrize("data", [{"kind": "love"}, {"kind": ""}, {}, {"kind": "x" * 1000}])
def test_unknown_reactions_are_422(client, login, member, make_topic, data):
    post = _first_post(make_topic())
    login(member)
    assert client.post(f"/posts/{post.id}/react", data=data).status_code == 422
    assert _reactions() == 0


def test_reacting_to_unknown_or_deleted_posts(client, login, member, make_topic, make_post):
    login(member)
    assert client.post("/posts/999999/react", data={"kind": "helpful"}).status_code == 404
    reply = make_post(topic=make_topic())
    reply.status, reply.deleted_at = ContentStatus.DELETED, utcnow()
    db.session.commit()
    assert client.post(f"/posts/{reply.id}/react", data={"kind": "helpful"}).status_code == 403
    assert _reactions() == 0


def test_suspended_member_cannot_react(client, login, make_user, make_topic):
    from datetime import timedelta

    post = _first_post(make_topic())
    login(make_user(suspended_until=utcnow() + timedelta(days=3)))
    response = client.post(f"/posts/{post.id}/react", data={"kind": "helpful"})
    assert response.status_code == 403 and b"suspended" in response.data


def test_bookmarks_with_notes(client, login, member, make_topic):
    topic = make_topic(title="Tinted glasses that helped")
    post = _first_post(topic)
    login(member)
    assert client.post(f"/posts/{post.id}/bookmark").status_code == 302
    assert "Bookmarked" in client.get(f"/topics/{topic.id}").get_data(as_text=True)
    assert client.get(f"/posts/{post.id}/bookmark").status_code == 200
    assert client.post(f"/posts/{post.id}/bookmark", data={"note": "ask my doctor"}).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Bookmark)) == 1
    html = client.get("/bookmarks").get_data(as_text=True)
    assert "Tinted glasses that helped" in html and "ask my doctor" in html
    assert client.post(f"/posts/{post.id}/bookmark/remove").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Bookmark)) == 0


def test_bookmarks_are_private(client, login, member, other_member, make_topic):
    post = _first_post(make_topic(title="Private bookmark topic"))
    login(member)
    client.post(f"/posts/{post.id}/bookmark", data={"note": "my secret note"})
    login(other_member)
    assert "my secret note" not in client.get("/bookmarks").get_data(as_text=True)
    client.post("/signout")
    assert client.get("/bookmarks").status_code == 302


def test_bookmark_bad_input(client, login, member, make_topic):
    post = _first_post(make_topic())
    login(member)
    assert client.post(f"/posts/{post.id}/bookmark", data={"note": "x" * 501}).status_code == 422
    assert client.post(f"/posts/{post.id}/bookmark", data={"note": "a\x00b"}).status_code == 422
    assert client.post("/posts/424242/bookmark").status_code == 404
    assert client.get("/bookmarks?before=abc").status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Bookmark)) == 0


def test_bookmarks_page_by_key(client, login, member, make_topic):
    login(member)
    topic = make_topic(replies=30)
    for post in db.session.scalars(select(Post).where(Post.topic_id == topic.id)):
        client.post(f"/posts/{post.id}/bookmark")
    first = client.get("/bookmarks").get_data(as_text=True)
    assert first.count('class="topic-row"') == 25 and "Older bookmarks" in first
    next_link = first.split('href="/bookmarks?before=')[1].split('"')[0]
    second = client.get(f"/bookmarks?before={next_link}").get_data(as_text=True)
    assert second.count('class="topic-row"') == 6


def test_topic_page_query_count_stays_constant_with_reactions(client, login, member, count_queries, make_topic, make_user):
    small, large = make_topic(replies=2), make_topic(replies=19)
    reactor = make_user()
    login(reactor)
    for topic in (small, large):
        for post in db.session.scalars(select(Post).where(Post.topic_id == topic.id)):
            client.post(f"/posts/{post.id}/react", data={"kind": "support"})
            client.post(f"/posts/{post.id}/bookmark")
    counts = []
    for topic in (small, large):
        with count_queries() as counter:
            assert client.get(f"/topics/{topic.id}").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1] <= 6
