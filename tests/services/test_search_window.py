"""Search ranks relevance within a window of the newest matches (SEARCH_RANK_WINDOW); newest
order, filters, articles first and visibility must not depend on that window. On both engines."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from forum.models import ContentStatus, Post, SearchDocument, utcnow
from forum.models.base import db
from forum.services import search
from forum.services.search import SearchFilters


@pytest.fixture
def window(app, monkeypatch):
    """A window of three matches."""
    monkeypatch.setitem(app.config, "SEARCH_RANK_WINDOW", 3)
    return 3


def _backdate(topic, days: int) -> None:
    """Make a topic's opening post `days` old, in the forum and in the index (its id stays)."""
    first = db.session.scalar(select(Post).where(Post.topic_id == topic.id, Post.number == 1))
    when = utcnow() - timedelta(days=days)
    first.created_at = when
    db.session.execute(update(SearchDocument).where(SearchDocument.kind == "topic", SearchDocument.ref_id == first.id).values(created_at=when))
    db.session.commit()


def _all_pages(query: str, filters: SearchFilters, per_page: int = 2) -> list:
    hits, page = [], 1
    while True:
        results = search.search(query, filters, page=page, per_page=per_page)
        hits += results.hits
        if not results.has_next:
            return hits
        page += 1


def test_relevance_ranks_only_the_newest_matches(window, make_board, make_user, make_topic):
    board, author = make_board(), make_user()
    oldest = make_topic(board=board, author=author, title="Twitch twitch twitch", body="twitch twitch twitch twitch")
    newer = [make_topic(board=board, author=author, title=f"Diary {i}", body="a twitch today") for i in range(4)]
    ids = [h.topic_id for h in _all_pages("twitch", SearchFilters())]
    assert sorted(ids) == sorted(t.id for t in newer[-window:])
    assert oldest.id not in ids


def test_newest_order_is_exact_across_pages_whatever_the_window(window, make_board, make_user, make_topic):
    board, author = make_board(), make_user()
    topics = [make_topic(board=board, author=author, title=f"Twitch diary {i}", body="twitch") for i in range(7)]
    # Indexed first, yet dated newest (as a post approved late would be): it must lead.
    _backdate(topics[0], days=-1)
    for t, days in zip(topics[1:], range(6, 0, -1)):
        _backdate(t, days)
    ids = [h.topic_id for h in _all_pages("twitch", SearchFilters(order="newest"))]
    assert ids == [topics[0].id] + [t.id for t in reversed(topics[1:])]


@pytest.mark.parametrize("order", ["relevance", "newest"])
def test_filters_find_an_old_match_outside_the_window(window, order, make_board, make_user, make_topic):
    coping, general = make_board(slug="coping"), make_board(slug="general")
    bob, carol = make_user(username="bob"), make_user(username="carol")
    old = make_topic(board=coping, author=bob, title="Twitch at work", body="my eyelid twitch")
    _backdate(old, days=400)
    for i in range(5):
        make_topic(board=general, author=carol, title=f"Twitch again {i}", body="twitch")
    assert old.id not in [h.topic_id for h in _all_pages("twitch", SearchFilters(order="relevance"))]
    for filters in (
        SearchFilters(order=order, author="bob"),
        SearchFilters(order=order, board="coping"),
        SearchFilters(order=order, until=(utcnow() - timedelta(days=300)).date()),
    ):
        assert [h.topic_id for h in _all_pages("twitch", filters)] == [old.id], filters


def test_filters_inside_the_window_still_exclude(window, make_board, make_user, make_topic):
    board, bob = make_board(slug="coping"), make_user(username="bob")
    make_topic(board=board, author=bob, title="Twitch", body="twitch")
    assert search.search("twitch", SearchFilters(author="nobody")).hits == []
    assert search.search("twitch", SearchFilters(board="no-such-board")).hits == []
    assert search.search("twitch", SearchFilters(kind="post")).hits == []


class _Article:
    title, body_html, status, board_id, author_id = "Twitching explained", "<p>Why a twitch happens</p>", "published", None, None

    def __init__(self, article_id: int, title: str | None = None) -> None:
        self.id = article_id
        self.title = title or self.title
        self.published_at = utcnow()


@pytest.mark.parametrize("order", ["relevance", "newest"])
def test_articles_come_first_even_when_older_than_the_window(window, order, make_board, make_user, make_topic):
    search.index_article(_Article(1))
    search.index_article(_Article(2, "Twitch twitch twitch: the guide"))
    db.session.commit()
    board, author = make_board(), make_user()
    for i in range(6):
        make_topic(board=board, author=author, title=f"Twitch {i}", body="twitch")
    hits = _all_pages("twitch", SearchFilters(order=order))
    assert [h.kind for h in hits[:2]] == ["article", "article"]
    assert {h.ref_id for h in hits[:2]} == {1, 2}
    assert "article" not in [h.kind for h in hits[2:]]
    assert [h.kind for h in search.search("twitch", SearchFilters(order=order, kind="article")).hits] == ["article", "article"]
    assert "article" not in [h.kind for h in search.search("twitch", SearchFilters(order=order, kind="topic")).hits]


@pytest.mark.parametrize("order", ["relevance", "newest"])
def test_hidden_posts_are_never_shown_whatever_the_window(window, order, make_board, make_user, make_topic):
    board, author = make_board(), make_user()
    topics = [make_topic(board=board, author=author, title=f"Twitch {i}", body="twitch") for i in range(5)]
    first = db.session.scalar(select(Post).where(Post.topic_id == topics[-1].id, Post.number == 1))
    first.status = ContentStatus.HELD  # changed without telling the index
    topics[-2].status = ContentStatus.HIDDEN
    db.session.commit()
    shown = {h.topic_id for h in _all_pages("twitch", SearchFilters(order=order))}
    assert topics[-1].id not in shown and topics[-2].id not in shown
    assert shown  # the others are still found


def test_highlights_and_snippets_on_every_path(window, make_topic):
    make_topic(title="Botox near the eye", body="my first injection was near the eyelid")
    for order in ("relevance", "newest"):
        for query in ("injection", "inject*", '"near the eyelid"'):
            hit = search.search(query, SearchFilters(order=order)).hits[0]
            assert "<mark>" in hit.snippet, (order, query)
