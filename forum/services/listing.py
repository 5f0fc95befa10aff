"""Lists paged by key for the API: each page reads `limit + 1` rows after the last key seen.

Every query here walks an index from the cursor's key, so the thousandth page costs what
the first costs, and each list is one query whatever the data size.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload

from forum.models import Board, ContentStatus, ModerationAction, Notification, Post, Topic, User
from forum.models.base import db
from forum.models.watching import BoardWatch, TopicWatch
from forum.permissions import is_staff


def board_by_slug(slug: str) -> Board | None:
    return db.session.scalar(select(Board).where(Board.slug == slug))


def load_topic(topic_id: int) -> Topic | None:
    """A topic with its board, author and last poster (one query)."""
    return db.session.scalar(
        select(Topic)
        .options(joinedload(Topic.board), joinedload(Topic.author), joinedload(Topic.last_poster))
        .where(Topic.id == topic_id)
    )


def board_topics(board: Board, after: tuple[bool, datetime, int] | None, limit: int) -> list[Topic]:
    """Published topics of a board: pinned first, then latest activity; `after` is (pinned, last_posted_at, id)."""
    query = (
        select(Topic)
        .options(joinedload(Topic.author), joinedload(Topic.last_poster))
        .where(Topic.board_id == board.id, Topic.status == ContentStatus.PUBLISHED)
        .order_by(Topic.pinned.desc(), Topic.last_posted_at.desc(), Topic.id.desc())
        .limit(limit + 1)
    )
    if after is not None:
        pinned, last_posted_at, topic_id = after
        older = or_(
            Topic.last_posted_at < last_posted_at,
            and_(Topic.last_posted_at == last_posted_at, Topic.id < topic_id),
        )
        if pinned:  # still among the pinned topics: the rest of them, then every unpinned one
            query = query.where(or_(Topic.pinned.is_(False), and_(Topic.pinned.is_(True), older)))
        else:
            query = query.where(Topic.pinned.is_(False), older)
    return list(db.session.scalars(query))


def _visible_posts(viewer: Any):
    """Which posts a viewer sees in a topic: as on the topic page, others' held posts are left out
    (deleted and hidden posts keep their place as a notice)."""
    if is_staff(viewer):
        return None
    shown = Post.status.in_([ContentStatus.PUBLISHED, ContentStatus.DELETED, ContentStatus.HIDDEN])
    if getattr(viewer, "is_authenticated", False):
        return or_(shown, and_(Post.status == ContentStatus.HELD, Post.author_id == viewer.id))
    return shown


def topic_posts(topic: Topic, viewer: Any, after_number: int, limit: int) -> list[Post]:
    """The topic's posts numbered above `after_number`, in order, with their authors."""
    query = (
        select(Post)
        .options(joinedload(Post.author))
        .where(Post.topic_id == topic.id, Post.number > after_number)
        .order_by(Post.number)
        .limit(limit + 1)
    )
    visible = _visible_posts(viewer)
    if visible is not None:
        query = query.where(visible)
    return list(db.session.scalars(query))


def member_by_username(username: str) -> User | None:
    """A member whose account is open (closed accounts have no password), or None."""
    if len(username) > 30:
        return None
    user = db.session.scalar(select(User).where(User.username_key == User.key_for(username)))
    if user is None or user.password_hash == "":
        return None
    return user


def notifications(user: User, after_id: int | None, limit: int, unread_only: bool = False) -> list[Notification]:
    """The member's notifications, newest first, with who caused them."""
    query = (
        select(Notification)
        .options(joinedload(Notification.actor))
        .where(Notification.user_id == user.id)
        .order_by(Notification.id.desc())
        .limit(limit + 1)
    )
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    if after_id is not None:
        query = query.where(Notification.id < after_id)
    return list(db.session.scalars(query))


def moderation_log(after_id: int | None, limit: int, action_prefix: str | None = None) -> list[ModerationAction]:
    """The audit log, newest first, with actor and subject."""
    query = (
        select(ModerationAction)
        .options(joinedload(ModerationAction.actor), joinedload(ModerationAction.subject_user))
        .order_by(ModerationAction.id.desc())
        .limit(limit + 1)
    )
    if action_prefix:
        query = query.where(ModerationAction.action.startswith(action_prefix, autoescape=True))
    if after_id is not None:
        query = query.where(ModerationAction.id < after_id)
    return list(db.session.scalars(query))


def _visible_topics(viewer: Any):
    """The topics a viewer may see, as a condition (mirrors permissions.can_view_topic)."""
    if is_staff(viewer):
        return Topic.status != ContentStatus.DELETED
    return or_(
        Topic.status == ContentStatus.PUBLISHED,
        and_(Topic.status == ContentStatus.HELD, Topic.author_id == viewer.id),
    )


def watched_topics(user: User, after_topic_id: int | None, limit: int) -> list[tuple[TopicWatch, Topic]]:
    """The member's topic watches (watching or muted), newest topic first, on topics they may still see."""
    query = (
        select(TopicWatch, Topic)
        .join(Topic, Topic.id == TopicWatch.topic_id)
        .where(TopicWatch.user_id == user.id, _visible_topics(user))
        .order_by(TopicWatch.topic_id.desc())
        .limit(limit + 1)
    )
    if after_topic_id is not None:
        query = query.where(TopicWatch.topic_id < after_topic_id)
    return [tuple(row) for row in db.session.execute(query)]


def watched_boards(user: User) -> list[tuple[BoardWatch, Board]]:
    """The member's board watches, in the forum's board order (there are few boards)."""
    query = (
        select(BoardWatch, Board)
        .join(Board, Board.id == BoardWatch.board_id)
        .where(BoardWatch.user_id == user.id)
        .order_by(Board.position, Board.id)
    )
    return [tuple(row) for row in db.session.execute(query)]
