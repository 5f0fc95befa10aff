"""A topic page's posts, shared between readers who see them alike (forum/boards/post_list.py).

Every reader must get exactly the page they would get with nothing cached: their own posts with
Edit and Delete, their reactions and bookmarks marked, blocked authors folded away, the first
unread post marked, moderators' links; and every form carries the reader's own CSRF token.
"""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from forum import cache as page_cache
from forum.boards import post_list
from forum.models import ContentStatus, Post, TopicRead, User, utcnow
from forum.models.base import db
from forum.services import community, messages, moderation, reading

TOKEN = re.compile(r'name="(csrf_token|submission_key)" (type="hidden" )?value="[^"]*"')


@pytest.fixture
def topic(make_topic, make_user, make_post, member):
    """A topic of 8 posts by several members, one of them by `member`, one hidden."""
    topic = make_topic(title="Living with the twitch", body="Where do I start?")
    writers = [make_user() for _ in range(3)]
    for i in range(5):
        make_post(topic, writers[i % 3], body=f"Reply **{i}** from a writer")
    make_post(topic, member, body="My own reply")
    hidden = make_post(topic, writers[0], body="A hidden reply")
    hidden.status, hidden.moderation_note = ContentStatus.HIDDEN, "Off topic"
    db.session.commit()
    return topic


def _page(app, user, url: str) -> str:
    """The page as `user` gets it, in its own app context, with every CSRF token blanked."""
    client = app.test_client()
    if user is not None:
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = user.get_id(), True
    with app.app_context():
        response = client.get(url)
    assert response.status_code == 200
    return TOKEN.sub(r'name="\1" value=""', response.get_data(as_text=True))


def _fresh_and_shared(app, user, url: str, before_each=lambda: None) -> tuple[str, str]:
    app.config["CACHE_PAGES"] = False
    before_each()
    fresh = _page(app, user, url)
    app.config["CACHE_PAGES"] = True
    page_cache.cache.clear()
    _page(app, None, url)  # an anonymous visit does not fill the shared posts
    before_each()
    _page(app, user, url)
    before_each()
    shared = _page(app, user, url)
    return fresh, shared


def _readers(make_user, moderator, member, topic):
    posts = list(db.session.scalars(select(Post).where(Post.topic_id == topic.id).order_by(Post.number)))
    reacted, bookmarked, blocker, unread, suspended = (make_user() for _ in range(5))
    community.toggle_reaction(reacted, posts[1], next(iter(community.reaction_kinds())))
    community.save_bookmark(bookmarked, posts[2], "keep")
    messages.block(blocker, db.session.get(User, posts[3].author_id))
    reading.mark_read(unread, topic, 4)
    suspended.suspended_until = utcnow() + timedelta(days=2)
    db.session.commit()
    return {
        "plain": make_user(), "author": member, "reacted": reacted, "bookmarked": bookmarked,
        "blocker": blocker, "first unread": unread, "moderator": moderator, "suspended": suspended,
    }


@pytest.mark.parametrize("who", ["plain", "author", "reacted", "bookmarked", "blocker", "first unread", "moderator", "suspended"])
def test_every_reader_gets_the_page_they_would_get_uncached(cached, topic, make_user, moderator, member, who):
    reader = _readers(make_user, moderator, member, topic)[who]
    # Someone else fills the shared posts first.
    _page(cached, make_user(), f"/topics/{topic.id}?page=1")

    def back_to_post_4():  # each visit reads the page: the reader goes back to where they stopped
        db.session.execute(update(TopicRead).where(TopicRead.user_id == reader.id).values(last_read_number=4))
        db.session.commit()

    fresh, shared = _fresh_and_shared(cached, reader, f"/topics/{topic.id}?page=1", back_to_post_4 if who == "first unread" else lambda: None)
    assert shared == fresh


def test_marks_show_on_the_posts_they_belong_to(cached, topic, make_user, moderator, member):
    readers = _readers(make_user, moderator, member, topic)
    url = f"/topics/{topic.id}?page=1"
    _page(cached, readers["plain"], url)
    assert 'aria-pressed="true"' in _page(cached, readers["reacted"], url)
    assert "Bookmarked<" in _page(cached, readers["bookmarked"], url)
    assert "Post by a member you blocked" in _page(cached, readers["blocker"], url)
    assert "New since your last visit" in _page(cached, readers["first unread"], url)
    own = _page(cached, member, url)
    assert "Edit<span" in own and "Delete post 7" in own
    plain = _page(cached, readers["plain"], url)
    assert "Edit<span" not in plain and "Moderate<span" not in plain and 'aria-pressed="true"' not in plain
    assert "This post is hidden while moderators review it." in plain
    assert "Moderate<span" in _page(cached, moderator, url)


def test_a_page_served_from_the_shared_posts_reads_no_post_rows(cached, topic, make_user, count_queries):
    reader = make_user()
    url = f"/topics/{topic.id}?page=1"
    _page(cached, reader, url)
    with count_queries() as counted:
        _page(cached, reader, url)
    assert not [s for s in counted.statements if "FROM post" in s and "post_reaction" not in s and "bookmark" not in s]


def test_the_forms_carry_the_readers_own_token_which_works(cached, topic, make_user, csrf_enabled):
    first, second = make_user(), make_user()
    url = f"/topics/{topic.id}?page=1"
    post = db.session.scalar(select(Post).where(Post.topic_id == topic.id, Post.number == 2))
    for reader in (first, second):
        client = cached.test_client()
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = reader.get_id(), True
        with cached.app_context():
            html = client.get(url).get_data(as_text=True)
            assert post_list._token_mark() not in html
        token = re.search(rf'action="/posts/{post.id}/react".*?name="csrf_token" value="([^"]+)"', html, re.S).group(1)
        with cached.app_context():
            answer = client.post(f"/posts/{post.id}/react", data={"csrf_token": token, "kind": next(iter(community.reaction_kinds()))})
        assert answer.status_code == 302


def test_a_reaction_an_edit_and_a_hide_show_at_once(cached, topic, make_user, moderator):
    reader, other = make_user(), make_user()
    url = f"/topics/{topic.id}?page=1"
    post = db.session.scalar(select(Post).where(Post.topic_id == topic.id, Post.number == 2))
    before = _page(cached, reader, url)
    assert '<span class="reaction-count"> 1</span>' not in before
    community.toggle_reaction(other, post, next(iter(community.reaction_kinds())))
    db.session.commit()
    assert '<span class="reaction-count"> 1</span>' in _page(cached, reader, url)
    from forum.services import posting

    posting.edit_post(post, db.session.get(User, post.author_id), "An edited reply")
    db.session.commit()
    assert "An edited reply" in _page(cached, reader, url)
    moderation.hide_post(post, moderator, "Not kind")
    db.session.commit()
    page = _page(cached, reader, url)
    assert "An edited reply" not in page and "This post is hidden while moderators review it." in page
