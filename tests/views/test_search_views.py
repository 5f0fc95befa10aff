"""The header's search box and the search page."""
from __future__ import annotations

import re

import pytest

from tests.services.test_search import HOSTILE


@pytest.fixture
def topics(make_board, make_user, make_topic):
    board = make_board(slug="treatment", name="Treatment")
    alice = make_user(username="alice")
    return [
        make_topic(board=board, author=alice, title="Botox near the eye", body="My first <b>injection</b> went well."),
        make_topic(board=board, author=alice, title="Eye drops", body="Drops for dry eyes after botox."),
    ]


@pytest.mark.parametrize("path", ["/", "/search", "/boards/treatment"])
def test_search_box_on_every_page(client, topics, path):
    html = client.get(path).get_data(as_text=True)
    form = re.search(r'<form class="header-search" role="search" method="get" action="/search">.*?</form>', html, re.S)
    assert form, html
    assert '<label for="header-search-q"' in form.group(0)
    assert 'id="header-search-q" name="q"' in form.group(0)


def test_search_page_shows_highlighted_escaped_results(client, topics):
    response = client.get("/search?q=injections")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.count("<h1>") == 1
    assert "<mark>injection</mark>" in html
    assert "<b>" not in html.split('class="result-list"')[1]
    assert f'/topics/{topics[0].id}#post-1' in html


def test_search_without_words_says_so(client, topics):
    html = client.get("/search?q=-botox").get_data(as_text=True)
    assert "No results: type at least one word" in html


def test_no_results_message(client, topics):
    html = client.get("/search?q=xylophone").get_data(as_text=True)
    assert "No results. Try fewer or different words" in html


def test_filters_and_pagination_links(client, topics, make_topic, make_board):
    other = make_board(slug="coping", name="Coping")
    for i in range(22):
        make_topic(board=other, title=f"Botox diary {i}", body="botox again")
    html = client.get("/search?q=botox&board=coping&order=newest").get_data(as_text=True)
    assert html.count('class="result result-topic"') == 20
    assert "<mark>Botox</mark> diary 21" in html
    assert 'rel="next"' in html and "page=2" in html
    page2 = client.get("/search?q=botox&board=coping&order=newest&page=2").get_data(as_text=True)
    assert page2.count('class="result result-topic"') == 2
    assert client.get("/search?q=botox&kind=post").get_data(as_text=True).count('class="result ') == 0


@pytest.mark.parametrize("args", ["board=nope", "since=yesterday", "since=2026-02-01&until=2026-01-01", "kind=everything", "author=" + "x" * 40])
def test_bad_filters_are_422_with_a_message(client, topics, args):
    response = client.get(f"/search?q=botox&{args}")
    assert response.status_code == 422
    assert "Please correct" in response.get_data(as_text=True)


@pytest.mark.parametrize("query", HOSTILE)
def test_any_query_text_is_safe_on_the_page(client, topics, query):
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200


def test_control_characters_in_the_search_box_are_read_as_spaces(client, topics):
    response = client.get("/search", query_string={"q": "botox\x01eye\x1f"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f"/topics/{topics[0].id}#post-1" in html


def test_search_page_query_count_is_constant(client, topics, make_topic, count_queries):
    client.get("/search?q=botox")
    with count_queries() as few:
        client.get("/search?q=botox")
    for i in range(15):
        make_topic(title=f"Botox topic {i}", body="botox")
    with count_queries() as many:
        client.get("/search?q=botox")
    assert many.count == few.count <= 3
