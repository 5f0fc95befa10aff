"""Sending what the mail outbox holds, and queueing daily digests and mail about accounts.

Every message the forum sends goes through here. Mail is written to the outbox in the same
transaction as the event that caused it, so a post is never lost or slowed by a mail server, and
no page talks to one: a sign-up or a reset request takes as long, and answers the same, whether
or not a message results. The same transaction enqueues `send_mail_job` (forum/jobs.py),
which runs once it commits: on the Redis queue with `make worker`, in-process without Redis. The
worker also runs it every MAIL_SEND_SECONDS (`periodic_jobs`) for mail whose retry is due, and
`digest_job` for the daily digests; `flask --app forum send-mail` does the same by hand.

Each message is claimed before it is sent (a conditional UPDATE that moves its next attempt past a
lease), so two runs of the job at once, or a job run twice, send it once. A failure is kept with a
growing delay (2, 4, 8… minutes) and, after MAIL_MAX_ATTEMPTS, listed for admins on /admin/jobs.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, or_, select, update

from forum import mail
from forum.models import User, utcnow
from forum.models.base import db
from forum.models.notification import EmailPreference, Notification, NotificationSettings, OutboxMail
from forum.services.notifications import unsubscribe_token
from forum.site_urls import site_url

# Mail about the member's own account (confirmation and reset links, sign-up attempts): sent
# whatever their notification settings, without the unsubscribe footer, and only to the address
# it was written for. Its body holds a link that acts for the member, so it is not kept once sent.
ACCOUNT = "account"
# The same, to an address the member asked to move to: sent while the member's account exists (its
# link is tied to the address it was asked from, so it is spent once the address changes).
NEW_ADDRESS = "new_address"
ACCOUNT_KINDS = (ACCOUNT, NEW_ADDRESS)
SENT_ACCOUNT_BODY = "(Sent. Not kept: it held a link for the member alone.)"

DIGEST_EVERY = timedelta(hours=24)
DIGEST_MAX_ITEMS = 25
# How long a claimed message is left to the run sending it before another run may try it again.
SEND_LEASE = timedelta(minutes=10)


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    digests: int = 0


def unsubscribe_path(user_id: int) -> str:
    return f"/notifications/unsubscribe/{unsubscribe_token(user_id)}"


def queue_account_mail(user: User, subject: str, body: str, *, new_address: str | None = None) -> None:
    """Queue a message about the member's account, to their address (or to the new address they
    asked to move to); the mail job sends it once the caller commits."""
    address = new_address or user.email
    if not address:
        return
    now = utcnow()
    db.session.add(
        OutboxMail(
            user_id=user.id, to_address=address, subject=subject[:200], body=body,
            kind=NEW_ADDRESS if new_address else ACCOUNT,
            created_at=now, next_attempt_at=now,
        )
    )
    mail_queued()


def _undeliverable(row: OutboxMail, user: User, preference: EmailPreference | None) -> str | None:
    """Why a due message must not go out any more, or None."""
    if row.kind == NEW_ADDRESS:
        return None
    if row.kind == ACCOUNT:
        if (user.email or "").lower() != row.to_address.lower():
            return "Not sent: the member's address changed after the mail was queued."
        return None
    if preference in (None, EmailPreference.NONE) or user.email is None or user.banned_at is not None:
        # The member unsubscribed (or left) after the mail was queued.
        return "Not sent: the member no longer receives email."
    return None


def _compose(row: OutboxMail, user: User) -> tuple[str, str, dict[str, str]]:
    if row.kind in ACCOUNT_KINDS:
        return row.subject, row.body, {}
    link = site_url(unsubscribe_path(user.id))
    body = (
        f"Hello {user.username},\n\n{row.body}\n"
        f"--\nYou receive this because of your notification settings on {current_app.config['SITE_NAME']}.\n"
        f"Stop these emails with one click: {link}\n"
    )
    subject = f"[{current_app.config['SITE_NAME']}] {row.subject}"
    headers = {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    return subject, body, headers


def _next_due(now: datetime, after_id: int) -> int | None:
    return db.session.scalar(
        select(OutboxMail.id)
        .where(
            OutboxMail.sent_at.is_(None), OutboxMail.failed_at.is_(None), OutboxMail.next_attempt_at <= now,
            OutboxMail.id > after_id,
        )
        .order_by(OutboxMail.id)
        .limit(1)
    )


def _claim(mail_id: int, now: datetime) -> bool:
    """Take a due message for this run (committed at once); False if another run has it or sent it."""
    claimed = db.session.execute(
        update(OutboxMail)
        .where(
            OutboxMail.id == mail_id, OutboxMail.sent_at.is_(None), OutboxMail.failed_at.is_(None),
            OutboxMail.next_attempt_at <= now,
        )
        .values(next_attempt_at=now + SEND_LEASE)
        .execution_options(synchronize_session=False)
    ).rowcount == 1
    db.session.commit()
    return claimed


def send_pending(limit: int = 500) -> SendReport:
    """Send due mail, committing after each message; a failure is kept for a later attempt."""
    report = SendReport()
    max_attempts = current_app.config["MAIL_MAX_ATTEMPTS"]
    last_id = 0
    for _ in range(limit):
        now = utcnow()
        mail_id = _next_due(now, last_id)
        if mail_id is None:
            break
        last_id = mail_id
        if not _claim(mail_id, now):
            continue  # another run took it meanwhile
        row, user, preference = db.session.execute(
            select(OutboxMail, User, NotificationSettings.email)
            .join(User, User.id == OutboxMail.user_id)
            .outerjoin(NotificationSettings, NotificationSettings.user_id == OutboxMail.user_id)
            .where(OutboxMail.id == mail_id)
        ).one()
        reason = _undeliverable(row, user, preference)
        if reason is not None:
            row.failed_at, row.last_error = now, reason
            report.skipped += 1
            db.session.commit()
            continue
        subject, body, headers = _compose(row, user)
        try:
            mail.send_mail(row.to_address if row.kind == NEW_ADDRESS else user.email, subject, body, headers=headers)
        except Exception as error:  # any transport failure: keep the mail, try again later
            row.attempts += 1
            row.last_error = f"{type(error).__name__}: {error}"[:500]
            if row.attempts >= max_attempts:
                row.failed_at = now
            else:
                row.next_attempt_at = now + timedelta(minutes=2 ** row.attempts)
            report.failed += 1
            current_app.logger.warning("Could not send mail %s (attempt %s): %s", row.id, row.attempts, row.last_error)
        else:
            row.sent_at = utcnow()
            row.attempts += 1
            if row.kind in ACCOUNT_KINDS:
                row.body = SENT_ACCOUNT_BODY
            report.sent += 1
        db.session.commit()
    return report


def mail_queued() -> None:
    """Send the mail just queued once the transaction commits (one job per transaction)."""
    from forum import jobs

    jobs.enqueue_once(send_mail_job)


def send_mail_job() -> int:
    """Background job: send the mail that is due. Safe to run twice or side by side."""
    return send_pending(current_app.config.get("MAIL_BATCH", 500)).sent


def digest_job() -> int:
    """Background job (periodic): queue the daily digests that are due, then send them."""
    queued = queue_digests()
    db.session.commit()
    if queued:
        send_pending(current_app.config.get("MAIL_BATCH", 500))
    return queued


def failed_mail(limit: int = 50) -> tuple[int, list[OutboxMail]]:
    """(how many, the newest) messages that could not be sent after every attempt, for admins."""
    failed = (OutboxMail.failed_at.is_not(None), OutboxMail.attempts > 0)
    count = db.session.scalar(select(func.count()).select_from(OutboxMail).where(*failed)) or 0
    rows = list(db.session.scalars(select(OutboxMail).where(*failed).order_by(OutboxMail.failed_at.desc()).limit(limit)))
    return count, rows


def retry_mail(mail_id: int) -> bool:
    """Send a message that failed for good once more (admin action; caller commits)."""
    row = db.session.get(OutboxMail, mail_id)
    if row is None or row.sent_at is not None or row.failed_at is None or row.attempts == 0:
        return False
    row.failed_at, row.next_attempt_at, row.attempts = None, utcnow(), 0
    mail_queued()
    return True


def queue_digests(now: datetime | None = None, batch: int = 500) -> int:
    """Queue a digest for each member on the daily plan whose last one is a day old (caller commits)."""
    now = now or utcnow()
    due = db.session.execute(
        select(NotificationSettings, User)
        .join(User, User.id == NotificationSettings.user_id)
        .where(
            NotificationSettings.email == EmailPreference.DAILY,
            User.email.is_not(None),
            User.banned_at.is_(None),
            or_(NotificationSettings.last_digest_at.is_(None), NotificationSettings.last_digest_at <= now - DIGEST_EVERY),
        )
        .limit(batch)
    ).all()
    queued = 0
    for settings, user in due:
        since = settings.last_digest_at or (now - DIGEST_EVERY)
        unread = list(
            db.session.scalars(
                select(Notification)
                .where(Notification.user_id == user.id, Notification.read_at.is_(None), Notification.created_at > since)
                .order_by(Notification.id.desc())
                .limit(DIGEST_MAX_ITEMS + 1)
            )
        )
        settings.last_digest_at = now
        if not unread:
            continue
        lines = [f"- {n.text}\n  {site_url(n.url)}" if n.url else f"- {n.text}" for n in unread[:DIGEST_MAX_ITEMS]]
        if len(unread) > DIGEST_MAX_ITEMS:
            lines.append(f"…and more at {site_url('/notifications')}")
        count = len(unread) if len(unread) <= DIGEST_MAX_ITEMS else f"{DIGEST_MAX_ITEMS}+"
        db.session.add(
            OutboxMail(
                user_id=user.id,
                to_address=user.email,
                subject=f"Your daily summary: {count} new {'notification' if count == 1 else 'notifications'}",
                body="What happened since your last summary:\n\n" + "\n".join(lines) + "\n",
                kind="digest",
                created_at=now,
                next_attempt_at=now,
            )
        )
        queued += 1
    return queued
