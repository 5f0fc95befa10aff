"""Settings › API tokens: create (shown once), list, revoke."""
from __future__ import annotations

import re

from forum.extensions import db
from forum.models import ApiToken


def test_tokens_page_needs_sign_in(client):
    response = client.get("/settings/tokens")
    assert response.status_code == 302
    assert "/signin" in response.headers["Location"]


def test_create_token_shows_it_once(client, login, member):
    login(member)
    response = client.post("/settings/tokens", data={"name": "check-in bot", "scopes": ["read", "write"], "expires": "30"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    secret = re.search(r'value="(fsf_[A-Za-z0-9_-]+)"', html).group(1)
    token = db.session.scalar(db.select(ApiToken))
    assert token.name == "check-in bot" and token.scopes == "read write" and token.expires_at is not None
    # The list shows the prefix, never the token again.
    again = client.get("/settings/tokens").get_data(as_text=True)
    assert secret not in again and token.prefix in again
    # And the token works.
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200


def test_moderate_scope_is_offered_to_moderators(client, login, moderator):
    login(moderator)
    assert 'value="moderate"' in client.get("/settings/tokens").get_data(as_text=True)


def test_moderate_scope_is_not_offered_to_members(client, login, member):
    login(member)
    assert 'value="moderate"' not in client.get("/settings/tokens").get_data(as_text=True)
    response = client.post("/settings/tokens", data={"name": "x", "scopes": ["moderate"], "expires": "never"})
    assert response.status_code == 422
    assert db.session.scalar(db.select(ApiToken)) is None


def test_create_token_bad_input_is_422(client, login, member):
    login(member)
    assert client.post("/settings/tokens", data={"name": "", "scopes": ["read"], "expires": "30"}).status_code == 422
    assert client.post("/settings/tokens", data={"name": "a", "scopes": [], "expires": "30"}).status_code == 422
    assert client.post("/settings/tokens", data={"name": "a", "scopes": ["read"], "expires": "9999"}).status_code == 422
    assert client.post("/settings/tokens", data={"name": "a\x00b", "scopes": ["read"], "expires": "30"}).status_code == 422
    assert db.session.scalar(db.select(ApiToken)) is None


def test_cannot_revoke_someone_elses_token(client, login, member, other_member, make_token):
    make_token(member, "read")
    token = db.session.scalar(db.select(ApiToken))
    login(other_member)
    assert client.post(f"/settings/tokens/{token.id}/revoke").status_code == 404
    assert token.revoked_at is None


def test_revoke_token(client, login, member, make_token, bearer):
    secret = make_token(member, "read")
    token = db.session.scalar(db.select(ApiToken))
    login(member)
    response = client.post(f"/settings/tokens/{token.id}/revoke")
    assert response.status_code == 302
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401
    assert token.prefix not in client.get("/settings/tokens").get_data(as_text=True)
