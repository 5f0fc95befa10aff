"""Bad input gets a clear message and a 4xx page in the site's layout; nothing stored changes."""
from __future__ import annotations

import pytest
from flask import abort
from sqlalchemy import func, select

from config import TestingConfig
from forum import create_app
from forum.extensions import db
from forum.models import Post, Topic


def _counts():
    return db.session.scalar(select(func.count()).select_from(Topic)), db.session.scalar(select(func.count()).select_from(Post))


def test_invalid_utf8_in_a_form_is_400(client, login, member, make_board):
    make_board(slug="coping")
    login(member)
    response = client.post(
        "/boards/coping/new",
        data=b"title=Hello+%FF%FE+there&body=%C3%28",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert b"not valid UTF-8" in response.data
    assert _counts() == (0, 0)


def test_invalid_utf8_in_the_query_string_is_400(client, make_board):
    make_board(slug="coping")
    response = client.get("/boards/coping?page=%FF")
    assert response.status_code == 400
    assert b"not valid UTF-8" in response.data


def test_valid_utf8_text_is_kept_exactly(client, login, member, make_board):
    make_board(slug="coping")
    login(member)
    response = client.post("/boards/coping/new", data={"title": "Ça va? 眼睑痉挛 😊", "body": "Grüße aus Köln"})
    assert response.status_code == 302
    assert db.session.scalar(select(Topic.title)) == "Ça va? 眼睑痉挛 😊"


def test_too_large_request_is_413_page(client, login, member, make_board):
    make_board(slug="coping")
    login(member)
    response = client.post("/boards/coping/new", data={"title": "Big one", "body": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    assert b"larger than the forum accepts" in response.data
    assert _counts() == (0, 0)


def test_unknown_page_is_404_in_the_layout(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "<h1>Page not found</h1>" in html
    assert 'href="#main"' in html and "Medical disclaimer" in html


@pytest.fixture
def error_app(database_url):
    """A separate app with routes that fail on purpose, to see every error page."""
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database_url, PROPAGATE_EXCEPTIONS=False)
    app.testing = False

    @app.get("/_fail/<int:status>")
    def fail(status: int):
        abort(status)

    @app.get("/_crash")
    def crash():
        raise RuntimeError("boom")

    return app


@pytest.mark.parametrize(
    "status, title",
    [(400, "Bad request"), (403, "Not allowed"), (404, "Page not found"), (405, "Method not allowed"),
     (413, "Too large"), (429, "Too many requests"), (500, "Something went wrong")],
)
def test_every_error_page_is_a_real_page(error_app, status, title):
    response = error_app.test_client().get(f"/_fail/{status}")
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert f"<h1>{title}</h1>" in html
    assert '<html lang="en"' in html and "<main" in html and "Medical disclaimer" in html


def test_unexpected_error_is_a_500_page(error_app):
    response = error_app.test_client().get("/_crash")
    assert response.status_code == 500
    assert b"<h1>Something went wrong</h1>" in response.data
    assert b"boom" not in response.data
