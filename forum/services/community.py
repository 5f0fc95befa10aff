"""Support reactions and bookmarks."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import bindparam, delete, func, literal, select, union_all, update
from sqlalchemy.orm import joinedload

from forum.errors import InvalidInput, NotAllowed
from forum.models import Post, User, utcnow
from forum.models.base import db
from forum.models.community import Bookmark, PostReaction
from forum.permissions import can_bookmark, can_react, why_cannot_participate

BOOKMARK_NOTE_MAX = 500
BOOKMARKS_PER_PAGE = 25
_BOOKMARK = "__bookmark"


def reaction_kinds() -> dict[str, str]:
    """The configured reactions, key -> label, in display order."""
    return dict(current_app.config["REACTIONS"])


def toggle_reaction(user: User, post: Post, kind: str) -> bool:
    """Add the member's reaction of this kind, or take it back; returns True when added.

    The post row is locked first, so that concurrent reactions recount one after the other and the
    counts kept on the row stay exact. Reacting never touches the topic (no bump).
    """
    if kind not in reaction_kinds():
        raise InvalidInput("That is not one of the forum's reactions.")
    if not can_react(user, post):
        raise NotAllowed(why_cannot_participate(user) or "You cannot react to this post.")
    db.session.execute(select(Post.id).where(Post.id == post.id).with_for_update())
    removed = db.session.execute(
        delete(PostReaction).where(PostReaction.post_id == post.id, PostReaction.user_id == user.id, PostReaction.kind == kind)
    ).rowcount
    if not removed:
        db.session.add(PostReaction(post_id=post.id, user_id=user.id, kind=kind, created_at=utcnow()))
        db.session.flush()
    counts = dict(
        db.session.execute(
            select(PostReaction.kind, func.count()).where(PostReaction.post_id == post.id).group_by(PostReaction.kind)
        ).all()
    )
    db.session.execute(update(Post).where(Post.id == post.id).values(reaction_counts=counts))
    post.reaction_counts = counts
    return not removed


def reactors(post: Post) -> dict[str, list[User]]:
    """Who reacted to a post, by kind (shown on request, not on every page)."""
    rows = db.session.scalars(
        select(PostReaction).options(joinedload(PostReaction.user)).where(PostReaction.post_id == post.id).order_by(PostReaction.created_at)
    )
    grouped: dict[str, list[User]] = {kind: [] for kind in reaction_kinds()}
    for row in rows:
        grouped.setdefault(row.kind, []).append(row.user)
    return grouped


@dataclass
class ViewerMarks:
    """What the signed-in reader has done to the posts on a page: reactions and bookmarks."""

    reactions: set[tuple[int, str]] = field(default_factory=set)
    bookmarks: set[int] = field(default_factory=set)

    def reacted(self, post_id: int, kind: str) -> bool:
        return (post_id, kind) in self.reactions

    def bookmarked(self, post_id: int) -> bool:
        return post_id in self.bookmarks

    def touches(self, post_id: int) -> bool:
        """Whether the reader reacted to or bookmarked this post."""
        return post_id in self.bookmarks or any(marked == post_id for marked, _ in self.reactions)


def viewer_marks(user, post_ids: list[int]) -> ViewerMarks:
    """The reader's reactions and bookmarks on these posts, in one query."""
    marks = ViewerMarks()
    if not getattr(user, "is_authenticated", False) or not post_ids:
        return marks
    for post_id, kind in db.session.execute(_marks_query(), {"reader_id": user.id, "post_ids": list(post_ids)}):
        if kind == _BOOKMARK:
            marks.bookmarks.add(post_id)
        else:
            marks.reactions.add((post_id, kind))
    return marks


@functools.cache
def _marks_query():
    """Built once, with the reader and the posts as parameters."""
    reader, posts = bindparam("reader_id"), bindparam("post_ids", expanding=True)
    return union_all(
        select(PostReaction.post_id, PostReaction.kind).where(PostReaction.user_id == reader, PostReaction.post_id.in_(posts)),
        select(Bookmark.post_id, literal(_BOOKMARK)).where(Bookmark.user_id == reader, Bookmark.post_id.in_(posts)),
    )


def clean_note(note: str | None) -> str:
    note = " ".join((note or "").split())
    if "\x00" in note:
        raise InvalidInput("The note contains a NUL character, which is not allowed.")
    if len(note) > BOOKMARK_NOTE_MAX:
        raise InvalidInput(f"Bookmark notes are at most {BOOKMARK_NOTE_MAX} characters.")
    return note


def save_bookmark(user: User, post: Post, note: str | None = None) -> Bookmark:
    """Bookmark a post (or update the note of an existing bookmark)."""
    if not can_bookmark(user, post):
        raise NotAllowed("You cannot bookmark this post.")
    note = clean_note(note)
    bookmark = db.session.scalar(select(Bookmark).where(Bookmark.user_id == user.id, Bookmark.post_id == post.id))
    if bookmark is None:
        bookmark = Bookmark(user_id=user.id, post_id=post.id, note=note, created_at=utcnow())
        db.session.add(bookmark)
    else:
        bookmark.note = note
    db.session.flush()
    return bookmark


def remove_bookmark(user: User, post: Post) -> bool:
    return bool(db.session.execute(delete(Bookmark).where(Bookmark.user_id == user.id, Bookmark.post_id == post.id)).rowcount)


def bookmarks_page(user: User, before_id: int | None = None) -> tuple[list[Bookmark], int | None]:
    """A member's bookmarks, newest first, paged by key; returns the page and the next key."""
    query = (
        select(Bookmark)
        .options(joinedload(Bookmark.post).joinedload(Post.topic), joinedload(Bookmark.post).joinedload(Post.author))
        .where(Bookmark.user_id == user.id)
        .order_by(Bookmark.id.desc())
        .limit(BOOKMARKS_PER_PAGE + 1)
    )
    if before_id is not None:
        query = query.where(Bookmark.id < before_id)
    rows = list(db.session.scalars(query))
    next_key = rows[BOOKMARKS_PER_PAGE - 1].id if len(rows) > BOOKMARKS_PER_PAGE else None
    return rows[:BOOKMARKS_PER_PAGE], next_key


