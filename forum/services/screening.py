"""Screening of new and edited content before it is stored.

Every feature that decides whether content may be published, must be held for a moderator,
or must be flagged (watched words, crisis language, first posts of new members) adds its
check here, so that the web pages and the API apply exactly the same rules.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select

from forum.errors import InvalidInput
from forum.markup import render_markdown
from forum.models import Board, ContentStatus, Role, User, WatchedWordAction
from forum.models.base import db
from forum.services import crisis


@dataclass
class Screening:
    """The verdict on a piece of content: the status to store it with, and why."""

    status: ContentStatus = ContentStatus.PUBLISHED
    hold_reasons: list[str] = field(default_factory=list)
    # Flags raised for moderators once the content is stored, as (reason, note) pairs.
    flags: list[tuple[str, str]] = field(default_factory=list)

    def hold(self, reason: str) -> None:
        self.status = ContentStatus.HELD
        self.hold_reasons.append(reason)


def screen_content(author: User, board: Board, title: str | None, body: str, *, is_edit: bool = False) -> Screening:
    """Decide how new or edited content is stored. Raises InvalidInput to refuse it."""
    verdict = Screening()
    check_crisis_language(verdict, title, body)
    check_watched_words(author, title, body, verdict)
    check_new_member(author, body, verdict, is_edit=is_edit)
    return verdict


def screen_text(author: User, body: str) -> Screening:
    """Free text written outside the boards (a treatment story): crisis language and watched words."""
    verdict = Screening()
    check_crisis_language(verdict, None, body)
    check_watched_words(author, None, body, verdict)
    return verdict


def check_crisis_language(verdict: Screening, title: str | None, body: str) -> None:
    """Flag content in which someone may be at risk; hold it only if an admin chose holding."""
    phrases = crisis.find_crisis_phrases(title, body)
    if not phrases:
        return
    quoted = ", ".join(f"\u201c{phrase}\u201d" for phrase in phrases[:5])
    verdict.flags.append(("at_risk", f"Someone may be at risk: the post says {quoted}."))
    if current_app.config.get("CRISIS_HOLD"):
        verdict.hold("The post suggests someone may be at risk; a moderator will look at it first.")


def after_content_stored(post, screening: Screening) -> None:
    """Act on the screening's flags once the post has an id (caller commits).

    A held post opens an entry in the review queue; every (reason, note) flag opens a report
    filed by the system on the post (reason "at_risk" goes to the top of the queue).
    """
    from forum.services import moderation

    moderation.open_screening_entries(post, screening.hold_reasons, screening.flags)


# Moderation: watched words and new members' holds.
def _trusted(author: User) -> bool:
    """Staff and experts are never held; nor are the demo community's members."""
    return author.role is not Role.MEMBER or author.is_demo


def check_watched_words(author: User, title: str | None, body: str, verdict: Screening) -> None:
    """Block, hold or flag content that contains a watched word (admins manage them under /mod)."""
    from forum.services import moderation

    text = f"{title or ''}\n{body}"
    for word in moderation.matching_words(text):
        if word.action is WatchedWordAction.BLOCK:
            raise InvalidInput(
                f"Your post was not published: it contains “{word.word}”, which this forum does not allow "
                "(watched words rule). Please change it and try again."
            )
        if author.is_staff:
            continue
        if word.action is WatchedWordAction.HOLD:
            verdict.hold(f"Contains the watched word “{word.word}”")
        else:
            verdict.flags.append(("watched_word", f"Contains the watched word “{word.word}”"))


def check_new_member(author: User, body: str, verdict: Screening, *, is_edit: bool = False) -> None:
    """A new member's first posts, and their posts with links, wait for a moderator."""
    if _trusted(author):
        return
    first_held = current_app.config.get("MODERATION_FIRST_POSTS_HELD", 0)
    new_until = current_app.config.get("MODERATION_NEW_MEMBER_POSTS", 0)
    if max(first_held, new_until) <= 0:
        return
    published = author.post_count or 0
    if not is_edit and published < first_held:
        verdict.hold(f"One of the first {first_held} posts of a new member")
    elif published < new_until and contains_link(body):
        verdict.hold("A new member's post with a link")


_URL = re.compile(r"https?://|www\.", re.IGNORECASE)


def contains_link(body: str) -> bool:
    """A link as the page would show it, or a web address written out (even one not made a link)."""
    return bool(_URL.search(body)) or "<a " in render_markdown(body)
