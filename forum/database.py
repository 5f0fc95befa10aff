"""Database engine settings: SQLite in WAL mode with a busy timeout, timeouts on PostgreSQL."""
from __future__ import annotations

import os

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine


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
