"""Starting topics, replying, quoting, editing and deleting posts."""
from __future__ import annotations

import functools
import re
from datetime import timedelta

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from forum.cache import content_written
from forum.errors import Conflict, InvalidInput, NotAllowed, NotFound
from forum.markup import render_markdown
from forum.models import Board, ContentStatus, FormSubmission, Post, PostRevision, Topic, User, utcnow
from forum.models.base import db
from forum.permissions import (
    can_delete_post,
    can_edit_post,
    can_erase_revision,
    can_reply,
    can_start_topic,
    require,
    why_cannot_participate,
)
from forum.services import screening as screening_service
from forum.services import notifications as notifications_service
from forum.services import search as search_service
from forum.services import uploads
from forum.services.audit import log_action

TITLE_MIN, TITLE_MAX = 5, 150
BODY_MIN, BODY_MAX = 1, 50_000
ERASE_REASON_MAX = 500


def clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if "\x00" in title:
        raise InvalidInput("The title contains a NUL character, which is not allowed.")
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        raise InvalidInput(f"The title must be between {TITLE_MIN} and {TITLE_MAX} characters.")
    return title


def clean_body(body: str | None, limit: int = BODY_MAX) -> str:
    body = (body or "").replace("\r\n", "\n")
    if "\x00" in body:
        raise InvalidInput("The message contains a NUL character, which is not allowed.")
    if not body.strip():
        raise InvalidInput("The message cannot be empty.")
    if len(body) > limit:
        raise InvalidInput(f"The message must be at most {limit:,} characters.")
    return body


def _require_participation(user: User) -> None:
    reason = why_cannot_participate(user)
    if reason:
        raise NotAllowed(reason)


def _next_number(topic: Topic) -> int:
    """Hand out the topic's next post number; the row lock serialises concurrent replies."""
    number = _run(_statements().next_number, {"topic": topic.id}).scalar_one()
    db.session.expire(topic, ["last_number"])
    return number


def _run(statement, params: dict):
    """Run one of the counters' Core statements on the session's connection, in its transaction.

    Core skips the ORM's work per statement (about a quarter of a millisecond each); the session
    does not see these writes, so the page cache is told here, and the rows they change are
    expired by the caller.
    """
    content_written()
    return db.session.connection().execute(statement, params)


def count_publication(post: Post, topic: Topic, board: Board, sign: int = 1) -> None:
    """Add (sign=1) or remove (sign=-1) a published post from the counters kept on rows.

    Called in the same transaction as the change of status, by posting and by moderation.
    """
    statements = _statements()
    adding = sign > 0
    params = {"sign": sign, "board": board.id, "topic": topic.id, "when": post.created_at,
              "post": post.id, "poster": post.author_id, "author": post.author_id}
    _run(statements.board_counts[(post.is_first, adding)], params)
    if not post.is_first:
        _run(statements.topic_counts[adding], params)
    if post.author_id is not None:
        _run(statements.author_count, params)
        author = db.session.identity_map.get(db.session.identity_key(User, post.author_id))
        if author is not None:  # the member posting: read afresh when next asked
            db.session.expire(author, ["post_count"])
    db.session.expire(topic, ["reply_count", "last_posted_at", "last_post_id", "last_poster_id"])
    db.session.expire(board)


class _Statements:
    """The counters' statements, built once with parameters (building one costs more than running it).

    Plain Core statements on the tables: board, topic and author are expired after the counts, so
    their rows in the session need no updating.
    """

    def __init__(self) -> None:
        sign = bindparam("sign")
        boards, topics, users = Board.__table__.c, Topic.__table__.c, User.__table__.c
        self.next_number = (
            update(Topic.__table__).where(topics.id == bindparam("topic")).values(last_number=topics.last_number + 1)
            .returning(topics.last_number)
        )
        self.board_counts = {}
        for first in (False, True):
            for adding in (False, True):
                values: dict = {"post_count": boards.post_count + sign}
                if first:
                    values["topic_count"] = boards.topic_count + sign
                if adding:
                    values.update(last_posted_at=bindparam("when"), last_topic_id=bindparam("topic"))
                self.board_counts[(first, adding)] = update(Board.__table__).where(boards.id == bindparam("board")).values(**values)
        self.topic_counts = {}
        for adding in (False, True):
            values = {"reply_count": topics.reply_count + sign}
            if adding:
                values.update(last_posted_at=bindparam("when"), last_post_id=bindparam("post"), last_poster_id=bindparam("poster"))
            self.topic_counts[adding] = update(Topic.__table__).where(topics.id == bindparam("topic")).values(**values)
        self.author_count = (
            update(User.__table__).where(users.id == bindparam("author")).values(post_count=users.post_count + sign)
        )


@functools.cache
def _statements() -> _Statements:
    return _Statements()


# One-time form keys: the reply and new-topic forms carry a random hidden key; the first POST
# claims it (a unique row, written before anything else in the transaction), a second POST of
# the same form finds it taken and is sent to the post the first one made.
_SUBMISSION_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
SUBMISSION_KEY_DAYS = 30


class AlreadyPosted(Conflict):
    """The same form was sent again; `post_id` is the post the first sending made (if visible)."""

    def __init__(self, post_id: int | None):
        super().__init__("This was already posted: the form was sent twice.")
        self.post_id = post_id


def claim_submission(author: User, key: str | None, post: Post) -> None:
    """Claim a form's one-time key for the post just written, or undo it all and raise AlreadyPosted.

    One INSERT ... ON CONFLICT DO NOTHING, in the post's transaction: a concurrent POST of the same
    form waits for the first one's commit (PostgreSQL) or for the write lock (SQLite), then finds
    the key taken. No key (or a malformed one): no check.
    """
    if not key or not _SUBMISSION_KEY.match(key):
        return
    statement = _claim_statement(db.session.get_bind().dialect.name)
    params = {"key": key, "user_id": author.id, "post_id": post.id, "created_at": utcnow()}
    if db.session.connection().execute(statement, params).rowcount == 1:
        return
    db.session.rollback()  # the post, its number and everything else of this sending
    existing = db.session.get(FormSubmission, key)
    raise AlreadyPosted(existing.post_id if existing is not None and existing.user_id == author.id else None)


@functools.cache
def _claim_statement(dialect: str):
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    return (
        insert(FormSubmission)
        .on_conflict_do_nothing(index_elements=[FormSubmission.key])
        .execution_options(preserve_rowcount=True)
    )


def prune_submission_keys() -> int:
    """Background job: forget one-time form keys older than SUBMISSION_KEY_DAYS."""
    cutoff = utcnow() - timedelta(days=SUBMISSION_KEY_DAYS)
    return db.session.execute(delete(FormSubmission).where(FormSubmission.created_at < cutoff)).rowcount


def start_topic(board: Board, author: User, title: str, body: str, submission_key: str | None = None) -> Post:
    """Open a topic in a board with its first post; returns the first post."""
    _require_participation(author)
    require(can_start_topic(author, board))
    title, body = clean_title(title), clean_body(body)
    verdict = screening_service.screen_content(author, board, title, body)
    now = utcnow()
    topic = Topic(
        board_id=board.id,
        author_id=author.id,
        title=title,
        status=verdict.status,
        created_at=now,
        last_posted_at=now,
        last_poster_id=author.id,
        last_number=1,
    )
    db.session.add(topic)
    db.session.flush()
    post = Post(
        topic_id=topic.id,
        author_id=author.id,
        number=1,
        body=body,
        body_html=render_markdown(body),
        status=verdict.status,
        created_at=now,
    )
    db.session.add(post)
    db.session.flush()
    topic.last_post_id = post.id
    claim_submission(author, submission_key, post)
    uploads.link_post(post)
    screening_service.after_content_stored(post, verdict)
    search_service.index_post(post, topic)
    _tell_others(post, topic, board, author)
    _count_last(post, topic, board, verdict)
    post.screening = verdict  # type: ignore[attr-defined]  (read by the view for its message)
    return post


def reply_to_topic(topic: Topic, author: User, body: str, submission_key: str | None = None) -> Post:
    """Add a reply to a topic; returns the new post."""
    _require_participation(author)
    if topic.status is not ContentStatus.PUBLISHED:
        raise NotAllowed("This topic is not open for replies.")
    if topic.is_locked and not can_reply(author, topic):
        raise NotAllowed("This topic is locked: it accepts no new replies.")
    require(can_reply(author, topic))
    body = clean_body(body)
    board = db.session.get(Board, topic.board_id)
    verdict = screening_service.screen_content(author, board, None, body)
    # Cook before the first write: the topic row lock (on SQLite the database's write lock) is
    # then held only for the few statements that must be serialised.
    body_html = render_markdown(body)
    post = Post(
        topic_id=topic.id,
        author_id=author.id,
        number=_next_number(topic),
        body=body,
        body_html=body_html,
        status=verdict.status,
        created_at=utcnow(),
    )
    db.session.add(post)
    db.session.flush()
    claim_submission(author, submission_key, post)
    uploads.link_post(post)
    screening_service.after_content_stored(post, verdict)
    search_service.index_post(post, topic)
    _tell_others(post, topic, board, author)
    _count_last(post, topic, board, verdict)
    post.screening = verdict  # type: ignore[attr-defined]
    return post


def _count_last(post: Post, topic: Topic, board: Board, verdict) -> None:
    """The counters of a new published post, as the last writes before the commit: every post in a
    board updates the board's row, which on PostgreSQL then stays locked only from here to the
    commit, not while the post is indexed and its notifications written."""
    if verdict.status is ContentStatus.PUBLISHED:
        count_publication(post, topic, board, +1)


def _tell_others(post: Post, topic: Topic, board: Board, author: User) -> None:
    """Notify watchers, quoted and mentioned members of a published post; watch the topic one joined."""
    if post.status is ContentStatus.PUBLISHED:
        notifications_service.post_published(post, topic, board, author, participating=True)
    else:
        notifications_service.watch_on_participation(author.id, topic.id)


def quote_markdown(post: Post, author_name: str) -> str:
    """The Markdown that quotes a post into a reply."""
    lines = post.body.strip().splitlines() or [""]
    quoted = "\n".join(f"> {line}" if line else ">" for line in lines)
    return f"> **@{author_name}** wrote:\n>\n{quoted}\n\n"


def edit_post(post: Post, editor: User, body: str, title: str | None = None, note: str | None = None) -> Post:
    """Change a post (and, for an opening post, its topic's title), keeping the old version."""
    _require_participation(editor)
    topic = db.session.get(Topic, post.topic_id)
    require(can_edit_post(editor, post, topic), "You can only edit your own posts.")
    body = clean_body(body)
    new_title = clean_title(title) if (title is not None and post.is_first) else None
    if body == post.body and (new_title is None or new_title == topic.title):
        return post
    board = db.session.get(Board, topic.board_id)
    verdict = screening_service.screen_content(editor, board, new_title, body, is_edit=True)
    revision_number = post.revision_count + 1
    db.session.add(
        PostRevision(
            post_id=post.id,
            number=revision_number,
            title=topic.title if post.is_first else None,
            body=post.body,
            body_html=post.body_html,
            created_at=post.edited_at or post.created_at,
            editor_id=post.author_id if revision_number == 1 else editor.id,
            note=note,
        )
    )
    post.revision_count = revision_number
    replaced_html = post.body_html
    post.body = body
    post.body_html = render_markdown(body)
    post.edited_at = utcnow()
    if new_title is not None:
        topic.title = new_title
    if verdict.status is ContentStatus.HELD and post.status is ContentStatus.PUBLISHED and not editor.is_staff:
        # An edit that needs a moderator's look takes the post out of view until approved.
        post.status = ContentStatus.HELD
        count_publication(post, topic, board, -1)
        if post.is_first:
            topic.status = ContentStatus.HELD
    db.session.flush()
    uploads.link_post(post, replaced_html)
    screening_service.after_content_stored(post, verdict)
    search_service.index_post(post, topic)
    post.screening = verdict  # type: ignore[attr-defined]
    return post


def delete_post(post: Post, actor: User) -> None:
    """Soft-delete a post; deleting the opening post of a topic without replies deletes the topic."""
    _require_participation(actor)
    topic = db.session.get(Topic, post.topic_id)
    if post.is_first and topic.reply_count > 0 and not actor.is_staff:
        raise NotAllowed("The first post of a topic with replies cannot be deleted, only edited.")
    require(can_delete_post(actor, post, topic), "You can only delete your own posts.")
    board = db.session.get(Board, topic.board_id)
    was_published = post.status is ContentStatus.PUBLISHED
    post.status = ContentStatus.DELETED
    post.deleted_at = utcnow()
    post.deleted_by_id = actor.id
    if was_published:
        count_publication(post, topic, board, -1)
    if post.is_first:
        topic.status = ContentStatus.DELETED
    db.session.flush()
    if actor.id == post.author_id:
        # Deleted by its author: for good (only a moderator's removal can be undone), so its images go.
        uploads.forget_post(post)
    if post.is_first:
        search_service.index_topic(topic)
    else:
        search_service.remove_post(post)


def erase_revision(post: Post, number: int, actor: User, reason: str | None = None) -> PostRevision:
    """Erase the text of an earlier version of a post, leaving a stub with its dates (caller commits).

    The author's erase is immediate and their own business; staff erasing someone's version write
    an audit row (with the optional reason) in the same transaction.
    """
    require(can_erase_revision(actor, post), "Only the post's author and the moderators can erase its earlier versions.")
    revision = db.session.scalar(select(PostRevision).where(PostRevision.post_id == post.id, PostRevision.number == number))
    if revision is None:
        raise NotFound("This post has no such earlier version.")
    if revision.erased_at is not None:
        raise Conflict("This version was already erased.")
    reason = " ".join((reason or "").split()) or None
    if reason is not None and (len(reason) > ERASE_REASON_MAX or "\x00" in reason):
        raise InvalidInput(f"The reason must be at most {ERASE_REASON_MAX} characters, without NUL characters.")
    erased_html = revision.body_html
    revision.body, revision.body_html, revision.title, revision.note = "", "", None, None
    revision.erased_at = utcnow()
    db.session.flush()
    uploads.relink_history(post, erased_html)
    if actor.id != post.author_id:
        log_action(actor, "post.erase_revision", "post", post.id, subject_user_id=post.author_id, reason=reason,
                   after={"revision": number})
    db.session.flush()
    return revision


def post_revisions(post: Post) -> list[PostRevision]:
    return list(
        db.session.scalars(select(PostRevision).where(PostRevision.post_id == post.id).order_by(PostRevision.number))
    )
