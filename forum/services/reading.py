"""What members read: board listings, topic pages, view counts and read positions."""
from __future__ import annotations

import functools
import math
import threading
import time
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from typing import NamedTuple
from datetime import datetime, timedelta, timezone

from flask import current_app
from sqlalchemy import bindparam, func, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import joinedload

from forum.errors import NotFound
from forum.models import Board, ContentStatus, Post, Topic, TopicRead, User, utcnow
from forum.models.base import db


def boards_for_index() -> list[Board]:
    """Every board in order, with its latest topic and that topic's last poster (one query)."""
    return list(
        db.session.scalars(
            select(Board)
            .options(joinedload(Board.last_topic).joinedload(Topic.last_poster))
            .order_by(Board.position, Board.id)
        ).unique()
    )


@dataclass
class TopicPage:
    pinned: list[Topic]
    topics: list[Topic]
    page: int
    pages: int
    # The next page's cursor (`?after=`): the key of this page's last row.
    next_key: str | None = None


def _topic_list_query(board: Board):
    return (
        select(Topic)
        .options(joinedload(Topic.author), joinedload(Topic.last_poster))
        .where(Topic.board_id == board.id, Topic.status == ContentStatus.PUBLISHED, Topic.pinned.is_(False))
        .order_by(Topic.last_posted_at.desc(), Topic.id.desc())
    )


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MICROSECOND = timedelta(microseconds=1)


def encode_listing_key(last_posted_at: datetime, topic_id: int) -> str:
    """A listing position as it travels in links: microseconds since the epoch, a dot, the id."""
    return f"{(last_posted_at - _EPOCH) // _MICROSECOND}.{topic_id}"


def decode_listing_key(raw: str | None) -> tuple[datetime, int] | None:
    """The position from `?after=`, or None when it is absent or malformed (then the page number decides)."""
    stamp, _, topic_id = (raw or "").partition(".")
    if not (stamp.isdigit() and topic_id.isdigit() and len(stamp) <= 17 and len(topic_id) <= 12):
        return None
    try:
        moment = _EPOCH + int(stamp) * _MICROSECOND
    except OverflowError:
        return None
    return moment, int(topic_id)


def _listing_key_at(board: Board, position: int) -> tuple[datetime, int] | None:
    """The sort key of the listing's row at `position` (0-based), read on the listing index alone.

    The index is walked from whichever end is nearer, so the cost is bounded by half the board,
    and the answer is kept in the cache until the next content change (cache generation).
    """
    from forum import cache as page_cache

    cache_key = f"listing-key:{page_cache.generation()}:{board.id}:{position}"
    found = page_cache.cache.get(cache_key)
    if found is not None:
        return found
    listed = (Topic.board_id == board.id, Topic.status == ContentStatus.PUBLISHED, Topic.pinned.is_(False))
    query = select(Topic.last_posted_at, Topic.id).where(*listed)
    total = max(0, board.topic_count - (db.session.scalar(select(func.count()).where(*listed[:2], Topic.pinned.is_(True))) or 0))
    from_end = total - 1 - position
    if 0 <= from_end < position:
        query = query.order_by(Topic.last_posted_at.asc(), Topic.id.asc()).offset(from_end)
    else:
        query = query.order_by(Topic.last_posted_at.desc(), Topic.id.desc()).offset(position)
    row = db.session.execute(query.limit(1)).first()
    if row is None:
        return None
    found = (row.last_posted_at, row.id)
    page_cache.cache.set(cache_key, found)
    return found


def board_page(board: Board, page: int, after: str | None = None) -> TopicPage:
    """One page of a board: pinned topics on the first page, then 25 topics by latest activity.

    Pages are read by key, so page 400 costs what page 1 costs: the "next page" link carries the
    last key of the page before (`after`); a page asked for by number alone finds its first key
    on the listing index (see _listing_key_at).
    """
    per_page = current_app.config["TOPICS_PER_PAGE"]
    pages = max(1, math.ceil(board.topic_count / per_page))
    if page < 1 or page > pages:
        raise NotFound("There is no such page in this board.")
    pinned: list[Topic] = []
    query = _topic_list_query(board)
    cursor = decode_listing_key(after) if page > 1 else None
    if page == 1:
        pinned = list(
            db.session.scalars(
                select(Topic)
                .options(joinedload(Topic.author), joinedload(Topic.last_poster))
                .where(Topic.board_id == board.id, Topic.status == ContentStatus.PUBLISHED, Topic.pinned.is_(True))
                .order_by(Topic.last_posted_at.desc(), Topic.id.desc())
            )
        )
    elif cursor is not None:
        query = query.where(tuple_(Topic.last_posted_at, Topic.id) < cursor)
    else:
        key = _listing_key_at(board, (page - 1) * per_page)
        if key is None:
            raise NotFound("There is no such page in this board.")
        # A row-value comparison, so that PostgreSQL and SQLite both seek on the listing index.
        query = query.where(tuple_(Topic.last_posted_at, Topic.id) <= key)
    topics = list(db.session.scalars(query.limit(per_page)))
    next_key = encode_listing_key(topics[-1].last_posted_at, topics[-1].id) if topics and page < pages else None
    return TopicPage(pinned=pinned, topics=topics, page=page, pages=pages, next_key=next_key)


class TopicFacts(NamedTuple):
    """What a member's unread marker needs to know of a listed topic (kept with the shared listing)."""

    id: int
    last_number: int
    created_at: datetime
    author_id: int | None

    @classmethod
    def of(cls, topic: Topic) -> "TopicFacts":
        return cls(topic.id, topic.last_number, topic.created_at, topic.author_id)


class LazyTopicPage:
    """A board page whose rows are read only when the template asks for them.

    The page number is checked at once (404 for a page the board does not have); the rows are
    read on first use, so a listing served from the fragment cache costs no query at all.
    """

    def __init__(self, board: Board, page: int, after: str | None = None) -> None:
        self.board, self.page, self.after = board, page, after
        self.pages = max(1, math.ceil(board.topic_count / current_app.config["TOPICS_PER_PAGE"]))
        if page < 1 or page > self.pages:
            raise NotFound("There is no such page in this board.")
        self._loaded: TopicPage | None = None

    def _load(self) -> TopicPage:
        if self._loaded is None:
            self._loaded = board_page(self.board, self.page, self.after)
        return self._loaded

    @property
    def pinned(self) -> list[Topic]:
        return self._load().pinned

    @property
    def topics(self) -> list[Topic]:
        return self._load().topics

    @property
    def next_key(self) -> str | None:
        return self._load().next_key


def topic_pages(topic: Topic) -> int:
    per_page = current_app.config["POSTS_PER_PAGE"]
    return max(1, math.ceil(topic.last_number / per_page))


def topic_posts(topic: Topic, page: int, numbers: Collection[int] | None = None) -> list[Post]:
    """A page of a topic: posts numbered ((page-1)*20, page*20], with their authors (one query).

    `numbers`: only these posts of the page (the others came from the shared cache).
    """
    per_page = current_app.config["POSTS_PER_PAGE"]
    if page < 1 or page > topic_pages(topic):
        raise NotFound("There is no such page in this topic.")
    first = (page - 1) * per_page + 1
    wanted = Post.number.between(first, first + per_page - 1) if numbers is None else Post.number.in_(list(numbers))
    return list(
        db.session.scalars(
            select(Post)
            # The author's expert profile comes in the same query (for the verified-expert badge).
            .options(joinedload(Post.author).joinedload(User.expert_profile))
            .where(Post.topic_id == topic.id, wanted)
            .order_by(Post.number)
        )
    )


def page_of_number(number: int) -> int:
    return (number - 1) // current_app.config["POSTS_PER_PAGE"] + 1


def load_topic(topic_id: int) -> Topic:
    """The topic with its board (one query), or 404."""
    topic = db.session.scalars(_topic_with_board(), {"topic_id": topic_id}).first()
    if topic is None:
        raise NotFound("We could not find that topic. It may have been removed.")
    return topic


@functools.cache
def _topic_with_board():
    """Built once (building it cost more than running it)."""
    return select(Topic).options(joinedload(Topic.board)).where(Topic.id == bindparam("topic_id"))


def load_post(post_id: int) -> Post:
    post = db.session.scalars(
        select(Post).options(joinedload(Post.author), joinedload(Post.topic).joinedload(Topic.board)).where(Post.id == post_id)
    ).first()
    if post is None:
        raise NotFound("We could not find that post.")
    return post


_mark_read_statements: dict[str, object] = {}


def _mark_read_statement(dialect: str):
    """The read-position upsert, built once per dialect (building it costs more than running it)."""
    statement = _mark_read_statements.get(dialect)
    if statement is None:
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        statement = insert(TopicRead).values(
            user_id=bindparam("user_id"),
            topic_id=bindparam("topic_id"),
            last_read_number=bindparam("number"),
            updated_at=bindparam("now", type_=TopicRead.__table__.c.updated_at.type),
        )
        statement = statement.on_conflict_do_update(
            index_elements=[TopicRead.user_id, TopicRead.topic_id],
            set_={"last_read_number": statement.excluded.last_read_number, "updated_at": statement.excluded.updated_at},
            where=TopicRead.last_read_number < statement.excluded.last_read_number,
        )
        _mark_read_statements[dialect] = statement
    return statement


def mark_read(user: User, topic: Topic, number: int) -> None:
    """Move a member's read position forward: one small upsert, never a write to the topic."""
    statement = _mark_read_statement(db.session.get_bind().dialect.name)
    db.session.execute(statement, {"user_id": user.id, "topic_id": topic.id, "number": number, "now": utcnow()})


class ViewBuffer:
    """Topic views counted in memory and written in one batch at most every few seconds."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[int] = Counter()
        self._last_flush = time.monotonic()

    def add(self, topic_id: int) -> None:
        with self._lock:
            self._counts[topic_id] += 1

    def pending(self, topic_id: int) -> int:
        with self._lock:
            return self._counts.get(topic_id, 0)

    def due(self, interval: float) -> bool:
        return bool(self._counts) and time.monotonic() - self._last_flush >= interval

    def take(self) -> dict[int, int]:
        with self._lock:
            counts, self._counts = dict(self._counts), Counter()
            self._last_flush = time.monotonic()
            return counts


view_buffer = ViewBuffer()


def record_view(topic: Topic) -> None:
    """Count a view: in Redis when REDIS_URL is set (shared by every app instance), else in memory."""
    record_view_of(topic.id)


def record_view_of(topic_id: int) -> None:
    """record_view() by id (a topic page served from the page cache has no Topic loaded)."""
    if current_app.config.get("REDIS_URL") and _redis_views_add(topic_id):
        return
    view_buffer.add(topic_id)


def count_cached_view(topic_id: int) -> None:
    """A topic page served from the page cache: its view counted, and the counts written when due
    (the request-end hook that writes them does not run for a page served before Flask)."""
    record_view_of(topic_id)
    maybe_flush_views()


def flush_views(engine=None) -> int:
    """Write buffered view counts in one executemany; returns how many topics were updated."""
    counts = view_buffer.take()
    return _apply_views(counts, engine)


def _apply_views(counts: dict[int, int], engine=None) -> int:
    if not counts:
        return 0
    engine = engine or db.engine
    statement = (
        update(Topic.__table__)
        .where(Topic.__table__.c.id == bindparam("topic_id"))
        .values(view_count=Topic.__table__.c.view_count + bindparam("views"))
    )
    with engine.begin() as connection:
        connection.execute(statement, [{"topic_id": k, "views": v} for k, v in counts.items()])
    return len(counts)


def maybe_flush_views() -> None:
    if view_buffer.due(current_app.config["VIEW_FLUSH_SECONDS"]):
        try:
            flush_views()
        except Exception:  # a failed flush must never break a page
            current_app.logger.exception("Could not flush view counts")



# View counts shared through Redis (when REDIS_URL is set): one hash, HINCRBY per view, and a
# periodic job (forum.jobs, run by the worker) that takes the whole hash atomically and writes it.
def _views_key() -> str:
    return current_app.config.get("REDIS_PREFIX", "forum:") + "views"


def _redis_views_add(topic_id: int) -> bool:
    from redis.exceptions import RedisError

    from forum.redis_conn import redis_client

    try:
        redis_client().hincrby(_views_key(), str(topic_id), 1)
        return True
    except RedisError as error:
        current_app.logger.warning("Redis unavailable, counting views in this process: %s", error)
        return False


def take_redis_views() -> dict[int, int]:
    """Read and clear the shared view counts in one MULTI/EXEC, so no view is counted twice or lost."""
    from forum.redis_conn import redis_client

    client = redis_client()
    if client is None:
        return {}
    pipe = client.pipeline(transaction=True)
    pipe.hgetall(_views_key())
    pipe.delete(_views_key())
    raw, _ = pipe.execute()
    return {int(k): int(v) for k, v in raw.items() if int(v) > 0}


def flush_views_job() -> int:
    """Background job: write the views counted in Redis and in this process to the topics."""
    counts = Counter(view_buffer.take())
    redis_counts = take_redis_views()
    counts.update(redis_counts)
    try:
        return _apply_views(dict(counts))
    except Exception:
        # Put the shared counts back so the next run writes them; views are never worth a crash loop.
        from forum.redis_conn import redis_client

        client = redis_client()
        if client is not None and redis_counts:
            pipe = client.pipeline(transaction=True)
            for topic_id, views in redis_counts.items():
                pipe.hincrby(_views_key(), str(topic_id), views)
            pipe.execute()
        raise
