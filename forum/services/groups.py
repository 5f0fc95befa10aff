"""Local support groups: proposing, verifying (audited), re-confirming, contacting the organiser.

Plain functions that add and flush; the caller commits. Only listed groups appear in the
directory; a listed group not confirmed for GROUP_RECONFIRM_DAYS (default 365) is marked stale.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, delete, func, or_, select

from forum.errors import Conflict, InvalidInput, NotFound
from forum.markup import render_markdown
from forum.models import Board, User, utcnow
from forum.models.base import db
from forum.models.groups import GroupStatus, MeetingFormat, SupportGroup, SupportGroupContact
from forum.permissions import (
    can_confirm_group,
    can_contact_group,
    can_edit_group,
    can_open_group_thread,
    can_propose_group,
    can_verify_group,
    require,
    why_cannot_participate,
)
from forum.services import screening
from forum.services.audit import log_action
from forum.services.notifications import notify

NAME_MIN, NAME_MAX = 3, 120
COUNTRY_MAX, CITY_MAX, SCHEDULE_MAX = 60, 80, 200
DESCRIPTION_MAX = 3000
CONTACT_MAX = 1000
NOTE_MAX = 500
QUERY_MAX = 100
GROUPS_PER_PAGE = 20
CONTACTS_PER_PAGE = 20
GROUPS_BOARD = "local-groups"


@dataclass(frozen=True)
class GroupInput:
    name: str
    format: str
    schedule: str
    description: str
    country: str | None = None
    city: str | None = None


def _line(value: str | None, limit: int, label: str) -> str:
    value = " ".join((value or "").split())
    if "\x00" in value:
        raise InvalidInput(f"The {label} contains a NUL character, which is not allowed.")
    if len(value) > limit:
        raise InvalidInput(f"The {label} must be at most {limit} characters.")
    return value


def _apply(group: SupportGroup, data: GroupInput, author: User) -> None:
    """Check every field and copy it onto the group; InvalidInput (422) names the first problem."""
    name = _line(data.name, NAME_MAX, "name")
    if len(name) < NAME_MIN:
        raise InvalidInput(f"The name must be at least {NAME_MIN} characters.")
    try:
        meeting = MeetingFormat(data.format)
    except ValueError:
        raise InvalidInput("Please choose in person, online, or both.") from None
    country = _line(data.country, COUNTRY_MAX, "country")
    city = _line(data.city, CITY_MAX, "city")
    if meeting is not MeetingFormat.ONLINE and not (country and city):
        raise InvalidInput("Groups that meet in person need a country and a city.")
    schedule = _line(data.schedule, SCHEDULE_MAX, "meeting schedule")
    if not schedule:
        raise InvalidInput("Please say when the group meets, in words (for example “first Tuesday of the month, 7 pm”).")
    description = (data.description or "").strip()
    if "\x00" in description:
        raise InvalidInput("The description contains a NUL character, which is not allowed.")
    if not description or len(description) > DESCRIPTION_MAX:
        raise InvalidInput(f"Please describe the group in 1 to {DESCRIPTION_MAX:,} characters.")
    screening.check_watched_words(author, name, description, screening.Screening())
    group.name, group.name_key = name, name.lower()
    group.format = meeting
    group.country, group.country_key = country or None, country.lower()
    group.city = city or None
    group.schedule = schedule
    group.description = description
    group.description_html = render_markdown(description)
    group.updated_at = utcnow()


def propose_group(organiser: User, data: GroupInput) -> SupportGroup:
    """A member proposes a group; it waits for a moderator before it is listed."""
    require(can_propose_group(organiser), why_cannot_participate(organiser))
    group = SupportGroup(organiser_id=organiser.id, status=GroupStatus.PENDING, created_at=utcnow())
    _apply(group, data, organiser)
    db.session.add(group)
    db.session.flush()
    _tell_moderators(group, "A support group waits for verification")
    return group


def _tell_moderators(group: SupportGroup, what: str) -> None:
    from forum.services import moderation

    notify(moderation._staff_ids(), "moderation", f"{what}: “{group.name}”."[:300], "/mod/groups", actor_id=group.organiser_id)


def edit_group(editor: User, group: SupportGroup, data: GroupInput) -> SupportGroup:
    """The organiser changes the group; a listed group waits for a moderator again."""
    require(can_edit_group(editor, group), "Only the group's organiser can change it.")
    _apply(group, data, editor)
    if group.status is not GroupStatus.PENDING:
        group.status = GroupStatus.PENDING
        _tell_moderators(group, "A changed support group waits for verification")
    db.session.flush()
    return group


def delete_group(editor: User, group: SupportGroup) -> None:
    require(can_edit_group(editor, group), "Only the group's organiser can delete it.")
    db.session.execute(delete(SupportGroupContact).where(SupportGroupContact.group_id == group.id))
    db.session.execute(delete(SupportGroup).where(SupportGroup.id == group.id))
    db.session.flush()


def verify_group(moderator: User, group: SupportGroup, note: str | None = None) -> None:
    """List a pending group; audited, and the organiser is told."""
    require(can_verify_group(moderator), "Only moderators and admins verify groups.")
    if group.status is not GroupStatus.PENDING:
        raise Conflict("This group is not waiting for verification.")
    note = _line(note, NOTE_MAX, "note") or None
    now = utcnow()
    group.status, group.verified_by_id, group.verified_at, group.confirmed_at = GroupStatus.LISTED, moderator.id, now, now
    group.moderation_note = None
    log_action(moderator, "group.verify", "support_group", group.id, subject_user_id=group.organiser_id, reason=note,
               before={"status": "pending"}, after={"status": "listed"})
    if group.organiser_id:
        notify([group.organiser_id], "moderation", f"Your group “{group.name}” is now listed in the directory.",
               f"/groups/{group.id}", actor_id=moderator.id)
    db.session.flush()


def reject_group(moderator: User, group: SupportGroup, reason: str | None) -> None:
    """Refuse a pending group, or unlist a listed one; the organiser is told why."""
    require(can_verify_group(moderator), "Only moderators and admins verify groups.")
    reason = _line(reason, NOTE_MAX, "reason")
    if not reason:
        raise InvalidInput("Please give the reason the organiser will be told.")
    if group.status is GroupStatus.REJECTED:
        raise Conflict("This group is already not listed.")
    before = group.status.value
    group.status, group.moderation_note = GroupStatus.REJECTED, reason
    log_action(moderator, "group.reject", "support_group", group.id, subject_user_id=group.organiser_id, reason=reason,
               before={"status": before}, after={"status": "rejected"})
    if group.organiser_id:
        notify([group.organiser_id], "moderation", f"A moderator did not list your group “{group.name}”. Reason: {reason}",
               f"/groups/{group.id}", actor_id=moderator.id)
    db.session.flush()


def confirm_group(user: User, group: SupportGroup) -> None:
    """The organiser (or a moderator) says the group still meets."""
    require(can_confirm_group(user, group), "Only the organiser or a moderator can confirm the group still meets.")
    group.confirmed_at = utcnow()
    if user.id != group.organiser_id:
        log_action(user, "group.confirm", "support_group", group.id, subject_user_id=group.organiser_id)
    db.session.flush()


def is_stale(group: SupportGroup) -> bool:
    """Listed, and not confirmed for GROUP_RECONFIRM_DAYS."""
    days = current_app.config.get("GROUP_RECONFIRM_DAYS", 365)
    last = group.confirmed_at or group.verified_at
    return group.status is GroupStatus.LISTED and last is not None and last < utcnow() - timedelta(days=days)


def open_thread(user: User, group: SupportGroup) -> int:
    """Open the group's announcements topic in the local groups board; returns the topic id."""
    from forum.services import posting

    require(can_open_group_thread(user, group), "Only the organiser or a moderator opens a listed group's thread.")
    if group.topic_id is not None:
        raise Conflict("This group already has its announcements thread.")
    board = db.session.scalar(select(Board).where(Board.slug == GROUPS_BOARD))
    if board is None:
        raise NotFound("The local groups board does not exist yet.")
    title = f"{group.name}: announcements"[:150]
    body = f"Announcements for **{group.name}** ({group.place or group.format.label}). Meets: {group.schedule}."
    post = posting.start_topic(board, user, title, body)
    group.topic_id = post.topic_id
    db.session.flush()
    return post.topic_id


def contact_organiser(sender: User, group: SupportGroup, body: str | None) -> SupportGroupContact:
    """Send the organiser a message through the forum: stored for them, and they are notified."""
    require(can_contact_group(sender, group), why_cannot_participate(sender) or "This group cannot be contacted.")
    if group.organiser_id is None:
        raise Conflict("This group has no organiser on the forum at the moment.")
    text = (body or "").strip()
    if "\x00" in text:
        raise InvalidInput("The message contains a NUL character, which is not allowed.")
    if not text or len(text) > CONTACT_MAX:
        raise InvalidInput(f"Please write a message of 1 to {CONTACT_MAX:,} characters.")
    contact = SupportGroupContact(group_id=group.id, sender_id=sender.id, body=text, created_at=utcnow())
    db.session.add(contact)
    db.session.flush()
    notify([group.organiser_id], "group_contact", f"{sender.username} wrote to you about your group “{group.name}”."[:300],
           f"/groups/{group.id}/messages", actor_id=sender.id)
    return contact


# --- reading -------------------------------------------------------------------------------------


def load_group(group_id: int) -> SupportGroup:
    from sqlalchemy.orm import joinedload

    group = db.session.scalars(
        select(SupportGroup).options(joinedload(SupportGroup.organiser)).where(SupportGroup.id == group_id)
    ).first()
    if group is None:
        raise NotFound("There is no such group. It may have been removed.")
    return group


def _like(query: str) -> str:
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def directory(query: str = "", country: str = "", after_id: int | None = None,
              status: GroupStatus = GroupStatus.LISTED) -> tuple[list[SupportGroup], int | None]:
    """One page of groups by name, searched and filtered, paged by key (name, id); returns the next key."""
    query = " ".join(query.split()).lower()
    if len(query) > QUERY_MAX:
        raise InvalidInput(f"Searches are at most {QUERY_MAX} characters.")
    stmt = select(SupportGroup).where(SupportGroup.status == status)
    if query:
        stmt = stmt.where(SupportGroup.name_key.like(_like(query), escape="\\"))
    if country:
        stmt = stmt.where(SupportGroup.country_key == country.lower())
    if after_id is not None:
        key = db.session.scalar(select(SupportGroup.name_key).where(SupportGroup.id == after_id))
        if key is None:
            raise NotFound("That page of the directory no longer exists. Please start again from the first page.")
        stmt = stmt.where(or_(SupportGroup.name_key > key, and_(SupportGroup.name_key == key, SupportGroup.id > after_id)))
    rows = list(db.session.scalars(stmt.order_by(SupportGroup.name_key, SupportGroup.id).limit(GROUPS_PER_PAGE + 1)))
    next_key = rows[GROUPS_PER_PAGE - 1].id if len(rows) > GROUPS_PER_PAGE else None
    return rows[:GROUPS_PER_PAGE], next_key


def countries() -> list[tuple[str, str, int]]:
    """(key, name as written, listed groups) for the country filter, in one query."""
    rows = db.session.execute(
        select(SupportGroup.country_key, func.min(SupportGroup.country), func.count())
        .where(SupportGroup.status == GroupStatus.LISTED, SupportGroup.country_key != "")
        .group_by(SupportGroup.country_key)
        .order_by(SupportGroup.country_key)
    ).all()
    return [(key, name, int(count)) for key, name, count in rows]


def my_groups(user: User) -> list[SupportGroup]:
    return list(db.session.scalars(
        select(SupportGroup).where(SupportGroup.organiser_id == user.id).order_by(SupportGroup.name_key).limit(100)
    ))


def contacts(group: SupportGroup, before_id: int | None = None) -> tuple[list[SupportGroupContact], int | None]:
    """Messages to the organiser, newest first, paged by key."""
    from sqlalchemy.orm import joinedload

    stmt = (
        select(SupportGroupContact).options(joinedload(SupportGroupContact.sender))
        .where(SupportGroupContact.group_id == group.id).order_by(SupportGroupContact.id.desc()).limit(CONTACTS_PER_PAGE + 1)
    )
    if before_id is not None:
        stmt = stmt.where(SupportGroupContact.id < before_id)
    rows = list(db.session.scalars(stmt))
    next_key = rows[CONTACTS_PER_PAGE - 1].id if len(rows) > CONTACTS_PER_PAGE else None
    return rows[:CONTACTS_PER_PAGE], next_key
