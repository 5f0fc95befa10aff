"""Board pages by key: page numbers, the next-page cursor and the far end of a board agree."""
from __future__ import annotations

from datetime import timedelta

import pytest

from forum.models import Topic, utcnow
from forum.extensions import db
from forum.services import reading


@pytest.fixture
def small_pages(app):
    app.config["TOPICS_PER_PAGE"] = 2
    yield
    app.config["TOPICS_PER_PAGE"] = 25


@pytest.fixture
def board_of_nine(small_pages, make_board, make_topic, member):
    board = make_board()
    now = utcnow()
    for i in range(9):
        topic = make_topic(board=board, author=member, title=f"Topic number {i}")
        # Two topics share a timestamp, so the id must break the tie.
        topic.last_posted_at = now - timedelta(minutes=i if i != 5 else 4)
    pinned = make_topic(board=board, author=member, title="Pinned topic here")
    pinned.pinned = True
    db.session.commit()
    db.session.refresh(board)
    return board


def _ids(listing):
    return [t.id for t in listing.topics]


def test_pages_by_number_and_by_cursor_agree(board_of_nine):
    board = board_of_nine
    expected = [t.id for t in db.session.scalars(
        db.select(Topic).where(Topic.board_id == board.id, Topic.pinned.is_(False))
        .order_by(Topic.last_posted_at.desc(), Topic.id.desc()))]
    first = reading.board_page(board, 1)
    assert [t.title for t in first.pinned] == ["Pinned topic here"]
    by_number, by_cursor = [], []
    listing = first
    for page in range(1, first.pages + 1):
        by_number += _ids(reading.board_page(board, page))
        if page > 1:
            listing = reading.board_page(board, page, after=listing.next_key)
        by_cursor += _ids(listing)
    assert by_number == expected == by_cursor
    assert listing.next_key is None


def test_malformed_cursor_falls_back_to_the_page_number(board_of_nine):
    board = board_of_nine
    plain = _ids(reading.board_page(board, 3))
    for junk in ("", "abc", "12.x", "9" * 30 + ".1", "-5.3"):
        assert _ids(reading.board_page(board, 3, after=junk)) == plain


def test_next_page_link_carries_the_cursor(client, board_of_nine):
    page = client.get(f"/boards/{board_of_nine.slug}").get_data(as_text=True)
    assert "page=2&amp;after=" in page
    link = page.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    assert client.get(link).status_code == 200
