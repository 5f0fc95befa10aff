"""Cursor pagination: opaque cursors that carry the last row's sort key (never an OFFSET)."""
from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime

from forum.api.errors import ApiProblem

DEFAULT_LIMIT = 25
MAX_LIMIT = 100


def encode_cursor(*key) -> str:
    raw = json.dumps([v.isoformat() if isinstance(v, datetime) else v for v in key], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _bad_cursor():
    return ApiProblem(400, "bad-request", "The cursor is not valid: pass back the next_cursor of a previous page unchanged.")


def decode_cursor(cursor: str | None, *types: type) -> tuple | None:
    """The key in a cursor, checked against the expected types (int, str, bool, datetime)."""
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise _bad_cursor() from None
    if not isinstance(values, list) or len(values) != len(types):
        raise _bad_cursor()
    key = []
    for value, expected in zip(values, types):
        if expected is datetime:
            try:
                parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
            except ValueError:
                parsed = None
            if parsed is None or parsed.tzinfo is None:
                raise _bad_cursor()
            key.append(parsed)
        elif expected is int:
            if type(value) is not int or not 0 <= value <= 2**31 - 1:
                raise _bad_cursor()
            key.append(value)
        elif type(value) is not expected:
            raise _bad_cursor()
        else:
            key.append(value)
    return tuple(key)


def page(items: list, limit: int, key_of) -> dict:
    """The page envelope from `limit + 1` fetched rows: items, and the cursor of the next page."""
    has_more = len(items) > limit
    items = items[:limit]
    return {"items": items, "next_cursor": encode_cursor(*key_of(items[-1])) if has_more and items else None}
