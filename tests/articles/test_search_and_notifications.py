"""Articles and moderation keep the search index and the watchers in step."""
from __future__ import annotations

from sqlalchemy import select

from forum.extensions import db
from forum.models import Notification, Post
from forum.models.watching import WatchLevel
from forum.services import articles, moderation, notifications, search


def _kinds(query: str) -> list[str]:
    return [hit.kind for hit in search.search(query).hits]


def test_published_article_is_found_first_and_leaves_the_index_when_archived(make_article, make_topic, board, moderator):
    make_topic(board=board, title="Botulinum toxin every twelve weeks", body="My botulinum toxin story")
    article = make_article(title="Botulinum toxin explained")
    assert _kinds("botulinum")[0] == "article"
    articles.archive(article, moderator)
    db.session.commit()
    assert "article" not in _kinds("botulinum")


def test_watchers_of_a_board_hear_about_a_new_article(make_article, make_user, board):
    watcher = make_user(username="board_watcher")
    notifications.set_board_watch(watcher.id, board.id, WatchLevel.WATCHING)
    db.session.commit()
    make_article(title="Living with blepharospasm")
    texts = db.session.scalars(select(Notification.text).where(Notification.user_id == watcher.id)).all()
    assert any("Living with blepharospasm" in text for text in texts)


def test_hidden_post_leaves_the_index_and_returns_when_restored(make_topic, make_post, moderator):
    topic = make_topic(title="Tinted lenses", body="opening words")
    reply = make_post(topic=topic, body="FL-41 lenses helped with photophobia")
    assert _kinds("photophobia") == ["post"]
    post = db.session.get(Post, reply.id)
    moderation.hide_post(post, moderator, "Checking a claim")
    db.session.commit()
    assert _kinds("photophobia") == []
    moderation.restore_post(db.session.get(Post, reply.id), moderator)
    db.session.commit()
    assert _kinds("photophobia") == ["post"]
