"""Rate limits: named limits on sign-in, sign-up, password reset and posting; the 429 page;
failed sign-ins slowing down per account and per address; memory and Redis storage."""
from __future__ import annotations

import pytest
import redis
from limits.storage import MemoryStorage, RedisStorage
from sqlalchemy import func, select

from forum.models import Post
from forum.ratelimits import LIMITS, limiter, rate_limit


@pytest.fixture
def limits(app, rate_limits_enabled):
    """Set small limits for one test: limits(posting="2 per minute")."""
    saved = {key: app.config.get(key) for key in ("RATE_LIMITS", "SIGN_IN_FAILURE_LIMITS")}

    def _set(failures: dict | None = None, **named):
        app.config["RATE_LIMITS"] = named
        if failures is not None:
            app.config["SIGN_IN_FAILURE_LIMITS"] = failures

    yield _set
    app.config.update(saved)


def assert_429(response) -> int:
    assert response.status_code == 429
    retry_after = int(response.headers["Retry-After"])
    assert 0 < retry_after <= 86400
    text = response.get_data(as_text=True)
    assert "Too many requests" in text
    assert "try again" in text and "UTC" in text
    return retry_after


def test_limits_are_off_in_tests_unless_switched_on(client, app):
    app.config["RATE_LIMITS"] = {"sign_in": "1 per minute"}
    try:
        for _ in range(15):
            assert client.post("/signin", data={}).status_code == 422
    finally:
        app.config.pop("RATE_LIMITS")


def test_limits_are_checked_by_their_views_alone(app, client, limits):
    # The forum sets no limit on every request, so Flask-Limiter's before-request check is not
    # installed (a page that has no limit costs nothing more); the views' own limits still hold,
    # as the tests below show.
    assert limiter._check_request_limit not in app.before_request_funcs.get(None, [])
    limits(**{name: "1 per hour" for name in LIMITS})
    for _ in range(5):
        assert client.get("/").status_code == 200  # a page without a limit is never refused
    assert client.post("/signin", data={}).status_code == 422
    assert client.post("/signin", data={}).status_code == 429


def test_unknown_limit_name_is_refused():
    with pytest.raises(KeyError):
        rate_limit("no-such-limit")


def test_every_named_limit_parses(app):
    from limits import parse_many

    for name, spec in LIMITS.items():
        assert parse_many(spec.default), name


def test_posting_limit_gives_a_429_page_and_saves_nothing(client, login, member, make_board, make_topic, limits, db):
    limits(posting="2 per minute")
    board = make_board()
    topic = make_topic(board=board)
    login(member)
    for n in range(2):
        assert client.post(f"/topics/{topic.id}/reply", data={"body": f"reply {n}"}).status_code == 302
    before = db.session.scalar(select(func.count()).select_from(Post))
    retry_after = assert_429(client.post(f"/topics/{topic.id}/reply", data={"body": "one too many"}))
    assert retry_after <= 60
    assert db.session.scalar(select(func.count()).select_from(Post)) == before
    # Starting a topic shares the same posting count.
    assert_429(client.post(f"/boards/{board.slug}/new", data={"title": "Another topic", "body": "x"}))
    # Reading is not limited.
    assert client.get(f"/topics/{topic.id}").status_code == 200


def test_posting_is_counted_per_member(client, login, make_user, make_topic, limits):
    limits(posting="1 per minute")
    topic = make_topic()
    first, second = make_user(), make_user()
    login(first)
    assert client.post(f"/topics/{topic.id}/reply", data={"body": "hello"}).status_code == 302
    assert client.post(f"/topics/{topic.id}/reply", data={"body": "again"}).status_code == 429
    login(second)
    assert client.post(f"/topics/{topic.id}/reply", data={"body": "hello"}).status_code == 302


def test_sign_up_limit(client, limits):
    limits(sign_up="2 per hour")
    for _ in range(2):
        assert client.post("/signup", data={}).status_code == 422
    assert_429(client.post("/signup", data={}))
    assert client.get("/signup").status_code == 200  # only sending the form counts


def test_sign_in_limit_per_address(client, limits):
    limits(sign_in="3 per minute")
    for _ in range(3):
        client.post("/signin", data={}, environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert_429(client.post("/signin", data={}, environ_base={"REMOTE_ADDR": "10.0.0.1"}))
    assert client.post("/signin", data={}, environ_base={"REMOTE_ADDR": "10.0.0.2"}).status_code == 422


@pytest.fixture
def fast_failed_sign_in(monkeypatch):
    """Skip the deliberately slow password hash: every sign-in attempt fails at once."""
    from forum.services import accounts

    monkeypatch.setattr(accounts, "authenticate", lambda login, password: None)


def _attempt(client, login: str, address: str = "10.1.1.1"):
    return client.post("/signin", data={"login": login, "password": "guess-1234"}, environ_base={"REMOTE_ADDR": address})


def test_failed_sign_ins_slow_down_per_account(client, limits, fast_failed_sign_in):
    limits(failures={"account": "3 per 15 minutes", "address": "100 per 15 minutes"}, sign_in="100 per minute")
    for n in range(3):
        assert _attempt(client, "target_tom", address=f"10.2.0.{n}").status_code == 422
    # Every further try for that name waits, from any address, whether the account exists or not.
    response = _attempt(client, "TARGET_tom", address="10.2.9.9")
    retry_after = assert_429(response)
    assert 60 < retry_after <= 15 * 60 + 1
    assert "unsuccessful attempts to sign in" in response.get_data(as_text=True)
    # Other names are unaffected.
    assert _attempt(client, "someone_else", address="10.2.9.9").status_code == 422


def test_failed_sign_ins_slow_down_per_address(client, limits, fast_failed_sign_in):
    limits(failures={"account": "100 per 15 minutes", "address": "4 per 15 minutes"}, sign_in="100 per minute")
    for n in range(4):
        assert _attempt(client, f"name{n}", address="10.3.3.3").status_code == 422
    assert_429(_attempt(client, "yet_another", address="10.3.3.3"))
    assert _attempt(client, "yet_another", address="10.3.3.4").status_code == 422


def test_a_successful_sign_in_is_not_counted_as_a_failure(client, limits, make_user):
    limits(failures={"account": "1 per 15 minutes", "address": "1 per 15 minutes"})
    make_user(username="good_gus")
    from tests.factories import PASSWORD

    assert client.post("/signin", data={"login": "good_gus", "password": PASSWORD}).status_code == 302


def test_memory_storage_without_redis(make_app):
    app = make_app(REDIS_URL=None)
    with app.app_context():
        assert isinstance(limiter.storage, MemoryStorage)


def test_redis_storage_when_redis_url_is_set(redis_apps, redis_url, app):
    redis_app = redis_apps(RATELIMIT_ENABLED=True, RATE_LIMITS={"sign_in": "2 per minute"})
    with redis_app.app_context():
        assert isinstance(limiter.storage, RedisStorage)
    client = redis_app.test_client()
    for _ in range(2):
        assert client.post("/signin", data={}).status_code == 422
    assert_429(client.post("/signin", data={}))
    keys = redis.Redis.from_url(redis_url).keys("LIMITS*")
    assert keys, "the counts live in Redis"
    # Every app keeps its own storage: the suite's app does not count in Redis.
    with redis_app.app_context():
        in_redis = limiter.storage
    with app.app_context():
        assert limiter.storage is not in_redis and not isinstance(limiter.storage, RedisStorage)
