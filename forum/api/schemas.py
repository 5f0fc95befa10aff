"""What the API accepts and answers: marshmallow schemas that validate requests, dump responses
and generate the OpenAPI document, plus the serializers that pick fields per audience.

Serializers are explicit: a field appears only if it is listed here, and fields depend on
what the viewer may see (never an email, never a private profile field, a held post's body
only for its author and staff, the Markdown source only for who may edit it).
"""
from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from forum.api.pagination import DEFAULT_LIMIT, MAX_LIMIT
from forum.control_chars import control_problem
from forum.models import (
    Article,
    ContentStatus,
    ModerationAction,
    Notification,
    Post,
    Report,
    ReportStatus,
    ReviewEntry,
    ReviewStatus,
    Topic,
    User,
)
from forum.models.moderation import REASON_LABELS, REPORT_REASONS
from forum.models.watching import WatchLevel
from forum.permissions import can_delete_post, can_edit_post, can_reply, can_view_post, verified_expert
from forum.services.articles import article_path, review_due
from forum.services.moderation import NOTE_MAX as QUEUE_NOTE_MAX
from forum.services.moderation import NOTE_MAX as REPORT_NOTE_MAX
from forum.services.moderation import SORTS as QUEUE_SORTS
from forum.services.posting import BODY_MAX, TITLE_MAX, TITLE_MIN
from forum.services.search import KINDS as SEARCH_KINDS
from forum.services.search import MAX_QUERY_LENGTH
from forum.services.search import PER_PAGE as SEARCH_PER_PAGE

ID_MAX = 2**31 - 1


class JsonBool(fields.Boolean):
    """A JSON boolean only: no 0, 1 or "true" standing in for one."""

    def _deserialize(self, value, attr, data, **kwargs):
        if type(value) is not bool:
            raise self.make_error("invalid", input=value)
        return value


class JsonInt(fields.Integer):
    """A JSON integer only: no strings, floats or booleans standing in for one."""

    def _deserialize(self, value, attr, data, **kwargs):
        if type(value) is not int:
            raise self.make_error("invalid", input=value)
        return super()._deserialize(value, attr, data, **kwargs)


class Input(ma.Schema):
    """What a request sends: every text field refuses control characters (NUL and the other C0
    controls but tab and line breaks) with a 422 naming the field, before any other check."""

    @ma.pre_load
    def _refuse_control_characters(self, data, **kwargs):
        if not hasattr(data, "get"):
            return data  # not an object: marshmallow answers that one
        errors = {}
        for name, field in self.fields.items():
            key = field.data_key or name
            value = data.get(key)
            problem = control_problem(value) if isinstance(value, str) else None
            if problem is not None:
                errors[key] = [f"`{key}`: {problem}"]
        if errors:
            raise ma.ValidationError(errors)
        return data


class Strict(Input):
    """Request bodies refuse unknown fields (422), so typos never pass silently."""

    class Meta:
        unknown = ma.RAISE


# ---------------------------------------------------------------- requests

class CursorArgs(Input):
    class Meta:
        unknown = ma.EXCLUDE

    cursor = fields.String(
        validate=validate.Length(min=1, max=200),
        metadata={"description": "The `next_cursor` of the previous page; omit for the first page."},
    )
    limit = fields.Integer(
        load_default=DEFAULT_LIMIT,
        validate=validate.Range(min=1, max=MAX_LIMIT),
        metadata={"description": f"Items per page, at most {MAX_LIMIT}."},
    )


class NotificationArgs(CursorArgs):
    unread = fields.Boolean(load_default=False, metadata={"description": "Only unread notifications."})


class LogArgs(CursorArgs):
    action = fields.String(
        validate=[validate.Length(min=1, max=60), validate.Regexp(r"^[a-z_.]+$")],
        metadata={"description": "Only actions starting with this, e.g. `post.` or `user.suspend`."},
    )


class TopicCreate(Strict):
    title = fields.String(required=True, validate=[validate.Length(min=TITLE_MIN, max=TITLE_MAX)])
    body = fields.String(required=True, validate=[validate.Length(min=1, max=BODY_MAX)], metadata={"description": "Markdown."})


class ReplyCreate(Strict):
    body = fields.String(required=True, validate=[validate.Length(min=1, max=BODY_MAX)], metadata={"description": "Markdown."})


class PostEdit(Strict):
    body = fields.String(required=True, validate=[validate.Length(min=1, max=BODY_MAX)], metadata={"description": "Markdown."})
    title = fields.String(
        validate=[validate.Length(min=TITLE_MIN, max=TITLE_MAX)],
        metadata={"description": "The topic's new title; only for the opening post."},
    )
    note = fields.String(validate=[validate.Length(max=500)], metadata={"description": "Why it was edited (kept in the history)."})


class MarkRead(Strict):
    ids = fields.List(
        JsonInt(validate=validate.Range(min=1, max=ID_MAX)),
        validate=validate.Length(min=1, max=100),
        metadata={"description": "Notifications to mark read."},
    )
    all = JsonBool(metadata={"description": "Mark every notification read."})

    @ma.validates_schema
    def _one_of(self, data, **kwargs):
        if bool(data.get("ids")) == bool(data.get("all")):
            raise ma.ValidationError("Give either `ids` or `\"all\": true`.")


class SearchArgs(Input):
    class Meta:
        unknown = ma.EXCLUDE

    q = fields.String(
        required=True,
        validate=[validate.Length(min=1, max=MAX_QUERY_LENGTH)],
        metadata={"description": 'What to look for: words, "exact phrases", word* starts, -word to leave out, OR.'},
    )
    kind = fields.String(validate=validate.OneOf(SEARCH_KINDS), metadata={"description": "Only topics, replies or articles."})
    board = fields.String(validate=validate.Regexp(r"^[a-z0-9][a-z0-9-]{0,59}$"), metadata={"description": "A board's slug."})
    author = fields.String(validate=validate.Regexp(r"^[A-Za-z0-9_-]{3,30}$"), metadata={"description": "A member's name."})
    order = fields.String(load_default="relevance", validate=validate.OneOf(["relevance", "newest"]))
    cursor = fields.String(validate=validate.Length(min=1, max=200), metadata={"description": "The `next_cursor` of the previous page."})
    limit = fields.Integer(load_default=SEARCH_PER_PAGE, validate=validate.Range(min=1, max=SEARCH_PER_PAGE))


class ReportCreate(Strict):
    reason = fields.String(
        required=True, validate=validate.OneOf(list(REPORT_REASONS)),
        metadata={"description": "Why: " + "; ".join(f"`{k}` ({v})" for k, v in REPORT_REASONS.items()) + "."},
    )
    note = fields.String(
        validate=[validate.Length(max=REPORT_NOTE_MAX)],
        metadata={"description": "What is wrong, for the moderators (needed with `other`)."},
    )


class WatchSet(Strict):
    level = fields.String(
        required=True, validate=validate.OneOf([level.value for level in WatchLevel]),
        metadata={"description": "`watching`: hear about every new post; `muted`: hear nothing. DELETE goes back to normal."},
    )


class QueueArgs(CursorArgs):
    status = fields.String(
        load_default="pending", validate=validate.OneOf([st.value for st in ReviewStatus] + ["all"]),
        metadata={"description": "Entries in this state (`all`: any)."},
    )
    reason = fields.String(validate=validate.OneOf(list(REASON_LABELS)), metadata={"description": "Only entries with a report for this reason."})
    sort = fields.String(load_default="urgent", validate=validate.OneOf(list(QUEUE_SORTS)),
                         metadata={"description": "`urgent`: someone at risk first, then latest activity; `newest`: newest entries first."})


class QueueAction(Strict):
    reason = fields.String(
        validate=[validate.Length(max=QUEUE_NOTE_MAX)],
        metadata={"description": "Told to the author: needed to hide, delete or reject. With dismiss, a note for the log."},
    )


# ---------------------------------------------------------------- responses

def page_of(item: type[ma.Schema], name: str) -> type[ma.Schema]:
    """A page of a list: the items and the cursor of the next page (null on the last page)."""
    return ma.Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item), required=True),
            "next_cursor": fields.String(required=True, allow_none=True, metadata={"description": "Pass as ?cursor= for the next page."}),
        },
        name=name,
    )


class MemberRef(ma.Schema):
    username = fields.String(required=True)
    role = fields.String(required=True, validate=validate.OneOf(["member", "expert", "moderator", "admin"]))


class BoardRef(ma.Schema):
    id = fields.Integer(required=True)
    slug = fields.String(required=True)
    name = fields.String(required=True)


class BoardOut(BoardRef):
    description = fields.String(required=True)
    shows_disclaimer = fields.Boolean(required=True)
    topic_count = fields.Integer(required=True)
    post_count = fields.Integer(required=True)
    last_posted_at = fields.DateTime(required=True, allow_none=True)


class BoardList(ma.Schema):
    items = fields.List(fields.Nested(BoardOut), required=True)


_STATUSES = [s.value for s in ContentStatus]


class TopicOut(ma.Schema):
    id = fields.Integer(required=True)
    board_id = fields.Integer(required=True)
    title = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(_STATUSES))
    pinned = fields.Boolean(required=True)
    locked = fields.Boolean(required=True)
    author = fields.Nested(MemberRef, required=True, allow_none=True)
    last_poster = fields.Nested(MemberRef, required=True, allow_none=True)
    reply_count = fields.Integer(required=True)
    view_count = fields.Integer(required=True)
    created_at = fields.DateTime(required=True)
    last_posted_at = fields.DateTime(required=True)


TopicPage = page_of(TopicOut, "TopicPage")


class PostOut(ma.Schema):
    id = fields.Integer(required=True)
    topic_id = fields.Integer(required=True)
    number = fields.Integer(required=True, metadata={"description": "Position in the topic; 1 opens it."})
    status = fields.String(required=True, validate=validate.OneOf(_STATUSES))
    author = fields.Nested(MemberRef, required=True, allow_none=True)
    created_at = fields.DateTime(required=True)
    edited_at = fields.DateTime(required=True, allow_none=True)
    body_html = fields.String(
        required=True, allow_none=True,
        metadata={"description": "Sanitised HTML; null when the post is deleted or hidden from this viewer."},
    )
    body = fields.String(metadata={"description": "The Markdown source; only for who may edit the post."})
    notice = fields.String(allow_none=True, metadata={"description": "Why the body is not shown, or that it awaits a moderator."})
    can_edit = fields.Boolean(required=True)
    can_delete = fields.Boolean(required=True)
    held = fields.Boolean(metadata={"description": "Present on writes: true when the post waits for a moderator."})


PostPage = page_of(PostOut, "PostPage")


class TopicDetail(TopicOut):
    board = fields.Nested(BoardRef, required=True)
    can_reply = fields.Boolean(required=True)
    posts = fields.Nested(PostPage, required=True, metadata={"description": "The first page of posts."})


class MemberProfile(ma.Schema):
    username = fields.String(required=True)
    role = fields.String(required=True)
    joined_at = fields.DateTime(required=True)
    post_count = fields.Integer(required=True)


class Me(MemberProfile):
    scopes = fields.List(fields.String(), required=True, metadata={"description": "The scopes of the token in use."})
    can_participate = fields.Boolean(required=True)
    suspended_until = fields.DateTime(required=True, allow_none=True)


class NotificationOut(ma.Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    text = fields.String(required=True)
    url = fields.String(required=True)
    actor = fields.Nested(MemberRef, required=True, allow_none=True)
    topic_id = fields.Integer(required=True, allow_none=True)
    post_id = fields.Integer(required=True, allow_none=True)
    created_at = fields.DateTime(required=True)
    read_at = fields.DateTime(required=True, allow_none=True)


NotificationPage = page_of(NotificationOut, "NotificationPage")


class UnreadCount(ma.Schema):
    unread_count = fields.Integer(required=True)


class LogEntry(ma.Schema):
    id = fields.Integer(required=True)
    action = fields.String(required=True)
    target_type = fields.String(required=True)
    target_id = fields.Integer(required=True)
    actor = fields.Nested(MemberRef, required=True, allow_none=True)
    subject = fields.Nested(MemberRef, required=True, allow_none=True)
    reason = fields.String(required=True, allow_none=True)
    created_at = fields.DateTime(required=True)


LogPage = page_of(LogEntry, "LogPage")


class ArticlePersonRef(MemberRef):
    credential = fields.String(required=True, allow_none=True, metadata={"description": "Their verified credential, as shown on the article."})


class ArticleReference(ma.Schema):
    citation = fields.String(required=True)
    url = fields.String(allow_none=True)
    doi = fields.String(allow_none=True)


class ArticleOut(ma.Schema):
    slug = fields.String(required=True)
    title = fields.String(required=True)
    summary = fields.String(required=True)
    author = fields.Nested(ArticlePersonRef, required=True)
    first_published_at = fields.DateTime(required=True)
    last_reviewed_at = fields.DateTime(required=True, allow_none=True, metadata={"description": "The last medical review."})
    review_due = fields.Boolean(required=True, metadata={"description": "The last medical review is older than the forum's review interval."})
    reviewer = fields.Nested(ArticlePersonRef, required=True, allow_none=True, metadata={"description": "Who reviewed the published version."})
    url = fields.String(required=True, metadata={"description": "The article's page."})


ArticlePage = page_of(ArticleOut, "ArticlePage")


class ArticleDetail(ArticleOut):
    body_html = fields.String(required=True, metadata={"description": "Sanitised HTML."})
    references = fields.List(fields.Nested(ArticleReference), required=True)
    boards = fields.List(fields.Nested(BoardRef), required=True)
    discussion_topic_id = fields.Integer(required=True, allow_none=True)


class SearchHit(ma.Schema):
    kind = fields.String(required=True, validate=validate.OneOf(SEARCH_KINDS))
    id = fields.Integer(required=True, metadata={"description": "The post's id (topics and replies) or the article's."})
    topic_id = fields.Integer(required=True, allow_none=True)
    post_number = fields.Integer(required=True, allow_none=True)
    title_html = fields.String(required=True, metadata={"description": "Escaped text with matches in <mark>."})
    snippet_html = fields.String(required=True, metadata={"description": "Escaped text with matches in <mark>."})
    author = fields.String(required=True, allow_none=True)
    board = fields.Nested(ma.Schema.from_dict({"slug": fields.String(required=True), "name": fields.String(required=True)}, name="SearchBoard"),
                          required=True, allow_none=True)
    created_at = fields.DateTime(required=True)
    url = fields.String(required=True, metadata={"description": "Where to read it on the forum."})


SearchPage = page_of(SearchHit, "SearchPage")


class _ReportFields(ma.Schema):
    id = fields.Integer(required=True)
    reason = fields.String(required=True)
    note = fields.String(required=True, allow_none=True)
    status = fields.String(required=True, validate=validate.OneOf([st.value for st in ReportStatus]))
    created_at = fields.DateTime(required=True)


class ReportOut(_ReportFields):
    target_type = fields.String(required=True, validate=validate.OneOf(["post", "user"]))
    target_id = fields.Integer(required=True)


class TopicRef(ma.Schema):
    id = fields.Integer(required=True)
    board_id = fields.Integer(required=True)
    title = fields.String(required=True)


class TopicWatchOut(ma.Schema):
    topic = fields.Nested(TopicRef, required=True)
    level = fields.String(required=True, validate=validate.OneOf([level.value for level in WatchLevel]))
    since = fields.DateTime(required=True)


TopicWatchPage = page_of(TopicWatchOut, "TopicWatchPage")


class BoardWatchOut(ma.Schema):
    board = fields.Nested(BoardRef, required=True)
    level = fields.String(required=True, validate=validate.OneOf([level.value for level in WatchLevel]))
    since = fields.DateTime(required=True)


class BoardWatchList(ma.Schema):
    items = fields.List(fields.Nested(BoardWatchOut), required=True)


class AccountExport(ma.Schema):
    """The same document as the Download my data button (format `forum-account-export/1`)."""

    class Meta:
        unknown = ma.INCLUDE

    format = fields.String(required=True)
    exported_at = fields.String(required=True)
    profile = fields.Dict(required=True)
    settings = fields.Dict(required=True)
    topics = fields.List(fields.Dict(), required=True)
    posts = fields.List(fields.Dict(), required=True)
    post_history = fields.List(fields.Dict(), required=True)
    notifications = fields.List(fields.Dict(), required=True)
    drafts = fields.List(fields.Dict(), required=True)
    two_factor = fields.Dict(required=True)
    uploads = fields.List(fields.Dict(), required=True)
    reports = fields.List(fields.Dict(), required=True)
    other = fields.Dict(required=True)

    @ma.post_dump(pass_original=True)
    def _every_section(self, data: dict, original: dict, **kwargs) -> dict:
        """Nothing of the page's export is left out, including sections added after this schema."""
        return {**original, **data}


class QueueReport(_ReportFields):
    reason_label = fields.String(required=True)
    reporter = fields.Nested(MemberRef, required=True, allow_none=True, metadata={"description": "null when the forum itself filed it."})


class QueuePost(ma.Schema):
    id = fields.Integer(required=True)
    topic_id = fields.Integer(required=True)
    topic_title = fields.String(required=True)
    number = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(_STATUSES))
    body_html = fields.String(required=True)
    moderation_note = fields.String(required=True, allow_none=True)


class QueueEntry(ma.Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf([st.value for st in ReviewStatus]))
    target_type = fields.String(required=True)
    target_id = fields.Integer(required=True)
    urgent = fields.Boolean(required=True, metadata={"description": "Someone may be at risk."})
    report_count = fields.Integer(required=True)
    hidden_by_reports = fields.Boolean(required=True)
    subject = fields.Nested(MemberRef, required=True, allow_none=True, metadata={"description": "The member the entry is about (a post's author)."})
    post = fields.Nested(QueuePost, required=True, allow_none=True)
    reports = fields.List(fields.Nested(QueueReport), required=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)
    resolved_at = fields.DateTime(required=True, allow_none=True)
    resolved_by = fields.Nested(MemberRef, required=True, allow_none=True)
    resolution = fields.String(required=True, allow_none=True)
    resolution_note = fields.String(required=True, allow_none=True)


QueuePageOut = page_of(QueueEntry, "QueuePage")


class FieldError(ma.Schema):
    pointer = fields.String(required=True, metadata={"description": "JSON pointer into the body, or `query#name`."})
    detail = fields.String(required=True)


class Problem(ma.Schema):
    """RFC 9457 problem details."""

    type = fields.String(required=True, metadata={"description": "Stable URI reference naming the kind of problem."})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    instance = fields.String()
    errors = fields.List(fields.Nested(FieldError), metadata={"description": "422 only: one entry per invalid field."})


# ---------------------------------------------------------------- serializers (per audience)

def member_ref(user: User | None) -> dict | None:
    if user is None:
        return None
    return {"username": user.username, "role": user.role.value}


def board_data(board) -> dict:
    return {
        "id": board.id, "slug": board.slug, "name": board.name, "description": board.description,
        "shows_disclaimer": board.shows_disclaimer, "topic_count": board.topic_count,
        "post_count": board.post_count, "last_posted_at": board.last_posted_at,
    }


def topic_data(topic: Topic) -> dict:
    """A topic as anyone who may see it sees it (needs author and last_poster loaded)."""
    return {
        "id": topic.id, "board_id": topic.board_id, "title": topic.title, "status": topic.status.value,
        "pinned": topic.pinned, "locked": topic.is_locked, "author": member_ref(topic.author),
        "last_poster": member_ref(topic.last_poster), "reply_count": topic.reply_count,
        "view_count": topic.view_count, "created_at": topic.created_at, "last_posted_at": topic.last_posted_at,
    }


def post_data(post: Post, topic: Topic, viewer: Any) -> dict:
    """A post for this viewer: the body only if they may see it, the source only if they may edit it."""
    data: dict = {
        "id": post.id, "topic_id": post.topic_id, "number": post.number, "status": post.status.value,
        "author": None, "created_at": post.created_at, "edited_at": post.edited_at, "body_html": None,
        "notice": None, "can_edit": False, "can_delete": False,
    }
    if post.status is ContentStatus.DELETED:
        data["notice"] = "Deleted by its author." if post.deleted_by_author else "Removed by a moderator."
        return data
    data["author"] = member_ref(post.author)
    if not can_view_post(viewer, post):
        data["notice"] = "Hidden while moderators review it."
        return data
    data["body_html"] = post.body_html
    if post.status is ContentStatus.HELD:
        data["notice"] = "Waiting for a moderator: only the author and moderators see it."
    elif post.status is ContentStatus.HIDDEN:
        data["notice"] = "Hidden by a moderator" + (f": {post.moderation_note}" if post.moderation_note else ".")
    if can_edit_post(viewer, post, topic):
        data["body"] = post.body
        data["can_edit"] = True
        data["can_delete"] = can_delete_post(viewer, post, topic)
    return data


def topic_detail_data(topic: Topic, posts_page: dict, viewer: Any) -> dict:
    data = topic_data(topic)
    data["board"] = {"id": topic.board.id, "slug": topic.board.slug, "name": topic.board.name}
    data["can_reply"] = can_reply(viewer, topic)
    data["posts"] = posts_page
    return data


def profile_data(user: User) -> dict:
    """The public profile: exactly what the profile page shows (no email, no sanctions)."""
    return {"username": user.username, "role": user.role.value, "joined_at": user.created_at, "post_count": user.post_count}


def notification_data(notification: Notification) -> dict:
    return {
        "id": notification.id, "kind": notification.kind, "text": notification.text, "url": notification.url,
        "actor": member_ref(notification.actor), "topic_id": notification.topic_id, "post_id": notification.post_id,
        "created_at": notification.created_at, "read_at": notification.read_at,
    }


def log_entry_data(row: ModerationAction) -> dict:
    """For moderators only (the route checks the scope and the role)."""
    return {
        "id": row.id, "action": row.action, "target_type": row.target_type, "target_id": row.target_id,
        "actor": member_ref(row.actor), "subject": member_ref(row.subject_user), "reason": row.reason,
        "created_at": row.created_at,
    }


def _person(user: User | None) -> dict | None:
    if user is None:
        return None
    profile = verified_expert(user)
    return {**member_ref(user), "credential": profile.credential if profile else None}


def article_data(article: Article) -> dict:
    """A published article (needs its author, published revision and reviewer loaded)."""
    revision = article.published_revision
    reviewer = _person(revision.reviewer) if revision.reviewer_id else None
    if reviewer is not None and revision.reviewer_credential:
        reviewer["credential"] = revision.reviewer_credential
    return {
        "slug": article.slug, "title": revision.title, "summary": revision.summary, "author": _person(article.author),
        "first_published_at": article.first_published_at, "last_reviewed_at": article.last_reviewed_at,
        "review_due": review_due(article), "reviewer": reviewer, "url": article_path(article.slug),
    }


def article_detail_data(article: Article) -> dict:
    revision = article.published_revision
    data = article_data(article)
    data.update(
        body_html=revision.body_html,
        references=[{"citation": r.get("citation", ""), "url": r.get("url"), "doi": r.get("doi")} for r in revision.references or []],
        boards=[{"id": link.board.id, "slug": link.board.slug, "name": link.board.name} for link in article.board_links],
        discussion_topic_id=article.topic_id,
    )
    return data


def search_hit_data(hit, url: str) -> dict:
    return {
        "kind": hit.kind, "id": hit.ref_id, "topic_id": hit.topic_id, "post_number": hit.post_number,
        "title_html": str(hit.title), "snippet_html": str(hit.snippet), "author": hit.author_name,
        "board": {"slug": hit.board_slug, "name": hit.board_name} if hit.board_slug else None,
        "created_at": hit.created_at, "url": url,
    }


def report_data(report: Report) -> dict:
    """A member's own report (what My reports shows)."""
    return {
        "id": report.id, "target_type": report.target_type.value, "target_id": report.target_id, "reason": report.reason,
        "note": report.note, "status": report.status.value, "created_at": report.created_at,
    }


def topic_watch_data(watch, topic: Topic) -> dict:
    return {"topic": {"id": topic.id, "board_id": topic.board_id, "title": topic.title}, "level": watch.level.value, "since": watch.created_at}


def board_watch_data(watch, board) -> dict:
    return {"board": {"id": board.id, "slug": board.slug, "name": board.name}, "level": watch.level.value, "since": watch.created_at}


def queue_entry_data(entry: ReviewEntry, reports: list[Report], post: Post | None, subject: User | None) -> dict:
    """A queue entry for moderators (the route checks the scope and the role)."""
    return {
        "id": entry.id, "status": entry.status.value, "target_type": entry.target_type.value, "target_id": entry.target_id,
        "urgent": entry.is_urgent, "report_count": entry.report_count, "hidden_by_reports": entry.hidden_by_reports,
        "subject": member_ref(subject),
        "post": None if post is None else {
            "id": post.id, "topic_id": post.topic_id, "topic_title": post.topic.title, "number": post.number,
            "status": post.status.value, "body_html": post.body_html, "moderation_note": post.moderation_note,
        },
        "reports": [
            {"id": r.id, "reason": r.reason, "reason_label": r.reason_label, "note": r.note, "reporter": member_ref(r.reporter),
             "status": r.status.value, "created_at": r.created_at}
            for r in reports
        ],
        "created_at": entry.created_at, "updated_at": entry.updated_at, "resolved_at": entry.resolved_at,
        "resolved_by": member_ref(entry.resolved_by), "resolution": entry.resolution, "resolution_note": entry.resolution_note,
    }
