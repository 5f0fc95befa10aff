"""Rate limits: named limits on sign-in, sign-up, password reset and posting; the 429 page;
failed sign-ins slowing down per account and per address; memory and Redis storage."""
from __future__ import annotations

import pytest
import redis
from limits.storage import MemoryStorage, RedisStorage
from sqlalchemy import func, select

from forum.models import Post
from forum.ratelimits import LIMITS, client_address, limiter, rate_limit
from tests.factories import PASSWORD


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

    monkeypatch.setattr(accounts, "password_matches", lambda user, password: False)


def _attempt(client, login: str, address: str = "10.1.1.1", forged: str | None = None):
    headers = {"X-Forwarded-For": forged} if forged else {}
    return client.post("/signin", data={"login": login, "password": "guess-1234"}, environ_base={"REMOTE_ADDR": address}, headers=headers)


def test_failed_sign_ins_slow_down_per_account(client, limits, fast_failed_sign_in):
    limits(failures={"account": "3 per 15 minutes", "address": "100 per 15 minutes"}, sign_in="100 per minute")
    for n in range(3):
        assert _attempt(client, "target_tom", address=f"10.2.0.{n}").status_code == 422
    # Every further try for that name waits, from any address (in a browser that never signed in to
    # it), whether the account exists or not.
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
    assert client.post("/signin", data={"login": "good_gus", "password": PASSWORD}).status_code == 302


def test_the_account_forms_share_the_account_limit(client, login, member, limits):
    limits(account="2 per hour")
    login(member)
    for _ in range(2):
        assert client.post("/settings/sign-out-everywhere").status_code == 302
    assert_429(client.post("/settings/sign-out-everywhere"))
    assert_429(client.post("/settings/password", data={}))
    assert_429(client.post("/settings/email", data={}))


def test_changing_the_email_address_counts_as_sending_mail(client, login, member, limits):
    limits(email="1 per hour")
    login(member)
    move = {"new_email": "elsewhere@example.org", "email_password": PASSWORD}
    assert client.post("/settings/email", data=move).status_code == 302
    assert_429(client.post("/settings/email", data=move))


# --- Failed sign-ins: per account and address, behind a proxy -------------------------------------


def _sign_in(client, login: str, password: str, address: str, **headers):
    return client.post("/signin", data={"login": login, "password": password}, environ_base={"REMOTE_ADDR": address}, headers=headers)


def test_one_address_failures_do_not_lock_another_address_out(client, limits, make_user):
    limits(failures={"account_address": "3 per 15 minutes", "account": "100 per 15 minutes", "address": "100 per 15 minutes"})
    make_user(username="real_rae")
    for _ in range(3):
        assert _sign_in(client, "real_rae", "guess-1234", "10.5.0.66").status_code == 422
    # The guessing address waits, even with the right password...
    assert_429(_sign_in(client, "real_rae", PASSWORD, "10.5.0.66"))
    # ...but the member, from their own address, signs in.
    assert _sign_in(client, "real_rae", PASSWORD, "10.5.0.7").status_code == 302


def test_email_and_username_share_one_count(client, limits, make_user, fast_failed_sign_in):
    limits(failures={"account_address": "3 per 15 minutes", "account": "100 per 15 minutes", "address": "100 per 15 minutes"})
    make_user(username="both_bo", email="bo@example.org")
    assert _attempt(client, "both_bo").status_code == 422
    assert _attempt(client, "BO@example.org").status_code == 422
    assert _attempt(client, "Both_Bo").status_code == 422
    assert_429(_attempt(client, "bo@example.org"))
    assert_429(_attempt(client, "both_bo"))


def test_unknown_names_are_slowed_down_like_members(client, limits, make_user, fast_failed_sign_in):
    limits(failures={"account_address": "2 per 15 minutes", "account": "100 per 15 minutes", "address": "100 per 15 minutes"})
    make_user(username="known_ken")
    for login in ("known_ken", "unknown_una"):
        for _ in range(2):
            assert _attempt(client, login).status_code == 422
        assert_429(_attempt(client, login.upper()))


def test_guessing_from_many_addresses_is_capped_except_where_the_member_signed_in_before(client, app, limits, make_user):
    limits(failures={"account_address": "100 per 15 minutes", "account": "4 per 15 minutes", "address": "100 per 15 minutes"})
    make_user(username="home_hal")
    # The member signed in on this browser before (and signed out).
    assert _sign_in(client, "home_hal", PASSWORD, "10.6.0.1").status_code == 302
    client.post("/signout")
    attacker = app.test_client()
    for n in range(4):
        assert _sign_in(attacker, "home_hal", "guess-1234", f"10.6.1.{n}").status_code == 422
    # Another guess, from yet another address, waits: the account's cap is reached...
    assert_429(_sign_in(attacker, "home_hal", "guess-1234", "10.6.1.99"))
    # ...and so does a browser that never signed in to it, even with the right password.
    assert_429(_sign_in(app.test_client(), "home_hal", PASSWORD, "10.6.2.1"))
    # The member's own browser still signs in, from any address.
    assert _sign_in(client, "home_hal", PASSWORD, "10.6.3.1").status_code == 302


def test_forwarded_for_is_ignored_without_a_configured_proxy(client, app, limits, fast_failed_sign_in):
    assert app.config["PROXY_FIX_X_FOR"] == 0
    limits(failures={"address": "2 per 15 minutes"})
    for n in range(2):
        assert _attempt(client, f"name{n}", address="10.7.0.1", forged=f"203.0.113.{n}").status_code == 422
    # A new X-Forwarded-For does not make a new visitor: the connection's address is what counts.
    assert_429(_attempt(client, "name9", address="10.7.0.1", forged="203.0.113.99"))


@pytest.fixture
def proxied_app(make_app):
    """The forum behind one reverse proxy (PROXY_FIX_X_FOR=1), limits on, sharing the test database."""
    proxied = make_app(
        PROXY_FIX_X_FOR=1, RATELIMIT_ENABLED=True, SIGN_IN_FAILURE_LIMITS={"address": "2 per 15 minutes"},
    )
    proxied.add_url_rule("/probe-address", "probe_address", client_address)
    with proxied.app_context():
        limiter.reset()
    yield proxied
    with proxied.app_context():
        limiter.reset()


def test_forwarded_for_is_honoured_behind_one_proxy(proxied_app, fast_failed_sign_in):
    client = proxied_app.test_client()
    proxy = {"REMOTE_ADDR": "10.8.0.1"}
    assert client.get("/probe-address", environ_base=proxy).get_data(as_text=True) == "10.8.0.1"
    forwarded = client.get("/probe-address", environ_base=proxy, headers={"X-Forwarded-For": "203.0.113.5"})
    assert forwarded.get_data(as_text=True) == "203.0.113.5"
    # Only the entry our proxy wrote (the last) is believed: the client wrote the ones before it.
    forged = client.get("/probe-address", environ_base=proxy, headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.5"})
    assert forged.get_data(as_text=True) == "203.0.113.5"
    # Failed sign-ins count per real client: one client's failures leave the others alone.
    for n in range(2):
        assert _attempt(client, f"name{n}", address="10.8.0.1", forged="203.0.113.5").status_code == 422
    assert _attempt(client, "name9", address="10.8.0.1", forged="203.0.113.5").status_code == 429
    assert _attempt(client, "name9", address="10.8.0.1", forged="203.0.113.6").status_code == 422


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
