"""The /api/v1 operations. Each one translates: parse, ask permissions, call the same service
the web page calls, commit once, serialize for the viewer. Rules live in services and permissions.
"""
from __future__ import annotations

from datetime import datetime

from flask import request, url_for
from flask_smorest import Blueprint
from sqlalchemy.orm.attributes import set_committed_value

from forum.api import schemas as s
from forum.api.auth import caller, current_token, load_caller, require_scope
from forum.api.errors import ApiProblem, PROBLEM_MIMETYPE
from forum.api.pagination import decode_cursor, page
from forum.errors import ForumError, InvalidInput, NotFound
from forum.extensions import db
from forum.models import ContentStatus, TokenScope
from forum.permissions import can_participate, can_view_topic
from forum.services import listing, notifications, posting, reading

SPEC_OPTIONS = {
    "info": {
        "description": (
            "The forum's JSON API. Public reads need no token; everything else needs a personal access "
            "token (Settings › API tokens) sent as `Authorization: Bearer <token>`, with the scope the "
            "operation names: `read`, `write` or `moderate`. Lists are paged by cursor: pass back "
            "`next_cursor` as `?cursor=`; `limit` is at most 100. Responses carry an ETag; send it back "
            "in If-None-Match to get 304 when nothing changed. Errors are RFC 9457 problem details "
            "(`application/problem+json`) whose `type` is stable."
        ),
    },
    "servers": [{"url": "/"}],
}

bp = Blueprint("api", __name__, url_prefix="/api/v1", description="The forum's JSON API, version 1.")

PUBLIC = [{}, {"bearerAuth": []}]


def _problems(*codes: int):
    """Document the problem responses an operation can answer (besides 429 and 5xx, which any can)."""

    def decorator(view):
        for code in (*codes, 400, 429):
            view = bp.alt_response(code, schema=s.Problem, content_type=PROBLEM_MIMETYPE, description=_PHRASES[code])(view)
        return view

    return decorator


_PHRASES = {
    400: "Bad request (malformed JSON, bad cursor)",
    401: "No token, or an invalid, revoked or expired one",
    403: "Not allowed: missing scope, or the forum's rules refuse it",
    404: "No such resource, or not visible",
    409: "Conflict",
    422: "Validation failed (see `errors`)",
    429: "Rate limited (see Retry-After)",
}


def _secured(scope: TokenScope):
    """Document and enforce the token scope an operation needs."""

    def decorator(view):
        view = require_scope(scope)(view)
        return bp.doc(security=[{"bearerAuth": [scope.value]}])(view)

    return decorator


def _public(view):
    return bp.doc(security=PUBLIC)(view)


def _not_modified(view):
    return bp.alt_response(304, description="Not modified (the If-None-Match ETag still matches)")(view)


@bp.before_request
def _authenticate():
    load_caller()


@bp.after_request
def _conditional(response):
    """ETag on every successful GET; 304 when If-None-Match still matches."""
    response.headers["Vary"] = "Authorization"
    if request.method == "GET" and response.status_code == 200:
        response.headers["Cache-Control"] = "private, no-cache"
        response.add_etag()
        response.make_conditional(request)
    return response


# ---------------------------------------------------------------- helpers

def _board(slug: str):
    board = listing.board_by_slug(slug)
    if board is None:
        raise NotFound("There is no such board.")
    return board


def _visible_topic(topic_id: int):
    """The topic with its board, or 404 if it is deleted or not visible to the caller (as on the page)."""
    topic = listing.load_topic(topic_id)
    if topic is None or topic.status is ContentStatus.DELETED or not can_view_topic(caller(), topic):
        raise NotFound("This topic is not available. It may have been removed or be waiting for a moderator.")
    return topic


def _visible_post(post_id: int):
    post = reading.load_post(post_id)
    topic = post.topic
    if topic.status is ContentStatus.DELETED or not can_view_topic(caller(), topic):
        raise NotFound("We could not find that post.")
    if post.status is ContentStatus.HELD and not s.post_data(post, topic, caller())["body_html"]:
        raise NotFound("We could not find that post.")
    return post


def _posts_page(topic, args) -> dict:
    after = decode_cursor(args.get("cursor"), int)
    limit = args["limit"]
    posts = listing.topic_posts(topic, caller(), after[0] if after else 0, limit)
    result = page(posts, limit, lambda p: (p.number,))
    viewer = caller()
    result["items"] = [s.post_data(p, topic, viewer) for p in result["items"]]
    return result


def _with_field(error: ForumError, *fields: str) -> ForumError:
    """Name the field a service's InvalidInput is about, for the 422's `errors` pointer."""
    if isinstance(error, InvalidInput):
        lowered = error.message.lower()
        error.field = next((f for f in fields if f in lowered or (f == "body" and "message" in lowered)), None)  # type: ignore[attr-defined]
    return error


def _written(post, topic) -> dict:
    data = s.post_data(post, topic, caller())
    verdict = getattr(post, "screening", None)
    data["held"] = bool(verdict is not None and verdict.status is ContentStatus.HELD)
    return data


# ---------------------------------------------------------------- boards and topics

@bp.route("/boards", tags=["Boards"])
@_public
@_not_modified
@_problems()
@bp.response(200, s.BoardList)
def list_boards():
    """Every board, in the forum's order."""
    return {"items": [s.board_data(b) for b in reading.boards_for_index()]}


@bp.route("/boards/<slug:slug>", tags=["Boards"])
@_public
@_not_modified
@_problems(404)
@bp.response(200, s.BoardOut)
def get_board(slug: str):
    """One board."""
    return s.board_data(_board(slug))


@bp.route("/boards/<slug:slug>/topics", tags=["Boards"])
@_public
@_not_modified
@_problems(404)
@bp.arguments(s.CursorArgs, location="query", as_kwargs=True)
@bp.response(200, s.TopicPage)
def list_board_topics(slug: str, **args):
    """A board's published topics: pinned first, then by latest activity."""
    board = _board(slug)
    after = decode_cursor(args.get("cursor"), bool, datetime, int)
    topics = listing.board_topics(board, after, args["limit"])
    result = page(topics, args["limit"], lambda t: (t.pinned, t.last_posted_at, t.id))
    result["items"] = [s.topic_data(t) for t in result["items"]]
    return result


@bp.route("/boards/<slug:slug>/topics", methods=["POST"], tags=["Boards"])
@_secured(TokenScope.WRITE)
@_problems(401, 403, 404, 422)
@bp.arguments(s.TopicCreate)
@bp.response(201, s.PostOut, description="The topic's opening post (its `topic_id` names the new topic).")
def start_topic(data, slug: str):
    """Start a topic in a board, as the New topic page does (same rules, screening and holds)."""
    board = _board(slug)
    try:
        post = posting.start_topic(board, caller(), data["title"], data["body"])
    except InvalidInput as error:
        raise _with_field(error, "title", "body") from None
    db.session.commit()
    topic = listing.load_topic(post.topic_id)
    set_committed_value(post, "author", caller())
    return _written(post, topic), 201, {"Location": url_for("api.get_topic", topic_id=topic.id)}


@bp.route("/topics/<id:topic_id>", tags=["Topics"])
@_public
@_not_modified
@_problems(404)
@bp.arguments(s.CursorArgs, location="query", as_kwargs=True)
@bp.response(200, s.TopicDetail)
def get_topic(topic_id: int, **args):
    """A topic with its first page of posts (`limit` posts; follow `posts.next_cursor`)."""
    topic = _visible_topic(topic_id)
    return s.topic_detail_data(topic, _posts_page(topic, args), caller())


@bp.route("/topics/<id:topic_id>/posts", tags=["Topics"])
@_public
@_not_modified
@_problems(404)
@bp.arguments(s.CursorArgs, location="query", as_kwargs=True)
@bp.response(200, s.PostPage)
def list_topic_posts(topic_id: int, **args):
    """A topic's posts in order, paged by cursor."""
    topic = _visible_topic(topic_id)
    return _posts_page(topic, args)


@bp.route("/topics/<id:topic_id>/posts", methods=["POST"], tags=["Topics"])
@_secured(TokenScope.WRITE)
@_problems(401, 403, 404, 422)
@bp.arguments(s.ReplyCreate)
@bp.response(201, s.PostOut)
def reply(data, topic_id: int):
    """Reply to a topic, as the Reply page does (locks, suspensions, screening and holds apply)."""
    topic = _visible_topic(topic_id)
    try:
        post = posting.reply_to_topic(topic, caller(), data["body"])
    except InvalidInput as error:
        raise _with_field(error, "body") from None
    db.session.commit()
    set_committed_value(post, "author", caller())
    return _written(post, topic), 201, {"Location": url_for("api.get_post", post_id=post.id)}


# ---------------------------------------------------------------- posts

@bp.route("/posts/<id:post_id>", tags=["Posts"])
@_public
@_not_modified
@_problems(404)
@bp.response(200, s.PostOut)
def get_post(post_id: int):
    """One post (deleted and hidden posts answer with a notice instead of a body)."""
    post = _visible_post(post_id)
    return s.post_data(post, post.topic, caller())


@bp.route("/posts/<id:post_id>", methods=["PATCH"], tags=["Posts"])
@_secured(TokenScope.WRITE)
@_problems(401, 403, 404, 422)
@bp.arguments(s.PostEdit)
@bp.response(200, s.PostOut)
def edit_post(data, post_id: int):
    """Edit one's own post (moderators: any), as the Edit page does; the old version is kept."""
    post = _visible_post(post_id)
    topic = post.topic
    if "title" in data and not post.is_first:
        raise ApiProblem(422, "validation-error", "Only the opening post carries the topic's title.",
                         errors=[{"pointer": "/title", "detail": "Only the opening post carries the topic's title."}])
    try:
        posting.edit_post(post, caller(), data["body"], title=data.get("title"), note=data.get("note"))
    except InvalidInput as error:
        raise _with_field(error, "title", "body") from None
    db.session.commit()
    return _written(post, topic)


@bp.route("/posts/<id:post_id>", methods=["DELETE"], tags=["Posts"])
@_secured(TokenScope.WRITE)
@_problems(401, 403, 404)
@bp.response(204)
def delete_post(post_id: int):
    """Delete one's own post, as the page's Delete button does."""
    post = _visible_post(post_id)
    posting.delete_post(post, caller())
    db.session.commit()
    return None


# ---------------------------------------------------------------- members

@bp.route("/members/<username:username>", tags=["Members"])
@_public
@_not_modified
@_problems(404)
@bp.response(200, s.MemberProfile)
def get_member(username: str):
    """A member's public profile (what the profile page shows)."""
    user = listing.member_by_username(username)
    if user is None:
        raise NotFound("There is no member with that name.")
    return s.profile_data(user)


@bp.route("/me", tags=["Me"])
@_secured(TokenScope.READ)
@_not_modified
@_problems(401, 403)
@bp.response(200, s.Me)
def get_me():
    """The token's owner, the token's scopes and whether they may post now."""
    user = caller()
    data = s.profile_data(user)
    data.update(
        scopes=sorted(scope.value for scope in current_token().scope_set),
        can_participate=can_participate(user),
        suspended_until=user.suspended_until if user.is_suspended else None,
    )
    return data


@bp.route("/me/notifications", tags=["Me"])
@_secured(TokenScope.READ)
@_not_modified
@_problems(401, 403)
@bp.arguments(s.NotificationArgs, location="query", as_kwargs=True)
@bp.response(200, s.NotificationPage)
def list_notifications(**args):
    """The caller's notifications, newest first."""
    after = decode_cursor(args.get("cursor"), int)
    rows = listing.notifications(caller(), after[0] if after else None, args["limit"], args["unread"])
    result = page(rows, args["limit"], lambda n: (n.id,))
    result["items"] = [s.notification_data(n) for n in result["items"]]
    return result


@bp.route("/me/notifications/read", methods=["POST"], tags=["Me"])
@_secured(TokenScope.READ)
@_problems(401, 403, 422)
@bp.arguments(s.MarkRead)
@bp.response(200, s.UnreadCount)
def mark_notifications_read(data):
    """Mark some (`ids`) or all (`"all": true`) of the caller's notifications read."""
    user = caller()
    if data.get("all"):
        notifications.mark_all_read(user.id)
    else:
        notifications.mark_many_read(user.id, data["ids"])
    db.session.commit()
    return {"unread_count": notifications.unread_count(user.id)}


# ---------------------------------------------------------------- moderation

@bp.route("/moderation/log", tags=["Moderation"])
@_secured(TokenScope.MODERATE)
@_not_modified
@_problems(401, 403)
@bp.arguments(s.LogArgs, location="query", as_kwargs=True)
@bp.response(200, s.LogPage)
def moderation_log(**args):
    """The moderation log, newest first (moderators only)."""
    after = decode_cursor(args.get("cursor"), int)
    rows = listing.moderation_log(after[0] if after else None, args["limit"], args.get("action"))
    result = page(rows, args["limit"], lambda r: (r.id,))
    result["items"] = [s.log_entry_data(r) for r in result["items"]]
    return result
