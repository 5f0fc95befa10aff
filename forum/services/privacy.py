"""A member's privacy: profile facts and whom they are shown to, signing up without telling
anyone which addresses have accounts, email confirmation, password reset by emailed link,
downloading all their data, and erasing their account."""
from __future__ import annotations

import enum
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, func, or_, select, update

from forum import jobs
from forum.errors import Conflict, InvalidInput
from forum.models import Board, ContentStatus, Draft, Notification, Post, PostRevision, Topic, User, utcnow
from forum.models.audit import ModerationAction
from forum.models.base import db
from forum.models.privacy import AccountSettings
from forum.services import accounts, messages, outbox, search, two_factor, uploads
from forum.site_urls import external_url_for

VERIFY_MAX_AGE = 3 * 24 * 3600  # an email confirmation link lasts three days
RESET_MAX_AGE = 3600  # a password reset link lasts one hour
FORMER_MEMBER = "former member"
BIO_MAX, CONDITION_MAX, COUNTRY_MAX = 1000, 100, 60


# --- Profile facts --------------------------------------------------------------------------------


def settings_for(user: User) -> AccountSettings:
    """The member's settings row, created on first use (caller commits)."""
    row = db.session.get(AccountSettings, user.id)
    if row is None:
        row = AccountSettings(user_id=user.id)
        db.session.add(row)
        db.session.flush()
    return row


def _clean(value: str | None, limit: int, label: str) -> str | None:
    value = " ".join((value or "").split()) if label != "bio" else (value or "").strip()
    if "\x00" in value:
        raise InvalidInput(f"The {label} contains a NUL character, which is not allowed.")
    if len(value) > limit:
        raise InvalidInput(f"The {label} must be at most {limit} characters.")
    return value or None


def update_profile(
    user: User, *, bio: str | None, condition: str | None, country: str | None,
    show_bio: bool, show_condition: bool, show_country: bool,
) -> AccountSettings:
    """Save the optional profile facts and which of them other members may see (caller commits)."""
    row = settings_for(user)
    user.bio = _clean(bio, BIO_MAX, "bio")
    row.condition = _clean(condition, CONDITION_MAX, "condition")
    row.country = _clean(country, COUNTRY_MAX, "country")
    row.show_bio, row.show_condition, row.show_country = bool(show_bio), bool(show_condition), bool(show_country)
    row.updated_at = utcnow()
    return row


def profile_facts(member: User, viewer: Any) -> list[dict]:
    """The profile facts the viewer may see: everything to its owner (marked), shown ones to others."""
    row = db.session.get(AccountSettings, member.id)
    own = getattr(viewer, "is_authenticated", False) and getattr(viewer, "id", None) == member.id
    facts = []
    for label, value, shown in (
        ("About me", member.bio, bool(row and row.show_bio)),
        ("Condition", row.condition if row else None, bool(row and row.show_condition)),
        ("Country", row.country if row else None, bool(row and row.show_country)),
    ):
        if value and (shown or own):
            facts.append({"label": label, "value": value, "private": not shown})
    return facts


# --- Signed links ---------------------------------------------------------------------------------


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"forum.{purpose}")


def _signed_data(purpose: str, token: str, max_age: int, now: Callable[[], datetime]) -> Any:
    """What a link signed for `purpose` carries, or None if it is forged or more than max_age
    seconds old at now()."""
    try:
        data, signed_at = _serializer(purpose).loads(token, return_timestamp=True)
    except BadSignature:
        return None
    return data if timedelta(0) <= now() - signed_at <= timedelta(seconds=max_age) else None


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def email_token(user: User) -> str:
    return _serializer("verify-email").dumps({"u": user.id, "e": _digest(user.email or "")})


def user_for_email_token(token: str, now: Callable[[], datetime] = utcnow) -> User | None:
    """The member whose current address this link confirms, or None (expired, forged, address changed)."""
    data = _signed_data("verify-email", token, VERIFY_MAX_AGE, now)
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or not hmac.compare_digest(_digest(user.email or ""), str(data.get("e"))):
        return None
    return user


def is_verified(user: User) -> bool:
    row = db.session.get(AccountSettings, user.id)
    return bool(row and row.email_verified_at)


def mark_verified(user: User) -> None:
    row = settings_for(user)
    row.email_verified_at = row.email_verified_at or utcnow()


def send_verification(user: User) -> None:
    """Queue the link that confirms the member's address (caller commits; the mail job sends it)."""
    link = external_url_for("accounts.verify_email", token=email_token(user))
    outbox.queue_account_mail(
        user,
        f"Confirm your email address for {current_app.config['SITE_NAME']}",
        f"Hello {user.username},\n\nPlease confirm your email address by opening this link within three days:\n\n"
        f"{link}\n\nIf you did not create an account, you can ignore this message.\n",
    )


def email_change_token(user: User, new_email: str) -> str:
    # Tied to the current address, like the confirmation link: once the address changes, it is spent.
    return _serializer("change-email").dumps({"u": user.id, "e": _digest(user.email or ""), "n": new_email})


def email_change_for_token(token: str, now: Callable[[], datetime] = utcnow) -> tuple[User, str] | None:
    """(member, new address) for a genuine, unexpired link whose member still has the address it was sent from."""
    data = _signed_data("change-email", token, VERIFY_MAX_AGE, now)
    if not isinstance(data, dict) or not isinstance(data.get("n"), str):
        return None
    user = db.session.get(User, data.get("u"))
    if user is None or not user.password_hash or not hmac.compare_digest(_digest(user.email or ""), str(data.get("e"))):
        return None
    return user, data["n"]


def request_email_change(user: User, new_email: str) -> str:
    """Mail a confirmation link to the new address and tell the current one; returns the new address.

    Whether another account uses the new address is never said to the member (its owner is told
    instead), so that this form cannot be used to find out who has an account.
    """
    new_email = (new_email or "").strip().lower()
    if new_email == (user.email or "").lower():
        raise InvalidInput("That is already your email address.")
    site = current_app.config["SITE_NAME"]
    owner = accounts.find_by_email(new_email)
    if owner is not None:
        outbox.queue_account_mail(
            owner,
            f"Someone asked to use this address on {site}",
            f"Hello {owner.username},\n\nA member of {site} asked to use this email address for their account. It already "
            "belongs to your account here, so nothing was changed.\n\nIf that was you, there is nothing to do. If you have "
            f"forgotten your password, you can choose a new one: {external_url_for('accounts.forgot_password')}\n",
        )
    else:
        link = external_url_for("accounts.confirm_email_change", token=email_change_token(user, new_email))
        outbox.queue_account_mail(
            user,
            f"Confirm your new email address for {site}",
            f"Hello {user.username},\n\nPlease confirm that this is your new email address by opening this link within "
            f"three days:\n\n{link}\n\nIf you did not ask for this, ignore this message: nothing changes.\n",
            new_address=new_email,
        )
    outbox.queue_account_mail(
        user,
        f"A change of your email address on {site}",
        f"Hello {user.username},\n\nSomeone signed in to your account asked to change its email address to "
        f"{new_email}. It changes only once the link we sent there is opened.\n\nIf this was not you, change your "
        f"password now and sign out everywhere: {external_url_for('accounts.settings')}\n",
    )
    return new_email


def change_email(user: User, new_email: str) -> None:
    """Move the account to a confirmed new address (caller commits)."""
    if accounts.email_taken(new_email):
        raise Conflict("Another account now uses that address, so yours was not changed.")
    user.email = new_email
    settings_for(user).email_verified_at = utcnow()  # the link reached that inbox
# --- Signing up -----------------------------------------------------------------------------------


def sign_up(username: str, email: str, password: str) -> User | None:
    """Open an account and queue its confirmation link, or, if the address already has an account,
    queue a note to its owner instead (caller commits).

    The visitor is told the same either way (a message is on its way to that address), and both
    ways cost the same work, so sign-up never says whether an address has an account. Usernames
    are public, so a taken one is still refused (InvalidInput), before the address is looked at.
    """
    username = accounts.check_username(username)
    accounts.check_password(password, username)
    if accounts.username_taken(username):
        raise InvalidInput("That username is already taken.")
    owner = accounts.find_by_email(email)
    if owner is not None:
        accounts.spend_hashing_time(password)  # as long as hashing the new account's password
        _tell_owner_of_sign_up_attempt(owner)
        return None
    user = accounts.create_user(username, email, password)
    send_verification(user)
    return user


def _tell_owner_of_sign_up_attempt(owner: User) -> None:
    site = current_app.config["SITE_NAME"]
    outbox.queue_account_mail(
        owner,
        f"Someone tried to sign up for {site} with your address",
        f"Hello {owner.username},\n\nSomeone (perhaps you) tried to open a new account on {site} with this email "
        f"address. It already belongs to your account, so no new account was made.\n\n"
        f"If it was you, sign in as {owner.username}:\n\n{external_url_for('accounts.login')}\n\n"
        f"or, if you have forgotten your password, choose a new one:\n\n{external_url_for('accounts.forgot_password')}\n\n"
        "If it was not you, you can ignore this message: nothing about your account changed.\n",
    )


def _reset_fingerprint(user: User) -> str:
    # Changes as soon as the password changes (a new salt each time): each link works once. Not the
    # session token: signing out anywhere must not spend a link still waiting in the inbox.
    return _digest(user.password_hash or "")


def reset_token(user: User) -> str:
    return _serializer("reset-password").dumps({"u": user.id, "f": _reset_fingerprint(user)})


def user_for_reset_token(token: str, now: Callable[[], datetime] = utcnow) -> User | None:
    """The member this reset link is for, if it is genuine, under an hour old and not used yet."""
    data = _signed_data("reset-password", token, RESET_MAX_AGE, now)
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or not user.password_hash or not hmac.compare_digest(_reset_fingerprint(user), str(data.get("f"))):
        return None
    return user


def request_password_reset(email: str) -> None:
    """Ask for a reset link for this address, saying nothing either way (caller commits).

    The request only hands the address to a job (`send_password_reset`, after the commit): it does
    the same work whether or not an account uses the address, so neither its answer nor its time
    tells, and no mail server is ever contacted while the visitor waits.
    """
    email = (email or "").strip().lower()
    if email:
        jobs.enqueue(send_password_reset, email)


def send_password_reset(email: str) -> None:
    """Background job: queue a reset link if an account uses this address (the mail job sends it)."""
    user = accounts.find_by_email(email)
    if user is None or not user.password_hash:
        return
    link = external_url_for("accounts.reset_password", token=reset_token(user))
    outbox.queue_account_mail(
        user,
        f"Reset your password for {current_app.config['SITE_NAME']}",
        f"Hello {user.username},\n\nSomeone (we hope you) asked to reset your password. Open this link within one hour "
        f"to choose a new one; it works once:\n\n{link}\n\nIf you did not ask for this, ignore this message: "
        "your password stays as it is.\n",
    )


def reset_password(user: User, password: str) -> None:
    """Set a new password, sign the member out everywhere (caller commits)."""
    accounts.set_new_password(user, password)
    mark_verified(user)  # the link reached their inbox


# --- Export ----------------------------------------------------------------------------------------
#
# What a member downloads is what they wrote and what was done to them (warnings and other
# sanctions with their reasons, the statuses and moderation notes of their posts, the outcomes of
# their own reports), never what staff wrote about them nor the moderators' open work on them.
#
# Every table with a foreign key to "user" is classified here, in exactly one of three lists:
#   OWN_SECTIONS     written out by hand in export_account (a section of its own, with its rules);
#   EXPORTED_TABLES  the rows whose `owner` column is the member, with the listed columns only;
#   NOT_EXPORTED     left out, with the reason.
# tests/test_privacy.py fails on a table in none of them (or in two), so a new table pointing at
# members cannot ship without this decision; a column added to an exported table stays out of the
# export until it is listed.


@dataclass(frozen=True)
class Exported:
    """The member's rows of a table: those whose `owner` column is their id, with `columns` only."""

    owner: str
    columns: tuple[str, ...]
    why: str
    section: str = "other"  # "other" (under the table's name) or "reports"


OWN_SECTIONS: dict[str, str] = {
    "user": "profile and standing: name, email, role, dates, bio, suspension and ban with their reasons",
    "account_settings": "profile facts and whom they are shown to",
    "topic": "topics they started (author_id); last_poster_id is a counter kept for listings",
    "post": "their posts, with status and the moderation note they were shown (author_id); "
            "deleted_by_id says who removed a post, shown to them as the post's status",
    "post_revision": "the earlier versions of their own posts; versions of others' posts a moderator edited are others' words",
    "notification": "notifications sent to them (user_id); those that name them as the actor belong to others",
    "draft": "their drafts",
    "two_factor": "whether two-factor sign-in is on, never its secret",
    "recovery_code": "how many recovery codes are left, never the codes",
    "upload": "their images (uploads section)",
    "conversation": "private messages section: the conversations they are in",
    "conversation_member": "private messages section",
    "message": "private messages section: what they wrote",
    "member_block": "private messages section: the members they blocked (not who blocked them)",
}

EXPORTED_TABLES: dict[str, Exported] = {
    "report": Exported("reporter_id", ("id", "target_type", "target_id", "reason", "note", "status", "created_at", "resolved_at"),
                       "reports they made and their outcomes", section="reports"),
    "member_warning": Exported("user_id", ("id", "reason", "created_at", "acknowledged_at"),
                               "warnings they received, with the reason (the moderator's name stays out)"),
    "api_token": Exported("user_id", ("id", "name", "prefix", "scopes", "created_at", "expires_at", "last_used_at", "revoked_at"),
                          "their API tokens, without the token's hash"),
    "board_watch": Exported("user_id", ("board_id", "level", "created_at"), "boards they watch"),
    "topic_watch": Exported("user_id", ("topic_id", "level", "created_at"), "topics they watch"),
    "topic_read": Exported("user_id", ("topic_id", "last_read_number", "updated_at"), "how far they read each topic"),
    "notification_settings": Exported("user_id", ("email", "watch_participated", "last_digest_at"), "their notification settings"),
    "outbox_mail": Exported("user_id", ("to_address", "subject", "kind", "created_at", "sent_at"),
                            "mail sent to them, without the body (it may hold one-time sign-in or reset links)"),
    "expert_profile": Exported("user_id", ("credential", "institution", "verified_at", "revoked_at"),
                               "their expert credential (which admin verified it stays out)"),
    "article": Exported("author_id", ("id", "slug", "status", "created_at", "first_published_at", "archived_at", "revision_count"),
                        "articles they wrote"),
    "article_revision": Exported("editor_id", ("article_id", "number", "status", "title", "summary", "body", "references",
                                               "created_at", "updated_at", "submitted_at", "reviewed_at", "review_comment"),
                                 "every version of their articles, with the reviewer's comment returned to them"),
    "treatment_experience": Exported("user_id", ("id", "treatment", "other_name", "condition", "dose", "frequency",
                                                 "weeks_of_relief", "side_effects_other", "rating", "story", "shared",
                                                 "status", "moderation_note", "revision_count", "created_at", "updated_at"),
                                     "their treatment experience reports"),
    "treatment_experience_revision": Exported("user_id", ("experience_id", "number", "answers", "story", "created_at"),
                                              "earlier versions of their treatment reports"),
    "treatment_side_effect": Exported("user_id", ("experience_id", "effect"), "side effects they reported"),
    "support_group": Exported("organiser_id", ("id", "name", "country", "city", "format", "schedule", "description", "status",
                                               "moderation_note", "topic_id", "verified_at", "confirmed_at", "created_at", "updated_at"),
                              "support groups they organise"),
    "support_group_contact": Exported("sender_id", ("group_id", "body", "created_at"), "messages they sent to group organisers"),
    "bookmark": Exported("user_id", ("post_id", "note", "created_at"), "their bookmarks and notes"),
    "post_reaction": Exported("user_id", ("post_id", "kind", "created_at"), "their reactions"),
}

NOT_EXPORTED: dict[str, str] = {
    "staff_note": "moderators' private notes about the member: staff's words, never shown to the member",
    "review_entry": "the moderators' queue (open reviews, report counts, resolution notes); members see the outcome "
                    "as their posts' statuses and notes, their warnings, and the outcomes of their own reports",
    "moderation_action": "the staff audit log; what was done to the member is exported from the tables it changed",
    "watched_word": "a forum-wide moderation setting an admin made (created_by_id), nothing about the member",
    "form_submission": "one-time keys that stop a form being posted twice, pruned after 30 days: nothing they wrote",
}


def _user_columns(table) -> list:
    return [c for c in table.columns for fk in c.foreign_keys if fk.column.table.name == "user"]


def unclassified_tables(metadata) -> list[str]:
    """Tables pointing at members that none of the export's lists names, or that two name."""
    lists = (OWN_SECTIONS, EXPORTED_TABLES, NOT_EXPORTED)
    return [
        table.name for table in metadata.sorted_tables
        if (_user_columns(table) or table.name == "user") and sum(table.name in names for names in lists) != 1
    ]


def stale_classifications(metadata) -> list[str]:
    """Names in the export's lists that are no table pointing at members (any more)."""
    pointing = {t.name for t in metadata.sorted_tables if _user_columns(t) or t.name == "user"}
    return sorted({*OWN_SECTIONS, *EXPORTED_TABLES, *NOT_EXPORTED} - pointing)


def _jsonable(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (dict, list, str, int, float, bool)) or value is None:
        return value
    return str(value)


def _exported_rows(name: str, spec: Exported, user: User) -> list[dict]:
    table = db.metadata.tables[name]
    order = list(table.primary_key.columns) or [table.c[spec.columns[0]]]
    rows = db.session.execute(
        select(*[table.c[column] for column in spec.columns]).where(table.c[spec.owner] == user.id).order_by(*order)
    ).mappings()
    return [{column: _jsonable(value) for column, value in row.items()} for row in rows]


def export_account(user: User) -> dict:
    """Everything the forum holds that is the member's, as one JSON-ready dict (see the lists above)."""
    row = db.session.get(AccountSettings, user.id)
    topics = db.session.execute(
        select(Topic.id, Topic.title, Topic.status, Topic.created_at, Board.name)
        .join(Board, Board.id == Topic.board_id)
        .where(Topic.author_id == user.id)
        .order_by(Topic.id)
    ).all()
    posts = db.session.scalars(select(Post).where(Post.author_id == user.id).order_by(Post.id)).all()
    revisions = db.session.scalars(
        select(PostRevision).where(PostRevision.post_id.in_([p.id for p in posts])).order_by(PostRevision.id)
    ).all() if posts else []
    notifications = db.session.scalars(select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)).all()
    drafts = db.session.scalars(select(Draft).where(Draft.user_id == user.id).order_by(Draft.id)).all()
    data: dict[str, Any] = {
        "format": "forum-account-export/1",
        "exported_at": utcnow().isoformat(),
        "profile": {
            "username": user.username, "email": user.email, "role": user.role.value,
            "joined": _jsonable(user.created_at), "bio": user.bio,
            "condition": row.condition if row else None, "country": row.country if row else None,
            "published_posts": user.post_count,
        },
        "standing": {
            "suspended_until": _jsonable(user.suspended_until), "suspension_reason": user.suspension_reason,
            "banned_at": _jsonable(user.banned_at), "ban_reason": user.ban_reason,
        },
        "settings": {
            "show_bio": bool(row and row.show_bio), "show_condition": bool(row and row.show_condition),
            "show_country": bool(row and row.show_country),
            "email_confirmed_at": _jsonable(row.email_verified_at) if row else None,
        },
        "topics": [
            {"id": t.id, "title": t.title, "board": t.name, "status": t.status.value, "created_at": _jsonable(t.created_at)}
            for t in topics
        ],
        "posts": [
            {"id": p.id, "topic_id": p.topic_id, "number": p.number, "body": p.body, "status": p.status.value,
             "moderation_note": p.moderation_note, "created_at": _jsonable(p.created_at), "edited_at": _jsonable(p.edited_at)}
            for p in posts
        ],
        "post_history": [_revision_facts(r) for r in revisions],
        "notifications": [
            {"kind": n.kind, "text": n.text, "url": n.url, "created_at": _jsonable(n.created_at), "read_at": _jsonable(n.read_at)}
            for n in notifications
        ],
        "drafts": [
            {"board_id": d.board_id, "topic_id": d.topic_id, "title": d.title, "body": d.body,
             "created_at": _jsonable(d.created_at), "updated_at": _jsonable(d.updated_at)}
            for d in drafts
        ],
        "two_factor": two_factor.export_facts(user),
        "uploads": uploads.export_facts(user),
        "private_messages": messages.export_facts(user),
        "reports": [],
        "other": {},
    }
    for name, spec in EXPORTED_TABLES.items():
        rows = _exported_rows(name, spec, user)
        if spec.section == "reports":
            data["reports"].extend(rows)
        elif rows:
            data["other"][name] = rows
    return data


def _revision_facts(revision: PostRevision) -> dict:
    facts = {"post_id": revision.post_id, "version": revision.number, "written_at": _jsonable(revision.created_at)}
    if revision.erased_at is not None:
        return {**facts, "erased_at": _jsonable(revision.erased_at)}
    return {**facts, "title": revision.title, "body": revision.body}


# --- Deletion --------------------------------------------------------------------------------------


def delete_account(user: User, keep_posts: bool) -> None:
    """Erase the member at once (caller commits).

    keep_posts=True leaves their posts in place under "former member"; False removes the text of
    every post and the titles of the topics they started. Then, in every table (including tables
    added later), a nullable reference to the member becomes NULL and a row that cannot exist
    without them is deleted.
    """
    from forum.services.posting import count_publication

    uid, username = user.id, user.username
    if not keep_posts:
        _remove_posts(uid, count_publication)
    messages.forget_member(user, keep_posts)
    # Their images go with them: the files, then the rows.
    uploads.erase_for(user)
    # Notifications sent to others about this member name them in their text.
    db.session.execute(delete(Notification).where(Notification.actor_id == uid))
    # Audit rows stay (what staff did), without the member's words or name.
    for action in db.session.scalars(
        select(ModerationAction).where((ModerationAction.subject_user_id == uid) | (ModerationAction.actor_id == uid))
    ):
        action.before = None
        action.after = None
        if action.reason:
            action.reason = action.reason.replace(username, FORMER_MEMBER)
    db.session.flush()
    for table in reversed(db.metadata.sorted_tables):
        if table.name == "user":
            continue
        for column in _user_columns(table):
            if column.nullable:
                db.session.execute(update(table).where(column == uid).values({column.name: None}))
            else:
                db.session.execute(delete(table).where(column == uid))
    db.session.execute(delete(User.__table__).where(User.id == uid))
    db.session.expunge(user) if user in db.session else None
    try:
        from forum.cache import content_changed

        content_changed()
    except ImportError:  # pragma: no cover - the page cache is optional
        pass


def _others_in(topic_id: int, uid: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Post).where(
            Post.topic_id == topic_id, or_(Post.author_id != uid, Post.author_id.is_(None)), Post.status != ContentStatus.DELETED
        )
    )


def _remove_posts(uid: int, count_publication) -> None:
    now = utcnow()
    posts = db.session.scalars(select(Post).where(Post.author_id == uid).order_by(Post.id)).all()
    for post in posts:
        topic = db.session.get(Topic, post.topic_id)
        if post.status is ContentStatus.PUBLISHED:
            if post.is_first and _others_in(topic.id, uid):
                # The topic stays for the replies of others: only its post count drops.
                db.session.execute(update(Board).where(Board.id == topic.board_id).values(post_count=Board.post_count - 1))
            else:
                count_publication(post, topic, db.session.get(Board, topic.board_id), -1)
        post.body = ""
        post.body_html = ""
        post.status = ContentStatus.DELETED
        post.deleted_at = post.deleted_at or now
        post.moderation_note = None
        search.remove_post(post)
    if posts:
        db.session.execute(delete(PostRevision).where(PostRevision.post_id.in_([p.id for p in posts])))
    for topic in db.session.scalars(select(Topic).where(Topic.author_id == uid)):
        others = _others_in(topic.id, uid)
        topic.title = "Topic removed by its author" if not others else "Topic started by a former member"
        if not others:
            topic.status = ContentStatus.DELETED
        search.index_topic(topic)
    db.session.flush()
