"""A page costs the same small number of queries whatever its size, and reading writes (almost) nothing."""
from __future__ import annotations

import pytest

from forum.extensions import db
from forum.models import Board
from forum.services import posting
from tests.factories import add_replies_in_bulk

WRITES = ("INSERT", "UPDATE", "DELETE")


def _fill_topic(topic, replies: int, author) -> None:
    add_replies_in_bulk(topic, replies, author)


def _get(client, count_queries, path):
    with count_queries() as counter:
        response = client.get(path)
    assert response.status_code == 200
    return counter


@pytest.mark.parametrize("signed_in", [False, True])
def test_topic_page_query_count_is_constant(client, login, count_queries, make_topic, make_user, signed_in):
    small, large = make_topic(), make_topic()
    replier = make_user()
    _fill_topic(small, 4, replier)
    _fill_topic(large, 499, replier)
    if signed_in:
        login(make_user())
    small_count = _get(client, count_queries, f"/topics/{small.id}").count
    large_count = _get(client, count_queries, f"/topics/{large.id}").count
    last_page = _get(client, count_queries, f"/topics/{large.id}?page=25").count
    assert small_count == large_count == last_page
    assert small_count <= 6


@pytest.mark.parametrize("signed_in", [False, True])
def test_home_page_query_count_is_constant(client, login, count_queries, make_board, make_topic, make_user, signed_in):
    if signed_in:
        login(make_user())
    board = make_board()
    make_topic(board=board)
    few = _get(client, count_queries, "/").count
    for _ in range(8):
        make_topic(board=make_board(), replies=2)
    many = _get(client, count_queries, "/").count
    assert few == many <= 6


@pytest.mark.parametrize("signed_in", [False, True])
def test_board_page_query_count_is_constant(client, login, count_queries, make_board, make_user, signed_in):
    if signed_in:
        login(make_user())
    small, large = make_board(slug="small"), make_board(slug="large")
    author = make_user()
    posting.start_topic(small, author, "Only topic here", "body")
    for i in range(60):
        posting.start_topic(large, make_user() if i % 10 == 0 else author, f"Topic {i}", "body")
    db.session.commit()
    small_count = _get(client, count_queries, "/boards/small").count
    large_count = _get(client, count_queries, "/boards/large").count
    assert small_count == large_count <= 6
    page_three = _get(client, count_queries, "/boards/large?page=3").count
    assert page_three <= 6


def test_anonymous_page_views_write_nothing(client, count_queries, make_topic):
    topic = make_topic(replies=3)
    board = db.session.get(Board, topic.board_id)
    for path in ["/", f"/boards/{board.slug}", f"/topics/{topic.id}"]:
        counter = _get(client, count_queries, path)
        assert not [s for s in counter.statements if s.lstrip().upper().startswith(WRITES)], path


def test_signed_in_topic_view_writes_one_small_row(client, login, count_queries, make_topic, make_user):
    topic = make_topic(replies=3)
    login(make_user())
    counter = _get(client, count_queries, f"/topics/{topic.id}")
    writes = [s for s in counter.statements if s.lstrip().upper().startswith(WRITES)]
    assert len(writes) == 1
    assert "topic_read" in writes[0]


def test_reading_a_page_again_writes_nothing(client, login, count_queries, make_topic, make_user):
    topic = make_topic(replies=3)
    login(make_user())
    _get(client, count_queries, f"/topics/{topic.id}")
    counter = _get(client, count_queries, f"/topics/{topic.id}")
    assert not [s for s in counter.statements if s.lstrip().upper().startswith(WRITES)]
    # An earlier page read again leaves the read position where it was.
    counter = _get(client, count_queries, f"/topics/{topic.id}?page=1")
    assert not [s for s in counter.statements if s.lstrip().upper().startswith(WRITES)]


def test_signed_in_pages_set_no_cookie_once_the_session_is_settled(client, make_user, csrf_enabled):
    """The first page after signing in shows the welcome and makes the form token (one new
    cookie); pages after it leave the session alone, so they set no cookie."""
    import re

    from tests.factories import PASSWORD

    member = make_user()
    page = client.get("/signin").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/signin", data={"login": member.username, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    assert "Welcome back" in client.get("/").get_data(as_text=True)
    for path in ["/", "/notifications", "/search?q=botox"]:
        response = client.get(path)
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers, path


@pytest.mark.parametrize("opening", [False, True])
def test_posting_updates_the_board_row_last(db, count_queries, make_board, make_topic, make_user, opening):
    """Every post in a board updates the board's counters, and PostgreSQL keeps that row locked
    until the commit: the update comes after the post is indexed and its notifications written."""
    board = make_board()
    topic = make_topic(board=board)
    watcher = make_user()
    posting.reply_to_topic(topic, watcher, "I watch this topic now.")
    db.session.commit()
    with count_queries() as counter:
        if opening:
            posting.start_topic(board, make_user(), "Eyelid spasms at night", "Does anyone else get them at night?")
        else:
            posting.reply_to_topic(topic, make_user(), "The spasms ease when I rest my eyes.")
    statements = [" ".join(s.split()[:3]).upper() for s in counter.statements]
    board_update = next(n for n, s in enumerate(statements) if s.startswith("UPDATE BOARD"))
    assert any(s.startswith("INSERT INTO SEARCH_DOCUMENT") for s in statements[:board_update])
    if not opening:
        assert any(s.startswith("INSERT INTO NOTIFICATION") for s in statements[:board_update])
    assert all(s.startswith("UPDATE") for s in statements[board_update:])
    db.session.commit()
