"""Fixtures for the moderation tests: a reported post, holds switched on, quick sign-in helpers."""
from __future__ import annotations

import pytest

from forum.extensions import db
from forum.models import Notification, Role
from forum.models.audit import ModerationAction
from sqlalchemy import func, select


@pytest.fixture
def threshold(app):
    saved = app.config["MODERATION_HIDE_THRESHOLD"]
    yield lambda n: app.config.update(MODERATION_HIDE_THRESHOLD=n)
    app.config["MODERATION_HIDE_THRESHOLD"] = saved


@pytest.fixture
def author(make_user):
    return make_user(username="author_ann")


@pytest.fixture
def board(make_board):
    return make_board(slug="coping", name="Coping day to day")


@pytest.fixture
def topic(make_topic, board, author):
    return make_topic(board=board, author=author, title="Living with spasms", body="My opening post.")


@pytest.fixture
def reply(make_post, topic, author):
    return make_post(topic=topic, author=author, body="A reply that someone may report.")


@pytest.fixture
def moderator2(make_user):
    return make_user(username="mod_mel", role=Role.MODERATOR)


@pytest.fixture
def users_by_role(make_user):
    """A user of each role, made on demand: users_by_role('moderator')."""
    made = {}

    def _get(role: str):
        if role not in made:
            made[role] = make_user(username=f"{role}_{len(made)}_x", role=Role(role))
        return made[role]

    return _get


def actions(action: str | None = None) -> list[ModerationAction]:
    query = select(ModerationAction).order_by(ModerationAction.id)
    if action:
        query = query.where(ModerationAction.action == action)
    return list(db.session.scalars(query))


def notifications_for(user_id: int) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user_id).order_by(Notification.id)))


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))
