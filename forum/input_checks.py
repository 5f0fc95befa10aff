"""Refuse requests whose text is not valid UTF-8, before any view sees a replaced character."""
from __future__ import annotations

from urllib.parse import unquote_to_bytes

from flask import Flask, abort, request

INVALID_TEXT = "The request contained text that is not valid UTF-8. Please check what you entered and try again."


def _valid_utf8(raw: bytes) -> bool:
    for part in raw.replace(b";", b"&").split(b"&"):
        try:
            unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError:
            return False
    return True


def check_text_encoding() -> None:
    if request.query_string and not _valid_utf8(request.query_string):
        abort(400, description=INVALID_TEXT)
    if request.method in ("POST", "PUT", "PATCH") and request.mimetype == "application/x-www-form-urlencoded":
        if not _valid_utf8(request.get_data(cache=True)):
            abort(400, description=INVALID_TEXT)


def init_app(app: Flask) -> None:
    app.before_request(check_text_encoding)
