"""`flask api-token create USERNAME`: a token issued from the command line, for operators and CI."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from forum.extensions import db
from forum.models import utcnow
from forum.models.api_token import ApiToken


def test_the_printed_token_works_with_its_name_scopes_and_expiry(runner, client, member, bearer):
    result = runner.invoke(args=["api-token", "create", member.username, "--name", "ci check", "--scopes", "read, write", "--days", "30"])
    assert result.exit_code == 0, result.output
    secret = result.output.strip()
    token = db.session.scalar(select(ApiToken))
    assert (token.user_id, token.name, token.scopes) == (member.id, "ci check", "read write")
    assert timedelta(days=29) < token.expires_at - utcnow() <= timedelta(days=30)
    response = client.get("/api/v1/me", headers=bearer(secret))
    assert response.status_code == 200 and response.json["scopes"] == ["read", "write"]


def test_by_default_a_read_token_that_never_expires(runner, member):
    result = runner.invoke(args=["api-token", "create", member.username])
    assert result.exit_code == 0, result.output
    token = db.session.scalar(select(ApiToken))
    assert (token.name, token.scopes, token.expires_at) == ("command line", "read", None)


def test_an_unknown_member_is_refused(runner):
    result = runner.invoke(args=["api-token", "create", "nobody_here"])
    assert result.exit_code == 1
    assert "There is no member called 'nobody_here'." in result.output
    assert db.session.scalar(select(ApiToken)) is None


def test_what_the_service_refuses_is_said_and_nothing_is_stored(runner, member):
    result = runner.invoke(args=["api-token", "create", member.username, "--scopes", "read,moderate"])
    assert result.exit_code == 1
    assert "Only moderators can create tokens with the moderate scope." in result.output
    result = runner.invoke(args=["api-token", "create", member.username, "--days", "0"])
    assert result.exit_code == 2 and "--days" in result.output
    assert db.session.scalar(select(ApiToken)) is None
