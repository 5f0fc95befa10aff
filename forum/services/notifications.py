"""Telling members what happened: notifications written in a fixed number of statements."""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from flask import current_app, g
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import Integer, String, Text, bindparam, delete, func, insert, literal, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import joinedload

from forum.models import Board, ContentStatus, Post, Topic, User, utcnow
from forum.models.base import UTCDateTime, db
from forum.models.notification import EmailPreference, Notification, NotificationSettings, OutboxMail
from forum.models.watching import BoardWatch, TopicWatch, WatchLevel
from forum.site_urls import site_url


def notify(
    user_ids: Iterable[int],
    kind: str,
    text: str,
    url: str = "",
    *,
    actor_id: int | None = None,
    topic_id: int | None = None,
    post_id: int | None = None,
) -> int:
    """Notify every member in `user_ids`, and queue mail for those who want it at once.

    Two statements whatever the number of members: one INSERT of notifications, one INSERT ... SELECT
    into the mail outbox. Returns how many were notified.
    """
    recipients = sorted({uid for uid in user_ids if uid is not None and uid != actor_id})
    if not recipients:
        return 0
    now = utcnow()
    rows = [
        {
            "user_id": uid, "kind": kind, "text": text[:300], "url": url[:300], "actor_id": actor_id,
            "topic_id": topic_id, "post_id": post_id, "created_at": now,
        }
        for uid in recipients
    ]
    _connection().execute(_insert_notification(), rows)
    _queue_immediate_mail(recipients, text[:300], url[:300], now)
    return len(rows)


def _connection():
    """The session's connection, for the Core statements of a reply's path: no ORM work per statement."""
    return db.session.connection()


@functools.cache
def _insert_notification():
    return insert(Notification.__table__)


BELL_CAP = 100  # the bell shows "99+" beyond this, so counting stops there


def unread_count_query(user_id: int):
    """The bell's number as a scalar subquery: an indexed COUNT of at most BELL_CAP unread rows."""
    unread = (
        select(Notification.id)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .limit(BELL_CAP)
        .subquery()
    )
    return select(func.count()).select_from(unread).scalar_subquery()


def unread_count(user_id: int) -> int:
    """The bell's number (one query). Pages that read other rows of the member fetch it with them."""
    if g and "notification_count" in g:
        return g.notification_count
    return db.session.scalar(select(unread_count_query(user_id))) or 0


def remember_unread_count(count: int) -> None:
    """Keep a bell count read along with other rows, for the header of this request."""
    g.notification_count = int(count or 0)


def mark_all_read(user_id: int) -> None:
    db.session.execute(
        update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None)).values(read_at=utcnow())
    )
    g.pop("notification_count", None)


def mark_many_read(user_id: int, notification_ids: Iterable[int]) -> None:
    """Mark some of a member's own notifications read (others' ids are ignored); one UPDATE."""
    ids = sorted(set(notification_ids))
    if not ids:
        return
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.id.in_(ids), Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    g.pop("notification_count", None)


# ---------------------------------------------------------------------------------------------
# Mail: queued in the outbox in the same transaction as the notification


@functools.cache
def _wants_mail_now():
    return select(NotificationSettings.user_id).where(
        NotificationSettings.user_id.in_(bindparam("recipients", expanding=True)),
        NotificationSettings.email == EmailPreference.IMMEDIATE,
    )


def _queue_immediate_mail(recipients: list[int], text: str, url: str, now) -> None:
    """Queue one mail per recipient who asked for immediate mail: one INSERT ... SELECT.

    Most members keep the default (no mail), so a small SELECT first finds whether anyone wants
    mail at all, and the INSERT runs only when someone does.
    """
    recipients = list(_connection().execute(_wants_mail_now(), {"recipients": recipients}).scalars())
    if not recipients:
        return
    subject = text[:200]
    body = f"{text}\n\n{site_url(url)}\n" if url else f"{text}\n"
    columns = ["user_id", "to_address", "subject", "body", "kind", "created_at", "next_attempt_at", "attempts"]
    source = (
        select(
            User.id,
            User.email,
            literal(subject, String),
            literal(body, Text),
            literal("notification", String),
            literal(now, UTCDateTime()),
            literal(now, UTCDateTime()),
            literal(0, Integer),
        )
        .join(NotificationSettings, NotificationSettings.user_id == User.id)
        .where(
            User.id.in_(recipients),
            NotificationSettings.email == EmailPreference.IMMEDIATE,
            User.email.is_not(None),
            User.banned_at.is_(None),
        )
    )
    # An INSERT's rowcount is kept only when asked for (PostgreSQL reports -1 otherwise).
    statement = insert(OutboxMail).from_select(columns, source).execution_options(preserve_rowcount=True)
    if _connection().execute(statement).rowcount > 0:
        from forum import jobs

        jobs.enqueue_once("forum.services.outbox.send_mail_job")  # sends it once this commits


# ---------------------------------------------------------------------------------------------
# Who hears about a new post


# A quote made by the reply form: "> **@name** wrote:".
_QUOTE = re.compile(r"^>\s*\*\*@([A-Za-z0-9_-]{3,30})\*\*\s+wrote:", re.M)
_MENTION = re.compile(r"(?<![\w@/.+-])@([A-Za-z0-9_-]{3,30})\b")
_CODE = re.compile(r"```.*?```|~~~.*?~~~|`[^`\n]*`", re.S)
MAX_MENTIONS = 10


def mentioned_names(body: str) -> tuple[set[str], set[str]]:
    """(names quoted, names mentioned) in a post's Markdown, lower-cased; code and quotes do not mention."""
    quoted = {name.lower() for name in _QUOTE.findall(body)}
    outside = "\n".join(line for line in _CODE.sub(" ", body).splitlines() if not line.lstrip().startswith(">"))
    mentioned = {name.lower() for name in _MENTION.findall(outside)}
    return set(sorted(quoted)[:MAX_MENTIONS]), set(sorted(mentioned)[:MAX_MENTIONS])


FANOUT_KINDS = ("reply", "quote", "mention", "new_topic")


def _watch_levels(topic: Topic, limit: int | None = None) -> tuple[dict[int, WatchLevel], dict[int, WatchLevel], bool]:
    """Who watches or muted the topic, and its board (one query); False if there were more than `limit`."""
    params = {"topic_id": topic.id, "board_id": topic.board_id}
    if limit is not None:
        params["most"] = limit + 1
    rows = _connection().execute(_watchers_query(limited=limit is not None), params).all()
    topic_levels: dict[int, WatchLevel] = {}
    board_levels: dict[int, WatchLevel] = {}
    for user_id, level, scope in rows:
        (topic_levels if scope == 0 else board_levels)[user_id] = WatchLevel(getattr(level, "value", level))
    return topic_levels, board_levels, limit is None or len(rows) <= limit


@functools.cache
def _watchers_query(limited: bool):
    """Built once, with the topic, the board and the limit as parameters."""
    query = (
        select(TopicWatch.user_id, TopicWatch.level, literal(0).label("scope"))
        .where(TopicWatch.topic_id == bindparam("topic_id"))
        .union_all(
            select(BoardWatch.user_id, BoardWatch.level, literal(1).label("scope")).where(BoardWatch.board_id == bindparam("board_id"))
        )
    )
    return query.limit(bindparam("most")) if limited else query


def post_published(post: Post, topic: Topic, board: Board, actor: User | None, *, participating: bool = False) -> int:
    """Tell watchers, the topic's author, quoted and mentioned members about a newly visible post.

    Called by posting when a post is published. A fixed number of statements whatever the number
    of recipients. With more watchers than NOTIFY_INLINE_MAX, the notifications are written by a
    background job (`fan_out_post`) once the post is committed, so the reply returns at once.
    Returns how many were notified here. With `participating`, the actor also starts watching the
    topic unless they chose a level already.
    """
    limit = current_app.config.get("NOTIFY_INLINE_MAX", 200)
    topic_levels, board_levels, complete = _watch_levels(topic, limit)
    if participating and actor is not None and actor.id not in topic_levels:
        watch_on_participation(actor.id, topic.id)
    if not complete:
        from forum import jobs

        jobs.enqueue(fan_out_post, post.id)
        return 0
    return _notify_post(post, topic, board, actor, topic_levels, board_levels)


def fan_out_post(post_id: int) -> int:
    """Background job: notify the (many) watchers of a published post. Safe to run twice.

    A fixed number of statements whatever the number of watchers (one SELECT of them, one bulk
    INSERT per kind). The post's row is locked on PostgreSQL, and the job does nothing if the post
    already has its notifications, so a second run (a retry, a job handed over twice) adds none.
    """
    query = select(Post).where(Post.id == post_id)
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    post = db.session.scalar(query)
    if post is None or post.status is not ContentStatus.PUBLISHED:
        return 0  # deleted, hidden or held meanwhile
    done = db.session.scalar(
        select(Notification.id).where(Notification.post_id == post_id, Notification.kind.in_(FANOUT_KINDS)).limit(1)
    )
    if done is not None:
        return 0
    topic = db.session.get(Topic, post.topic_id)
    board = db.session.get(Board, topic.board_id)
    actor = db.session.get(User, post.author_id) if post.author_id is not None else None
    topic_levels, board_levels, _ = _watch_levels(topic)
    return _notify_post(post, topic, board, actor, topic_levels, board_levels)


def _notify_post(post: Post, topic: Topic, board: Board, actor: User | None,
                 topic_levels: dict[int, WatchLevel], board_levels: dict[int, WatchLevel]) -> int:
    def level(user_id: int) -> WatchLevel | None:
        return topic_levels.get(user_id, board_levels.get(user_id))

    def muted(user_id: int) -> bool:
        return level(user_id) is WatchLevel.MUTED

    kinds: dict[int, str] = {}
    if post.number == 1:
        for user_id, board_level in board_levels.items():
            if board_level is WatchLevel.WATCHING:
                kinds[user_id] = "new_topic"
    else:
        watchers = {uid for uid in set(topic_levels) | set(board_levels) if level(uid) is WatchLevel.WATCHING}
        if topic.author_id is not None:
            watchers.add(topic.author_id)
        for user_id in watchers:
            kinds[user_id] = "reply"
    quoted, mentioned = mentioned_names(post.body)
    if quoted or mentioned:
        found = db.session.execute(select(User.id, User.username_key).where(User.username_key.in_(quoted | mentioned))).all()
        for user_id, key in found:
            if key in quoted:
                kinds[user_id] = "quote"
        for user_id, key in found:
            if key in mentioned:
                kinds[user_id] = "mention"
    if kinds and actor is not None and actor.blocked_by_count:
        from forum.services.messages import blockers_of

        for user_id in blockers_of(actor, kinds):  # members who blocked the author hear nothing from them
            del kinds[user_id]
    actor_id = actor.id if actor is not None else None
    name = actor.username if actor is not None else "A former member"
    texts = {
        "reply": lambda: f"{name} replied to “{topic.title}”",
        "quote": lambda: f"{name} quoted you in “{topic.title}”",
        "mention": lambda: f"{name} mentioned you in “{topic.title}”",
        "new_topic": lambda: f"{name} started “{topic.title}” in {board.name}",
    }
    total = 0
    for kind, text in texts.items():
        recipients = [uid for uid, k in kinds.items() if k == kind and not muted(uid)]
        if recipients:
            total += notify(recipients, kind, text(), f"/posts/{post.id}", actor_id=actor_id, topic_id=topic.id, post_id=post.id)
    return total


def article_published(*, board_id: int, title: str, url: str, author_id: int | None = None) -> int:
    """Tell the members watching a board about a newly published article (called by articles)."""
    recipients = db.session.scalars(
        select(BoardWatch.user_id).where(BoardWatch.board_id == board_id, BoardWatch.level == WatchLevel.WATCHING)
    ).all()
    board_name = db.session.scalar(select(Board.name).where(Board.id == board_id)) or "a board you watch"
    return notify(recipients, "article", f"New article in {board_name}: “{title}”", url, actor_id=author_id)


# ---------------------------------------------------------------------------------------------
# Watching, settings and the notifications page


def settings_for(user_id: int) -> NotificationSettings:
    """The member's settings row, made (not yet flushed) if they never changed the defaults."""
    settings = db.session.get(NotificationSettings, user_id)
    if settings is None:
        settings = NotificationSettings(user_id=user_id, email=EmailPreference.NONE, watch_participated=True)
    return settings


def save_settings(user_id: int, email: EmailPreference, watch_participated: bool) -> NotificationSettings:
    settings = settings_for(user_id)
    settings.email = email
    settings.watch_participated = watch_participated
    db.session.add(settings)
    return settings


def watch_on_participation(user_id: int, topic_id: int) -> None:
    """Watch a topic one starts or replies to, unless one said not to or chose a level already (one statement)."""
    dialect = db.session.get_bind().dialect.name
    insert_ = pg_insert if dialect == "postgresql" else sqlite_insert
    opted_out = (
        select(NotificationSettings.user_id)
        .where(NotificationSettings.user_id == user_id, NotificationSettings.watch_participated.is_(False))
        .exists()
    )
    source = select(literal(user_id, Integer), literal(topic_id, Integer), literal(WatchLevel.WATCHING.value, String), literal(utcnow(), UTCDateTime())).where(~opted_out)
    statement = insert_(TopicWatch).from_select(["user_id", "topic_id", "level", "created_at"], source).on_conflict_do_nothing()
    db.session.execute(statement)


def set_topic_watch(user_id: int, topic_id: int, level: WatchLevel | None) -> None:
    """Watch, mute, or (None) go back to normal for a topic."""
    _set_watch(TopicWatch, "topic_id", user_id, topic_id, level)


def set_board_watch(user_id: int, board_id: int, level: WatchLevel | None) -> None:
    _set_watch(BoardWatch, "board_id", user_id, board_id, level)


def _set_watch(model, key: str, user_id: int, target_id: int, level: WatchLevel | None) -> None:
    db.session.execute(delete(model).where(model.user_id == user_id, getattr(model, key) == target_id))
    if level is not None:
        db.session.add(model(user_id=user_id, level=level, created_at=utcnow(), **{key: target_id}))
        db.session.flush()


def topic_watch_level(user_id: int, topic_id: int) -> WatchLevel | None:
    return db.session.scalar(select(TopicWatch.level).where(TopicWatch.user_id == user_id, TopicWatch.topic_id == topic_id))


def notifications_page(user_id: int, before: int | None = None, per_page: int = 30) -> tuple[list[Notification], int | None]:
    """A page of a member's notifications, newest first, paged by id; returns (rows, next `before`)."""
    query = select(Notification).options(joinedload(Notification.actor)).where(Notification.user_id == user_id)
    if before:
        query = query.where(Notification.id < before)
    rows = list(db.session.scalars(query.order_by(Notification.id.desc()).limit(per_page + 1)))
    return rows[:per_page], (rows[per_page - 1].id if len(rows) > per_page else None)


def mark_read(user_id: int, notification_id: int) -> Notification | None:
    """Mark one of the member's notifications read; returns it, or None if it is not theirs."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != user_id:
        return None
    if notification.read_at is None:
        notification.read_at = utcnow()
        g.pop("notification_count", None)
    return notification


def mark_topic_read(user_id: int, topic_id: int) -> None:
    """Reading a topic reads its notifications."""
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None), Notification.topic_id == topic_id)
        .values(read_at=utcnow())
    )
    g.pop("notification_count", None)


# ---------------------------------------------------------------------------------------------
# Unsubscribe links


def unsubscribe_token(user_id: int) -> str:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="unsubscribe").dumps(user_id)


def user_id_from_unsubscribe_token(token: str) -> int | None:
    try:
        value = URLSafeSerializer(current_app.config["SECRET_KEY"], salt="unsubscribe").loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) else None


def unsubscribe(user_id: int) -> None:
    save_settings(user_id, EmailPreference.NONE, settings_for(user_id).watch_participated)
