"""Private messages between members, blocking, and the moderation of reported messages.

Plain functions that add and flush but never commit (the caller commits once). A conversation has
two to MESSAGES_MAX_MEMBERS members; a new message costs a fixed number of statements whatever
their number (the unread counts of every member are moved by two UPDATEs).

Messages are cooked once, like posts (forum/markup.py, so images are the forum's own uploads only),
screened like treatment stories (a watched word that blocks refuses the message; crisis language,
holds and flags are delivered and raised to the moderators as a report on the message).

Blocking is symmetrical for messages (no message flows either way), and one-way elsewhere: the
blocker hears nothing from the blocked member (replies, quotes, mentions) and sees their posts
collapsed. Staff cannot be blocked.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

from flask import current_app
from sqlalchemy import and_, case, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from forum.errors import Conflict, InvalidInput, NotAllowed, NotFound
from forum.markup import render_markdown
from forum.models import ContentStatus, Notification, Report, ReviewEntry, ReviewStatus, TargetType, User, utcnow
from forum.models.base import db
from forum.models.messages import Conversation, ConversationMember, MemberBlock, Message
from forum.permissions import (
    can_block,
    can_report_message,
    can_review_messages,
    can_send_message,
    in_conversation,
    require,
    why_cannot_participate,
    why_cannot_start_conversation,
)
from forum.services import moderation, screening, uploads
from forum.services.audit import log_action
from forum.services.notifications import notify
from forum.services.posting import clean_body as _clean_body
from forum.services.posting import clean_title

BODY_MAX = 20_000
RECIPIENTS_MAX_CHARS = 400
INBOX_PER_PAGE = 30
MESSAGES_PER_PAGE = 50
REVIEW_MESSAGES_MAX = 200
_NAME = re.compile(r"^[A-Za-z0-9_-]{3,30}$")


class RecipientProblem(InvalidInput):
    """Something is wrong with the list of members to write to (shown under that field)."""


class SubjectProblem(InvalidInput):
    """Something is wrong with the conversation's subject (shown under that field)."""


def clean_subject(subject: str | None) -> str:
    """A subject follows the rules of a topic's title, in the words of the message form."""
    try:
        return clean_title(subject or "")
    except InvalidInput as error:
        raise SubjectProblem(error.message.replace("The title", "The subject")) from None


def max_members() -> int:
    return max(2, int(current_app.config.get("MESSAGES_MAX_MEMBERS", 10)))


def clean_body(body: str | None) -> str:
    return _clean_body(body, BODY_MAX)


def parse_recipients(raw: str | None) -> list[str]:
    """Member names separated by commas or spaces (an @ in front is fine), lower-cased, in order, once each."""
    raw = raw or ""
    if len(raw) > RECIPIENTS_MAX_CHARS or "\x00" in raw:
        raise RecipientProblem(f"The list of members is too long: at most {max_members() - 1} names.")
    names: list[str] = []
    for part in re.split(r"[,\s]+", raw):
        name = part.strip().lstrip("@")
        if not name:
            continue
        if not _NAME.match(name):
            raise RecipientProblem(f"“{name[:40]}” is not a member name: names have 3 to 30 letters, digits, _ or -.")
        if name.lower() not in names:
            names.append(name.lower())
    if not names:
        raise RecipientProblem("Please name at least one member to write to.")
    if len(names) > max_members() - 1:
        raise RecipientProblem(f"A conversation can have at most {max_members()} members: you and {max_members() - 1} others.")
    return names


# --- blocking ------------------------------------------------------------------------------------


def blocked_ids(user) -> set[int]:
    """The members `user` blocked (no query when they blocked no one)."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "blocking_count", 0):
        return set()
    return set(db.session.scalars(select(MemberBlock.blocked_id).where(MemberBlock.blocker_id == user.id)))


def blockers_of(actor: User | None, user_ids) -> set[int]:
    """Those of `user_ids` who blocked `actor` (no query when no one did)."""
    ids = {uid for uid in user_ids if uid is not None}
    if actor is None or not ids or not getattr(actor, "blocked_by_count", 0):
        return set()
    return set(db.session.scalars(
        select(MemberBlock.blocker_id).where(MemberBlock.blocked_id == actor.id, MemberBlock.blocker_id.in_(ids))
    ))


def _blocks_between(user: User, other_ids) -> tuple[set[int], set[int]]:
    """(members of other_ids `user` blocked, members of other_ids who blocked `user`): one query at most."""
    ids = {uid for uid in other_ids if uid != user.id}
    if not ids or not (user.blocking_count or user.blocked_by_count):
        return set(), set()
    rows = db.session.execute(
        select(MemberBlock.blocker_id, MemberBlock.blocked_id).where(or_(
            and_(MemberBlock.blocker_id == user.id, MemberBlock.blocked_id.in_(ids)),
            and_(MemberBlock.blocked_id == user.id, MemberBlock.blocker_id.in_(ids)),
        ))
    ).all()
    return {b for a, b in rows if a == user.id}, {a for a, b in rows if b == user.id}


def _refuse_blocked(user: User, others: dict[int, str]) -> None:
    mine, theirs = _blocks_between(user, others)
    if mine:
        raise NotAllowed(f"You blocked {others[min(mine)]}, so you cannot exchange messages. Unblock them first (Blocked members).")
    if theirs:
        raise NotAllowed(f"{others[min(theirs)]} is not accepting messages from you.")


def block(user: User, member: User) -> bool:
    """`user` blocks `member`; False if they already had. Caller commits."""
    if member.id == user.id:
        raise InvalidInput("You cannot block yourself.")
    require(can_block(user, member), "Moderators and admins cannot be blocked: every member must be able to reach them.")
    try:
        with db.session.begin_nested():
            db.session.add(MemberBlock(blocker_id=user.id, blocked_id=member.id, created_at=utcnow()))
    except IntegrityError:
        return False
    _count_block(user.id, member.id, 1)
    return True


def unblock(user: User, member: User) -> bool:
    result = db.session.execute(
        delete(MemberBlock).where(MemberBlock.blocker_id == user.id, MemberBlock.blocked_id == member.id)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    _count_block(user.id, member.id, -1)
    return True


def _count_block(blocker_id: int, blocked_id: int, sign: int) -> None:
    for uid, column in ((blocker_id, User.blocking_count), (blocked_id, User.blocked_by_count)):
        db.session.execute(
            update(User).where(User.id == uid)
            .values({column.key: case((column + sign < 0, 0), else_=column + sign)})
            .execution_options(synchronize_session=False)
        )
    for user in (db.session.get(User, blocker_id), db.session.get(User, blocked_id)):
        if user is not None:
            db.session.expire(user, ["blocking_count", "blocked_by_count"])
    db.session.flush()


def blocked_members(user: User) -> list[MemberBlock]:
    return list(db.session.scalars(
        select(MemberBlock).options(joinedload(MemberBlock.blocked)).where(MemberBlock.blocker_id == user.id)
        .order_by(MemberBlock.created_at.desc()).limit(500)
    ))


def has_blocked(user, member: User) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.blocking_count:
        return False
    return db.session.get(MemberBlock, (user.id, member.id)) is not None


# --- conversations -------------------------------------------------------------------------------


def start_conversation(author: User, recipients: str | None, title: str | None, body: str | None) -> tuple[Conversation, Message]:
    """Start a conversation between `author` and the named members, with its first message."""
    why = why_cannot_start_conversation(author)
    if why:
        raise NotAllowed(why)
    names = parse_recipients(recipients)
    title = clean_subject(title)
    body = clean_body(body)
    found = {u.username_key: u for u in db.session.scalars(select(User).where(User.username_key.in_(names)))}
    for name in names:
        member = found.get(name)
        if member is None or member.password_hash == "":
            raise RecipientProblem(f"There is no member called “{name}”.")
        if member.id == author.id:
            raise RecipientProblem("You are in the conversation already: name only the other members.")
        if member.is_banned:
            raise RecipientProblem(f"{member.username} cannot receive messages.")
    others = {found[name].id: found[name].username for name in names}
    _refuse_blocked(author, others)
    verdict = screening.screen_text(author, body)
    now = utcnow()
    conversation = Conversation(title=title, created_by_id=author.id, created_at=now, last_message_at=now, message_count=0)
    db.session.add(conversation)
    db.session.flush()
    db.session.add_all(
        ConversationMember(conversation_id=conversation.id, user_id=uid, joined_at=now, last_message_at=now)
        for uid in [author.id, *others]
    )
    db.session.flush()
    return conversation, _add_message(conversation, author, body, verdict)


def send_message(author: User, conversation: Conversation, membership: ConversationMember | None, body: str | None) -> Message:
    """A new message in a conversation the author is in."""
    if not in_conversation(author, membership):
        raise NotFound("There is no such conversation.")
    why = why_cannot_participate(author)
    if why:
        raise NotAllowed(why)
    require(can_send_message(author, membership))
    body = clean_body(body)
    others = dict(db.session.execute(
        select(User.id, User.username).join(ConversationMember, ConversationMember.user_id == User.id)
        .where(ConversationMember.conversation_id == conversation.id, ConversationMember.left_at.is_(None), User.id != author.id)
    ).all())
    if not others:
        raise InvalidInput("Everyone else has left this conversation, so no one would read your message.")
    _refuse_blocked(author, others)
    return _add_message(conversation, author, body, screening.screen_text(author, body))


def _add_message(conversation: Conversation, author: User, body: str, verdict: screening.Screening) -> Message:
    now = utcnow()
    message = Message(conversation_id=conversation.id, author_id=author.id, body=body, body_html=render_markdown(body),
                      status=ContentStatus.PUBLISHED, created_at=now)
    db.session.add(message)
    db.session.flush()
    uploads.link_message(message)
    db.session.execute(
        update(Conversation).where(Conversation.id == conversation.id)
        .values(message_count=Conversation.message_count + 1, last_message_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(conversation, ["message_count", "last_message_at"])
    others = and_(ConversationMember.conversation_id == conversation.id, ConversationMember.user_id != author.id,
                  ConversationMember.left_at.is_(None))
    # Members who had read everything now have one more conversation to read.
    caught_up = select(ConversationMember.user_id).where(others, ConversationMember.unread_count == 0)
    db.session.execute(
        update(User).where(User.id.in_(caught_up)).values(unread_conversations=User.unread_conversations + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(ConversationMember).where(others)
        .values(unread_count=ConversationMember.unread_count + 1, last_message_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(ConversationMember)
        .where(ConversationMember.conversation_id == conversation.id, ConversationMember.user_id == author.id)
        .values(last_message_at=now, last_read_message_id=message.id)
        .execution_options(synchronize_session=False)
    )
    recipients = list(db.session.scalars(select(ConversationMember.user_id).where(others)))
    notify(recipients, "message", f"{author.username} sent you a private message.",
           f"/messages/{conversation.id}#message-{message.id}", actor_id=author.id)
    # Delivered either way; what screening would hold or flag in a post goes to the moderators.
    concerns = [("watched_word", reason) for reason in verdict.hold_reasons if "watched word" in reason] + verdict.flags
    if concerns:
        entry = _entry(message)
        for reason, note in concerns:
            moderation._add_report(entry, None, (reason or "other")[:30], (note or "")[: moderation.NOTE_MAX] or None)
    message.screening = verdict  # type: ignore[attr-defined]  (read by the view to offer support)
    db.session.flush()
    return message


def membership_of(user, conversation_id: int) -> tuple[Conversation, ConversationMember]:
    """The conversation and the member's place in it (one query); 404 unless they are in it."""
    row = db.session.execute(
        select(Conversation, ConversationMember)
        .join(ConversationMember, ConversationMember.conversation_id == Conversation.id)
        .where(Conversation.id == conversation_id, ConversationMember.user_id == getattr(user, "id", None))
    ).first()
    if row is None or not in_conversation(user, row[1]):
        raise NotFound("There is no such conversation, or you are not in it.")
    return row[0], row[1]


@dataclass
class ConversationPage:
    conversation: Conversation
    membership: ConversationMember
    messages: list[Message]
    members: list[ConversationMember]
    older: int | None  # the `before` key of the page of older messages, if there is one


def conversation_page(user, conversation_id: int, before: int | None = None) -> ConversationPage:
    """The newest messages (or those before a message id), oldest first, with the members: three queries."""
    conversation, membership = membership_of(user, conversation_id)
    query = (
        select(Message).options(joinedload(Message.author))
        .where(Message.conversation_id == conversation.id)
        .order_by(Message.id.desc()).limit(MESSAGES_PER_PAGE + 1)
    )
    if before is not None:
        query = query.where(Message.id < before)
    rows = list(db.session.scalars(query))
    older = rows[MESSAGES_PER_PAGE - 1].id if len(rows) > MESSAGES_PER_PAGE else None
    return ConversationPage(conversation, membership, list(reversed(rows[:MESSAGES_PER_PAGE])), _members(conversation.id), older)


def _members(conversation_id: int) -> list[ConversationMember]:
    return list(db.session.scalars(
        select(ConversationMember).options(joinedload(ConversationMember.user))
        .where(ConversationMember.conversation_id == conversation_id).order_by(ConversationMember.joined_at, ConversationMember.user_id)
    ))


def mark_read(user: User, page: ConversationPage) -> bool:
    """The member read the conversation to its end: clear its unread count (and the header's)."""
    membership = page.membership
    if membership.unread_count == 0:
        return False
    newest = page.messages[-1].id if page.messages else 0
    last_read = ConversationMember.last_read_message_id
    result = db.session.execute(
        update(ConversationMember)
        .where(ConversationMember.conversation_id == membership.conversation_id, ConversationMember.user_id == user.id,
               ConversationMember.unread_count > 0)
        .values(unread_count=0, last_read_message_id=case((last_read > newest, last_read), else_=newest))
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    _uncount(user)
    set_committed_value(membership, "unread_count", 0)
    # The bell's notifications about this conversation are read too.
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.kind == "message", Notification.read_at.is_(None),
               Notification.url.like(f"/messages/{membership.conversation_id}#%"))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return True


def _uncount(user: User) -> None:
    db.session.execute(
        update(User).where(User.id == user.id)
        .values(unread_conversations=case((User.unread_conversations > 0, User.unread_conversations - 1), else_=0))
        .execution_options(synchronize_session=False)
    )
    db.session.expire(user, ["unread_conversations"])


def leave(user: User, conversation_id: int) -> None:
    """Leave a conversation: it leaves the inbox and brings nothing more."""
    _, membership = membership_of(user, conversation_id)
    if membership.unread_count:
        _uncount(user)
    membership.left_at = utcnow()
    membership.unread_count = 0
    db.session.flush()


@dataclass
class InboxLine:
    conversation: Conversation
    membership: ConversationMember
    others: list[str]


def inbox_key(line: InboxLine) -> str:
    moment = line.membership.last_message_at
    return f"{int(moment.timestamp() * 1_000_000)}.{line.conversation.id}"


def parse_inbox_key(raw: str | None) -> tuple[datetime, int] | None:
    if not raw:
        return None
    micro, _, conversation_id = raw.partition(".")
    if not (micro.isdigit() and conversation_id.isdigit()) or len(micro) > 20 or len(conversation_id) > 18:
        raise InvalidInput("The ?before= value is not a valid place in the list.")
    return datetime.fromtimestamp(int(micro) / 1_000_000, tz=timezone.utc), int(conversation_id)


def inbox(user: User, before: tuple[datetime, int] | None = None) -> tuple[list[InboxLine], str | None]:
    """A page of the member's conversations, latest message first, paged by key: two queries."""
    query = (
        select(ConversationMember, Conversation)
        .join(Conversation, Conversation.id == ConversationMember.conversation_id)
        .where(ConversationMember.user_id == user.id, ConversationMember.left_at.is_(None))
        .order_by(ConversationMember.last_message_at.desc(), ConversationMember.conversation_id.desc())
        .limit(INBOX_PER_PAGE + 1)
    )
    if before is not None:
        moment, conversation_id = before
        query = query.where(or_(
            ConversationMember.last_message_at < moment,
            and_(ConversationMember.last_message_at == moment, ConversationMember.conversation_id < conversation_id),
        ))
    rows = db.session.execute(query).all()
    ids = [conversation.id for _, conversation in rows[:INBOX_PER_PAGE]]
    names: dict[int, list[str]] = {i: [] for i in ids}
    if ids:
        for conversation_id, username in db.session.execute(
            select(ConversationMember.conversation_id, User.username).join(User, User.id == ConversationMember.user_id)
            .where(ConversationMember.conversation_id.in_(ids), ConversationMember.user_id != user.id,
                   ConversationMember.left_at.is_(None))
            .order_by(ConversationMember.joined_at, User.username_key)
        ):
            names[conversation_id].append(username)
    lines = [InboxLine(conversation, membership, names[conversation.id]) for membership, conversation in rows[:INBOX_PER_PAGE]]
    return lines, inbox_key(lines[-1]) if len(rows) > INBOX_PER_PAGE else None


def recount_unread(user: User) -> int:
    """Set the header's number from the member rows (it heals any drift); one query, and a write if it moved."""
    count = db.session.scalar(
        select(func.count()).select_from(ConversationMember)
        .where(ConversationMember.user_id == user.id, ConversationMember.left_at.is_(None), ConversationMember.unread_count > 0)
    ) or 0
    if count != user.unread_conversations:
        db.session.execute(update(User).where(User.id == user.id).values(unread_conversations=count)
                           .execution_options(synchronize_session=False))
        set_committed_value(user, "unread_conversations", count)
    return count


# --- reports and moderation ----------------------------------------------------------------------


def _entry(message: Message) -> ReviewEntry:
    return moderation._entry_for(TargetType.MESSAGE, message.id, topic_id=None, subject_user_id=message.author_id)


def load_message(message_id: int) -> Message:
    message = db.session.scalars(
        select(Message).options(joinedload(Message.author), joinedload(Message.conversation)).where(Message.id == message_id)
    ).first()
    if message is None:
        raise NotFound("There is no such message.")
    return message


def message_for_member(user, message_id: int) -> tuple[Message, ConversationMember]:
    """A message in a conversation the member is in (404 for anyone else, so nothing leaks)."""
    message = load_message(message_id)
    _, membership = membership_of(user, message.conversation_id)
    return message, membership


def report_message(reporter: User, message_id: int, reason: str | None, note: str | None) -> Report:
    """A member reports a message sent to them; caller commits."""
    message, membership = message_for_member(reporter, message_id)
    why = why_cannot_participate(reporter)
    if why:
        raise NotAllowed(why)
    require(can_report_message(reporter, message, membership),
            "You cannot report your own message." if message.author_id == reporter.id else "This message cannot be reported.")
    return moderation.report_item(reporter, TargetType.MESSAGE, message.id, reason, note, lambda: _entry(message))[1]


def reported(message_id: int) -> bool:
    return db.session.scalar(
        select(Report.id).where(Report.target_type == TargetType.MESSAGE, Report.target_id == message_id).limit(1)
    ) is not None


def entry_reports(message_id: int) -> tuple[ReviewEntry | None, list[Report]]:
    entry = moderation.pending_entry(TargetType.MESSAGE, message_id)
    reports = list(db.session.scalars(
        select(Report).options(joinedload(Report.reporter))
        .where(Report.target_type == TargetType.MESSAGE, Report.target_id == message_id).order_by(Report.id)
    ))
    return entry, reports


def reported_message(moderator: User, message_id: int) -> Message:
    """A message staff may look at: only one that was reported (by a member or by screening)."""
    require(can_review_messages(moderator), "Only moderators and admins can do that.")
    message = load_message(message_id)
    if not reported(message.id):
        raise NotFound("Moderators see private messages only when they are reported, and this one was not.")
    return message


def open_for_review(moderator: User, message_id: int) -> tuple[Message, list[Message], list[ConversationMember]]:
    """The conversation around a reported message, for staff; the access is written to the audit log."""
    message = reported_message(moderator, message_id)
    log_action(moderator, "conversation.view", "conversation", message.conversation_id, subject_user_id=message.author_id,
               reason=f"Opened from the report on message {message.id}")
    messages = list(reversed(list(db.session.scalars(
        select(Message).options(joinedload(Message.author)).where(Message.conversation_id == message.conversation_id)
        .order_by(Message.id.desc()).limit(REVIEW_MESSAGES_MAX)
    ))))
    db.session.flush()
    return message, messages, _members(message.conversation_id)


def _move(message: Message, source: ContentStatus, target: ContentStatus) -> bool:
    result = db.session.execute(
        update(Message).where(Message.id == message.id, Message.status == source).values(status=target)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    set_committed_value(message, "status", target)
    return True


def hide_message(message: Message, moderator: User, reason: str | None, *, entry: ReviewEntry | None = None) -> None:
    """Hide a reported message from the conversation; its author is told why."""
    reported_message(moderator, message.id)
    reason = moderation._clean_text(reason, limit=moderation.REASON_MAX, required="Please give the reason the author will be told.")
    moderation._settle(entry, TargetType.MESSAGE, message.id, moderator, ReviewStatus.ACTIONED, "message.hide", reason)
    if not _move(message, ContentStatus.PUBLISHED, ContentStatus.HIDDEN):
        raise Conflict("This message is already hidden.")
    message.moderation_note = reason
    log_action(moderator, "message.hide", "message", message.id, subject_user_id=message.author_id, reason=reason,
               after={"status": "hidden"})
    if message.author_id is not None:
        notify([message.author_id], "moderation", f"A moderator hid one of your private messages. Reason: {reason}",
               f"/messages/{message.conversation_id}#message-{message.id}", actor_id=moderator.id)
    db.session.flush()


def restore_message(message: Message, moderator: User, *, entry: ReviewEntry | None = None) -> None:
    reported_message(moderator, message.id)
    moderation._settle(entry, TargetType.MESSAGE, message.id, moderator, ReviewStatus.DISMISSED, "message.restore", None)
    if not _move(message, ContentStatus.HIDDEN, ContentStatus.PUBLISHED):
        raise Conflict("This message is not hidden, so there is nothing to restore.")
    message.moderation_note = None
    log_action(moderator, "message.restore", "message", message.id, subject_user_id=message.author_id,
               before={"status": "hidden"}, after={"status": "published"})
    db.session.flush()


def dismiss_reports(message: Message, moderator: User, entry: ReviewEntry | None, note: str | None) -> None:
    reported_message(moderator, message.id)
    if entry is None or entry.target_type is not TargetType.MESSAGE or entry.target_id != message.id:
        raise NotFound("There is no open queue entry on this message to dismiss.")
    moderation.dismiss(entry, moderator, note)


# --- export and deletion -------------------------------------------------------------------------


def export_facts(user: User) -> dict:
    """The member's conversations (with what they wrote) and the members they blocked."""
    conversations = db.session.execute(
        select(Conversation.id, Conversation.title, ConversationMember.joined_at, ConversationMember.left_at)
        .join(ConversationMember, ConversationMember.conversation_id == Conversation.id)
        .where(ConversationMember.user_id == user.id).order_by(Conversation.id)
    ).all()
    written = db.session.scalars(select(Message).where(Message.author_id == user.id).order_by(Message.id)).all()
    blocks = db.session.execute(
        select(User.username, MemberBlock.created_at).join(User, User.id == MemberBlock.blocked_id)
        .where(MemberBlock.blocker_id == user.id).order_by(MemberBlock.created_at)
    ).all()
    return {
        "conversations": [
            {"id": c.id, "title": c.title, "joined_at": c.joined_at.isoformat(), "left_at": c.left_at.isoformat() if c.left_at else None}
            for c in conversations
        ],
        "messages_written": [
            {"id": m.id, "conversation_id": m.conversation_id, "body": m.body, "status": m.status.value,
             "created_at": m.created_at.isoformat()}
            for m in written
        ],
        "blocked_members": [{"username": name, "since": since.isoformat()} for name, since in blocks],
    }


def forget_member(user: User, keep_posts: bool) -> None:
    """Before an account is erased: move others' block counts, and erase the messages unless kept."""
    for mine, theirs, column in ((MemberBlock.blocker_id, MemberBlock.blocked_id, User.blocked_by_count),
                                 (MemberBlock.blocked_id, MemberBlock.blocker_id, User.blocking_count)):
        db.session.execute(
            update(User).where(User.id.in_(select(theirs).where(mine == user.id)))
            .values({column.key: case((column > 0, column - 1), else_=0)})
            .execution_options(synchronize_session=False)
        )
    if not keep_posts:
        db.session.execute(
            update(Message).where(Message.author_id == user.id)
            .values(body="", body_html="", status=ContentStatus.DELETED)
            .execution_options(synchronize_session=False)
        )
