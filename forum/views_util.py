"""Small helpers shared by the views."""
from __future__ import annotations

from flask import abort, request


def page_arg(name: str = "page") -> int:
    """The page number from the query string: 400 if it is not a number."""
    raw = request.args.get(name, "1")
    if not raw.isdigit() or len(raw) > 9:
        abort(400, description="The page number must be a whole number, like ?page=2.")
    return int(raw)


def form_status(form) -> int:
    """422 when a submitted form has errors, 200 when it is shown for the first time."""
    return 422 if form.errors else 200
