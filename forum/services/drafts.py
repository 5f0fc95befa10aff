"""Drafts: keeping a member's unfinished topic or reply until they come back to it.

A draft belongs to one member and one place (a board for a new topic, a topic for a reply). It
is saved by the form's "Save draft" button and by the autosave script, offered again when the
member opens the same form, listed on "Your drafts", and forgotten once the post is published.
Drafts follow the posts' rules: only members who may post in the place may keep one there, and
titles and bodies have the same limits (a draft may be empty or short, as unfinished text is).
"""
from __future__ import annotations

import functools

from sqlalchemy import and_, bindparam, delete, or_, select
from sqlalchemy.orm import joinedload

from forum.errors import InvalidInput, NotFound
from forum.models import Board, Draft, Topic, User, utcnow
from forum.models.base import db
from forum.permissions import can_keep_draft, require, why_cannot_participate
from forum.services.posting import BODY_MAX, TITLE_MAX

DRAFTS_PER_PAGE = 25


def clean_draft(title: str | None, body: str | None) -> tuple[str, str]:
    """The draft's title and body as they will be kept; raises InvalidInput past the posts' limits."""
    title = " ".join((title or "").split())
    body = (body or "").replace("\r\n", "\n")
    if "\x00" in title or "\x00" in body:
        raise InvalidInput("The draft contains a NUL character, which is not allowed.")
    if len(title) > TITLE_MAX:
        raise InvalidInput(f"Titles are at most {TITLE_MAX} characters.")
    if len(body) > BODY_MAX:
        raise InvalidInput(f"Messages are at most {BODY_MAX:,} characters.")
    return title, body


def _place(board: Board | None, topic: Topic | None):
    return Draft.board_id == board.id if board is not None else Draft.topic_id == topic.id


def draft_for(user: User, *, board: Board | None = None, topic: Topic | None = None) -> Draft | None:
    """The member's draft for a new topic in this board, or for a reply to this topic."""
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(Draft).where(Draft.user_id == user.id, _place(board, topic)))


def save_draft(user: User, title: str | None, body: str | None, *, board: Board | None = None, topic: Topic | None = None) -> Draft | None:
    """Keep the member's unfinished text for this place (caller commits).

    Saving nothing (an empty title and body) forgets the draft instead; returns None then.
    """
    require(can_keep_draft(user, board, topic), why_cannot_participate(user) or "You cannot write here.")
    title, body = clean_draft(title, body)
    if topic is not None:
        title = ""  # a reply has no title
    draft = draft_for(user, board=board, topic=topic)
    if not title and not body.strip():
        if draft is not None:
            db.session.delete(draft)
        return None
    now = utcnow()
    if draft is None:
        draft = Draft(
            user_id=user.id,
            board_id=board.id if board is not None else None,
            topic_id=topic.id if topic is not None else None,
            created_at=now,
        )
        db.session.add(draft)
    draft.title, draft.body, draft.updated_at = title, body, now
    db.session.flush()
    return draft


def forget_draft(user: User, *, board: Board | None = None, topic: Topic | None = None) -> None:
    """Delete the member's draft for this place, if any (once the post is published).

    One Core DELETE on the session's connection: cheaper than reading the draft first, and than the
    ORM's bulk delete (the pages that post do not load the draft, so the session holds none to update).
    """
    params = {"user": user.id, "place": board.id if board is not None else topic.id}
    db.session.connection().execute(_forget_statement(board is not None), params)


@functools.cache
def _forget_statement(for_board: bool):
    """Built once, with the member and the board or topic as parameters."""
    drafts = Draft.__table__.c
    place = drafts.board_id if for_board else drafts.topic_id
    return delete(Draft.__table__).where(drafts.user_id == bindparam("user"), place == bindparam("place"))


def load_own_draft(user: User, draft_id: int) -> Draft:
    """The member's own draft; another member's, or one that does not exist, is a 404."""
    draft = db.session.get(Draft, draft_id)
    if draft is None or draft.user_id != user.id:
        raise NotFound("We could not find that draft.")
    return draft


def discard_draft(user: User, draft_id: int) -> None:
    """Delete one of the member's drafts (caller commits)."""
    db.session.delete(load_own_draft(user, draft_id))


def drafts_page(user: User, before_id: int | None = None) -> tuple[list[Draft], int | None]:
    """The member's drafts, most recently changed first, paged by key; returns the page and the next key.

    The key is the last draft's id: the page after it starts below that draft's (updated_at, id).
    """
    query = (
        select(Draft)
        .options(joinedload(Draft.board), joinedload(Draft.topic).joinedload(Topic.board))
        .where(Draft.user_id == user.id)
        .order_by(Draft.updated_at.desc(), Draft.id.desc())
        .limit(DRAFTS_PER_PAGE + 1)
    )
    if before_id is not None:
        after = select(Draft.updated_at).where(Draft.id == before_id, Draft.user_id == user.id).scalar_subquery()
        query = query.where(or_(Draft.updated_at < after, and_(Draft.updated_at == after, Draft.id < before_id)))
    rows = list(db.session.scalars(query).unique())
    next_key = rows[DRAFTS_PER_PAGE - 1].id if len(rows) > DRAFTS_PER_PAGE else None
    return rows[:DRAFTS_PER_PAGE], next_key


def excerpt(draft: Draft, limit: int = 160) -> str:
    """The start of the draft's text, on one line, for the list."""
    text = " ".join(draft.body.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"

