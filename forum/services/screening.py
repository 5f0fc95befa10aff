"""Screening of new and edited content before it is stored.

Every feature that decides whether content may be published, must be held for a moderator,
or must be flagged (watched words, crisis language, first posts of new members) adds its
check here, so that the web pages and the API apply exactly the same rules.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from forum.models import Board, ContentStatus, User


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
    return Screening()


def after_content_stored(post, screening: Screening) -> None:
    """Act on the screening's flags once the post has an id (caller commits)."""
    return None
