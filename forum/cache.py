"""Whole-page cache for anonymous visitors, invalidated by a generation number.

Most visits are anonymous reads, and an anonymous page is the same for everyone who sends the
same URL and the same reading preference. Views marked with `@cached_page` serve such requests
from Flask-Caching (in-process SimpleCache by default, RedisCache when REDIS_URL is set).

Every cache key carries the current generation. Any committed change to what anonymous visitors
see bumps the generation, so every page cached before it is never read again (old entries simply
age out). Changes are noticed two ways:

- automatically: a flush or an ORM/Core statement that writes a row of a content table (board,
  topic, post, and any table passed to `watch_table`) marks the session, and the generation is
  bumped right after that session commits;
- explicitly: `content_changed()`, for changes the ORM cannot see (a member renamed, a setting
  changed, a write done through a bare connection). Call it inside the request that writes.

The bump happens after COMMIT, so a page rendered after the bump always sees the new rows; a page
rendered from older rows was keyed with the older generation, because the key is taken before the
view reads anything.

Without Redis the generation lives in a small memory-mapped file shared by every worker process
on the machine, so a reply taken by one gunicorn worker invalidates the pages of all the others.
"""
from __future__ import annotations

import fcntl
import functools
import hashlib
import mmap
import os
import struct
import threading
import time
from collections.abc import Callable, Iterable

from flask import Flask, Response, current_app, g, has_app_context, make_response, request, session
from flask_caching import Cache
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException

from forum.observability import REQUEST_ID_HEADER, record_request, request_id_for
from forum.security import member_cookie_sent

cache = Cache()

READING_COOKIE = "reading"
_GENERATION_KEY = "page-generation"
_CONTENT_TABLES: set[str] = {"board", "topic", "post"}
_FLAG = "forum_content_changed"


def watch_table(name: str) -> None:
    """Treat writes to this table as changes to what anonymous visitors see."""
    _CONTENT_TABLES.add(name)


def init_app(app: Flask) -> None:
    app.config.setdefault("CACHE_PAGES", True)
    app.config.setdefault("CACHE_PAGE_SECONDS", 60)
    redis_url = app.config.get("REDIS_URL")
    settings = {
        "CACHE_KEY_PREFIX": "forum:",
        "CACHE_DEFAULT_TIMEOUT": app.config["CACHE_PAGE_SECONDS"],
        # Bounds a worker's memory: about 500 pages of 10-60 kB each.
        "CACHE_THRESHOLD": app.config.get("CACHE_THRESHOLD", 500),
    }
    if redis_url:
        settings.update(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=redis_url)
    else:
        settings.update(CACHE_TYPE="SimpleCache")
    cache.init_app(app, config=settings)
    app.jinja_env.globals.update(fragment_key=fragment_key, fragment_timeout=_fragment_timeout)
    if not redis_url:
        path = app.config.get("CACHE_GENERATION_FILE") or os.path.join(app.instance_path, "page-generation")
        app.extensions["forum_page_generation"] = SharedCounter(path)
    app.wsgi_app = AnonymousPages(app, app.wsgi_app)  # type: ignore[method-assign]


# --- the generation -------------------------------------------------------------------------


class SharedCounter:
    """A 64-bit counter in a memory-mapped file, shared by every process that maps it.

    Reading is one unpack from shared memory; increments take a POSIX record lock (per process)
    and a thread lock (per thread), so concurrent bumps from workers and threads are never lost.
    The file is opened lazily in each process, so it is safe across gunicorn's fork.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._pid: int | None = None
        self._fd = -1
        self._map: mmap.mmap | None = None
        self._lock = threading.Lock()

    def _mapped(self) -> mmap.mmap:
        if self._pid != os.getpid() or self._map is None:
            with self._lock:
                if self._pid != os.getpid() or self._map is None:
                    os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
                    fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
                    if os.fstat(fd).st_size < 8:
                        os.ftruncate(fd, 8)
                    self._fd, self._map, self._pid = fd, mmap.mmap(fd, 8), os.getpid()
        return self._map

    def value(self) -> int:
        return struct.unpack_from("<Q", self._mapped())[0]

    def bump(self) -> int:
        view = self._mapped()
        with self._lock:
            fcntl.lockf(self._fd, fcntl.LOCK_EX)
            try:
                value = struct.unpack_from("<Q", view)[0] + 1
                struct.pack_into("<Q", view, 0, value)
            finally:
                fcntl.lockf(self._fd, fcntl.LOCK_UN)
        return value


def generation() -> int:
    return _generation_of(current_app)


def _generation_of(app: Flask) -> int:
    counter: SharedCounter | None = app.extensions.get("forum_page_generation")
    if counter is not None:
        return counter.value()
    return int(_backend(app).get(_GENERATION_KEY) or 0)


def _backend(app: Flask):
    """Flask-Caching's store for this app, usable with no app context."""
    return app.extensions["cache"][cache]


def fragment_key(*parts) -> str:
    """A template fragment's name, valid until the next content change:
    {% cache fragment_timeout(), fragment_key("board-listing", board.id, page) %}...{% endcache %}
    """
    return ":".join(("fragment", str(generation()), *map(str, parts)))


class Deferred:
    """A list loaded when a template first iterates it; a fragment served from cache never does."""

    def __init__(self, load: Callable[[], list]) -> None:
        self._load, self._value = load, None

    def _loaded(self) -> list:
        if self._value is None:
            self._value = list(self._load())
        return self._value

    def __iter__(self):
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(self._loaded())

    def __bool__(self) -> bool:
        return bool(self._loaded())


def _fragment_timeout() -> int | str:
    """Fragments are kept like pages; "del" (Flask-Caching's "render afresh") when caching is off."""
    return current_app.config["CACHE_PAGE_SECONDS"] if current_app.config.get("CACHE_PAGES") else "del"


def _bump() -> None:
    counter: SharedCounter | None = current_app.extensions.get("forum_page_generation")
    if counter is not None:
        counter.bump()
    else:
        cache.cache.inc(_GENERATION_KEY)


def content_changed() -> None:
    """What anonymous visitors see has changed: cached pages stop being served.

    Call it in the request that makes the change. The generation is bumped now and again when
    the current database transaction commits (so no page rendered from the old rows survives).
    """
    if not has_app_context():
        return
    from forum.models.base import db

    db.session.info[_FLAG] = True
    _bump()


def content_written() -> None:
    """Content rows were written by Core statements, which the session does not see: the cached
    pages stop being served once the current transaction commits."""
    from forum.models.base import db

    db.session.info[_FLAG] = True


# --- noticing writes to content tables ------------------------------------------------------


def _is_content(obj) -> bool:
    table = getattr(obj, "__table__", None)
    return table is not None and table.name in _CONTENT_TABLES


@event.listens_for(Session, "before_flush")
def _notice_flush(session: Session, flush_context, instances) -> None:
    if session.info.get(_FLAG):
        return
    for obj in (*session.new, *session.dirty, *session.deleted):
        if _is_content(obj) and (obj in session.new or obj in session.deleted or session.is_modified(obj)):
            session.info[_FLAG] = True
            return


@event.listens_for(Session, "do_orm_execute")
def _notice_statement(state) -> None:
    if state.session.info.get(_FLAG) or not (state.is_update or state.is_delete or state.is_insert):
        return
    table = getattr(state.statement, "table", None)
    if table is not None and getattr(table, "name", None) in _CONTENT_TABLES:
        state.session.info[_FLAG] = True


@event.listens_for(Session, "after_commit")
def _bump_after_commit(session: Session) -> None:
    if session.info.pop(_FLAG, False) and has_app_context():
        _bump()


@event.listens_for(Session, "after_soft_rollback")
def _forget_after_rollback(session: Session, previous_transaction) -> None:
    if not session.in_transaction():
        session.info.pop(_FLAG, None)


# --- the page cache -------------------------------------------------------------------------


def _anonymous_get() -> bool:
    """A GET from a visitor who is not signed in and has no message waiting."""
    if request.method != "GET" or not current_app.config.get("CACHE_PAGES"):
        return False
    if "Authorization" in request.headers:
        return False
    return not member_cookie_sent() and "_flashes" not in session


def _page_key(environ: dict, reading: str, generation: int) -> str:
    environ_get = environ.get  # the raw URL parts: cheaper than building request.url
    raw = (f"{environ_get('wsgi.url_scheme')}://{environ_get('HTTP_HOST', '')}{environ_get('SCRIPT_NAME', '')}"
           f"{environ_get('PATH_INFO', '')}?{environ_get('QUERY_STRING', '')}\x00{reading[:64]}")
    if len(raw) > 200:
        raw = hashlib.sha256(raw.encode()).hexdigest()
    return f"page:{generation}:{raw}"


def _storable(response: Response) -> bool:
    """Only a plain 200 HTML page that did not depend on this visitor's session."""
    user = g.get("_login_user")
    return (
        response.status_code == 200
        and response.mimetype == "text/html"
        and not response.direct_passthrough
        and not session.modified
        and current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token") not in g
        and "Set-Cookie" not in response.headers
        and not (user is not None and user.is_authenticated)
    )


# The view asks, through the WSGI environ, for what Flask finally sends to be kept under this key.
_STORE_UNDER = "forum.page_cache.key"


def _kept_page(entry) -> tuple[bytes, str, list] | None:
    """A kept page as (body, content type, headers); anything else (an entry kept in another
    shape by an older version of the forum, during a rolling deploy) is a miss."""
    return entry if isinstance(entry, tuple) and len(entry) == 3 else None


def cached_page(on_hit: Callable[..., None] | None = None):
    """Serve this view from the page cache to anonymous visitors.

    `on_hit(**view_args)` runs when a cached copy is served, for side effects the view would
    have had (a view count, say).
    """

    def decorate(view):
        @functools.wraps(view)
        def wrapper(**view_args):
            if not _anonymous_get():
                return view(**view_args)
            key = _page_key(request.environ, request.cookies.get(READING_COOKIE, ""), generation())
            hit = _kept_page(cache.get(key))
            if hit is not None:
                if on_hit is not None:
                    on_hit(**view_args)
                body, content_type, _headers = hit
                response = Response(body, 200, content_type=content_type)
                response.headers["X-Cache"] = "hit"
                return response
            response = make_response(view(**view_args))
            if _storable(response):
                request.environ[_STORE_UNDER] = key
                response.headers["X-Cache"] = "miss"
            return response

        wrapper.page_cache_on_hit = on_hit  # type: ignore[attr-defined]
        wrapper.page_cache = True  # type: ignore[attr-defined]
        return wrapper

    return decorate


# --- serving cached pages in front of Flask -------------------------------------------------

# Headers made for one request or one visitor, never kept with a page.
_PER_REQUEST_HEADERS = frozenset({"set-cookie", "x-request-id", "x-cache", "retry-after"})


class AnonymousPages:
    """WSGI middleware: a page in the cache goes to an anonymous visitor before Flask is involved.

    Most requests are anonymous reads of pages already cached. Served from inside the view, each
    would still pay for Flask's request context, the session, every before- and after-request
    hook and the view's dispatch; here (as Discourse's anonymous cache does in front of Rails) it
    costs a URL match and one cache read. The middleware keeps what Flask finally sent for a page
    the view found storable (body, content type and headers, the security headers included), so
    a hit is answered exactly as Flask answered, less the headers made per request. What Flask's
    hooks would have done for the visitor is done here too: the request id, the metrics and the
    access log line, and the view's `on_hit` (a topic's view count).

    Only a GET with no session cookie, no remember-me cookie and no Authorization header is
    served here; any other request goes to Flask, where `cached_page` decides as before.
    """

    def __init__(self, app: Flask, wsgi_app) -> None:
        self.app = app
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict, start_response):
        if environ.get("REQUEST_METHOD") != "GET" or "HTTP_AUTHORIZATION" in environ:
            return self.wsgi_app(environ, start_response)
        served = self._serve_cached(environ, start_response)
        if served is not None:
            return served
        sent: list = []

        def keep_start(status, headers, exc_info=None):
            sent[:] = [status, headers]
            return start_response(status, headers, exc_info)

        body = self.wsgi_app(environ, keep_start)
        key = environ.get(_STORE_UNDER)
        return body if key is None or not sent else self._store(key, sent[0], sent[1], body)

    def _serve_cached(self, environ: dict, start_response) -> Iterable[bytes] | None:
        app = self.app
        if not app.config.get("CACHE_PAGES"):
            return None
        started = time.perf_counter()
        incoming = app.request_class(environ)
        cookies = incoming.cookies
        if app.config["SESSION_COOKIE_NAME"] in cookies or cookies.get(app.config.get("REMEMBER_COOKIE_NAME", "remember_token")):
            return None
        try:
            rule, view_args = app.create_url_adapter(incoming).match(return_rule=True)
        except HTTPException:  # not found, a redirect, an untrusted host: Flask answers
            return None
        view = app.view_functions.get(rule.endpoint)
        if not getattr(view, "page_cache", False):
            return None
        hit = _kept_page(_backend(app).get(_page_key(environ, cookies.get(READING_COOKIE, ""), _generation_of(app))))
        if hit is None:
            return None
        body, _content_type, headers = hit
        on_hit = view.page_cache_on_hit
        if on_hit is not None:
            with app.app_context():
                on_hit(**view_args)
        request_id = request_id_for(environ)
        start_response("200 OK", [*headers, ("X-Cache", "hit"), (REQUEST_ID_HEADER, request_id)])
        record_request(app, "GET", incoming.path, rule.rule, 200, time.perf_counter() - started, 0, request_id)
        return [body]

    def _store(self, key: str, status: str, headers: list, body: Iterable[bytes]) -> Iterable[bytes]:
        """Keep a page Flask answered with, if nothing in the answer was meant for this visitor alone."""
        names = {name.lower(): value for name, value in headers}
        cache_control = names.get("cache-control", "")
        if not status.startswith("200 ") or "set-cookie" in names or "no-store" in cache_control or "private" in cache_control:
            return body
        try:
            data = b"".join(body)
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()
        kept = [(name, value) for name, value in headers
                if name.lower() not in _PER_REQUEST_HEADERS and not name.lower().startswith("x-ratelimit")]
        _backend(self.app).set(key, (data, names.get("content-type", "text/html; charset=utf-8"), kept))
        return [data]
