"""Two app instances on one PostgreSQL and one Redis: a write through one is read at once through the other."""
from __future__ import annotations

import uuid

import pytest
import redis

from tests import redis_test_url, require_redis
from tests.faults.seed import seed

pytestmark = pytest.mark.faults
# A database of its own: the servers' page cache keys carry no prefix of the test's.
REDIS_URL = redis_test_url(5)


def test_a_reply_through_one_instance_shows_at_once_on_the_other(fault_app, fault_db, servers):
    require_redis(REDIS_URL)
    topic_id, sessions = seed(fault_app, 1)
    cookie, token = sessions[0]
    prefix = f"two-{uuid.uuid4().hex[:8]}"
    settings = {"redis_url": REDIS_URL, "workers": 1, "threads": 2, "CACHE_PAGES": "1", "REDIS_PREFIX": prefix + ":", "JOBS_QUEUE": prefix}
    first, second = servers(fault_db, **settings), servers(fault_db, **settings)
    topic = f"/topics/{topic_id}"

    # The other instance caches the page (in Redis) for anonymous visitors.
    status, headers, body = second.client().get(topic)
    assert status == 200 and b"Seen from the other instance" not in body
    assert second.client().get(topic)[1].get("X-Cache") == "hit"

    # A member's session (a signed cookie) works on either instance; the reply goes through the first.
    assert second.client(cookie).get(f"{topic}/reply")[0] == 200
    status, headers, _ = first.client(cookie).post(f"{topic}/reply", {"csrf_token": token, "body": "Seen from the other instance"})
    assert status == 302

    # At once, through the second instance, for anonymous visitors (cache invalidated) and members.
    for client in (second.client(), second.client(cookie)):
        status, headers, body = client.get(topic)
        assert status == 200 and b"Seen from the other instance" in body
    status, _, body = second.client().get("/boards/faults")
    assert status == 200

    # View counts from both instances meet in one Redis hash, written by one job.
    for server in (first, second):
        for _ in range(3):
            server.client(cookie).get(topic)
    from forum.extensions import db
    from forum.models import Topic
    from forum.services import reading

    fault_app.config.update(REDIS_URL=REDIS_URL, REDIS_PREFIX=prefix + ":")
    with fault_app.app_context():
        assert reading.flush_views_job() == 1
        assert db.session.get(Topic, topic_id).view_count >= 6
        db.session.remove()
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(prefix + "*"):
        client.delete(key)
