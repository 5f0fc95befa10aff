"""Domain errors raised by services, and the HTML error pages."""
from __future__ import annotations

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, TooManyRequests


class ForumError(Exception):
    """A rule of the forum refused an action. `status` is the HTTP status it maps to."""

    status = 422

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotAllowed(ForumError):
    status = 403


class NotFound(ForumError):
    status = 404


class Conflict(ForumError):
    status = 409


class InvalidInput(ForumError):
    status = 422


ERROR_TITLES = {
    400: "Bad request",
    401: "Please sign in",
    403: "Not allowed",
    404: "Page not found",
    405: "Method not allowed",
    409: "Already done",
    413: "Too large",
    422: "Please check what you entered",
    429: "Too many requests",
    500: "Something went wrong",
    503: "Temporarily unavailable",
}

ERROR_MESSAGES = {
    400: "The request could not be understood. If you were sending a form, go back, reload the page and try again.",
    401: "Please sign in to continue.",
    403: "You do not have permission to do that.",
    404: "We could not find that page. It may have been moved or deleted.",
    405: "That address does not accept this kind of request.",
    413: "What you sent is larger than the forum accepts.",
    422: "Some of what you entered could not be accepted.",
    429: "You have done that too often. Please wait a little and try again.",
    500: "The forum hit an unexpected problem. It has been logged; please try again in a moment.",
    503: "The forum is briefly unavailable. Nothing you sent was half-saved; please try again in a moment.",
}


def render_error(status: int, message: str | None = None, title: str | None = None):
    """An error page in the site's layout."""
    return (
        render_template(
            "errors/error.html",
            status=status,
            title=title or ERROR_TITLES.get(status, "Error"),
            message=message or ERROR_MESSAGES.get(status, ""),
        ),
        status,
    )


class TooManyAttempts(TooManyRequests):
    """Refuse a request for `retry_after` seconds (for example after repeated failed sign-ins)."""

    def __init__(self, retry_after: int, message: str | None = None):
        super().__init__(description=message)
        self.retry_after = max(1, int(retry_after))


def _wait_words(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} seconds"
    minutes = -(-seconds // 60)
    if minutes < 90:
        return f"{minutes} minutes"
    hours = -(-minutes // 60)
    return f"{hours} hours"


def too_many_requests_response(retry_after: int | None = None, message: str | None = None):
    """The 429 page: says how long to wait, and sends Retry-After in seconds."""
    from datetime import timedelta

    from forum.models.base import utcnow
    from forum.ratelimits import retry_after_seconds

    seconds = int(retry_after) if retry_after else retry_after_seconds()
    at = (utcnow() + timedelta(seconds=seconds)).strftime("%H:%M UTC")
    text = (message or "You have done that too often.") + (
        f" Please wait about {_wait_words(seconds)} and try again (after {at}). Nothing you sent was saved."
    )
    response, status = render_error(429, text)
    return response, status, {"Retry-After": str(seconds)}


def _plain_error_page(status: int):
    """The error page without the layout, for when the layout itself cannot be rendered."""
    from markupsafe import escape

    from forum.observability import current_request_id

    title = ERROR_TITLES[status]
    return (
        f"<!doctype html><html lang=\"en\"><title>{title}</title><h1>{title}</h1>"
        f"<p>{escape(ERROR_MESSAGES[status])}</p><p>Reference: <code>{escape(current_request_id())}</code></p></html>",
        status,
    )


def register_error_handlers(app: Flask) -> None:
    # Under /api every error answers application/problem+json instead of a page.
    from forum.api import errors as api_errors

    @app.errorhandler(ForumError)
    def forum_error(error: ForumError):
        if api_errors.is_api_request():
            return api_errors.handle_forum_error(error)
        return render_error(error.status, error.message)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        if api_errors.is_api_request():
            return api_errors.handle_http_exception(error)
        return render_error(
            400,
            "This form has expired or was not sent from the forum (the security token is missing or wrong). "
            "Go back, reload the page and try again. Nothing was saved.",
            title="Form expired",
        )

    @app.errorhandler(TooManyRequests)
    def too_many_requests(error: TooManyRequests):
        if api_errors.is_api_request():
            from forum.ratelimits import retry_after_seconds

            seconds = getattr(error, "retry_after", None) or retry_after_seconds()
            limit = getattr(error, "limit", None)
            detail = f"Rate limit exceeded ({limit.limit}): try again in {seconds} seconds." if limit is not None else None
            return api_errors.problem_response(429, "rate-limited", detail, headers={"Retry-After": str(seconds)})
        return too_many_requests_response(getattr(error, "retry_after", None))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if api_errors.is_api_request():
            return api_errors.handle_http_exception(error)
        status = error.code or 500
        message = ERROR_MESSAGES.get(status) if error.description == type(error).description else error.description
        response, code = render_error(status, message)
        if status == 405 and hasattr(error, "valid_methods") and error.valid_methods:
            return response, code, {"Allow": ", ".join(error.valid_methods)}
        return response, code

    # Operations: a database that is unreachable, restarting, read-only or out of space is a
    # passing condition: the transaction is rolled back whole and the member is told to retry.
    from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError, PendingRollbackError

    @app.teardown_appcontext
    def end_session_on_a_lost_connection(error: BaseException | None) -> None:
        """A connection cut after the request's last statement (the server restarted, or
        pg_terminate_backend) fails the closing ROLLBACK. The connection is discarded then, and
        the response already made stands instead of becoming a 500. Runs before Flask-SQLAlchemy's
        own teardown (registered earlier, so called later), which then finds nothing left to do."""
        from sqlalchemy.exc import DBAPIError

        from forum.extensions import db

        try:
            db.session.remove()
        except DBAPIError as failure:
            if not failure.connection_invalidated:
                raise
            app.logger.warning("Database connection lost at the end of a request: %s", failure)
            db.session.remove()  # invalidated now: closes without another ROLLBACK

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(DisconnectionError)
    @app.errorhandler(PendingRollbackError)
    def database_unavailable(error: Exception):
        app.logger.error("Database unavailable on %s %s: %s", request.method, request.path, error)
        from forum.extensions import db

        # Roll back and discard the connection rather than pool it again: a connection that saw
        # its server go away, or that SQLite opened read-only, would keep failing.
        try:
            db.session.invalidate()
        except Exception:  # pragma: no cover - the connection is unusable either way
            db.session.remove()
        if getattr(error, "connection_invalidated", False) and db.engine.dialect.name == "sqlite":
            # SQLite shares one read-only view of a file among all of a process's connections:
            # only when every one is closed can a writable connection be opened again.
            db.engine.dispose()
        if api_errors.is_api_request():
            return api_errors.problem_response(503, "unavailable", headers={"Retry-After": "5"})
        try:
            response, code = render_error(503)
        except Exception:  # the layout itself needs the database (the signed-in member): plain page
            response, code = _plain_error_page(503)
        return response, code, {"Retry-After": "5"}

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        if isinstance(error, HTTPException):  # pragma: no cover - handled above
            return http_error(error)
        if api_errors.is_api_request():
            return api_errors.handle_unexpected(error)
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        from forum.extensions import db

        try:
            db.session.rollback()
        except Exception:  # a dead connection must not turn the error page into a bare 500
            db.session.invalidate()
        try:
            return render_error(500)
        except Exception:
            return _plain_error_page(500)
