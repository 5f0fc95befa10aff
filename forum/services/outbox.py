"""Sending what the mail outbox holds, and queueing daily digests (`flask --app forum send-mail`).

Mail is written to the outbox in the same transaction as the event that caused it, so a post is
never lost or slowed by a mail server; this module sends it later, one row per transaction, and
retries failures with a growing delay.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select

from forum import mail
from forum.models import User, utcnow
from forum.models.base import db
from forum.models.notification import EmailPreference, Notification, NotificationSettings, OutboxMail
from forum.services.notifications import absolute_url, unsubscribe_token

DIGEST_EVERY = timedelta(hours=24)
DIGEST_MAX_ITEMS = 25


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    digests: int = 0


def unsubscribe_path(user_id: int) -> str:
    return f"/notifications/unsubscribe/{unsubscribe_token(user_id)}"


def _compose(row: OutboxMail, user: User) -> tuple[str, str, dict[str, str]]:
    link = absolute_url(unsubscribe_path(user.id))
    body = (
        f"Hello {user.username},\n\n{row.body}\n"
        f"--\nYou receive this because of your notification settings on {current_app.config['SITE_NAME']}.\n"
        f"Stop these emails with one click: {link}\n"
    )
    subject = f"[{current_app.config['SITE_NAME']}] {row.subject}"
    headers = {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    return subject, body, headers


def _next_pending(now: datetime):
    query = (
        select(OutboxMail, User, NotificationSettings.email)
        .join(User, User.id == OutboxMail.user_id)
        .outerjoin(NotificationSettings, NotificationSettings.user_id == OutboxMail.user_id)
        .where(OutboxMail.sent_at.is_(None), OutboxMail.failed_at.is_(None), OutboxMail.next_attempt_at <= now)
        .order_by(OutboxMail.next_attempt_at, OutboxMail.id)
        .limit(1)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        # Two senders never take the same row.
        query = query.with_for_update(of=OutboxMail, skip_locked=True)
    return db.session.execute(query).first()


def send_pending(limit: int = 500) -> SendReport:
    """Send due mail, committing after each message; a failure is kept for a later attempt."""
    report = SendReport()
    max_attempts = current_app.config["MAIL_MAX_ATTEMPTS"]
    for _ in range(limit):
        now = utcnow()
        found = _next_pending(now)
        if found is None:
            break
        row, user, preference = found
        if preference in (None, EmailPreference.NONE) or user.email is None or user.banned_at is not None:
            # The member unsubscribed (or left) after the mail was queued.
            row.failed_at, row.last_error = now, "Not sent: the member no longer receives email."
            report.skipped += 1
            db.session.commit()
            continue
        subject, body, headers = _compose(row, user)
        try:
            mail.send_mail(user.email, subject, body, headers=headers)
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
            row.sent_at = now
            row.attempts += 1
            report.sent += 1
        db.session.commit()
    return report


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
        lines = [f"- {n.text}\n  {absolute_url(n.url)}" if n.url else f"- {n.text}" for n in unread[:DIGEST_MAX_ITEMS]]
        if len(unread) > DIGEST_MAX_ITEMS:
            lines.append(f"…and more at {absolute_url('/notifications')}")
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
