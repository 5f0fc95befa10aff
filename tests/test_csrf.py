"""CSRF: every state-changing route refuses a request without a valid token, and nothing changes.

The routes come from the authorization matrix, which covers every route of app.url_map.
"""
from __future__ import annotations

import re

import pytest

from tests import dbscan
from tests.test_authorization_matrix import MATRIX, ROLES, STATE_CHANGING, build_world, request_as, row_id

CHANGING = sorted(key for key, row in MATRIX.items() if key[1] in STATE_CHANGING and row.csrf)


def test_there_are_state_changing_routes():
    assert len(CHANGING) >= 5


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", CHANGING, ids=row_id)
def test_post_without_token_is_refused_and_changes_nothing(client, csrf_enabled, key, role):
    row = MATRIX[key]
    world = build_world()
    before = dbscan.snapshot()
    response = request_as(client, world, role, key[1], row.url(world), row.data(world) if row.data else {})
    assert response.status_code == 400, (key, role, response.status_code)
    assert "Form expired" in response.get_data(as_text=True)
    assert dbscan.snapshot() == before


@pytest.mark.parametrize("key", CHANGING, ids=row_id)
def test_post_with_a_wrong_token_is_refused(client, csrf_enabled, key):
    row = MATRIX[key]
    world = build_world()
    client.get("/")  # a session with a real token exists, but the request carries another one
    before = dbscan.snapshot()
    data = dict(row.data(world) if row.data else {}, csrf_token="forged-token")
    response = request_as(client, world, "admin", key[1], row.url(world), data)
    assert response.status_code == 400
    assert dbscan.snapshot() == before


def page_token(client, url: str) -> str:
    """The CSRF token of the form on `url`, as a browser would read it."""
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def test_forms_carry_a_token_that_is_accepted(client, csrf_enabled, make_user, make_board):
    make_user(username="token_tess")
    board = make_board(slug="coping")
    token = page_token(client, "/signin")
    response = client.post("/signin", data={"login": "token_tess", "password": "correct-horse-battery", "csrf_token": token})
    assert response.status_code == 302
    token = page_token(client, f"/boards/{board.slug}/new")
    response = client.post(f"/boards/{board.slug}/new", data={"title": "With a token", "body": "Hello", "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)
