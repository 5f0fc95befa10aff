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
from forum.api.pagination import decode_cursor, encode_cursor, page
from forum.errors import ForumError, InvalidInput, NotFound
from forum.extensions import db
from forum.models import ArticleStatus, ContentStatus, TargetType, TokenScope
from forum.models.watching import BoardWatch, TopicWatch, WatchLevel
from forum.permissions import can_participate, can_view_topic
from forum.ratelimits import draft_headers, rate_limit
from forum.search.views import hit_url
from forum.services import articles, drafts, listing, moderation, notifications, posting, privacy, reading, search

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
    """Document and enforce the token scope an operation needs (and count it against the "api" limit)."""

    def decorator(view):
        view = rate_limit("api")(require_scope(scope)(view))
        return bp.doc(security=[{"bearerAuth": [scope.value]}])(view)

    return decorator


def _public(view):
    """An operation anyone may call (counted against the "api" limit, per token or per address)."""
    return bp.doc(security=PUBLIC)(rate_limit("api")(view))


def _not_modified(view):
    return bp.alt_response(304, description="Not modified (the If-None-Match ETag still matches)")(view)


@bp.before_request
def _authenticate():
    load_caller()


@bp.after_request
def _conditional(response):
    """ETag on every successful GET; 304 when If-None-Match still matches. Rate limit headers on all."""
    response.headers.update(draft_headers())
    response.headers["Vary"] = "Authorization"
    if request.method == "GET" and response.status_code == 200:
        response.headers.setdefault("Cache-Control", "private, no-cache")
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
@rate_limit("posting")
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
    drafts.forget_draft(caller(), board=board)  # what the page would offer again is now published
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
@rate_limit("posting")
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
    drafts.forget_draft(caller(), topic=topic)
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
@rate_limit("posting")
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


# ---------------------------------------------------------------- articles and search

@bp.route("/articles", tags=["Articles"])
@_public
@_not_modified
@_problems()
@bp.arguments(s.CursorArgs, location="query", as_kwargs=True)
@bp.response(200, s.ArticlePage)
def list_articles(**args):
    """Published articles, newest first, each with its reviewer and last medical review."""
    after = decode_cursor(args.get("cursor"), datetime, int)
    rows = articles.published_after(after, args["limit"])
    result = page(rows, args["limit"], lambda a: (a.first_published_at, a.id))
    result["items"] = [s.article_data(a) for a in result["items"]]
    return result


@bp.route("/articles/<article_slug:slug>", tags=["Articles"])
@_public
@_not_modified
@_problems(404)
@bp.response(200, s.ArticleDetail)
def get_article(slug: str):
    """One published article: its text, references, reviewer and the date of its last medical review."""
    article = articles.load_article(slug)
    if article.status is not ArticleStatus.PUBLISHED or article.published_revision is None:
        raise NotFound("There is no published article at this address.")
    return s.article_detail_data(article)


@bp.route("/search", tags=["Search"])
@_public
@rate_limit("searching")
@_not_modified
@_problems()
@bp.arguments(s.SearchArgs, location="query", as_kwargs=True)
@bp.response(200, s.SearchPage)
def search_forum(**args):
    """Search published topics, replies and articles, as the Search page does (articles first).

    Only what everyone may read is ever indexed, so every caller gets the same answers. Pages
    stop after the search page's last page."""
    number = decode_cursor(args.get("cursor"), int)
    number = number[0] if number else 1
    if not 1 <= number <= search.MAX_PAGE:
        raise ApiProblem(400, "bad-request", "The cursor is not valid: pass back the next_cursor of a previous page unchanged.")
    filters = search.SearchFilters(board=args.get("board"), author=args.get("author"), kind=args.get("kind"), order=args["order"])
    results = search.search(args["q"], filters, number, args["limit"])
    more = results.has_next and number < search.MAX_PAGE
    return {
        "items": [s.search_hit_data(hit, hit_url(hit)) for hit in results.hits],
        "next_cursor": encode_cursor(number + 1) if more else None,
    }


# ---------------------------------------------------------------- reports

def _report(kind: str, target_id: int, data: dict):
    try:
        report = moderation.file_report(caller(), kind, target_id, data["reason"], data.get("note"))
    except InvalidInput as error:
        error.field = "reason" if "reason" in error.message.lower() else "note"  # type: ignore[attr-defined]
        raise
    db.session.commit()
    return s.report_data(report), 201


@bp.route("/posts/<id:post_id>/report", methods=["POST"], tags=["Posts"])
@rate_limit("reporting")
@_secured(TokenScope.WRITE)
@_problems(401, 403, 404, 409, 422)
@bp.arguments(s.ReportCreate)
@bp.response(201, s.ReportOut, description="The report, open until a moderator reviews it.")
def report_post(data, post_id: int):
    """Report a post to the moderators, as the Report link does (409 if your report on it is still open)."""
    return _report("post", post_id, data)


@bp.route("/topics/<id:topic_id>/report", methods=["POST"], tags=["Topics"])
@rate_limit("reporting")
@_secured(TokenScope.WRITE)
@_problems(401, 403, 404, 409, 422)
@bp.arguments(s.ReportCreate)
@bp.response(201, s.ReportOut, description="The report (about the topic's opening post).")
def report_topic(data, topic_id: int):
    """Report a topic (its opening post) to the moderators."""
    return _report("topic", topic_id, data)


# ---------------------------------------------------------------- the caller's watches and data

def _set_watch(set_watch, model, target_id: int, level: str | None):
    """Set the caller's watch level on a topic or board (None: back to normal) and answer the watch row."""
    set_watch(caller().id, target_id, WatchLevel(level) if level else None)
    db.session.commit()
    return db.session.get(model, (caller().id, target_id)) if level else None


@bp.route("/me/watches/topics", tags=["Me"])
@_secured(TokenScope.READ)
@_not_modified
@_problems(401, 403)
@bp.arguments(s.CursorArgs, location="query", as_kwargs=True)
@bp.response(200, s.TopicWatchPage)
def list_topic_watches(**args):
    """Topics the caller watches or muted (newest topic first)."""
    after = decode_cursor(args.get("cursor"), int)
    rows = listing.watched_topics(caller(), after[0] if after else None, args["limit"])
    result = page(rows, args["limit"], lambda row: (row[1].id,))
    result["items"] = [s.topic_watch_data(watch, topic) for watch, topic in result["items"]]
    return result


@bp.route("/me/watches/topics/<id:topic_id>", methods=["PUT"], tags=["Me"])
@_secured(TokenScope.WRITE)
@_problems(401, 403, 404, 422)
@bp.arguments(s.WatchSet)
@bp.response(200, s.TopicWatchOut)
def watch_topic(data, topic_id: int):
    """Watch (`watching`) or mute (`muted`) a topic, as the topic page's Notifications menu does."""
    topic = _visible_topic(topic_id)
    return s.topic_watch_data(_set_watch(notifications.set_topic_watch, TopicWatch, topic.id, data["level"]), topic)


@bp.route("/me/watches/topics/<id:topic_id>", methods=["DELETE"], tags=["Me"])
@_secured(TokenScope.WRITE)
@_problems(401, 403, 404)
@bp.response(204)
def unwatch_topic(topic_id: int):
    """Back to normal notifications for a topic (replies to your own topics, quotes and mentions)."""
    _set_watch(notifications.set_topic_watch, TopicWatch, _visible_topic(topic_id).id, None)
    return None


@bp.route("/me/watches/boards", tags=["Me"])
@_secured(TokenScope.READ)
@_not_modified
@_problems(401, 403)
@bp.response(200, s.BoardWatchList)
def list_board_watches():
    """Boards the caller watches or muted, in the forum's order."""
    return {"items": [s.board_watch_data(watch, board) for watch, board in listing.watched_boards(caller())]}


@bp.route("/me/watches/boards/<slug:slug>", methods=["PUT"], tags=["Me"])
@_secured(TokenScope.WRITE)
@_problems(401, 403, 404, 422)
@bp.arguments(s.WatchSet)
@bp.response(200, s.BoardWatchOut)
def watch_board(data, slug: str):
    """Watch (every new topic and post) or mute a board, as the board page's Notifications menu does."""
    board = _board(slug)
    return s.board_watch_data(_set_watch(notifications.set_board_watch, BoardWatch, board.id, data["level"]), board)


@bp.route("/me/watches/boards/<slug:slug>", methods=["DELETE"], tags=["Me"])
@_secured(TokenScope.WRITE)
@_problems(401, 403, 404)
@bp.response(204)
def unwatch_board(slug: str):
    """Back to normal notifications for a board."""
    _set_watch(notifications.set_board_watch, BoardWatch, _board(slug).id, None)
    return None


@bp.route("/me/export", tags=["Me"])
@_secured(TokenScope.READ)
@_problems(401, 403)
@bp.response(200, s.AccountExport)
def export_data():
    """Everything the forum holds about the caller: the same JSON as Settings › Download my data."""
    return privacy.export_account(caller()), 200, {"Cache-Control": "no-store"}


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


@bp.route("/moderation/queue", tags=["Moderation"])
@_secured(TokenScope.MODERATE)
@_not_modified
@_problems(401, 403)
@bp.arguments(s.QueueArgs, location="query", as_kwargs=True)
@bp.response(200, s.QueuePageOut)
def moderation_queue(**args):
    """The review queue, as on the Review queue page: pending entries by urgency unless asked otherwise."""
    sort = args["sort"]
    after = decode_cursor(args.get("cursor"), *((datetime, int) if sort == "newest" else (int, datetime, int)))
    status = None if args["status"] == "all" else args["status"]
    listing_ = moderation.queue_after(status, args.get("reason"), sort, after, args["limit"])
    result = page(listing_.entries, args["limit"], lambda e: moderation.queue_key(e, sort))
    result["items"] = [
        s.queue_entry_data(e, listing_.reports[e.id], listing_.posts.get(e.target_id) if e.target_type is TargetType.POST else None,
                           e.subject_user)
        for e in result["items"]
    ]
    return result


def _entry_data(entry_id: int) -> dict:
    view = moderation.entry_view(moderation.load_entry(entry_id))
    return s.queue_entry_data(view.entry, view.reports, view.post, view.member)


@bp.route("/moderation/queue/<id:entry_id>", tags=["Moderation"])
@_secured(TokenScope.MODERATE)
@_not_modified
@_problems(401, 403, 404)
@bp.response(200, s.QueueEntry)
def moderation_entry(entry_id: int):
    """One queue entry with every report on it and the post it is about."""
    return _entry_data(entry_id)


# What each action does, by the same service functions as the queue page's buttons.
QUEUE_ACTIONS = {
    "dismiss": lambda entry, post, me, reason: moderation.dismiss(entry, me, reason),
    "hide": lambda entry, post, me, reason: moderation.hide_post(post, me, reason, entry=entry),
    "restore": lambda entry, post, me, reason: moderation.restore_post(post, me, entry=entry),
    "delete": lambda entry, post, me, reason: moderation.delete_post(post, me, reason, entry=entry),
    "approve": lambda entry, post, me, reason: moderation.approve_post(post, me, entry=entry),
    "reject": lambda entry, post, me, reason: moderation.reject_post(post, me, reason, entry=entry),
}


@bp.route("/moderation/queue/<id:entry_id>/<any(dismiss,hide,restore,delete,approve,reject):action>", methods=["POST"], tags=["Moderation"])
@_secured(TokenScope.MODERATE)
@_problems(401, 403, 404, 409, 422)
@bp.arguments(s.QueueAction)
@bp.response(200, s.QueueEntry, description="The entry, settled.")
def moderation_act(data, entry_id: int, action: str):
    """Settle a queue entry: `dismiss` (no violation), or for a post `hide`, `restore`, `delete`,
    `approve` or `reject` (a held post). Answers 409 when the entry was already handled; the
    action and its audit row are written together, as from the queue page."""
    entry = moderation.load_entry(entry_id)
    post = None
    if action != "dismiss":
        if entry.target_type is not TargetType.POST:
            raise ApiProblem(422, "validation-error", f"`{action}` applies to posts; this entry is about a member.",
                             errors=[{"pointer": "path#action", "detail": "Only dismiss applies to this entry."}])
        post = reading.load_post(entry.target_id)
    try:
        QUEUE_ACTIONS[action](entry, post, caller(), data.get("reason"))
    except ForumError as error:
        db.session.rollback()
        if isinstance(error, InvalidInput):
            error.field = "reason"  # type: ignore[attr-defined]
        raise
    db.session.commit()
    db.session.expire(entry)  # settled by a conditional UPDATE: read who settled it afresh
    return _entry_data(entry_id)
