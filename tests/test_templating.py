"""Jinja helpers: the pager's page window."""
from __future__ import annotations

import pytest

from forum.templating import page_window


def _every_page(page: int, pages: int) -> list[int | None]:
    """The window as the pager used to find it, by walking every page."""
    shown = []
    for p in range(1, pages + 1):
        if p in (1, pages) or page - 2 <= p <= page + 2:
            shown.append(p)
        elif p in (page - 3, page + 3):
            shown.append(None)
    return shown


@pytest.mark.parametrize("pages", [0, 1, 2, 5, 7, 8, 30])
def test_page_window_matches_walking_every_page(pages):
    for page in range(-1, pages + 5):
        assert page_window(page, pages) == _every_page(page, pages)


def test_page_window_of_a_huge_board_is_small():
    assert page_window(4000, 10_000) == [1, None, 3998, 3999, 4000, 4001, 4002, None, 10_000]


def test_url_patterns_build_what_url_for_builds(app):
    from flask import url_for

    from forum.templating import UrlPattern

    with app.test_request_context():
        react = UrlPattern("community.react", "post_id")
        quote = UrlPattern("boards.reply", "quote", topic_id=7)
        report = UrlPattern("moderation.report", "target_id", kind="post")
        for post_id in (1, 42, 10**12):
            assert react(post_id) == url_for("community.react", post_id=post_id)
            assert quote(post_id) == url_for("boards.reply", topic_id=7, quote=post_id)
            assert report(post_id) == url_for("moderation.report", kind="post", target_id=post_id)


def test_url_patterns_are_kept_per_script_root(app):
    from flask import url_for

    from forum.templating import UrlPattern

    with app.test_request_context():
        first = UrlPattern.of("boards.reply", "quote", topic_id=7)
        assert UrlPattern.of("boards.reply", "quote", topic_id=7) is first
        assert UrlPattern.of("boards.reply", "quote", topic_id=8) is not first
    # Served under a prefix, the same endpoint has another URL.
    with app.test_request_context(environ_overrides={"SCRIPT_NAME": "/forum"}):
        prefixed = UrlPattern.of("boards.reply", "quote", topic_id=7)
        assert prefixed is not first
        assert prefixed(3) == url_for("boards.reply", topic_id=7, quote=3)
        assert prefixed(3).startswith("/forum/")
