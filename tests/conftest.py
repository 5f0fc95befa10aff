"""Fixtures: the app, a fresh database per test, a client, sign-in, factories and a query counter.

The suite runs on SQLite by default and on PostgreSQL when DATABASE_URL points at one.
"""
from __future__ import annotations

import contextvars
import os
import tempfile
import uuid

# Every app this run creates counts its page-cache generation in this run's own file, so that two
# runs side by side (SQLite and PostgreSQL in CI) never share one. Set before config is imported.
os.environ.setdefault("CACHE_GENERATION_FILE", os.path.join(tempfile.mkdtemp(prefix="forum-cache-"), "page-generation"))

import pytest  # noqa: E402
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import event, text

from config import TestingConfig
from forum import create_app
from forum import mail
from forum.extensions import db as _db
from forum.services import reading
from tests import factories, redis_test_url, require_redis


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=_normalise(database_url),
        # Uploaded images go to this run's own folder.
        UPLOAD_FOLDER=str(tmp_path_factory.mktemp("uploads")),
    )
    with app.app_context():
        _db.drop_all()
        _reset_extra_schema()
        _db.create_all()
    return app


def _normalise(url: str) -> str:
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def _reset_extra_schema() -> None:
    """Drop what create_all does not know about (for example Alembic's version table)."""
    with _db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


def _empty_all_tables() -> None:
    tables = [t.name for t in reversed(_db.metadata.sorted_tables)]
    with _db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Only the tables a test wrote to (found in one statement) are emptied, children
            # first; DELETE on a few small tables is far quicker than TRUNCATE ... CASCADE, and
            # identities restart so every test sees the same ids, as on SQLite.
            probe = " UNION ALL ".join(
                f"SELECT '{name}' WHERE EXISTS (SELECT 1 FROM \"{name}\")" for name in tables
            )
            used = set(connection.execute(text(probe)).scalars())
            for name in (name for name in tables if name in used):
                connection.execute(text(f'DELETE FROM "{name}"'))
                identity = _db.metadata.tables[name].autoincrement_column
                if identity is not None:
                    connection.execute(
                        text("SELECT setval(pg_get_serial_sequence(:table, :column), 1, false)"),
                        {"table": f'"{name}"', "column": identity.name},
                    )
        else:
            for name in tables:
                connection.execute(text(f'DELETE FROM "{name}"'))
            # Statistics gathered by a test (forum.database.refresh_statistics) would steer later plans.
            connection.execute(text("DROP TABLE IF EXISTS sqlite_stat1"))


@pytest.fixture(autouse=True)
def db(app):
    """A fresh, empty database for every test, inside an app context."""
    with app.app_context():
        reading.view_buffer.take()
        yield _db
        _db.session.rollback()
        _db.session.remove()
        _empty_all_tables()


class IsolatedClient(FlaskClient):
    """A test client whose requests run in their own app context and database session, as in
    production, even while the test holds an app context; the test's session then sees fresh data."""

    def open(self, *args, **kwargs):
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            _db.session.expire_all()
        return response


@pytest.fixture
def client(app):
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def login(client):
    """Sign a member in on the test client: login(user)."""

    def _login(user):
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return user

    return _login


@pytest.fixture
def make_user(db):
    return factories.make_user


@pytest.fixture
def make_board(db):
    return factories.make_board


@pytest.fixture
def make_topic(db):
    return factories.make_topic


@pytest.fixture
def make_post(db):
    return factories.make_post


@pytest.fixture
def alice(make_user):
    """A member called alice; she started `topic`."""
    return make_user(username="alice")


@pytest.fixture
def bob(make_user):
    return make_user(username="bob")


@pytest.fixture
def topic(make_topic, make_board, alice):
    """alice's topic "Botox near the eye", on the board /boards/treatment."""
    return make_topic(board=make_board(slug="treatment"), author=alice, title="Botox near the eye")


@pytest.fixture
def member(make_user):
    return make_user(username="member_mia")


@pytest.fixture
def other_member(make_user):
    return make_user(username="other_oli")


@pytest.fixture
def moderator(make_user):
    from forum.models import Role

    return make_user(username="mod_max", role=Role.MODERATOR)


@pytest.fixture
def admin(make_user):
    from forum.models import Role

    return make_user(username="admin_ada", role=Role.ADMIN)


@pytest.fixture
def expert(make_user):
    from forum.models import Role

    return make_user(username="dr_eve", role=Role.EXPERT)


@pytest.fixture
def sent_mail():
    """The messages the log backend sent during the test, newest last (empty at its start and end)."""
    from forum import mail

    mail.sent_messages.clear()
    yield mail.sent_messages
    mail.sent_messages.clear()


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __len__(self) -> int:
        return len(self.statements)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    """with count_queries() as counter: ... ; counter.count is the number of SQL statements run."""
    from contextlib import contextmanager

    @contextmanager
    def _count():
        counter = QueryCounter()

        def _before(conn, cursor, statement, parameters, context, executemany):
            counter.statements.append(statement)

        engine = _db.engine
        event.listen(engine, "before_cursor_execute", _before)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", _before)

    return _count


# --- Safety: fixtures that switch on what TestingConfig switches off ---------------------------


@pytest.fixture
def csrf_enabled(app):
    """CSRF protection on for one test (TestingConfig turns it off so other tests can post freely)."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def cached(app):
    """The page cache (and the fragments kept with it) switched on and empty for one test."""
    from forum import cache as page_cache

    app.config["CACHE_PAGES"] = True
    page_cache.cache.clear()
    yield app
    app.config["CACHE_PAGES"] = False
    page_cache.cache.clear()


@pytest.fixture
def rate_limits_enabled(app):
    """Rate limits on for one test, with empty counters before and after."""
    from forum.ratelimits import limiter

    app.config["RATELIMIT_ENABLED"] = True
    limiter.reset()
    yield limiter
    app.config["RATELIMIT_ENABLED"] = False
    limiter.reset()


@pytest.fixture
def holds(app):
    """Switch new members' holds on (the test configuration keeps them off for other features):
    a member's first two posts, and their posts with links until their fifth, wait for a moderator."""
    saved = {k: app.config[k] for k in ("MODERATION_FIRST_POSTS_HELD", "MODERATION_NEW_MEMBER_POSTS")}
    app.config.update(MODERATION_FIRST_POSTS_HELD=2, MODERATION_NEW_MEMBER_POSTS=5)
    yield app.config
    app.config.update(saved)


@pytest.fixture(autouse=True)
def mailbox():
    """The mail the log backend "sent" during this test (forum.mail.sent_messages), empty at its start."""
    mail.sent_messages.clear()
    yield mail.sent_messages
    mail.sent_messages.clear()


# --- Redis: its test database, and instances of the forum that use it ------------------------------


@pytest.fixture
def redis_url() -> str:
    """The local Redis's test database (tests.redis_test_url); the test fails when Redis is not running."""
    return require_redis(redis_test_url(1))


@pytest.fixture
def make_app(database_url):
    """make_app(**config) -> another instance of the forum on the test database, with these settings."""

    def _make(**config):
        app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=_normalise(database_url), **config)
        app.test_client_class = IsolatedClient
        return app

    return _make


@pytest.fixture
def redis_apps(make_app, redis_url):
    """redis_apps(**config) -> a new instance of the forum on the test database and Redis.

    The instances of one test are one site: they share a key prefix and a job queue of the test's
    own. Their page cache and rate-limit counts start empty, and their keys go after the test.
    """
    import redis

    from forum import cache as page_cache
    from forum.ratelimits import limiter

    name = f"test-{uuid.uuid4().hex[:10]}"
    made = []

    def _make(**config):
        app = make_app(REDIS_URL=redis_url, REDIS_PREFIX=name + ":", JOBS_QUEUE=name, **config)
        if not made:  # a second instance joins the site as it is
            _empty_caches(app)
        made.append(app)
        return app

    def _empty_caches(app) -> None:
        with app.app_context():
            page_cache.cache.clear()
            limiter.reset()

    yield _make
    for app in made:
        _empty_caches(app)
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(f"*{name}*"):
        client.delete(key)
    client.close()


@pytest.fixture
def redis_app(redis_apps):
    """One instance of the forum on Redis (see redis_apps)."""
    return redis_apps()
