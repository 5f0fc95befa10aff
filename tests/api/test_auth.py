"""Bearer tokens: accepted, refused (unknown, revoked, expired, closed account, wrong scope), and
the session cookie never counting for the API."""
from __future__ import annotations

from datetime import timedelta

import pytest

from forum.extensions import db
from forum.models import ApiToken, utcnow
from forum.services import tokens


def test_token_is_stored_only_as_its_sha256(member):
    issued = tokens.create_token(member, "phone", ["read"])
    db.session.commit()
    stored = db.session.get(ApiToken, issued.token.id)
    assert issued.secret.startswith("fsf_") and len(issued.secret) >= 40
    assert stored.token_hash == tokens.hash_token(issued.secret) != issued.secret
    assert issued.secret not in {stored.name, stored.prefix, stored.scopes}
    assert issued.secret.startswith(stored.prefix)


def test_tokens_are_unique_and_random(member):
    secrets_ = {tokens.create_token(member, f"t{i}", ["read"]).secret for i in range(5)}
    assert len(secrets_) == 5


def test_me_with_a_valid_token(client, member, make_token, bearer):
    response = client.get("/api/v1/me", headers=bearer(make_token(member, "read")))
    assert response.status_code == 200
    assert response.json["username"] == member.username
    assert response.json["scopes"] == ["read"]
    assert "email" not in response.json


def test_last_used_time_is_kept(client, member, make_token, bearer):
    secret = make_token(member, "read")
    assert db.session.scalar(db.select(ApiToken.last_used_at)) is None
    client.get("/api/v1/me", headers=bearer(secret))
    db.session.expire_all()
    assert db.session.scalar(db.select(ApiToken.last_used_at)) is not None


@pytest.mark.parametrize(
    "header",
    ["Bearer fsf_not-a-real-token-at-all-000000000000000", "Bearer nope", "Basic dXNlcjpwYXNz", "Bearer ", "Bearer " + "x" * 500],
)
def test_bad_tokens_are_refused_with_401(client, header):
    response = client.get("/api/v1/boards", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.content_type == "application/problem+json"
    assert response.json["type"] == "/api/v1/problems/invalid-token"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_is_refused(client, member, make_token, bearer):
    secret = make_token(member, "read")
    token = db.session.scalar(db.select(ApiToken))
    tokens.revoke_token(member, token.id)
    db.session.commit()
    response = client.get("/api/v1/me", headers=bearer(secret))
    assert response.status_code == 401
    assert "revoked" in response.json["detail"]


def test_expired_token_is_refused(client, member, make_token, bearer):
    secret = make_token(member, "read", expires_at=utcnow() + timedelta(days=1))
    token = db.session.scalar(db.select(ApiToken))
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.get("/api/v1/me", headers=bearer(secret))
    assert response.status_code == 401
    assert "expired" in response.json["detail"]


def test_token_of_a_closed_account_is_refused(client, member, make_token, bearer):
    secret = make_token(member, "read")
    member.password_hash = ""
    db.session.commit()
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401


@pytest.mark.parametrize(
    "method, url, scope, body",
    [
        ("GET", "/api/v1/me", "write", None),
        ("GET", "/api/v1/me/notifications", "write", None),
        ("POST", "/api/v1/topics/1/posts", "read", {"body": "Hello"}),
        ("PATCH", "/api/v1/posts/1", "read", {"body": "Hello"}),
        ("DELETE", "/api/v1/posts/1", "read", None),
        ("POST", "/api/v1/boards/any/topics", "read", {"title": "Hello there", "body": "Hi"}),
        ("GET", "/api/v1/moderation/log", "read write", None),
    ],
)
def test_a_token_outside_its_scopes_gets_403(client, moderator, make_token, bearer, method, url, scope, body):
    response = client.open(url, method=method, json=body, headers=bearer(make_token(moderator, scope)))
    assert response.status_code == 403
    assert response.json["type"] == "/api/v1/problems/insufficient-scope"
    assert 'error="insufficient_scope"' in response.headers["WWW-Authenticate"]


@pytest.mark.parametrize(
    "method, url, body",
    [
        ("GET", "/api/v1/me", None),
        ("POST", "/api/v1/topics/1/posts", {"body": "Hello"}),
        ("PATCH", "/api/v1/posts/1", {"body": "Hello"}),
        ("DELETE", "/api/v1/posts/1", None),
        ("POST", "/api/v1/me/notifications/read", {"all": True}),
        ("GET", "/api/v1/moderation/log", None),
    ],
)
def test_the_session_cookie_is_never_enough(client, login, member, make_topic, method, url, body):
    """Signed in on the web, but no token: the API answers 401 and nothing changes."""
    make_topic(author=member)
    login(member)
    response = client.open(url, method=method, json=body)
    assert response.status_code == 401
    assert response.json["type"] == "/api/v1/problems/unauthenticated"


def test_api_writes_need_no_csrf_token_but_web_forms_still_do(app, member, make_topic, make_token, bearer):
    topic = make_topic(author=member)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = app.test_client()
        response = client.post(f"/api/v1/topics/{topic.id}/posts", json={"body": "Via the API"}, headers=bearer(make_token(member)))
        assert response.status_code == 201
        with client.session_transaction() as session:
            session["_user_id"] = member.get_id()
        page = client.post(f"/topics/{topic.id}/reply", data={"body": "No CSRF token"})
        assert page.status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_moderate_scope_needs_a_moderator(client, member, moderator, make_token, bearer):
    # A member cannot even be issued such a token...
    with pytest.raises(Exception):
        tokens.create_token(member, "mod", ["moderate"])
    db.session.rollback()
    # ...and a moderator's token stops working for moderation once they are no longer staff.
    secret = make_token(moderator, "read moderate")
    assert client.get("/api/v1/moderation/log", headers=bearer(secret)).status_code == 200
    from forum.models import Role

    moderator.role = Role.MEMBER
    db.session.commit()
    response = client.get("/api/v1/moderation/log", headers=bearer(secret))
    assert response.status_code == 403
    assert response.json["type"] == "/api/v1/problems/forbidden"


@pytest.mark.parametrize(
    "name, scopes, expires, message",
    [
        ("", ["read"], None, "name"),
        ("x" * 61, ["read"], None, "name"),
        ("ok", [], None, "at least one scope"),
        ("ok", ["admin"], None, "Unknown scope"),
        ("ok", ["read"], timedelta(days=-1), "future"),
        ("ok", ["read"], timedelta(days=400), "year"),
    ],
)
def test_token_creation_rules(member, name, scopes, expires, message):
    from forum.errors import InvalidInput

    with pytest.raises(InvalidInput, match=message):
        tokens.create_token(member, name, scopes, utcnow() + expires if expires else None)


def test_a_member_cannot_revoke_someone_elses_token(member, other_member):
    from forum.errors import NotFound

    issued = tokens.create_token(member, "mine", ["read"])
    db.session.commit()
    with pytest.raises(NotFound):
        tokens.revoke_token(other_member, issued.token.id)
