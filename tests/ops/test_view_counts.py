"""View counts shared through Redis: every instance adds to one hash, one job writes it."""
from __future__ import annotations

import uuid

import pytest

from config import TestingConfig
from forum import create_app
from forum.models import Topic
from forum.models.base import db as _db
from forum.services import reading
from tests import redis_test_url

REDIS_URL = redis_test_url(2)


@pytest.fixture
def redis_apps(database_url):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.exceptions.RedisError:
        pytest.skip("Redis is not running at " + REDIS_URL)
    prefix = f"test-{uuid.uuid4().hex[:10]}:"
    apps = [
        create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database_url, REDIS_URL=REDIS_URL, REDIS_PREFIX=prefix, CACHE_PAGES=False)
        for _ in range(2)
    ]
    yield apps
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(prefix + "*"):
        client.delete(key)


def test_views_seen_by_two_instances_are_counted_once_each(redis_apps, make_topic):
    topic = make_topic()
    for app in redis_apps:
        client = app.test_client()
        for _ in range(3):
            assert client.get(f"/topics/{topic.id}").status_code == 200
    assert reading.view_buffer.pending(topic.id) == 0  # nothing kept in any one process
    with redis_apps[0].app_context():
        assert reading.flush_views_job() == 1
        assert reading.flush_views_job() == 0  # the hash was taken whole
        assert _db.session.get(Topic, topic.id).view_count == 6


def test_when_redis_is_down_views_are_counted_in_the_process(redis_apps, make_topic):
    topic = make_topic()
    app = redis_apps[0]
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
