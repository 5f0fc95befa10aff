"""Database engine settings: SQLite in WAL mode with a busy timeout, timeouts on PostgreSQL;
and the query planner's statistics kept fresh on SQLite."""
from __future__ import annotations

import os

from flask import Flask
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from forum.extensions import db


def configure(app: Flask) -> None:
    uri: str = app.config["SQLALCHEMY_DATABASE_URI"]
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if uri.startswith("sqlite"):
        if uri.startswith("sqlite:///") and uri != "sqlite://":
            os.makedirs(os.path.dirname(uri[len("sqlite:///"):]) or ".", exist_ok=True)
        options.setdefault("connect_args", {}).setdefault("timeout", 30)
        for key in ("pool_size", "max_overflow", "pool_timeout"):
            options.pop(key, None)
    elif uri.startswith("postgresql"):
        timeout_ms = int(app.config.get("DB_STATEMENT_TIMEOUT_MS", 15000))
        options.setdefault("connect_args", {}).setdefault("options", f"-c statement_timeout={timeout_ms}")
        options["connect_args"].setdefault("connect_timeout", 5)
        options.setdefault("pool_pre_ping", True)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """WAL lets readers and one writer work at once; the busy timeout makes writers wait, not fail."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# Operations: SQLite errors after which a connection stays broken even once the cause is gone
# (the file became read-only, the disk failed). Treated as a disconnect, so SQLAlchemy discards
# the connection and the pool's older ones, and the next request opens fresh ones.
_SQLITE_STICKY_ERRORS = ("attempt to write a readonly database", "disk i/o error", "unable to open database file")


@event.listens_for(Engine, "handle_error")
def _sqlite_sticky_errors_disconnect(context) -> None:
    error = context.original_exception
    if type(error).__module__.startswith("sqlite3") and any(text in str(error).lower() for text in _SQLITE_STICKY_ERRORS):
        context.is_disconnect = True
        # A process's SQLite connections to one file share its read-only view (the -shm index
        # opened read-only) until the last of them closes: close the idle ones now, so that once
        # the disk is writable again the next connection opens it for writing. No restart needed.
        cursor = getattr(context.execution_context, "cursor", None)
        if cursor is not None:
            cursor.close()  # else its statement keeps the connection open after close()
        if context.engine is not None:
            context.engine.pool.dispose()


def refresh_statistics() -> bool:
    """Gather the statistics SQLite's query planner chooses indexes by (ANALYZE); caller commits.
    Also a periodic job, every DB_ANALYZE_SECONDS (forum.jobs.periodic_jobs).

    SQLite keeps none until ANALYZE runs, and `PRAGMA optimize` (3.40) does nothing for a database
    that was never analyzed. Without them the planner guesses: on a seeded forum of 300,000 posts a
    search in newest order walked the whole index by kind (250-440 ms) instead of looking up its
    few matches by id (2-40 ms). A full ANALYZE reads every index once: 0.2 s at 300,000 posts,
    holding the write lock meanwhile. PostgreSQL's autovacuum analyzes tables as they change, so
    there this does nothing. Returns whether statistics were gathered.
    """
    if db.session.get_bind().dialect.name != "sqlite":
        return False
    db.session.execute(text("ANALYZE"))
    return True
