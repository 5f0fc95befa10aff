"""Articles in the anonymous page cache: cached like other pages, retired by every article change."""
from __future__ import annotations

from forum.extensions import db
from forum.services import articles, experts
from tests.test_cache import _get, _warm, anon  # noqa: F401 (fixtures)


def test_article_pages_are_cached_and_retired_by_review_changes(anon, make_article, moderator, verifier, author):
    article = make_article(title="Cached article title")
    slug = article.slug
    for url in ("/", "/articles", f"/articles/{slug}"):
        _warm(anon, url)
    articles.pin(article, moderator, 1)
    db.session.commit()
    home = _get(anon, "/")
    assert home.headers.get("X-Cache") == "miss" and "Cached article title" in home.text
    _warm(anon, f"/articles/{slug}")
    experts.revoke(verifier, author)  # the badge goes at once
    db.session.commit()
    page = _get(anon, f"/articles/{slug}")
    assert page.headers.get("X-Cache") == "miss" and "Verified expert" not in page.text
    _warm(anon, "/articles")
    articles.archive(articles.load_article(slug), moderator)
    db.session.commit()
    assert "Cached article title" not in _get(anon, "/articles").text
    assert anon.get(f"/articles/{slug}").status_code == 410
