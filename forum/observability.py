"""Seeing the forum run: request ids, structured logs, per-request SQL counts and Prometheus metrics.

Every log line carries the request id (or "-" outside a request). Production writes one JSON
object per line to stdout; development writes readable lines. Each request ends with one line
naming the route, status, duration and number of SQL statements, and the id goes back to the
client in the X-Request-ID header (and onto the 500 page, so a member can quote it).
"""
from __future__ import annotations

import json
import logging
import os
import re
import sys
import time
import uuid
from datetime import datetime, timezone

from flask import Flask, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from forum import metrics

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
access_log = logging.getLogger("forum.access")

# Log record attributes that are not extra fields worth repeating in JSON.
_STANDARD_ATTRS = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "request_id"}


def current_request_id() -> str:
    if has_request_context():
        return getattr(g, "request_id", None) or "-"
    return "-"


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record, so formatters can print it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id and any extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class ReadableFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s [%(request_id)s] %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        extras = {k: v for k, v in vars(record).items() if k not in _STANDARD_ATTRS and not k.startswith("_")}
        if extras and record.name == access_log.name:
            line += " " + " ".join(f"{k}={v}" for k, v in extras.items())
        return line


def configure_logging(app: Flask) -> None:
    """Send the forum's logs (and gunicorn's) to stdout in the format the environment wants.

    LOG_FORMAT=json|text overrides the default (json in production, text elsewhere). Tests keep
    pytest's own handlers: only the request id filter is added there.
    """
    fmt = app.config.get("LOG_FORMAT") or ("json" if app.config.get("ENV_NAME") == "production" else "text")
    level = app.config.get("LOG_LEVEL", "INFO")
    root = logging.getLogger()
    if app.testing:
        for handler in root.handlers:
            _add_filter_once(handler)
        return
    handler = next((h for h in root.handlers if getattr(h, "_forum", False)), None)
    if handler is None:
        handler = logging.StreamHandler(sys.stdout)
        handler._forum = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    handler.setFormatter(JsonFormatter() if fmt == "json" else ReadableFormatter())
    _add_filter_once(handler)
    root.setLevel(level)
    # Flask's own handler would print every app.logger line a second time.
    from flask.logging import default_handler

    app.logger.removeHandler(default_handler)
    app.logger.propagate = True
    # Gunicorn's error log goes through the same handler (its access log is replaced by ours).
    for name in ("gunicorn.error",):
        logger = logging.getLogger(name)
        logger.handlers = []
        logger.propagate = True


def _add_filter_once(handler: logging.Handler) -> None:
    if not any(isinstance(f, RequestIdFilter) for f in handler.filters):
        handler.addFilter(RequestIdFilter())


@event.listens_for(Engine, "before_cursor_execute")
def _count_query(conn, cursor, statement, parameters, context, executemany) -> None:
    if has_request_context():
        g.query_count = getattr(g, "query_count", 0) + 1


def request_id_for(environ: dict) -> str:
    """The client's X-Request-ID when it is a sensible one, else a new id."""
    incoming = environ.get("HTTP_X_REQUEST_ID", "")
    return incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex


def record_request(app: Flask, method: str, path: str, route: str, status: int, seconds: float,
                   queries: int, request_id: str | None = None) -> None:
    """A finished request: counted in the metrics and written as one access log line."""
    metrics.observe_request(route, method, status, seconds)
    if access_log.isEnabledFor(logging.INFO) and route not in app.config.get(
        "QUIET_ROUTES", ("/healthz", "/readyz", "/metrics", "/static/<path:filename>")
    ):
        extra = {"method": method, "route": route, "path": path, "status": status,
                 "duration_ms": round(seconds * 1000, 1), "queries": queries}
        if request_id is not None:  # outside a request context the log filter cannot find it
            extra["request_id"] = request_id
        access_log.info("%s %s %s", method, path, status, extra=extra)


def _route_label() -> str:
    """The URL rule (e.g. /topics/<int:topic_id>), never the raw path, so metrics stay bounded."""
    rule = request.url_rule
    return rule.rule if rule is not None else "<unmatched>"


def init_app(app: Flask) -> None:
    app.config.setdefault("LOG_FORMAT", os.environ.get("LOG_FORMAT") or None)
    app.config.setdefault("LOG_LEVEL", os.environ.get("LOG_LEVEL", "INFO"))
    configure_logging(app)
    metrics.init_app(app)

    def _start_request() -> None:
        g.request_id = request_id_for(request.environ)
        g.request_started = time.perf_counter()
        g.query_count = 0

    # First of all before-request hooks, so a page served from a cache is timed and logged too.
    app.before_request_funcs.setdefault(None, []).insert(0, _start_request)

    @app.after_request
    def _finish_request(response):
        request_id = getattr(g, "request_id", None)
        if request_id:
            response.headers[REQUEST_ID_HEADER] = request_id
        started = getattr(g, "request_started", None)
        if started is None:
            return response
        record_request(app, request.method, request.path, _route_label(), response.status_code,
                       time.perf_counter() - started, getattr(g, "query_count", 0))
        return response

    app.jinja_env.globals["request_id"] = current_request_id
