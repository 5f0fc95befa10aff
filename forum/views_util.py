"""Small helpers shared by the views."""
from __future__ import annotations

from flask import abort, request, url_for
from flask_login import current_user

from forum.errors import NotFound
from forum.models import ContentStatus
from forum.permissions import can_view_topic


def page_arg(name: str = "page") -> int:
    """The page number from the query string: 400 if it is not a number."""
    raw = request.args.get(name, "1")
    if not raw.isdigit() or len(raw) > 9:
        abort(400, description="The page number must be a whole number, like ?page=2.")
    return int(raw)


def key_arg(what: str, name: str = "before") -> int | None:
    """A listing's page key from the query string (the last row's id), or None: 400 if malformed."""
    raw = request.args.get(name, "")
    if raw and (not raw.isdigit() or len(raw) > 18):
        abort(400, description=f"The ?{name}= value must be a {what} number.")
    return int(raw) if raw else None


def form_status(form) -> int:
    """422 when a submitted form has errors, 200 when it is shown for the first time."""
    return 422 if form.errors else 200


def require_visible(topic) -> None:
    """Deleted topics, and held or hidden ones the visitor may not see, answer 404."""
    if topic.status is ContentStatus.DELETED or not can_view_topic(current_user, topic):
        raise NotFound("This topic is not available. It may have been removed or be waiting for a moderator.")


def post_url(post) -> str:
    """Where a post is read: its topic's page, at the post's anchor."""
    from forum.services.reading import page_of_number

    page = page_of_number(post.number)
    return url_for("boards.topic", topic_id=post.topic_id, page=page if page > 1 else None, _anchor=f"post-{post.number}")
