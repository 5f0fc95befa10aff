"""End-to-end tests in a real Chromium: one live server and one browser for the whole session.

The server is the real app, served by werkzeug in a thread on 127.0.0.1 (a free port chosen
by the system) with its own fresh SQLite database, CSRF on, and the demo community seeded.
Each test gets a fresh browser context (cookies and storage of its own).

Every test in this folder carries the `browser` marker and is skipped, with a clear
message, when /usr/bin/chromium is absent.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SKIP_MESSAGE = f"browser tests skipped: {CHROMIUM} not found (install it with: apt-get install -y chromium)"
HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE.parent.parent / "test-artifacts"


def chromium_available() -> bool:
    return CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK)


def pytest_collection_modifyitems(config, items):
    """Mark this folder's tests `browser`, skip them without Chromium, and run them last."""
    mine, others = [], []
    for item in items:
        (mine if Path(str(item.fspath)).is_relative_to(HERE) else others).append(item)
    skip = None if chromium_available() else pytest.mark.skip(reason=SKIP_MESSAGE)
    for item in mine:
        item.add_marker(pytest.mark.browser)
        if skip is not None:
            item.add_marker(skip)
    items[:] = others + mine


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not chromium_available():
        terminalreporter.write_line(SKIP_MESSAGE, yellow=True, bold=True)


# --- the live server ---------------------------------------------------------------------


class LiveServer:
    """The real app served in a thread; `url` is its base address."""

    def __init__(self, app, server) -> None:
        self.app = app
        self._server = server
        self.url = f"http://127.0.0.1:{server.server_port}"
        self.errors: list[BaseException] = []
        self._thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=10)

    def take_errors(self) -> list[BaseException]:
        errors, self.errors = self.errors, []
        return errors


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    from flask import got_request_exception
    from werkzeug.serving import make_server

    from config import TestingConfig
    from forum import create_app
    from forum.extensions import db
    from forum.services.seeding import seed_demo

    app = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=_live_database_url(tmp_path_factory),
        TESTING=False,  # error pages render as in production
        WTF_CSRF_ENABLED=True,  # forms post their CSRF token, as in production
        RATELIMIT_ENABLED=False,
        CACHE_GENERATION_FILE=str(tmp_path_factory.mktemp("live-cache") / "page-generation"),
    )
    with app.app_context():
        db.create_all()
        seed_demo()
        db.session.commit()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    live = LiveServer(app, server)
    got_request_exception.connect(lambda sender, exception, **extra: live.errors.append(exception), app, weak=False)
    live.start()
    yield live
    live.stop()
    with app.app_context():
        db.engine.dispose()


def _live_database_url(tmp_path_factory) -> str:
    """A fresh SQLite file, or, when the suite runs on PostgreSQL, a sibling database `<name>_browser`.

    The live server never shares the database that the other tests empty after each test.
    """
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgresql", "postgres:")):
        return f"sqlite:///{tmp_path_factory.mktemp('live') / 'forum.db'}"
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from config import _database_url

    base = make_url(_database_url(url))
    live = base.set(database=f"{base.database}_browser")
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": live.database}).scalar()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{live.database}"'))
    engine.dispose()
    # Start empty: whatever an earlier run or another branch left there goes.
    engine = create_engine(live, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return live.render_as_string(hide_password=False)


@pytest.fixture
def live(live_server):
    """The live server; the test fails if any request raised an unexpected exception."""
    live_server.take_errors()
    yield live_server
    errors = live_server.take_errors()
    assert not errors, f"the server raised: {errors!r}"


@pytest.fixture(scope="session")
def pages(live_server) -> dict:
    """One page of every type the forum has, by name (tests.browser.helpers.page_types)."""
    from tests.browser.helpers import LiveData, page_types

    return {kind.name: kind for kind in page_types(LiveData(live_server.app))}


@pytest.fixture
def forum(live):
    """Build data straight in the live server's database: forum.user(...), forum.topic(...)."""
    from tests.browser.helpers import LiveData

    return LiveData(live.app)


# --- the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser, live):
    """new_context(**options): a fresh browser context on the live server, closed after the test."""
    contexts = []

    def _new(**options):
        options.setdefault("base_url", live.url)
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(**options)
        context.set_default_timeout(20_000)
        contexts.append(context)
        return context

    yield _new
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    """A page in a fresh context. Page errors (uncaught exceptions) fail the test."""
    from tests.browser.helpers import watch

    page = new_context().new_page()
    problems = watch(page)
    yield page
    assert not problems.page_errors, f"uncaught errors in the page: {problems.page_errors}"
    assert not problems.dialogs, f"unexpected dialogs: {problems.dialogs}"
    assert not problems.console_errors, f"console errors: {problems.console_errors}"


@pytest.fixture(scope="session")
def _signed_in_states(browser, live_server):
    """Storage states of signed-in demo members, made once per member per session."""
    from tests.browser.helpers import DEMO_PASSWORD, sign_in

    states: dict[str, dict] = {}

    def _state(username: str) -> dict:
        if username not in states:
            context = browser.new_context(base_url=live_server.url)
            page = context.new_page()
            sign_in(page, username, DEMO_PASSWORD)
            states[username] = context.storage_state()
            context.close()
        return states[username]

    return _state


@pytest.fixture
def page_as(new_context, _signed_in_states):
    """page_as(username or None, **context options): a page, signed in as a demo member if named."""
    from tests.browser.helpers import watch

    watched = []

    def _page(username: str | None = None, **options):
        if username:
            options["storage_state"] = _signed_in_states(username)
        page = new_context(**options).new_page()
        watched.append(watch(page))
        return page

    yield _page
    for problems in watched:
        assert not problems.page_errors, f"uncaught errors in the page: {problems.page_errors}"
        assert not problems.console_errors, f"console errors: {problems.console_errors}"
