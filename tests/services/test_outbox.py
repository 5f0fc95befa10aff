"""Mail: queued in the outbox with its event, sent by a job once it commits, never blocking a post."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum import mail
from forum.models import utcnow
from forum.models.base import db
from forum.models.notification import EmailPreference, NotificationSettings, OutboxMail
from forum.services import notifications, outbox, posting


def _outbox() -> list[OutboxMail]:
    return list(db.session.scalars(select(OutboxMail).order_by(OutboxMail.id)))


def test_no_mail_by_default(topic, make_user):
    posting.reply_to_topic(topic, make_user(), "hello")
    db.session.commit()
    assert _outbox() == []


def test_immediate_mail_is_queued_with_the_post_and_sent_after_the_commit(topic, alice, make_user, runner):
    notifications.save_settings(alice.id, EmailPreference.IMMEDIATE, True)
    post = posting.reply_to_topic(topic, make_user(username="bob"), "hello")
    db.session.rollback()  # the post is not stored, so neither is its mail
    assert _outbox() == [] and mail.sent_messages == []
    post = posting.reply_to_topic(topic, make_user(username="bob2"), "hello")
    [queued] = _outbox()
    assert queued.to_address == alice.email and queued.sent_at is None
    assert "bob2 replied to “Botox near the eye”" in queued.subject
    assert f"/posts/{post.id}" in queued.body
    assert mail.sent_messages == []
    db.session.commit()  # the mail job runs once the post is stored (in-process in tests)
    [message] = mail.sent_messages
    assert message["To"] == alice.email
    body = message.get_content()
    assert "/notifications/unsubscribe/" in body
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    db.session.expire_all()
    assert _outbox()[0].sent_at is not None
    result = runner.invoke(args=["send-mail"])
    assert result.exit_code == 0, result.output
    assert "Sent: 0" in result.output
    assert outbox.send_mail_job() == 0
    assert len(mail.sent_messages) == 1  # never twice


def _broken(*args, **kwargs):
    raise ConnectionRefusedError("mail server down")


def test_a_failing_mail_server_keeps_the_mail_for_later(topic, alice, make_user, monkeypatch, app):
    notifications.save_settings(alice.id, EmailPreference.IMMEDIATE, True)
    monkeypatch.setattr(mail, "send_mail", _broken)
    posting.reply_to_topic(topic, make_user(), "hello")
    db.session.commit()  # the job's attempt fails
    [row] = _outbox()
    assert row.attempts == 1 and row.sent_at is None and row.failed_at is None and "mail server down" in row.last_error
    assert row.next_attempt_at > utcnow() + timedelta(minutes=1)
    monkeypatch.undo()
    assert outbox.send_pending().sent == 0  # not due yet
    row.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert outbox.send_pending().sent == 1


def test_gives_up_after_the_last_attempt(topic, alice, make_user, monkeypatch, app):
    app.config["MAIL_MAX_ATTEMPTS"] = 1
    try:
        notifications.save_settings(alice.id, EmailPreference.IMMEDIATE, True)
        monkeypatch.setattr(mail, "send_mail", lambda *a, **k: (_ for _ in ()).throw(OSError("nope")))
        posting.reply_to_topic(topic, make_user(), "hello")
        db.session.commit()
        assert _outbox()[0].failed_at is not None
        assert outbox.failed_mail()[0] == 1
    finally:
        app.config["MAIL_MAX_ATTEMPTS"] = 5


def test_unsubscribed_before_sending_is_skipped(topic, alice, make_user):
    notifications.save_settings(alice.id, EmailPreference.IMMEDIATE, True)
    posting.reply_to_topic(topic, make_user(), "hello")
    notifications.unsubscribe(alice.id)
    db.session.commit()
    assert mail.sent_messages == []
    [row] = _outbox()
    assert row.sent_at is None and "no longer receives" in row.last_error
    assert outbox.failed_mail()[0] == 0  # not a failure to show admins
    assert outbox.send_pending().sent == 0


def test_one_click_unsubscribe(client, alice):
    notifications.save_settings(alice.id, EmailPreference.DAILY, True)
    db.session.commit()
    path = outbox.unsubscribe_path(alice.id)
    page = client.get(path)
    assert page.status_code == 200 and b"Unsubscribe" in page.data
    assert db.session.get(NotificationSettings, alice.id).email is EmailPreference.DAILY  # a GET changes nothing
    response = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(NotificationSettings, alice.id).email is EmailPreference.NONE


@pytest.mark.parametrize("token", ["nonsense", "MQ.forged-signature"])
def test_forged_unsubscribe_links_are_refused(client, alice, token):
    assert client.post(f"/notifications/unsubscribe/{token}").status_code == 404


def test_daily_digest(topic, alice, make_user):
    notifications.save_settings(alice.id, EmailPreference.DAILY, True)
    db.session.commit()
    posting.reply_to_topic(topic, make_user(username="bob"), "one")
    posting.reply_to_topic(topic, make_user(username="carol"), "two")
    db.session.commit()
    assert _outbox() == []  # nothing immediate
    assert outbox.queue_digests() == 1
    db.session.commit()
    [digest] = _outbox()
    assert digest.kind == "digest"
    assert "bob replied" in digest.body and "carol replied" in digest.body
    assert outbox.queue_digests() == 0  # once a day
    assert outbox.queue_digests(now=utcnow() + timedelta(hours=25)) == 0  # nothing new since
    assert outbox.send_pending().sent == 1


def test_account_mail_goes_whatever_the_notification_settings_and_is_not_kept(alice):
    """Links about the account reach members who chose no notification mail (the default), carry
    no unsubscribe footer, and the body (which holds the link) is not kept once sent."""
    outbox.queue_account_mail(alice, "Reset your password", "Open https://forum.example.org/password/reset/secret\n")
    assert mail.sent_messages == []  # nothing before the commit
    db.session.commit()
    [message] = mail.sent_messages
    assert message["To"] == alice.email and message["Subject"] == "Reset your password"
    assert "/password/reset/secret" in message.get_content() and "unsubscribe" not in message.get_content()
    assert message["List-Unsubscribe"] is None
    db.session.expire_all()
    [row] = _outbox()
    assert row.kind == "account" and row.sent_at is not None and "secret" not in row.body


def test_account_mail_is_not_sent_to_an_address_the_member_has_since_changed(alice):
    outbox.queue_account_mail(alice, "Confirm your email address", "A link for the old address\n")
    alice.email = "alice.new@example.org"
    db.session.commit()  # the mail job runs: the link was for the old address
    assert mail.sent_messages == []
    db.session.expire_all()
    [row] = _outbox()
    assert row.sent_at is None and row.failed_at is not None and "address changed" in row.last_error
