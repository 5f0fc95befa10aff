"""Published articles (with reviewer and last medical review) and search, through the API."""
from __future__ import annotations

import pytest

from forum.extensions import db
from forum.models import ContentStatus, Post
from forum.services import moderation
from tests.articles.conftest import REFERENCES, author, board, make_article, make_expert, verifier  # noqa: F401


def test_published_articles_list(client, make_article, moderator):
    older = make_article(title="Older article on spasms")
    newer = make_article(title="Newer article on spasms")
    make_article("draft", title="A draft nobody sees")
    make_article("archived", title="An archived article")
    response = client.get("/api/v1/articles?limit=1")
    assert response.status_code == 200
    first = response.json["items"][0]
    assert first["slug"] == newer.slug and first["title"] == "Newer article on spasms"
    assert first["author"] == {"username": "dr_ana", "role": "expert", "credential": "Neurologist, movement disorders"}
    assert first["reviewer"]["username"] == moderator.username and first["last_reviewed_at"] and first["review_due"] is False
    following = client.get(f"/api/v1/articles?limit=1&cursor={response.json['next_cursor']}").json
    assert [a["slug"] for a in following["items"]] == [older.slug] and following["next_cursor"] is None


def test_one_article_with_references_and_review(client, make_article, moderator):
    article = make_article()
    response = client.get(f"/api/v1/articles/{article.slug}")
    assert response.status_code == 200
    data = response.json
    assert data["references"] == REFERENCES
    assert "<strong>one side</strong>" in data["body_html"]
    assert data["reviewer"]["username"] == moderator.username and data["last_reviewed_at"]
    assert data["boards"][0]["slug"] == "treatments" and data["url"] == f"/articles/{article.slug}"


@pytest.mark.parametrize("state", ["draft", "in_review", "archived"])
def test_unpublished_articles_are_not_found(client, make_article, moderator, make_token, bearer, state):
    article = make_article(state)
    staff = bearer(make_token(moderator, "read"))
    for headers in (None, staff):
        response = client.get(f"/api/v1/articles/{article.slug}", headers=headers)
        assert response.status_code == 404 and response.mimetype == "application/problem+json"


@pytest.mark.parametrize("url, status", [
    ("/api/v1/articles/no-such-article", 404),
    ("/api/v1/articles/Not_A_Slug", 404),
    ("/api/v1/articles?limit=0", 422),
    ("/api/v1/articles?limit=abc", 422),
    ("/api/v1/articles?cursor=%%%", 400),
    ("/api/v1/articles?cursor=WzEsMl0", 400),
])
def test_article_bad_input(client, url, status):
    response = client.get(url)
    assert response.status_code == status and response.mimetype == "application/problem+json"


def test_search_finds_published_posts_only(client, make_board, make_topic, make_post, member, moderator):
    board = make_board(slug="daily-life")
    topic = make_topic(board=board, author=member, title="Blepharospasm and bright light", body="Sunglasses help me")
    visible = make_post(topic=topic, body="Tinted glasses with blepharospasm help")
    hidden = make_post(topic=topic, body="A hidden blepharospasm reply")
    moderation.hide_post(hidden, moderator, "Off topic")
    db.session.commit()
    response = client.get("/api/v1/search?q=blepharospasm")
    assert response.status_code == 200
    ids = {hit["id"] for hit in response.json["items"]}
    assert visible.id in ids and hidden.id not in ids
    hit = next(h for h in response.json["items"] if h["id"] == visible.id)
    assert hit["kind"] == "post" and "<mark>" in hit["snippet_html"] and hit["board"]["slug"] == "daily-life"
    assert hit["url"].startswith(f"/topics/{topic.id}")
    # Staff get the same answers: only what everyone may read is indexed.
    assert db.session.get(Post, hidden.id).status is ContentStatus.HIDDEN


def test_search_filters_and_pages(client, make_board, make_topic, member):
    board = make_board(slug="treatments")
    for n in range(3):
        make_topic(board=board, author=member, title=f"Injection diary {n}", body="injection notes")
    first = client.get("/api/v1/search?q=injection&kind=topic&limit=2&order=newest")
    assert first.status_code == 200 and len(first.json["items"]) == 2
    rest = client.get(f"/api/v1/search?q=injection&kind=topic&limit=2&order=newest&cursor={first.json['next_cursor']}").json
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    assert client.get("/api/v1/search?q=injection&board=other-board").json["items"] == []
    assert client.get(f"/api/v1/search?q=injection&author={member.username}").json["items"]


@pytest.mark.parametrize("query, status", [
    ("", 422),
    ("q=", 422),
    ("q=" + "x" * 1001, 422),
    ("q=a&kind=secret", 422),
    ("q=a&order=oldest", 422),
    ("q=a&limit=21", 422),
    ("q=a&board=..%2F", 422),
    ("q=a&cursor=bm90LWpzb24", 400),
    ("q=a&cursor=Wzk5OV0", 400),
    ("q=%00", 422),
])
def test_search_bad_input(client, query, status):
    response = client.get(f"/api/v1/search?{query}")
    assert response.status_code == status, response.json
    assert response.mimetype == "application/problem+json"


def test_search_with_nothing_to_look_for(client):
    assert client.get('/api/v1/search?q=%22%22').json == {"items": [], "next_cursor": None}
