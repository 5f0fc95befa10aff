"""Crisis language: phrases that suggest someone may be at risk, and where to find help now.

Both lists are configurable (CRISIS_PHRASES, CRISIS_LINES); the defaults below are English
phrases about suicidal intent and self-harm, and help lines that work internationally.
Matching runs on the readable text of the Markdown (forum.markup.plain_text), ignores case and
curly apostrophes, and matches whole words only.
"""
from __future__ import annotations

import re
from functools import lru_cache

from flask import current_app

from forum.markup import plain_text

DEFAULT_PHRASES: tuple[str, ...] = (
    # Suicidal thoughts and intent.
    "suicide", "suicidal", "kill myself", "killing myself", "end my life", "ending my life", "end it all",
    "take my own life", "taking my own life", "want to die", "wanna die", "wish I was dead", "wish I were dead",
    "better off dead", "better off without me", "no reason to live", "nothing to live for", "not worth living",
    "don't want to live", "don't want to be alive", "don't want to be here anymore", "can't go on", "cannot go on",
    "can't take it anymore", "can't do this anymore", "no way out", "say goodbye to everyone", "overdose",
    "hang myself",
    # Self-harm.
    "self-harm", "self harm", "selfharm", "hurt myself", "hurting myself", "harm myself", "harming myself",
    "cut myself", "cutting myself", "burn myself", "burning myself",
)

DEFAULT_LINES: tuple[dict[str, str], ...] = (
    {"name": "Emergency services", "contact": "112 in Europe, 911 in North America, 999 in the UK, 000 in Australia",
     "note": "If you are in danger right now, call your local emergency number.", "url": ""},
    {"name": "Find a Helpline", "contact": "findahelpline.com",
     "note": "Free, confidential helplines in more than 130 countries, by phone, text or chat.", "url": "https://findahelpline.com"},
    {"name": "Befrienders Worldwide", "contact": "befrienders.org",
     "note": "Emotional support centres around the world.", "url": "https://www.befrienders.org"},
    {"name": "988 Suicide & Crisis Lifeline (United States)", "contact": "call or text 988", "note": "", "url": "https://988lifeline.org"},
    {"name": "Samaritans (UK and Ireland)", "contact": "call 116 123", "note": "Any time, day or night.", "url": "https://www.samaritans.org"},
    {"name": "Lifeline (Australia)", "contact": "call 13 11 14", "note": "", "url": "https://www.lifeline.org.au"},
)

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


@lru_cache(maxsize=8)
def _pattern(phrases: tuple[str, ...]) -> re.Pattern:
    parts = []
    for phrase in sorted({p.strip().lower() for p in phrases if p.strip()}, key=len, reverse=True):
        words = [re.escape(word).replace("'", "'?") for word in phrase.translate(_APOSTROPHES).split()]
        # Words may be separated by any whitespace or by a hyphen ("self-harm", "self harm").
        parts.append(r"[\s-]+".join(words).replace(r"\-", r"[\s-]*"))
    if not parts:
        return re.compile(r"(?!x)x")
    return re.compile(r"(?<![\w])(" + "|".join(parts) + r")(?![\w])", re.IGNORECASE)


def configured_phrases() -> tuple[str, ...]:
    phrases = current_app.config.get("CRISIS_PHRASES")
    return tuple(phrases) if phrases else DEFAULT_PHRASES


def help_lines() -> list[dict[str, str]]:
    lines = current_app.config.get("CRISIS_LINES")
    return [dict({"note": "", "url": ""}, **line) for line in (lines or DEFAULT_LINES)]


def normalise(text: str) -> str:
    return " ".join((text or "").translate(_APOSTROPHES).lower().split())


def find_crisis_phrases(title: str | None, body: str) -> list[str]:
    """The crisis phrases in a title and Markdown body, as written (empty: none)."""
    text = normalise(" ".join(part for part in (title or "", plain_text(body or "")) if part))
    found: list[str] = []
    for match in _pattern(configured_phrases()).finditer(text):
        if match.group(1) not in found:
            found.append(match.group(1))
    return found
