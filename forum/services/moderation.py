"""Moderation: reports, the review queue, holds, and every moderator action.

Plain functions that add and flush but never commit: the caller commits once, so each action and
its audit row (log_action) land in the same transaction. Pages and the API call the same functions.

Two moderators acting on one queue entry at once: every action first *claims* the entry with a
conditional UPDATE (... WHERE status = 'pending') and checks the row count, so exactly one of them
proceeds; the other is told who handled it and nothing of theirs is applied. State changes on posts,
topics and members are compare-and-set updates too, so counters are never moved twice.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, exists, func, inspect, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from forum.errors import Conflict, InvalidInput, NotAllowed, NotFound
from forum.models import (
    Board,
    ContentStatus,
    MemberWarning,
    Post,
    Report,
    ReportStatus,
    ReviewEntry,
    ReviewStatus,
    Role,
    StaffNote,
    TargetType,
    Topic,
    User,
    WatchedWord,
    WatchedWordAction,
    utcnow,
)
from forum.models.audit import ModerationAction
from forum.models.base import db
from forum.models.moderation import ADMIN_REVIEW_REASON, REPORT_REASONS, URGENT_PRIORITY, URGENT_REASON
from forum.permissions import (
    can_manage_watched_words,
    can_report_member,
    can_report_post,
    can_view_post,
    can_view_queue,
    can_view_topic,
    require,
    is_admin,
    why_cannot_moderate_post,
    why_cannot_participate,
    why_cannot_sanction,
)
from forum.services import search
from forum.services.audit import log_action
from forum.services.notifications import notify, post_published
from forum.services.posting import count_publication

NOTE_MAX = 1000
REASON_MAX = 500
SUSPEND_MAX_DAYS = 3650
HIDDEN_BY_REPORTS_NOTE = "Hidden after several members reported it, until a moderator reviews it."


class AlreadyHandled(Conflict):
    """Another moderator settled this queue entry first."""


# --- small helpers -------------------------------------------------------------------------------


def _clean_text(value: str | None, *, limit: int, required: str | None = None) -> str | None:
    value = " ".join((value or "").replace("\x00", "").split()) if value else ""
    if not value:
        if required:
            raise InvalidInput(required)
        return None
    if len(value) > limit:
        raise InvalidInput(f"Please keep it to {limit:,} characters.")
    return value


def _require_staff(user: User) -> None:
    require(can_view_queue(user), "Only moderators and admins can do that.")


def _require_post_action(user: User, post: Post, action: str) -> None:
    """A moderator action on a post (its author loaded): moderators leave admins' posts to admins."""
    why = why_cannot_moderate_post(user, post, action)
    if why:
        raise NotAllowed(why)


def post_path(post: Post) -> str:
    return f"/posts/{post.id}"


def member_path(member: User) -> str:
    return f"/users/{member.username}"


def _load_post(post_id: int) -> Post:
    post = db.session.scalars(
        select(Post)
        .options(joinedload(Post.author), joinedload(Post.topic).joinedload(Topic.board))
        .where(Post.id == post_id)
    ).first()
    if post is None:
        raise NotFound("We could not find that post.")
    return post


def _in_context(post: Post) -> Post:
    """The post with its topic and board loaded (relationships never load lazily)."""
    unloaded = inspect(post).unloaded
    if "topic" in unloaded or "author" in unloaded or "board" in inspect(post.topic).unloaded:
        return _load_post(post.id)
    return post


def _staff_ids() -> list[int]:
    return list(
        db.session.scalars(
            select(User.id).where(User.role.in_([Role.MODERATOR, Role.ADMIN]), User.banned_at.is_(None))
        )
    )


# --- queue entries -------------------------------------------------------------------------------


def pending_entry(target_type: TargetType, target_id: int) -> ReviewEntry | None:
    return db.session.scalar(
        select(ReviewEntry).where(
            ReviewEntry.target_type == target_type,
            ReviewEntry.target_id == target_id,
            ReviewEntry.status == ReviewStatus.PENDING,
        )
    )


def _entry_for(target_type: TargetType, target_id: int, *, topic_id: int | None, subject_user_id: int | None) -> ReviewEntry:
    """The item's pending entry, opened if there is none (concurrent openers meet on a unique index)."""
    entry = pending_entry(target_type, target_id)
    if entry is not None:
        return entry
    now = utcnow()
    entry = ReviewEntry(
        target_type=target_type,
        target_id=target_id,
        topic_id=topic_id,
        subject_user_id=subject_user_id,
        status=ReviewStatus.PENDING,
        created_at=now,
        updated_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(entry)
    except IntegrityError:
        entry = pending_entry(target_type, target_id)
        if entry is None:  # pragma: no cover - the other opener rolled back
            raise Conflict("Please try again in a moment.") from None
    return entry


def _add_report(entry: ReviewEntry, reporter: User | None, reason: str, note: str | None) -> Report:
    now = utcnow()
    report = Report(
        entry_id=entry.id,
        target_type=entry.target_type,
        target_id=entry.target_id,
        reporter_id=reporter.id if reporter else None,
        reason=reason,
        note=note,
        status=ReportStatus.OPEN,
        created_at=now,
    )
    db.session.add(report)
    db.session.execute(
        update(ReviewEntry)
        .where(ReviewEntry.id == entry.id)
        .values(report_count=ReviewEntry.report_count + 1, updated_at=now)
    )
    db.session.expire(entry, ["report_count", "updated_at"])
    if reason == URGENT_REASON and entry.priority < URGENT_PRIORITY:
        entry.priority = URGENT_PRIORITY
        notify(
            _staff_ids(),
            "moderation",
            "Someone may be at risk: a report is waiting at the top of the review queue.",
            f"/mod/entries/{entry.id}",
            actor_id=reporter.id if reporter else None,
        )
    db.session.flush()
    return report


# --- reporting -----------------------------------------------------------------------------------


def check_reason(reason: str | None, note: str | None) -> tuple[str, str | None]:
    """The reason key and cleaned note, or InvalidInput (422)."""
    if reason not in REPORT_REASONS:
        raise InvalidInput("Please choose one of the listed reasons.")
    note = _clean_text(note, limit=NOTE_MAX, required="Please tell the moderators what is wrong." if reason == "other" else None)
    return reason, note


def report_target(reporter: User, kind: str, target_id: int) -> tuple[TargetType, Post | None, User | None]:
    """Resolve what a member wants to report: a post, a topic (its opening post) or a member.

    Unknown, deleted or invisible items answer 404; a topic is reported through its opening post.
    """
    if kind == "post":
        post = _load_post(target_id)
    elif kind == "topic":
        topic = db.session.get(Topic, target_id)
        if topic is None:
            raise NotFound("We could not find that topic.")
        first_id = db.session.scalar(select(Post.id).where(Post.topic_id == topic.id, Post.number == 1))
        if first_id is None:
            raise NotFound("We could not find that topic.")
        post = _load_post(first_id)
    elif kind == "user":
        member = db.session.get(User, target_id)
        if member is None or member.password_hash == "":
            raise NotFound("There is no member with that name.")
        return TargetType.USER, None, member
    else:
        raise NotFound("We could not find that.")
    if (
        post.status is ContentStatus.DELETED
        or post.topic.status is ContentStatus.DELETED
        or not can_view_topic(reporter, post.topic)
        or not can_view_post(reporter, post)
    ):
        raise NotFound("We could not find that post. It may have been removed.")
    return TargetType.POST, post, None


def file_report(reporter: User, kind: str, target_id: int, reason: str | None, note: str | None = None) -> Report:
    """A member reports a post, a topic or a member; caller commits."""
    why = why_cannot_participate(reporter)
    if why:
        raise NotAllowed(why)
    target_type, post, member = report_target(reporter, kind, target_id)
    reason, note = check_reason(reason, note)
    if post is not None:
        require(can_report_post(reporter, post), "You cannot report your own post." if post.author_id == reporter.id else "This post cannot be reported.")
        item_id, topic_id, subject_id = post.id, post.topic_id, post.author_id
    else:
        require(can_report_member(reporter, member), "You cannot report yourself.")
        item_id, topic_id, subject_id = member.id, None, member.id
    if already_reported(reporter, target_type, item_id):
        raise Conflict(
            "You have already reported this and your report is still open. Moderators will review it, "
            "and you will hear the outcome."
        )
    entry = _entry_for(target_type, item_id, topic_id=topic_id, subject_user_id=subject_id)
    try:
        with db.session.begin_nested():
            report = _add_report(entry, reporter, reason, note)
    except IntegrityError:
        raise Conflict("You have already reported this and your report is still open.") from None
    if post is not None:
        _hide_if_threshold(entry, post)
    return report


def report_item(reporter: User, target_type: TargetType, target_id: int, reason: str | None, note: str | None,
                open_entry) -> tuple[ReviewEntry, Report]:
    """A member's report on an item (checked reason, one open report each); `open_entry()` gives its entry."""
    reason, note = check_reason(reason, note)
    duplicate = "You have already reported this and your report is still open. Moderators will review it."
    if already_reported(reporter, target_type, target_id):
        raise Conflict(duplicate)
    entry = open_entry()
    try:
        with db.session.begin_nested():
            return entry, _add_report(entry, reporter, reason, note)
    except IntegrityError:
        raise Conflict(duplicate) from None


def already_reported(reporter: User, target_type: TargetType, target_id: int) -> bool:
    return db.session.scalar(
        select(
            exists().where(
                Report.reporter_id == reporter.id,
                Report.target_type == target_type,
                Report.target_id == target_id,
                Report.status == ReportStatus.OPEN,
            )
        )
    )


def open_reporters(entry: ReviewEntry) -> int:
    """How many distinct members have an open report in the entry."""
    return db.session.scalar(
        select(func.count(func.distinct(Report.reporter_id))).where(
            Report.entry_id == entry.id, Report.reporter_id.is_not(None), Report.status == ReportStatus.OPEN
        )
    )


def _hide_if_threshold(entry: ReviewEntry, post: Post) -> None:
    """Enough distinct members reported a published post: hide it until a moderator reviews it."""
    threshold = current_app.config.get("MODERATION_HIDE_THRESHOLD", 3)
    if threshold <= 0 or post.status is not ContentStatus.PUBLISHED:
        return
    reporters = open_reporters(entry)
    if reporters < threshold:
        return
    topic = post.topic
    if not _move_post(post, {ContentStatus.PUBLISHED}, ContentStatus.HIDDEN):
        return
    count_publication(post, topic, topic.board, -1)
    search.index_post(post, topic)
    if post.is_first:
        topic.status = ContentStatus.HIDDEN
    post.moderation_note = HIDDEN_BY_REPORTS_NOTE
    entry.hidden_by_reports = True
    log_action(
        None, "post.hide_by_reports", "post", post.id, subject_user_id=post.author_id,
        reason=f"{reporters} members reported it", before={"status": "published"}, after={"status": "hidden"},
    )
    notify(
        [post.author_id], "moderation",
        f"Your post in “{topic.title}” is hidden after reports from several members, until a moderator reviews it.",
        post_path(post), topic_id=topic.id, post_id=post.id,
    )
    db.session.flush()


# --- screening: holds and flags ------------------------------------------------------------------


def open_screening_entries(post: Post, hold_reasons: list[str], flags: list[tuple[str, str]]) -> None:
    """A held post, and every flag raised by screening, open system reports on the post."""
    if post.status is not ContentStatus.HELD and not flags:
        return
    entry = _entry_for(TargetType.POST, post.id, topic_id=post.topic_id, subject_user_id=post.author_id)
    if post.status is ContentStatus.HELD:
        held_open = db.session.scalar(
            select(exists().where(Report.entry_id == entry.id, Report.reason == "held", Report.status == ReportStatus.OPEN))
        )
        if not held_open:
            _add_report(entry, None, "held", _clean_text("; ".join(hold_reasons), limit=NOTE_MAX) or "Waiting for approval")
    for reason, note in flags:
        _add_report(entry, None, (reason or "other")[:30], _clean_text(note, limit=NOTE_MAX))


# --- settling entries ----------------------------------------------------------------------------


_REPORT_OUTCOME = {
    ReviewStatus.DISMISSED: ReportStatus.DISMISSED,
    ReviewStatus.ACTIONED: ReportStatus.UPHELD,
    ReviewStatus.APPROVED: ReportStatus.DISMISSED,
    ReviewStatus.REJECTED: ReportStatus.UPHELD,
}


def _claim(entry: ReviewEntry, moderator: User, status: ReviewStatus, resolution: str, note: str | None) -> bool:
    """Settle a pending entry; True when this call did it, False when someone else did first."""
    now = utcnow()
    result = db.session.execute(
        update(ReviewEntry)
        .where(ReviewEntry.id == entry.id, ReviewEntry.status == ReviewStatus.PENDING)
        .values(status=status, resolved_by_id=moderator.id, resolved_at=now, resolution=resolution, resolution_note=note)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    for name, value in (("status", status), ("resolved_by_id", moderator.id), ("resolved_at", now),
                        ("resolution", resolution), ("resolution_note", note)):
        set_committed_value(entry, name, value)
    outcome = _REPORT_OUTCOME[status]
    db.session.execute(
        update(Report)
        .where(Report.entry_id == entry.id, Report.status == ReportStatus.OPEN)
        .values(status=outcome, resolved_at=now)
        .execution_options(synchronize_session=False)
    )
    reporters = db.session.scalars(
        select(Report.reporter_id).where(Report.entry_id == entry.id, Report.reporter_id.is_not(None)).distinct()
    )
    if outcome is ReportStatus.UPHELD:
        text = "Thank you for your report. A moderator reviewed it and took action."
    else:
        text = "Thank you for your report. A moderator reviewed it and found that no rule was broken."
    notify(list(reporters), "report_outcome", text, "/reports/mine", actor_id=moderator.id, topic_id=entry.topic_id)
    return True


def handled_by(entry_id: int) -> str:
    name = db.session.scalar(
        select(User.username).join(ReviewEntry, ReviewEntry.resolved_by_id == User.id).where(ReviewEntry.id == entry_id)
    )
    return name or "another moderator"


def _settle(entry: ReviewEntry | None, target_type: TargetType, target_id: int, moderator: User,
            status: ReviewStatus, resolution: str, note: str | None) -> None:
    """Claim the given entry (AlreadyHandled if someone was first), or close the item's pending one."""
    if entry is not None:
        if entry.target_type is not target_type or entry.target_id != target_id:
            raise InvalidInput("That action does not apply to this entry's item.")
        if not _claim(entry, moderator, status, resolution, note):
            raise AlreadyHandled(f"This entry was already handled by {handled_by(entry.id)}. Nothing was changed.")
        return
    other = pending_entry(target_type, target_id)
    if other is not None:
        _claim(other, moderator, status, resolution, note)


def dismiss(entry: ReviewEntry, moderator: User, note: str | None = None) -> None:
    """No violation: close the entry, and show again what reports had hidden."""
    _require_staff(moderator)
    post = _load_post(entry.target_id) if entry.target_type is TargetType.POST else None
    if post is not None:
        _require_post_action(moderator, post, "dismiss")
    note = _clean_text(note, limit=NOTE_MAX)
    if not _claim(entry, moderator, ReviewStatus.DISMISSED, "dismiss", note):
        raise AlreadyHandled(f"This entry was already handled by {handled_by(entry.id)}. Nothing was changed.")
    log_action(moderator, "entry.dismiss", entry.target_type.value, entry.target_id,
               subject_user_id=entry.subject_user_id, reason=note)
    if post is not None and entry.hidden_by_reports:
        if post.status is ContentStatus.HIDDEN and post.moderation_note == HIDDEN_BY_REPORTS_NOTE:
            _publish(post, ContentStatus.HIDDEN)
            log_action(moderator, "post.restore", "post", post.id, subject_user_id=post.author_id,
                       reason="Reports dismissed", before={"status": "hidden"}, after={"status": "published"})
    db.session.flush()


# --- posts ---------------------------------------------------------------------------------------


def _move_post(post: Post, sources: set[ContentStatus], target: ContentStatus) -> bool:
    """Compare-and-set a post's status; False if it is no longer in one of `sources`."""
    result = db.session.execute(
        update(Post)
        .where(Post.id == post.id, Post.status.in_(sources))
        .values(status=target)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    set_committed_value(post, "status", target)
    return True


def _publish(post: Post, source: ContentStatus) -> bool:
    topic = post.topic
    if not _move_post(post, {source}, ContentStatus.PUBLISHED):
        return False
    count_publication(post, topic, topic.board, +1)
    search.index_post(post, topic)
    if post.is_first:
        topic.status = ContentStatus.PUBLISHED
    post.moderation_note = None
    return True


def hide_post(post: Post, moderator: User, reason: str | None, *, entry: ReviewEntry | None = None) -> None:
    """Hide a published post; its author is told why."""
    post = _in_context(post)
    _require_post_action(moderator, post, "hide")
    reason = _clean_text(reason, limit=REASON_MAX, required="Please give the reason the author will be told.")
    _settle(entry, TargetType.POST, post.id, moderator, ReviewStatus.ACTIONED, "post.hide", reason)
    topic = post.topic
    if not _move_post(post, {ContentStatus.PUBLISHED}, ContentStatus.HIDDEN):
        raise Conflict("This post is not published, so it cannot be hidden.")
    count_publication(post, topic, topic.board, -1)
    search.index_post(post, topic)
    if post.is_first:
        topic.status = ContentStatus.HIDDEN
    post.moderation_note = reason
    log_action(moderator, "post.hide", "post", post.id, subject_user_id=post.author_id, reason=reason,
               before={"status": "published"}, after={"status": "hidden"})
    notify([post.author_id], "moderation", f"A moderator hid your post in “{topic.title}”. Reason: {reason}",
           post_path(post), actor_id=moderator.id, topic_id=topic.id, post_id=post.id)
    if post.author is not None and post.author.role is Role.ADMIN and not is_admin(moderator):
        _ask_another_admin(post, moderator, reason)
    db.session.flush()


def _ask_another_admin(post: Post, moderator: User, reason: str) -> None:
    """A moderator hid an admin's post: it waits in the queue for an admin who did not write it."""
    entry = _entry_for(TargetType.POST, post.id, topic_id=post.topic_id, subject_user_id=post.author_id)
    _add_report(entry, None, ADMIN_REVIEW_REASON, _clean_text(f"Hidden by {moderator.username}: {reason}", limit=NOTE_MAX))
    admins = db.session.scalars(
        select(User.id).where(User.role == Role.ADMIN, User.banned_at.is_(None), User.id != post.author_id)
    )
    notify(list(admins), "moderation", "A moderator hid a post by an admin: another admin decides whether it stays hidden.",
           f"/mod/entries/{entry.id}", actor_id=moderator.id, topic_id=post.topic_id, post_id=post.id)


def restore_post(post: Post, moderator: User, *, entry: ReviewEntry | None = None) -> None:
    """Show a hidden (or moderator-deleted) post again."""
    post = _in_context(post)
    _require_post_action(moderator, post, "restore")
    before = post.status
    if before is ContentStatus.DELETED and post.deleted_by_author:
        raise Conflict("Its author deleted this post; only they could bring it back.")
    if entry is not None:
        _settle(entry, TargetType.POST, post.id, moderator, ReviewStatus.DISMISSED, "post.restore", None)
    if before not in (ContentStatus.HIDDEN, ContentStatus.DELETED) or not _publish(post, before):
        raise Conflict("This post is not hidden or removed, so there is nothing to restore.")
    post.deleted_at = None
    post.deleted_by_id = None
    log_action(moderator, "post.restore", "post", post.id, subject_user_id=post.author_id,
               before={"status": before.value}, after={"status": "published"})
    notify([post.author_id], "moderation", f"A moderator restored your post in “{post.topic.title}”.",
           post_path(post), actor_id=moderator.id, topic_id=post.topic_id, post_id=post.id)
    db.session.flush()


def delete_post(post: Post, moderator: User, reason: str | None, *, entry: ReviewEntry | None = None) -> None:
    """Remove a post (kept in the database, shown as removed by a moderator); the author is told why."""
    post = _in_context(post)
    _require_post_action(moderator, post, "delete")
    reason = _clean_text(reason, limit=REASON_MAX, required="Please give the reason the author will be told.")
    _settle(entry, TargetType.POST, post.id, moderator, ReviewStatus.ACTIONED, "post.delete", reason)
    topic = post.topic
    before = post.status
    if before is ContentStatus.DELETED or not _move_post(post, {before}, ContentStatus.DELETED):
        raise Conflict("This post is already deleted.")
    if before is ContentStatus.PUBLISHED:
        count_publication(post, topic, topic.board, -1)
        search.index_post(post, topic)
    if post.is_first:
        topic.status = ContentStatus.DELETED
    post.deleted_at = utcnow()
    post.deleted_by_id = moderator.id
    post.moderation_note = reason
    log_action(moderator, "post.delete", "post", post.id, subject_user_id=post.author_id, reason=reason,
               before={"status": before.value}, after={"status": "deleted"})
    notify([post.author_id], "moderation", f"A moderator removed your post in “{topic.title}”. Reason: {reason}",
           f"/topics/{topic.id}", actor_id=moderator.id, topic_id=topic.id, post_id=post.id)
    db.session.flush()


def edit_post(post: Post, moderator: User, body: str, note: str | None, *, title: str | None = None,
              entry: ReviewEntry | None = None) -> None:
    """Edit someone's post with a note; the earlier version stays in its history."""
    from forum.services import posting

    post = _in_context(post)
    _require_post_action(moderator, post, "edit")
    note = _clean_text(note, limit=REASON_MAX, required="Please add a note saying why you edited the post.")
    _settle(entry, TargetType.POST, post.id, moderator, ReviewStatus.ACTIONED, "post.edit", note)
    if post.status is ContentStatus.DELETED:
        raise Conflict("This post is deleted; restore it before editing.")
    revision = post.revision_count
    posting.edit_post(post, moderator, body, title=title, note=note)
    if post.revision_count == revision:
        raise InvalidInput("Nothing was changed: edit the text, or go back.")
    log_action(moderator, "post.edit", "post", post.id, subject_user_id=post.author_id, reason=note,
               before={"revision": revision}, after={"revision": post.revision_count})
    notify([post.author_id], "moderation", f"A moderator edited your post in “{post.topic.title}”. Note: {note}",
           post_path(post), actor_id=moderator.id, topic_id=post.topic_id, post_id=post.id)
    db.session.flush()


def approve_post(post: Post, moderator: User, *, entry: ReviewEntry | None = None) -> None:
    """Publish a held post."""
    post = _in_context(post)
    _require_post_action(moderator, post, "approve")
    _settle(entry, TargetType.POST, post.id, moderator, ReviewStatus.APPROVED, "post.approve", None)
    if not _publish(post, ContentStatus.HELD):
        raise Conflict("This post is not waiting for approval.")
    log_action(moderator, "post.approve", "post", post.id, subject_user_id=post.author_id,
               before={"status": "held"}, after={"status": "published"})
    notify([post.author_id], "moderation", f"Your post in “{post.topic.title}” was approved and is now visible to everyone.",
           post_path(post), actor_id=moderator.id, topic_id=post.topic_id, post_id=post.id)
    # Now visible, it reaches watchers, the quoted and the mentioned as a post published at once would.
    post_published(post, post.topic, post.topic.board, post.author)
    db.session.flush()


def reject_post(post: Post, moderator: User, reason: str | None, *, entry: ReviewEntry | None = None) -> None:
    """Refuse a held post; its author is told why."""
    post = _in_context(post)
    _require_post_action(moderator, post, "reject")
    reason = _clean_text(reason, limit=REASON_MAX, required="Please give the reason the author will be told.")
    _settle(entry, TargetType.POST, post.id, moderator, ReviewStatus.REJECTED, "post.reject", reason)
    topic = post.topic
    if not _move_post(post, {ContentStatus.HELD}, ContentStatus.DELETED):
        raise Conflict("This post is not waiting for approval.")
    if post.is_first:
        topic.status = ContentStatus.DELETED
    post.deleted_at = utcnow()
    post.deleted_by_id = moderator.id
    post.moderation_note = reason
    log_action(moderator, "post.reject", "post", post.id, subject_user_id=post.author_id, reason=reason,
               before={"status": "held"}, after={"status": "deleted"})
    notify([post.author_id], "moderation",
           f"A moderator did not approve your post in “{topic.title}”. Reason: {reason}",
           "/account/standing", actor_id=moderator.id, topic_id=topic.id, post_id=post.id)
    db.session.flush()


# --- topics --------------------------------------------------------------------------------------


def _topic_cas(topic: Topic, condition, values: dict, conflict: str) -> None:
    result = db.session.execute(
        update(Topic).where(Topic.id == topic.id, condition).values(**values).execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict(conflict)
    for name, value in values.items():
        set_committed_value(topic, name, value)


def _topic_action(topic: Topic, moderator: User, action: str, reason: str | None, entry: ReviewEntry | None,
                  post: Post | None) -> str | None:
    _require_staff(moderator)
    reason = _clean_text(reason, limit=REASON_MAX)
    if entry is not None:
        target_id = post.id if post is not None else None
        _settle(entry, TargetType.POST, target_id, moderator, ReviewStatus.ACTIONED, action, reason)
    return reason


# action: (condition the topic must meet, new values, message when it does not, before, after)
_TOPIC_SWITCHES = {
    "topic.lock": (lambda: Topic.locked_at.is_(None), lambda: {"locked_at": utcnow()}, "This topic is already locked.",
                   {"locked": False}, {"locked": True}),
    "topic.unlock": (lambda: Topic.locked_at.is_not(None), lambda: {"locked_at": None}, "This topic is not locked.",
                     {"locked": True}, {"locked": False}),
    "topic.pin": (lambda: Topic.pinned.is_(False), lambda: {"pinned": True}, "This topic is already pinned.",
                  {"pinned": False}, {"pinned": True}),
    "topic.unpin": (lambda: Topic.pinned.is_(True), lambda: {"pinned": False}, "This topic is not pinned.",
                    {"pinned": True}, {"pinned": False}),
}


def _switch_topic(action: str, topic: Topic, moderator: User, reason: str | None, entry: ReviewEntry | None,
                  post: Post | None) -> None:
    condition, values, conflict, before, after = _TOPIC_SWITCHES[action]
    reason = _topic_action(topic, moderator, action, reason, entry, post)
    _topic_cas(topic, condition(), values(), conflict)
    log_action(moderator, action, "topic", topic.id, subject_user_id=topic.author_id, reason=reason,
               before=before, after=after)
    db.session.flush()


def lock_topic(topic: Topic, moderator: User, reason: str | None = None, *, entry: ReviewEntry | None = None,
               post: Post | None = None) -> None:
    """No more replies, except from moderators."""
    _switch_topic("topic.lock", topic, moderator, reason, entry, post)


def unlock_topic(topic: Topic, moderator: User, reason: str | None = None, *, entry: ReviewEntry | None = None,
                 post: Post | None = None) -> None:
    _switch_topic("topic.unlock", topic, moderator, reason, entry, post)


def pin_topic(topic: Topic, moderator: User, reason: str | None = None, *, entry: ReviewEntry | None = None,
              post: Post | None = None) -> None:
    """Keep the topic at the top of its board."""
    _switch_topic("topic.pin", topic, moderator, reason, entry, post)


def unpin_topic(topic: Topic, moderator: User, reason: str | None = None, *, entry: ReviewEntry | None = None,
                post: Post | None = None) -> None:
    _switch_topic("topic.unpin", topic, moderator, reason, entry, post)


def move_topic(topic: Topic, moderator: User, board: Board, reason: str | None = None, *,
               entry: ReviewEntry | None = None, post: Post | None = None) -> None:
    """Move a topic to another board, carrying its counts with it."""
    if board is None:
        raise InvalidInput("Please choose a board.")
    if board.id == topic.board_id:
        raise InvalidInput("The topic is already in that board; choose another one.")
    reason = _topic_action(topic, moderator, "topic.move", reason, entry, post)
    old = db.session.get(Board, topic.board_id)
    _topic_cas(topic, Topic.board_id == old.id, {"board_id": board.id}, "This topic was moved meanwhile.")
    if topic.status is ContentStatus.PUBLISHED:
        posts = topic.reply_count + 1
        db.session.execute(update(Board).where(Board.id == old.id).values(
            topic_count=Board.topic_count - 1, post_count=Board.post_count - posts))
        values: dict = {"topic_count": Board.topic_count + 1, "post_count": Board.post_count + posts}
        if board.last_posted_at is None or board.last_posted_at <= topic.last_posted_at:
            values.update(last_posted_at=topic.last_posted_at, last_topic_id=topic.id)
        db.session.execute(update(Board).where(Board.id == board.id).values(**values))
        if old.last_topic_id == topic.id:
            latest = db.session.execute(
                select(Topic.id, Topic.last_posted_at)
                .where(Topic.board_id == old.id, Topic.status == ContentStatus.PUBLISHED)
                .order_by(Topic.last_posted_at.desc(), Topic.id.desc())
                .limit(1)
            ).first()
            db.session.execute(update(Board).where(Board.id == old.id).values(
                last_topic_id=latest.id if latest else None, last_posted_at=latest.last_posted_at if latest else None))
        db.session.expire(old)
        db.session.expire(board)
    set_committed_value(topic, "board", board)
    log_action(moderator, "topic.move", "topic", topic.id, subject_user_id=topic.author_id, reason=reason,
               before={"board": old.slug}, after={"board": board.slug})
    notify([topic.author_id], "moderation", f"A moderator moved your topic “{topic.title}” to {board.name}.",
           f"/topics/{topic.id}", actor_id=moderator.id, topic_id=topic.id)
    db.session.flush()
    search.index_topic(topic)


# --- members -------------------------------------------------------------------------------------


def _require_sanction(moderator: User, member: User) -> None:
    why = why_cannot_sanction(moderator, member)
    if why:
        raise NotAllowed(why)


def _member_settle(entry: ReviewEntry | None, member: User, moderator: User, action: str, reason: str | None) -> None:
    if entry is not None and entry.target_type is TargetType.POST:
        # Sanctioning a post's author from that post's entry settles the entry.
        if entry.subject_user_id != member.id:
            raise InvalidInput("That member is not the author of this entry's post.")
        if not _claim(entry, moderator, ReviewStatus.ACTIONED, action, reason):
            raise AlreadyHandled(f"This entry was already handled by {handled_by(entry.id)}. Nothing was changed.")
        return
    _settle(entry, TargetType.USER, member.id, moderator, ReviewStatus.ACTIONED, action, reason)


def warn_member(member: User, moderator: User, reason: str | None, *, entry: ReviewEntry | None = None) -> MemberWarning:
    """A formal warning the member must acknowledge before posting again."""
    _require_sanction(moderator, member)
    reason = _clean_text(reason, limit=NOTE_MAX, required="Please write the warning the member will read.")
    _member_settle(entry, member, moderator, "user.warn", reason)
    warning = MemberWarning(user_id=member.id, moderator_id=moderator.id, reason=reason, created_at=utcnow())
    db.session.add(warning)
    db.session.execute(update(User).where(User.id == member.id).values(
        unacknowledged_warnings=User.unacknowledged_warnings + 1))
    db.session.expire(member, ["unacknowledged_warnings"])
    db.session.flush()
    log_action(moderator, "user.warn", "user", member.id, subject_user_id=member.id, reason=reason,
               after={"warning_id": warning.id})
    notify([member.id], "moderation", f"A moderator sent you a warning. Please read and acknowledge it: {reason}",
           "/account/standing", actor_id=moderator.id)
    return warning


def suspend_member(member: User, moderator: User, days: int | None, reason: str | None, *,
                   entry: ReviewEntry | None = None) -> None:
    """For `days` days the member can read but not post; they see until when and why."""
    _require_sanction(moderator, member)
    if not isinstance(days, int) or not 1 <= days <= SUSPEND_MAX_DAYS:
        raise InvalidInput(f"Please give a number of days between 1 and {SUSPEND_MAX_DAYS}.")
    reason = _clean_text(reason, limit=REASON_MAX, required="Please give the reason the member will see.")
    _member_settle(entry, member, moderator, "user.suspend", reason)
    before = {"suspended_until": member.suspended_until.isoformat() if member.is_suspended else None}
    member.suspended_until = utcnow() + timedelta(days=days)
    member.suspension_reason = reason
    log_action(moderator, "user.suspend", "user", member.id, subject_user_id=member.id, reason=reason,
               before=before, after={"suspended_until": member.suspended_until.isoformat(), "days": days})
    until = member.suspended_until.strftime("%d %B %Y, %H:%M UTC")
    notify([member.id], "moderation", f"Your account is suspended until {until}: you can read but not post. Reason: {reason}",
           "/account/standing", actor_id=moderator.id)
    db.session.flush()


def ban_member(member: User, moderator: User, reason: str | None, *, entry: ReviewEntry | None = None) -> None:
    _require_sanction(moderator, member)
    reason = _clean_text(reason, limit=REASON_MAX, required="Please give the reason for the ban.")
    _member_settle(entry, member, moderator, "user.ban", reason)
    now = utcnow()
    result = db.session.execute(update(User).where(User.id == member.id, User.banned_at.is_(None))
                                .values(banned_at=now, ban_reason=reason).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise Conflict("This member is already banned.")
    set_committed_value(member, "banned_at", now)
    set_committed_value(member, "ban_reason", reason)
    log_action(moderator, "user.ban", "user", member.id, subject_user_id=member.id, reason=reason,
               before={"banned": False}, after={"banned": True})
    notify([member.id], "moderation", f"Your account has been banned. Reason: {reason}", "/account/standing",
           actor_id=moderator.id)
    db.session.flush()


def lift_sanction(member: User, moderator: User, reason: str | None = None, *, entry: ReviewEntry | None = None) -> None:
    """End a member's suspension and ban."""
    _require_sanction(moderator, member)
    reason = _clean_text(reason, limit=REASON_MAX)
    if not member.is_suspended and not member.is_banned:
        raise Conflict("This member is neither suspended nor banned.")
    _member_settle(entry, member, moderator, "user.lift", reason)
    before = {"banned": member.is_banned, "suspended_until": member.suspended_until.isoformat() if member.is_suspended else None}
    member.suspended_until = None
    member.suspension_reason = None
    member.banned_at = None
    member.ban_reason = None
    log_action(moderator, "user.lift", "user", member.id, subject_user_id=member.id, reason=reason,
               before=before, after={"banned": False, "suspended_until": None})
    notify([member.id], "moderation", "A moderator lifted the restriction on your account: you can post again.",
           "/account/standing", actor_id=moderator.id)
    db.session.flush()


def acknowledge_warning(warning_id: int, member: User) -> None:
    """The member read the warning: they may post again once none is left unacknowledged."""
    result = db.session.execute(
        update(MemberWarning)
        .where(MemberWarning.id == warning_id, MemberWarning.user_id == member.id, MemberWarning.acknowledged_at.is_(None))
        .values(acknowledged_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise NotFound("There is no unacknowledged warning with that number on your account.")
    db.session.execute(update(User).where(User.id == member.id, User.unacknowledged_warnings > 0).values(
        unacknowledged_warnings=User.unacknowledged_warnings - 1))
    db.session.expire(member, ["unacknowledged_warnings"])
    db.session.flush()


def add_staff_note(member: User, moderator: User, body: str | None) -> StaffNote:
    """A private note on a member, for staff only."""
    _require_staff(moderator)
    body = _clean_text(body, limit=2000, required="The note cannot be empty.")
    note = StaffNote(user_id=member.id, author_id=moderator.id, body=body, created_at=utcnow())
    db.session.add(note)
    db.session.flush()
    log_action(moderator, "user.note", "user", member.id, subject_user_id=member.id, after={"note_id": note.id})
    return note


# --- watched words -------------------------------------------------------------------------------


def add_watched_word(admin: User, word: str | None, action: str | None) -> WatchedWord:
    require(can_manage_watched_words(admin), "Only admins manage watched words.")
    word = " ".join((word or "").lower().split())
    if not word or word.strip("*") == "":
        raise InvalidInput("Please enter a word or phrase.")
    if len(word) > 100:
        raise InvalidInput("Watched words are at most 100 characters.")
    try:
        chosen = WatchedWordAction(action)
    except ValueError:
        raise InvalidInput("Please choose block, hold or flag.") from None
    if db.session.scalar(select(WatchedWord.id).where(WatchedWord.word == word)) is not None:
        raise InvalidInput(f"“{word}” is already watched; remove it first to change its action.")
    row = WatchedWord(word=word, action=chosen, created_by_id=admin.id, created_at=utcnow())
    db.session.add(row)
    db.session.flush()
    log_action(admin, "watched_word.add", "watched_word", row.id, reason=word, after={"action": chosen.value})
    forget_word_rules()
    return row


def remove_watched_word(admin: User, word_id: int) -> None:
    require(can_manage_watched_words(admin), "Only admins manage watched words.")
    row = db.session.get(WatchedWord, word_id)
    if row is None:
        raise NotFound("That watched word does not exist (any more).")
    log_action(admin, "watched_word.remove", "watched_word", row.id, reason=row.word, before={"action": row.action.value})
    db.session.delete(row)
    db.session.flush()
    forget_word_rules()


def watched_words() -> list[WatchedWord]:
    return list(db.session.scalars(select(WatchedWord).order_by(WatchedWord.word)))


def word_pattern(word: str) -> re.Pattern:
    """Match on word boundaries, any case; `*` stands for any letters, spaces for any whitespace."""
    escaped = re.escape(word).replace(r"\*", r"\w*").replace(r"\ ", r"\s+")
    return re.compile(rf"(?<!\w){escaped}(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class WordRule:
    word: str
    action: WatchedWordAction
    pattern: re.Pattern


def _word_rules() -> tuple[WordRule, ...]:
    """Every watched word with its compiled pattern.

    Every post is screened and the list rarely changes, so a process keeps it for
    WATCHED_WORDS_CACHE_SECONDS (0: read it every time); a change made in this process clears it
    at once, other processes see it within that time.
    """
    ttl = current_app.config.get("WATCHED_WORDS_CACHE_SECONDS", 0)
    cache = current_app.extensions.setdefault("forum_watched_words", {})
    now = time.monotonic()
    if ttl > 0 and cache.get("until", 0) > now:
        return cache["rules"]
    rows = db.session.execute(select(WatchedWord.word, WatchedWord.action).order_by(WatchedWord.word)).all()
    cache["rules"] = rules = tuple(WordRule(word, action, word_pattern(word)) for word, action in rows)
    cache["until"] = now + ttl
    return rules


def forget_word_rules() -> None:
    current_app.extensions.get("forum_watched_words", {}).clear()


def matching_words(text: str) -> list[WordRule]:
    return [rule for rule in _word_rules() if rule.pattern.search(text)]


# --- reading the queue ---------------------------------------------------------------------------

QUEUE_PER_PAGE = 25
SORTS = ("urgent", "newest")


@dataclass
class QueuePage:
    entries: list[ReviewEntry]
    reports: dict[int, list[Report]]
    posts: dict[int, Post]
    members: dict[int, User]
    page: int
    pages: int
    total: int


def _queue_query(status: str | None, reason: str | None):
    """The queue's entries and their count, filtered by status and by a report reason."""
    query = select(ReviewEntry).options(joinedload(ReviewEntry.subject_user), joinedload(ReviewEntry.resolved_by))
    count = select(func.count()).select_from(ReviewEntry)
    conditions = []
    if status:
        try:
            conditions.append(ReviewEntry.status == ReviewStatus(status))
        except ValueError:
            raise InvalidInput("Unknown status filter.") from None
    if reason:
        conditions.append(exists().where(Report.entry_id == ReviewEntry.id, Report.reason == reason))
    for condition in conditions:
        query, count = query.where(condition), count.where(condition)
    return query, count


def _queue_order(sort: str) -> list:
    if sort == "newest":
        return [ReviewEntry.created_at.desc(), ReviewEntry.id.desc()]
    return [ReviewEntry.priority.desc(), ReviewEntry.updated_at.desc(), ReviewEntry.id.desc()]


def queue_key(entry: ReviewEntry, sort: str) -> tuple:
    """An entry's place in the queue's order (what queue_after continues from)."""
    if sort == "newest":
        return (entry.created_at, entry.id)
    return (entry.priority, entry.updated_at, entry.id)


def _queue_context(entries: list[ReviewEntry]) -> tuple[dict[int, list[Report]], dict[int, Post], dict[int, User]]:
    """The entries' reports (with reporters), posts (with topics) and reported members: three queries at most."""
    ids = [e.id for e in entries]
    reports: dict[int, list[Report]] = {i: [] for i in ids}
    if ids:
        for report in db.session.scalars(
            select(Report).options(joinedload(Report.reporter)).where(Report.entry_id.in_(ids)).order_by(Report.id)
        ):
            reports[report.entry_id].append(report)
    post_ids = [e.target_id for e in entries if e.target_type is TargetType.POST]
    posts = {}
    if post_ids:
        posts = {p.id: p for p in db.session.scalars(
            select(Post).options(joinedload(Post.topic)).where(Post.id.in_(post_ids)))}
    member_ids = [e.target_id for e in entries if e.target_type is TargetType.USER]
    members = {}
    if member_ids:
        members = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(member_ids)))}
    return reports, posts, members


def queue_page(status: str | None = "pending", reason: str | None = None, sort: str = "urgent", page: int = 1) -> QueuePage:
    """One page of the queue (a fixed handful of queries whatever its length)."""
    query, count = _queue_query(status, reason)
    total = db.session.scalar(count) or 0
    pages = max(1, -(-total // QUEUE_PER_PAGE))
    if page < 1 or page > pages:
        raise NotFound("There is no such page in the queue.")
    query = query.order_by(*_queue_order(sort))
    entries = list(db.session.scalars(query.offset((page - 1) * QUEUE_PER_PAGE).limit(QUEUE_PER_PAGE)))
    reports, posts, members = _queue_context(entries)
    return QueuePage(entries, reports, posts, members, page, pages, total)


def queue_after(status: str | None, reason: str | None, sort: str, after: tuple | None, limit: int) -> QueuePage:
    """`limit + 1` entries of the queue after the key `after` (see queue_key), paged by key, not by offset."""
    query, _ = _queue_query(status, reason)
    if after is not None:
        if sort == "newest":
            created_at, entry_id = after
            query = query.where(or_(ReviewEntry.created_at < created_at,
                                    and_(ReviewEntry.created_at == created_at, ReviewEntry.id < entry_id)))
        else:
            priority, updated_at, entry_id = after
            query = query.where(or_(
                ReviewEntry.priority < priority,
                and_(ReviewEntry.priority == priority, ReviewEntry.updated_at < updated_at),
                and_(ReviewEntry.priority == priority, ReviewEntry.updated_at == updated_at, ReviewEntry.id < entry_id),
            ))
    entries = list(db.session.scalars(query.order_by(*_queue_order(sort)).limit(limit + 1)))
    reports, posts, members = _queue_context(entries)
    return QueuePage(entries, reports, posts, members, 1, 1, len(entries))


def pending_count() -> int:
    return db.session.scalar(
        select(func.count()).select_from(ReviewEntry).where(ReviewEntry.status == ReviewStatus.PENDING)
    ) or 0


@dataclass
class MemberHistory:
    member: User
    entries: int
    upheld: int
    actions: list[ModerationAction]
    notes: list[StaffNote]
    warnings: list[MemberWarning]


def member_history(member: User, *, exclude_entry: int | None = None) -> MemberHistory:
    """What staff need to know about a member: earlier entries, sanctions, notes."""
    entry_filter = [ReviewEntry.subject_user_id == member.id]
    if exclude_entry:
        entry_filter.append(ReviewEntry.id != exclude_entry)
    entries = db.session.scalar(select(func.count()).select_from(ReviewEntry).where(*entry_filter)) or 0
    upheld = db.session.scalar(
        select(func.count()).select_from(ReviewEntry).where(
            *entry_filter, ReviewEntry.status.in_([ReviewStatus.ACTIONED, ReviewStatus.REJECTED]))
    ) or 0
    actions = list(db.session.scalars(
        select(ModerationAction).options(joinedload(ModerationAction.actor))
        .where(ModerationAction.subject_user_id == member.id, ModerationAction.action.like("user.%"),
               ModerationAction.action != "user.note")
        .order_by(ModerationAction.id.desc()).limit(20)
    ))
    notes = list(db.session.scalars(
        select(StaffNote).options(joinedload(StaffNote.author)).where(StaffNote.user_id == member.id)
        .order_by(StaffNote.id.desc()).limit(50)
    ))
    warnings = list(db.session.scalars(
        select(MemberWarning).options(joinedload(MemberWarning.moderator)).where(MemberWarning.user_id == member.id)
        .order_by(MemberWarning.id.desc()).limit(20)
    ))
    return MemberHistory(member, entries, upheld, actions, notes, warnings)


@dataclass
class EntryView:
    entry: ReviewEntry
    reports: list[Report]
    post: Post | None = None
    previous: Post | None = None
    member: User | None = None
    history: MemberHistory | None = None
    boards: list[Board] = field(default_factory=list)


def load_entry(entry_id: int) -> ReviewEntry:
    entry = db.session.scalars(
        select(ReviewEntry).options(joinedload(ReviewEntry.resolved_by)).where(ReviewEntry.id == entry_id)
    ).first()
    if entry is None:
        raise NotFound("There is no such entry in the review queue.")
    return entry


def entry_view(entry: ReviewEntry) -> EntryView:
    """The entry with its item in context: topic, the post before it, reports, the author's history."""
    reports = list(db.session.scalars(
        select(Report).options(joinedload(Report.reporter)).where(Report.entry_id == entry.id).order_by(Report.id)
    ))
    return item_view(entry.target_type, entry.target_id, entry=entry, reports=reports)


def item_view(target_type: TargetType, target_id: int, *, entry: ReviewEntry | None = None,
              reports: list[Report] | None = None) -> EntryView:
    view = EntryView(entry=entry, reports=reports or [])
    if target_type is TargetType.POST:
        view.post = _load_post(target_id)
        if view.post.number > 1:
            view.previous = db.session.scalars(
                select(Post).options(joinedload(Post.author))
                .where(Post.topic_id == view.post.topic_id, Post.number < view.post.number)
                .order_by(Post.number.desc()).limit(1)
            ).first()
        view.member = view.post.author
        view.boards = list(db.session.scalars(select(Board).order_by(Board.position, Board.id)))
    else:
        view.member = db.session.get(User, target_id)
        if view.member is None:
            raise NotFound("There is no such member.")
    if view.member is not None:
        view.history = member_history(view.member, exclude_entry=entry.id if entry else None)
    return view


def reports_by(reporter: User, limit: int = 100) -> tuple[list[Report], dict[int, Post], dict[int, User]]:
    """A member's own reports and their outcomes, newest first."""
    reports = list(db.session.scalars(
        select(Report).options(joinedload(Report.entry)).where(Report.reporter_id == reporter.id)
        .order_by(Report.id.desc()).limit(limit)
    ))
    post_ids = {r.target_id for r in reports if r.target_type is TargetType.POST}
    user_ids = {r.target_id for r in reports if r.target_type is TargetType.USER}
    posts = {p.id: p for p in db.session.scalars(select(Post).options(joinedload(Post.topic)).where(Post.id.in_(post_ids)))} if post_ids else {}
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(user_ids)))} if user_ids else {}
    return reports, posts, users


def open_warnings(member: User) -> list[MemberWarning]:
    return list(db.session.scalars(
        select(MemberWarning).where(MemberWarning.user_id == member.id).order_by(MemberWarning.id.desc()).limit(50)
    ))


LOG_PER_PAGE = 50


def log_page(moderator: str | None = None, action: str | None = None, member: str | None = None,
             before: int | None = None) -> tuple[list[ModerationAction], int | None]:
    """The audit log, newest first, paged by id; filter by moderator, action and member (usernames)."""
    query = select(ModerationAction).options(joinedload(ModerationAction.actor), joinedload(ModerationAction.subject_user))
    if moderator:
        actor_id = db.session.scalar(select(User.id).where(User.username_key == User.key_for(moderator)))
        query = query.where(ModerationAction.actor_id == (actor_id or -1))
    if member:
        subject_id = db.session.scalar(select(User.id).where(User.username_key == User.key_for(member)))
        query = query.where(ModerationAction.subject_user_id == (subject_id or -1))
    if action:
        query = query.where(ModerationAction.action == action)
    if before:
        query = query.where(ModerationAction.id < before)
    rows = list(db.session.scalars(query.order_by(ModerationAction.id.desc()).limit(LOG_PER_PAGE + 1)))
    older = rows[LOG_PER_PAGE - 1].id if len(rows) > LOG_PER_PAGE else None
    return rows[:LOG_PER_PAGE], older


def log_actions() -> list[str]:
    return list(db.session.scalars(select(ModerationAction.action).distinct().order_by(ModerationAction.action)))
