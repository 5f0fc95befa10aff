"""Each endpoint's query count is constant in the data size."""
from __future__ import annotations

import pytest

from forum.extensions import db
from forum.models import Board
from forum.models.watching import WatchLevel
from forum.services import audit, notifications


def _count(client, count_queries, url, headers=None, method="GET", json=None):
    with count_queries() as counter:
        response = client.open(url, method=method, headers=headers, json=json)
    assert response.status_code < 300, response.get_data(as_text=True)
    return counter.count


@pytest.fixture
def tokens_for(client, make_token, bearer):
    """tokens_for((user, scopes), ...) -> their headers; each token used once already, since its
    first use writes its last-used time (at most once a minute), which is not measured here."""

    def _make(*owners):
        headers = [bearer(make_token(user, scopes)) for user, scopes in owners]
        for h in headers:
            client.get("/api/v1/me", headers=h)
        return headers

    return _make


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


def test_api_query_counts_do_not_grow_with_data(client, count_queries, world, moderator, tokens_for):
    board, users, grow = world
    grow(2)
    reader, mod = tokens_for((users[0], "read write"), (moderator, "read moderate"))
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
    small = {url + str(bool(h)): _count(client, count_queries, url, h) for url, h in urls}
    grow(8)
    large = {url + str(bool(h)): _count(client, count_queries, url, h) for url, h in urls}
    assert large == small
    # And a small constant: the token lookup, then one or two reads.
    assert max(small.values()) <= 4, small


def test_api_write_query_counts_do_not_grow_with_data(client, count_queries, world, tokens_for):
    board, users, grow = world
    grow(2)
    (writer,) = tokens_for((users[0], "read write"))
    topic_id = db.session.scalar(db.select(db.func.min(db.text("id"))).select_from(db.text("topic")))

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


@pytest.fixture
def more_world(make_board, make_topic, make_post, make_user, moderator, admin):
    """grow(n): n more published articles, reported posts (queue entries) and watched topics."""
    from forum.services import articles, experts, moderation
    from forum.services.articles import ArticleInput

    board = make_board()
    writer = make_user()
    experts.grant(admin, writer, "Neurologist")
    watcher = make_user()
    db.session.commit()

    def grow(n: int):
        for i in range(n):
            article = articles.create_article(writer, ArticleInput(f"Article on spasms {i}", "A summary long enough for the rules.", "Body text about spasms.",
                                                                   [{"citation": "A citation", "url": None, "doi": None}], [board.id]))
            articles.submit(article, writer)
            articles.publish(article, moderator)
            topic = make_topic(board=board, title=f"Spasms topic {i}", body="spasms every day")
            post = make_post(topic=topic, body="spasms again")
            for _ in range(2):
                moderation.file_report(make_user(), "post", post.id, "spam")
            notifications.set_topic_watch(watcher.id, topic.id, WatchLevel.WATCHING)
            db.session.commit()

    return board, watcher, grow


def test_new_api_query_counts_do_not_grow_with_data(client, count_queries, more_world, moderator, tokens_for):
    board, watcher, grow = more_world
    grow(2)
    own, mod = tokens_for((watcher, "read write"), (moderator, "read moderate"))
    slug = db.session.scalar(db.select(db.text("slug")).select_from(db.text("article")).limit(1))
    entry_id = db.session.scalar(db.select(db.func.min(db.text("id"))).select_from(db.text("review_entry")))
    notifications.set_board_watch(watcher.id, board.id, WatchLevel.MUTED)
    db.session.commit()
    urls = [
        ("/api/v1/articles?limit=5", None),
        (f"/api/v1/articles/{slug}", None),
        ("/api/v1/search?q=spasms&limit=5", None),
        ("/api/v1/me/watches/topics?limit=5", own),
        ("/api/v1/me/watches/boards", own),
        ("/api/v1/me/export", own),
        ("/api/v1/moderation/queue?limit=5", mod),
        ("/api/v1/moderation/queue?limit=5&sort=newest", mod),
        (f"/api/v1/moderation/queue/{entry_id}", mod),
    ]
    small = {url: _count(client, count_queries, url, h) for url, h in urls}
    grow(8)
    large = {url: _count(client, count_queries, url, h) for url, h in urls}
    assert large == small


def test_new_api_write_query_counts_do_not_grow_with_data(client, count_queries, more_world, moderator, tokens_for):
    board, watcher, grow = more_world
    grow(2)
    own, mod = tokens_for((watcher, "read write"), (moderator, "read moderate"))

    def writes():
        post_id, topic_id = db.session.execute(db.text("SELECT max(id), max(topic_id) FROM post")).one()
        pending = db.session.scalars(db.text("SELECT id FROM review_entry WHERE status = 'pending' ORDER BY id DESC LIMIT 2")).all()
        return [
            _count(client, count_queries, f"/api/v1/posts/{post_id}/report", own, "POST", {"reason": "spam"}),
            _count(client, count_queries, f"/api/v1/me/watches/topics/{topic_id}", own, "PUT", {"level": "muted"}),
            _count(client, count_queries, f"/api/v1/me/watches/topics/{topic_id}", own, "DELETE"),
            _count(client, count_queries, f"/api/v1/me/watches/boards/{board.slug}", own, "PUT", {"level": "watching"}),
            _count(client, count_queries, f"/api/v1/moderation/queue/{pending[0]}/dismiss", mod, "POST", {}),
            _count(client, count_queries, f"/api/v1/moderation/queue/{pending[1]}/hide", mod, "POST", {"reason": "Spam"}),
        ]

    small = writes()
    grow(8)
    assert writes() == small
