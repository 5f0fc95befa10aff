"""Rate limits on reporting and searching: the 429 page with Retry-After, nothing stored by a
refused report, counts per member; in memory and in Redis."""
from __future__ import annotations

import pytest
import redis
from limits.storage import RedisStorage

from forum.models import Report
from forum.ratelimits import limiter
from tests.moderation.conftest import count
from tests.test_ratelimits import assert_429, limits  # noqa: F401 - limits is a fixture


def _report(client, post) -> int:
    return client.post(f"/report/post/{post.id}", data={"reason": "spam", "note": "Selling pills"}).status_code


def _search(client, words: str = "spasm") -> int:
    return client.get("/search", query_string={"q": words}).status_code


@pytest.fixture
def posts(make_user, make_topic, make_post):
    """Three replies by one author in one topic: things to report."""
    author = make_user(username="author_ann")
    topic = make_topic(author=author, title="Living with spasms")
    return [make_post(topic=topic, author=author, body=f"A reply about spasms, number {n}.") for n in range(3)]


def test_reporting_limit_gives_a_429_page_and_stores_nothing(client, login, member, posts, limits):
    limits(reporting="2 per hour")
    login(member)
    assert _report(client, posts[0]) == 302
    assert _report(client, posts[1]) == 302
    response = client.post(f"/report/post/{posts[2].id}", data={"reason": "spam", "note": "one too many"})
    retry_after = assert_429(response)
    assert retry_after <= 3600
    assert count(Report) == 2
    # Reading the report form is not counted.
    assert client.get(f"/report/post/{posts[2].id}").status_code == 200


def test_reporting_is_counted_per_member(client, login, make_user, posts, limits):
    limits(reporting="1 per hour")
    first, second = make_user(), make_user()
    login(first)
    assert _report(client, posts[0]) == 302
    assert _report(client, posts[1]) == 429
    login(second)
    assert _report(client, posts[1]) == 302
    assert count(Report) == 2


def test_refused_report_of_a_member_stores_nothing(client, login, member, make_user, limits):
    limits(reporting="1 per hour")
    first, second = make_user(), make_user()
    login(member)
    assert client.post(f"/report/user/{first.id}", data={"reason": "harassment"}).status_code == 302
    assert_429(client.post(f"/report/user/{second.id}", data={"reason": "harassment"}))
    assert count(Report) == 1


def test_searching_limit_gives_a_429_page(client, posts, limits):
    limits(searching="3 per minute")
    for words in ("spasm", "reply", "number"):
        assert _search(client, words) == 200
    response = client.get("/search", query_string={"q": "one too many"})
    assert assert_429(response) <= 60
    # Other pages are not limited.
    assert client.get(f"/topics/{posts[0].topic_id}").status_code == 200


def test_searching_is_counted_per_member(client, login, member, other_member, limits):
    limits(searching="1 per minute")
    login(member)
    assert _search(client) == 200
    assert _search(client) == 429
    login(other_member)
    assert _search(client) == 200


def test_limits_stay_off_unless_switched_on(client, login, member, posts):
    login(member)
    for _ in range(40):
        assert _search(client) == 200
    for post in posts:
        assert _report(client, post) == 302


def _client_of(app, user):
    """A test client of `app` with `user` signed in."""
    client = app.test_client()
    with client.session_transaction() as session:
        session.update(_user_id=user.get_id(), _fresh=True)
    return client


def test_reporting_and_searching_counts_live_in_redis(redis_apps, redis_url, member, posts):
    limits = {"reporting": "1 per hour", "searching": "2 per minute"}
    redis_app = redis_apps(RATELIMIT_ENABLED=True, RATE_LIMITS=limits)
    with redis_app.app_context():
        assert isinstance(limiter.storage, RedisStorage)
    client = _client_of(redis_app, member)
    assert _report(client, posts[0]) == 302
    assert_429(client.post(f"/report/post/{posts[1].id}", data={"reason": "spam"}))
    assert count(Report) == 1
    assert _search(client) == 200
    assert _search(client) == 200
    assert_429(client.get("/search", query_string={"q": "again"}))
    keys = [key.decode() for key in redis.Redis.from_url(redis_url).keys("LIMITS*")]
    assert any("reporting" in key for key in keys) and any("searching" in key for key in keys), keys
    # A second worker on the same Redis shares the counts.
    other_worker = redis_apps(RATELIMIT_ENABLED=True, RATE_LIMITS=limits)
    assert _search(_client_of(other_worker, member)) == 429
