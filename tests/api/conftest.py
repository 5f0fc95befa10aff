"""API fixtures: issue tokens and call the API with them."""
from __future__ import annotations

import pytest

from forum.extensions import db
from forum.services import tokens


@pytest.fixture
def make_token(db):
    """make_token(user, "read write", expires_at=None) -> the secret to send as a bearer token."""

    def _make(user, scopes: str = "read write", expires_at=None, name: str = "test") -> str:
        issued = tokens.create_token(user, name, scopes.split(), expires_at)
        db.session.commit()
        return issued.secret

    return _make


@pytest.fixture
def bearer():
    def _headers(secret: str) -> dict:
        return {"Authorization": f"Bearer {secret}"}

    return _headers


@pytest.fixture
def problem():
    """problem(response, status, kind=None) -> the problem+json body, checked."""

    def _check(response, status: int, kind: str | None = None) -> dict:
        assert response.status_code == status, response.get_data(as_text=True)
        assert response.mimetype == "application/problem+json"
        if kind:
            assert response.json["type"] == f"/api/v1/problems/{kind}"
        return response.json

    return _check
