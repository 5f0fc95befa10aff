"""Reading comfort: text size, colour theme, reduced motion and wider line spacing.

Members keep their choice on their account (User.reading_preference); visitors keep it in one
cookie named `reading`. Both hold the same short form, for example "125.dark.0.1". The page
applies the choice on the server, as data attributes on <html> that the style sheet reads, so it
works without JavaScript and is right on the first paint.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import g, request
from flask_login import current_user

from forum.models import User

COOKIE = "reading"
COOKIE_MAX_AGE = 365 * 24 * 3600

TEXT_SIZES: dict[int, str] = {100: "Normal (100%)", 125: "Large (125%)", 150: "Larger (150%)", 200: "Largest (200%)"}
THEMES: dict[str, str] = {
    "system": "Follow my device",
    "light": "Light",
    "dark": "Dark",
    "contrast": "High contrast",
}


@dataclass(frozen=True)
class ReadingChoice:
    size: int = 100
    theme: str = "system"
    reduce_motion: bool = False
    wide_spacing: bool = False

    def __post_init__(self) -> None:
        if self.size not in TEXT_SIZES:
            raise ValueError(f"text size must be one of {sorted(TEXT_SIZES)}")
        if self.theme not in THEMES:
            raise ValueError(f"theme must be one of {sorted(THEMES)}")

    @property
    def is_default(self) -> bool:
        return self == DEFAULT

    def encode(self) -> str:
        """The short form kept in the cookie and on the account: size.theme.motion.spacing"""
        return f"{self.size}.{self.theme}.{int(self.reduce_motion)}.{int(self.wide_spacing)}"

    @classmethod
    def decode(cls, raw: str | None) -> ReadingChoice | None:
        """The choice from its short form; None for anything malformed."""
        parts = (raw or "").split(".")
        if len(parts) != 4 or not parts[0].isdigit() or parts[2] not in ("0", "1") or parts[3] not in ("0", "1"):
            return None
        try:
            return cls(int(parts[0]), parts[1], parts[2] == "1", parts[3] == "1")
        except ValueError:
            return None

    def html_attributes(self) -> dict[str, str]:
        """The attributes of <html> that the style sheet reads."""
        attributes = {"data-theme": self.theme, "data-text-size": str(self.size)}
        if self.reduce_motion:
            attributes["data-motion"] = "reduce"
        if self.wide_spacing:
            attributes["data-spacing"] = "wide"
        return attributes


DEFAULT = ReadingChoice()


def member_choice(user: User) -> ReadingChoice | None:
    return ReadingChoice.decode(user.reading_preference) if user.reading_preference else None


def current_choice() -> ReadingChoice:
    """The choice for this request: the member's saved one, else the cookie, else the default."""
    choice = getattr(g, "_reading_choice", None)
    if choice is None:
        if getattr(current_user, "is_authenticated", False) and isinstance(current_user._get_current_object(), User):
            choice = member_choice(current_user)
        if choice is None:
            choice = ReadingChoice.decode(request.cookies.get(COOKIE)) or DEFAULT
        g._reading_choice = choice
    return choice


def save_for_member(user: User, choice: ReadingChoice) -> None:
    """Keep the choice on the member's account; caller commits."""
    user.reading_preference = choice.encode()
