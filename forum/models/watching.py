"""Watching and muting: what a member wants to hear about, per topic and per board."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from forum.models.base import db, str_enum, utcnow


class WatchLevel(enum.Enum):
    WATCHING = "watching"  # hear about every new post (in a board: every new topic and post)
    MUTED = "muted"  # hear nothing, even as the topic's author
    # No row at all is the normal level: hear about replies to your own topics, quotes and mentions.


class TopicWatch(db.Model):
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    # Indexed: a new post reads its topic's watchers.
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id"), primary_key=True, index=True)
    level: Mapped[WatchLevel] = mapped_column(str_enum(WatchLevel), default=WatchLevel.WATCHING)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class BoardWatch(db.Model):
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id"), primary_key=True, index=True)
    level: Mapped[WatchLevel] = mapped_column(str_enum(WatchLevel), default=WatchLevel.WATCHING)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
