"""Screening of new and edited content before it is stored.

Every feature that decides whether content may be published, must be held for a moderator,
or must be flagged (watched words, crisis language, first posts of new members) adds its
check here, so that the web pages and the API apply exactly the same rules.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app

from forum.models import Board, ContentStatus, User
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
    """Act on the screening's flags once the post has an id (caller commits)."""
    return None
