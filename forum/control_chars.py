"""Control characters: refused in the text members send, removed from the XML the forum writes.

C0 control characters other than tab, line feed and carriage return have no place in anything a
member writes, and XML 1.0 cannot hold them at all: one U+0001 in an article's summary made the
Atom feed unreadable for every subscriber. Two places refuse them, naming the field: every page
form (forum/forms.py, ForumForm) and every API request schema (forum/api/schemas.py, Input).
Text stored before they were refused is stripped where the forum writes XML (`xml_safe`).
"""
from __future__ import annotations

import re

# C0 controls but tab (U+0009), line feed (U+000A) and carriage return (U+000D).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Everything XML 1.0 cannot carry: those controls, lone surrogates, U+FFFE and U+FFFF.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

NUL_MESSAGE = "This contains a NUL character, which is not allowed."


def control_problem(value: str) -> str | None:
    """Why this text is refused (for the first control character in it), or None if it is fine."""
    found = CONTROL.search(value)
    if found is None:
        return None
    if found.group() == "\x00":
        return NUL_MESSAGE
    return (
        f"This contains an invisible control character (U+{ord(found.group()):04X}), which is not allowed. "
        "Please remove it (it often comes with text pasted from another program)."
    )


def xml_safe(text: str) -> str:
    """The text without the characters XML 1.0 cannot hold (for text stored before they were refused)."""
    return NOT_XML.sub("", text)
