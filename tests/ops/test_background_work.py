"""The forum's background work as jobs: mail from the outbox, notification fan-out, search reindex,
and the periodic jobs of the embedded default (no Redis)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select

from forum import jobs, mail
from forum.models import Notification, SearchDocument, utcnow
from forum.models.base import db
from forum.models.notification import EmailPreference, OutboxMail
from forum.models.watching import WatchLevel
from forum.services import notifications, outbox, posting, search


def _pending_jobs() -> list[str]:
    return [job["func"] for job in db.session().info.get("forum_jobs", [])]


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


# ---------------------------------------------------------------- mail


def test_queued_mail_is_sent_by_one_job_after_the_commit(make_topic, make_user):
    readers = [make_user() for _ in range(3)]
    for reader in readers:
        notifications.save_settings(reader.id, EmailPreference.IMMEDIATE, True)
    db.session.commit()
    notifications.notify([r.id for r in readers], "reply", "first")
    notifications.notify([r.id for r in readers], "reply", "second")
    assert _pending_jobs() == ["forum.services.outbox.send_mail_job"]  # one job for the transaction
    assert mail.sent_messages == []
    db.session.commit()
    assert len(mail.sent_messages) == 6
    assert _count(OutboxMail, OutboxMail.sent_at.is_(None)) == 0


def test_no_mail_queued_means_no_mail_job(make_user):
    reader = make_user()  # in-app notifications only (the default)
    notifications.notify([reader.id], "reply", "quiet")
    assert _pending_jobs() == []
    db.session.rollback()


def test_a_message_is_sent_once_even_if_the_job_runs_twice(make_user):
    reader = make_user()
    notifications.save_settings(reader.id, EmailPreference.IMMEDIATE, True)
    db.session.add(
        OutboxMail(user_id=reader.id, to_address=reader.email, subject="Hello", body="Once", next_attempt_at=utcnow())
    )
    db.session.commit()
    row_id = db.session.scalar(select(OutboxMail.id))
    # Two runs at once: the first claims the message, the second finds it taken.
    now = utcnow()
    assert outbox._claim(row_id, now) is True
    assert outbox._claim(row_id, now) is False
    assert outbox.send_mail_job() == 0  # claimed by the "other" run: not sent by this one
    assert mail.sent_messages == []
    # The other run died without sending: once its lease is over the mail goes, once.
    db.session.get(OutboxMail, row_id).next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert outbox.send_mail_job() == 1
    assert outbox.send_mail_job() == 0
    assert len(mail.sent_messages) == 1


def test_mail_that_keeps_failing_is_listed_for_admins_and_can_be_sent_again(
    app, client, login, admin, make_user, monkeypatch
):
    app.config["MAIL_MAX_ATTEMPTS"] = 2
    try:
        reader = make_user(username="reader")
        notifications.save_settings(reader.id, EmailPreference.IMMEDIATE, True)
        db.session.commit()
        monkeypatch.setattr(mail, "send_mail", lambda *a, **k: (_ for _ in ()).throw(OSError("relay refused")))
        notifications.notify([reader.id], "reply", "a reply for you")
        db.session.commit()  # first attempt, in the job after the commit
        row = db.session.scalar(select(OutboxMail))
        assert row.attempts == 1 and row.failed_at is None
        assert row.next_attempt_at >= utcnow() + timedelta(minutes=1)  # backoff: 2 minutes, then 4...
        row.next_attempt_at = utcnow()
        db.session.commit()
        assert outbox.send_mail_job() == 0  # the periodic run: second attempt, the last
        db.session.expire_all()
        row = db.session.scalar(select(OutboxMail))
        assert row.attempts == 2 and row.failed_at is not None

        login(admin)
        page = client.get("/admin/jobs")
        assert b"Mail not sent after every attempt" in page.data and b"relay refused" in page.data
        monkeypatch.undo()
        response = client.post(f"/admin/mail/{row.id}/retry")
        assert response.status_code == 302
        assert len(mail.sent_messages) == 1
        db.session.expire_all()
        assert db.session.get(OutboxMail, row.id).sent_at is not None
        assert b"All mail was sent." in client.get("/admin/jobs").data
        assert client.post(f"/admin/mail/{row.id}/retry").status_code == 302  # already sent: nothing to do
        assert len(mail.sent_messages) == 1
    finally:
        app.config["MAIL_MAX_ATTEMPTS"] = 5


def test_the_worker_runs_mail_and_digests_on_a_timer(app):
    periodic = dict((path, interval) for interval, path in jobs.periodic_jobs(app))
    assert periodic["forum.services.outbox.send_mail_job"] == app.config["MAIL_SEND_SECONDS"]
    assert periodic["forum.services.outbox.digest_job"] == app.config["DIGEST_CHECK_SECONDS"]
    assert "forum.services.reading.flush_views_job" in periodic


def test_digest_job_queues_and_sends_the_digests(make_topic, make_user):
    reader = make_user()
    notifications.save_settings(reader.id, EmailPreference.DAILY, True)
    db.session.commit()
    notifications.notify([reader.id], "reply", "while you were away")
    db.session.commit()
    assert outbox.digest_job() == 1
    assert len(mail.sent_messages) == 1 and "daily summary" in mail.sent_messages[0]["Subject"]
    assert outbox.digest_job() == 0


def test_without_redis_periodic_jobs_start_from_the_web_process(app, monkeypatch):
    started: list[str] = []
    monkeypatch.setattr(jobs, "_run_in_process", lambda app_, job: started.append(job["func"]))
    monkeypatch.setitem(app.config, "JOBS_INLINE", "thread")
    monkeypatch.setattr(jobs, "_last_tick", {})
    now = 1000.0
    jobs.run_periodic_in_process(app, clock=lambda: now)
    assert started == []  # the first request starts the timers
    now += app.config["MAIL_SEND_SECONDS"] + 1
    jobs.run_periodic_in_process(app, clock=lambda: now)
    assert "forum.services.outbox.send_mail_job" in started
    assert "forum.services.outbox.digest_job" not in started
    started.clear()
    jobs.run_periodic_in_process(app, clock=lambda: now)
    assert started == []  # not again until the next interval
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")
    now += 10 ** 6
    jobs.run_periodic_in_process(app, clock=lambda: now)
    assert started == []  # with Redis the worker runs them


# ---------------------------------------------------------------- notification fan-out


@pytest.fixture
def crowded_topic(app, make_topic, make_user, monkeypatch):
    """A topic watched by more members than are notified inside the request."""
    monkeypatch.setitem(app.config, "NOTIFY_INLINE_MAX", 5)
    topic = make_topic(title="Everyone watches this")
    for _ in range(12):
        notifications.set_topic_watch(make_user().id, topic.id, WatchLevel.WATCHING)
    db.session.commit()
    return topic


def _reply_notifications(post_id: int) -> int:
    return _count(Notification, Notification.post_id == post_id, Notification.kind == "reply")


def test_a_reply_to_a_crowded_topic_notifies_watchers_from_a_job(crowded_topic, make_user):
    post = posting.reply_to_topic(crowded_topic, make_user(username="replier"), "Hello everyone")
    db.session.flush()
    assert _reply_notifications(post.id) == 0  # nothing written in the request
    assert "forum.services.notifications.fan_out_post" in _pending_jobs()
    db.session.commit()  # the job runs after the commit (in-process without Redis)
    assert _reply_notifications(post.id) == 12 + 1  # the watchers and the topic's author


def test_a_small_watch_list_is_still_notified_in_the_request(app, crowded_topic, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "NOTIFY_INLINE_MAX", 50)
    post = posting.reply_to_topic(crowded_topic, make_user(), "Hello")
    db.session.flush()
    assert _reply_notifications(post.id) == 13
    assert "forum.services.notifications.fan_out_post" not in _pending_jobs()
    db.session.commit()


def test_fan_out_twice_adds_no_duplicate(crowded_topic, make_user):
    post = posting.reply_to_topic(crowded_topic, make_user(), "Hello again")
    db.session.commit()
    assert _reply_notifications(post.id) == 13
    assert notifications.fan_out_post(post.id) == 0
    db.session.commit()
    assert _reply_notifications(post.id) == 13


def test_fan_out_skips_a_post_hidden_meanwhile(crowded_topic, make_user):
    post = posting.reply_to_topic(crowded_topic, make_user(), "Soon hidden")
    db.session.execute(delete(Notification))  # as if the job had not run yet
    from forum.models import ContentStatus

    post.status = ContentStatus.HIDDEN
    db.session.commit()
    assert notifications.fan_out_post(post.id) == 0
    assert _reply_notifications(post.id) == 0


def test_fan_out_costs_the_same_statements_for_12_or_60_watchers(crowded_topic, make_user, count_queries):
    replier = make_user()
    first = posting.reply_to_topic(crowded_topic, replier, "first")
    second = posting.reply_to_topic(crowded_topic, replier, "second")
    db.session.commit()
    db.session.execute(delete(Notification))
    db.session.commit()
    with count_queries() as few:
        assert notifications.fan_out_post(first.id) == 13
        db.session.commit()
    for _ in range(48):
        notifications.set_topic_watch(make_user().id, crowded_topic.id, WatchLevel.WATCHING)
    db.session.commit()
    with count_queries() as many:
        assert notifications.fan_out_post(second.id) == 61
        db.session.commit()
    assert many.count == few.count


# ---------------------------------------------------------------- search


def test_an_admin_rebuilds_the_search_index_in_the_background(client, login, admin, make_topic):
    topic = make_topic(title="Botulinum toxin schedules", body="Every three months")
    db.session.execute(delete(SearchDocument))
    db.session.commit()
    assert search.search("botulinum").hits == []
    login(admin)
    response = client.post("/admin/jobs/reindex")
    assert response.status_code == 302
    db.session.expire_all()
    [hit] = search.search("botulinum").hits
    assert hit.topic_id == topic.id
    assert search.reindex_job() == _count(SearchDocument)  # running it again changes nothing
    assert len(search.search("botulinum").hits) == 1
