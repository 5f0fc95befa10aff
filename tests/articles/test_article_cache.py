"""Anonymous pages are shared from the page cache with CSRF protection on, as in production."""
from __future__ import annotations

import pytest

from forum import cache as page_cache


@pytest.fixture
def cached(app, csrf_enabled):
    app.config["CACHE_PAGES"] = True
    page_cache.cache.clear()
    yield app
    app.config["CACHE_PAGES"] = False
    page_cache.cache.clear()


def test_the_article_page_and_the_other_read_pages_are_shared(cached, make_article, make_topic, board):
    article = make_article()
    topic = make_topic(board=board)
    client = cached.test_client()
    for url in ("/", f"/boards/{board.slug}", f"/topics/{topic.id}", f"/articles/{article.slug}", "/articles"):
        with cached.app_context():
            first = client.get(url)
        assert first.status_code == 200 and "Set-Cookie" not in first.headers, url
        with cached.app_context():
            assert client.get(url).headers.get("X-Cache") == "hit", url
