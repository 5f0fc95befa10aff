"""Unread tracking: which topics have posts a member has not read, and where they start.

Read positions are TopicRead rows (one per member and topic, moved forward by
reading.mark_read); this module only reads them, in one query per page.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, exists, literal, select
from sqlalchemy.orm import joinedload

from forum.errors import NotFound
from forum.models import Board, Topic, TopicRead, User, utcnow
from forum.models.base import db
from forum.models.notification import Notification
from forum.models.watching import BoardWatch, TopicWatch, WatchLevel
from forum.services import notifications
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
    """Unread state for the topics of a listing page, and the bell's count (one query)."""
    if not topics:
        return {}
    # One row at least (an outer join from a single row), each carrying the bell's count too.
    anchor = select(literal(1).label("one")).subquery()
    result = db.session.execute(
        select(notifications.unread_count_query(user.id), TopicRead.topic_id, TopicRead.last_read_number)
        .select_from(anchor)
        .outerjoin(TopicRead, and_(TopicRead.user_id == user.id, TopicRead.topic_id.in_([t.id for t in topics])))
    ).all()
    notifications.remember_unread_count(result[0][0])
    rows = {topic_id: number for _, topic_id, number in result if topic_id is not None}
    recent = utcnow() - timedelta(days=NEW_TOPIC_DAYS)
    states = {}
    for topic in topics:
        last_read = rows.get(topic.id)
        if last_read is None:
            is_new = topic.created_at >= max(recent, user.created_at) and topic.author_id != user.id
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
    """The topic with its board, and the member's state for it with the bell's count (one query), or 404."""
    last_read = select(TopicRead.last_read_number).where(TopicRead.user_id == user.id, TopicRead.topic_id == Topic.id)
    level = select(TopicWatch.level).where(TopicWatch.user_id == user.id, TopicWatch.topic_id == Topic.id)
    notified = exists().where(
        and_(Notification.user_id == user.id, Notification.read_at.is_(None), Notification.topic_id == Topic.id)
    )
    row = db.session.execute(
        select(Topic, last_read.scalar_subquery(), level.scalar_subquery(), notified, notifications.unread_count_query(user.id))
        .options(joinedload(Topic.board))
        .where(Topic.id == topic_id)
    ).first()
    if row is None:
        raise NotFound("We could not find that topic. It may have been removed.")
    notifications.remember_unread_count(row[4])
    watch = WatchLevel(getattr(row[2], "value", row[2])) if row[2] is not None else None
    return row[0], TopicState(last_read=row[1], watch_level=watch, has_unread_notifications=bool(row[3]))


def board_with_watch(slug: str, user: User) -> tuple[Board | None, WatchLevel | None]:
    """A board and the member's watch level for it (one query)."""
    row = db.session.execute(
        select(Board, BoardWatch.level)
        .outerjoin(BoardWatch, and_(BoardWatch.board_id == Board.id, BoardWatch.user_id == user.id))
        .where(Board.slug == slug)
    ).first()
    if row is None:
        return None, None
    return row[0], row[1]
