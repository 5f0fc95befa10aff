"""Unread tracking: which topics have posts a member has not read, and where they start.

Read positions are TopicRead rows (one per member and topic, moved forward by
reading.mark_read); this module only reads them, in one query per page.
"""
from __future__ import annotations

import functools

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, bindparam, exists, select
from sqlalchemy.orm import joinedload

from forum.errors import NotFound
from forum.models import Board, Topic, TopicRead, User, utcnow
from forum.models.base import db
from forum.models.notification import Notification
from forum.models.watching import BoardWatch, TopicWatch, WatchLevel
from forum.services.reading import TopicFacts

# A topic never opened counts as new for this long after it was started.
NEW_TOPIC_DAYS = 14


@dataclass(frozen=True)
class TopicUnread:
    """What a topic row shows a member: "new" (never opened) or how many posts are unread."""

    is_new: bool
    unread: int
    first_unread: int | None  # the number of the first unread post, to link to


def read_positions(user: User, topics: Sequence[Topic | TopicFacts]) -> dict[int, TopicUnread]:
    """Unread state for the topics of a listing page (one query)."""
    if not topics:
        return {}
    member_id = user.id
    rows = dict(db.session.execute(_read_positions(), {"member_id": member_id, "topic_ids": [t.id for t in topics]}).all())
    new_since = max(utcnow() - timedelta(days=NEW_TOPIC_DAYS), user.created_at)
    states = {}
    for topic in topics:
        last_read = rows.get(topic.id)
        if last_read is None:
            is_new = topic.created_at >= new_since and topic.author_id != member_id
            states[topic.id] = TopicUnread(is_new=is_new, unread=0, first_unread=None)
        elif last_read < topic.last_number:
            states[topic.id] = TopicUnread(is_new=False, unread=topic.last_number - last_read, first_unread=last_read + 1)
        else:
            states[topic.id] = TopicUnread(is_new=False, unread=0, first_unread=None)
    return states


@dataclass(frozen=True)
class TopicState:
    last_read: int | None
    watch_level: WatchLevel | None
    has_unread_notifications: bool

    def first_unread(self, topic: Topic) -> int | None:
        if self.last_read is not None and self.last_read < topic.last_number:
            return self.last_read + 1
        return None


def load_topic_for(user: User, topic_id: int) -> tuple[Topic, TopicState]:
    """The topic with its board, and the member's state for it (one query), or 404."""
    row = db.session.execute(_topic_for_member(), {"member_id": user.id, "topic_id": topic_id}).first()
    if row is None:
        raise NotFound("We could not find that topic. It may have been removed.")
    watch = WatchLevel(getattr(row[2], "value", row[2])) if row[2] is not None else None
    return row[0], TopicState(last_read=row[1], watch_level=watch, has_unread_notifications=bool(row[3]))


@functools.cache
def _topic_for_member():
    """Built once (building it cost more than running it), with the member and topic as parameters."""
    member = bindparam("member_id")
    last_read = select(TopicRead.last_read_number).where(TopicRead.user_id == member, TopicRead.topic_id == Topic.id)
    level = select(TopicWatch.level).where(TopicWatch.user_id == member, TopicWatch.topic_id == Topic.id)
    notified = exists().where(
        and_(Notification.user_id == member, Notification.read_at.is_(None), Notification.topic_id == Topic.id)
    )
    return (
        select(Topic, last_read.scalar_subquery(), level.scalar_subquery(), notified)
        .options(joinedload(Topic.board))
        .where(Topic.id == bindparam("topic_id"))
    )


def board_with_watch(slug: str, user: User) -> tuple[Board | None, WatchLevel | None]:
    """A board and the member's watch level for it (one query)."""
    row = db.session.execute(_board_for_member(), {"member_id": user.id, "slug": slug}).first()
    if row is None:
        return None, None
    return row[0], row[1]


# The statements of every signed-in reading page, built once (building one cost more than
# running it) with the member and what they read as parameters.


@functools.cache
def _read_positions():
    return select(TopicRead.topic_id, TopicRead.last_read_number).where(
        TopicRead.user_id == bindparam("member_id"), TopicRead.topic_id.in_(bindparam("topic_ids", expanding=True))
    )


@functools.cache
def _board_for_member():
    return (
        select(Board, BoardWatch.level)
        .outerjoin(BoardWatch, and_(BoardWatch.board_id == Board.id, BoardWatch.user_id == bindparam("member_id")))
        .where(Board.slug == bindparam("slug"))
    )
