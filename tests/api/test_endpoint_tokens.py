"""Every operation added for articles, search, reports, watches, the export and the review queue
refuses dead tokens (401) and tokens without its scope (403), and changes nothing when it does."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import ModerationAction, Report, utcnow
from forum.models.watching import TopicWatch
from forum.services import moderation, tokens

# (method, url, json body, scope it needs; None: public)
OPERATIONS = [
    ("GET", "/api/v1/articles", None, None),
    ("GET", "/api/v1/search?q=spasm", None, None),
    ("POST", "/api/v1/posts/{post}/report", {"reason": "spam"}, "write"),
    ("POST", "/api/v1/topics/{topic}/report", {"reason": "spam"}, "write"),
    ("GET", "/api/v1/me/watches/topics", None, "read"),
    ("PUT", "/api/v1/me/watches/topics/{topic}", {"level": "muted"}, "write"),
    ("DELETE", "/api/v1/me/watches/topics/{topic}", None, "write"),
    ("GET", "/api/v1/me/watches/boards", None, "read"),
    ("PUT", "/api/v1/me/watches/boards/{board}", {"level": "muted"}, "write"),
    ("DELETE", "/api/v1/me/watches/boards/{board}", None, "write"),
    ("GET", "/api/v1/me/export", None, "read"),
    ("GET", "/api/v1/moderation/queue", None, "moderate"),
    ("GET", "/api/v1/moderation/queue/{entry}", None, "moderate"),
    ("POST", "/api/v1/moderation/queue/{entry}/dismiss", {}, "moderate"),
]
IDS = [f"{m} {u.split('/api/v1')[1]}" for m, u, _, _ in OPERATIONS]


@pytest.fixture
def things(make_board, make_topic, make_post, make_user):
    board = make_board(slug="daily-life")
    topic = make_topic(board=board)
    post = make_post(topic=topic)
    entry = moderation.file_report(make_user(), "post", post.id, "spam").entry_id
    db.session.commit()
    return {"board": board.slug, "topic": topic.id, "post": post.id, "entry": entry}


def _changes() -> tuple[int, int, int]:
    return tuple(db.session.scalar(select(func.count()).select_from(model)) for model in (Report, ModerationAction, TopicWatch))


@pytest.mark.parametrize("state", ["expired", "revoked", "closed account"])
@pytest.mark.parametrize("method, url, body, scope", OPERATIONS, ids=IDS)
def test_dead_tokens_are_refused(client, moderator, things, make_token, bearer, problem, method, url, body, scope, state):
    secret = make_token(moderator, "read write moderate")
    token = tokens.authenticate(secret)
    if state == "expired":
        token.expires_at = utcnow() - timedelta(seconds=1)
    elif state == "revoked":
        token.revoked_at = utcnow()
    else:
        token.user.password_hash = ""
    db.session.commit()
    before = _changes()
    problem(client.open(url.format(**things), method=method, json=body, headers=bearer(secret)), 401, "invalid-token")
    assert _changes() == before


@pytest.mark.parametrize("method, url, body, scope", [op for op in OPERATIONS if op[3]], ids=[i for i, op in zip(IDS, OPERATIONS) if op[3]])
def test_tokens_without_the_scope_are_refused(client, moderator, things, make_token, bearer, problem, method, url, body, scope):
    others = " ".join(s for s in ("read", "write", "moderate") if s != scope)
    before = _changes()
    response = client.open(url.format(**things), method=method, json=body, headers=bearer(make_token(moderator, others)))
    problem(response, 403, "insufficient-scope")
    assert scope in response.headers["WWW-Authenticate"]
    problem(client.open(url.format(**things), method=method, json=body), 401, "unauthenticated")
    assert _changes() == before
