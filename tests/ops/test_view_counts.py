"""View counts shared through Redis: every instance adds to one hash, one job writes it."""
from __future__ import annotations

import pytest

from forum.models import Topic
from forum.models.base import db as _db
from forum.services import reading


@pytest.fixture
def instances(redis_apps):
    """Two instances of the forum on one Redis."""
    return [redis_apps() for _ in range(2)]


def test_views_seen_by_two_instances_are_counted_once_each(instances, make_topic):
    topic = make_topic()
    for app in instances:
        client = app.test_client()
        for _ in range(3):
            assert client.get(f"/topics/{topic.id}").status_code == 200
    assert reading.view_buffer.pending(topic.id) == 0  # nothing kept in any one process
    with instances[0].app_context():
        assert reading.flush_views_job() == 1
        assert reading.flush_views_job() == 0  # the hash was taken whole
        assert _db.session.get(Topic, topic.id).view_count == 6


def test_when_redis_is_down_views_are_counted_in_the_process(redis_app, make_topic):
    topic = make_topic()
    app = redis_app
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    app.extensions.pop("forum_redis", None)
    with app.app_context():
        reading.record_view(topic)
    assert reading.view_buffer.pending(topic.id) == 1


def test_without_redis_the_in_process_buffer_is_kept(app, make_topic, client):
    topic = make_topic()
    client.get(f"/topics/{topic.id}")
    assert reading.view_buffer.pending(topic.id) == 1
    assert reading.flush_views() == 1
