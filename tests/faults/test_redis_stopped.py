"""Redis stopped: pages still serve, jobs (here: the mail of a reply) wait in the database outbox and
run when Redis is back."""
from __future__ import annotations

import os
import subprocess

import pytest
from sqlalchemy import func, select, text

from forum import jobs
from forum.extensions import db
from forum.models import QueuedJob, Topic
from forum.models.notification import EmailPreference, OutboxMail
from forum.services import notifications
from tests.faults import jobs as fault_jobs
from tests.faults.conftest import BIN, ROOT, SECRET_KEY
from tests.faults.seed import check_consistent, seed

pytestmark = pytest.mark.faults


def test_pages_serve_without_redis_and_jobs_wait_for_it(fault_app, fault_db, servers, own_redis):
    topic_id, sessions = seed(fault_app, 1)
    cookie, token = sessions[0]
    with fault_app.app_context():  # the topic's author wants mail at once
        notifications.save_settings(db.session.get(Topic, topic_id).author_id, EmailPreference.IMMEDIATE, True)
        db.session.commit()
        db.session.remove()
    server = servers(fault_db, redis_url=own_redis.url, workers=2, threads=2, CACHE_PAGES="1", RATELIMIT_ENABLED="1")
    anonymous, member = server.client(), server.client(cookie)
    pages = ["/", "/boards/faults", f"/topics/{topic_id}"]
    for path in pages:
        assert anonymous.get(path)[0] == 200
    assert anonymous.get("/readyz")[0] == 200

    own_redis.stop()
    for path in pages * 2:
        status, _, body = anonymous.get(path)
        assert status == 200, (path, body[:300])
    assert member.get(f"/topics/{topic_id}")[0] == 200
    status, headers, _ = member.post(f"/topics/{topic_id}/reply", {"csrf_token": token, "body": "Posted while Redis was down"})
    assert status == 302, headers
    assert anonymous.get("/healthz")[0] == 200
    log = server.log_path.read_text()
    assert "page cache bypassed" in log and "falling back to in-memory storage" in log.lower()
    status, _, body = anonymous.get("/readyz")
    assert status == 503 and b'"redis"' in body

    # Jobs asked for while Redis is down wait in the database outbox: the reply's mail job, and one here.
    fault_app.config["REDIS_URL"] = own_redis.url
    with fault_app.app_context():
        assert db.session.scalars(select(QueuedJob.func)).all() == ["forum.services.outbox.send_mail_job"]
        assert db.session.scalar(select(func.count()).select_from(OutboxMail).where(OutboxMail.sent_at.is_(None))) == 1
        db.session.execute(text("SELECT 1"))
        jobs.enqueue(fault_jobs.rename_topic, topic_id, "Renamed by a background job")
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(QueuedJob)) == 2
        assert db.session.get(Topic, topic_id).title != "Renamed by a background job"
        db.session.remove()

    own_redis.start()
    env = {**os.environ, "FORUM_ENV": "production", "SECRET_KEY": SECRET_KEY, "SITE_URL": "http://127.0.0.1", "DATABASE_URL": fault_db, "REDIS_URL": own_redis.url,
           "MAIL_BACKEND": "log"}
    result = subprocess.run(
        [str(BIN / "flask"), "--app", "forum", "worker", "--burst"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    with fault_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(QueuedJob)) == 0
        assert db.session.get(Topic, topic_id).title == "Renamed by a background job"
        [sent] = db.session.scalars(select(OutboxMail)).all()
        assert sent.sent_at is not None and sent.attempts == 1
        db.session.remove()
    assert anonymous.get("/readyz")[0] == 200
    assert check_consistent(fault_app, topic_id)["Posted while Redis was down"] == 1
