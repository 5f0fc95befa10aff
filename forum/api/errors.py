"""RFC 9457 problem details: every error the API answers has this one shape.

`type` is a stable URI reference per kind of problem (clients branch on it, never on `title`
or `detail`); 422 answers add `errors`, one entry per field with a JSON pointer.
"""
from __future__ import annotations

from flask import Response, current_app, json, request
from werkzeug.exceptions import HTTPException

from forum.errors import ForumError

PROBLEM_MIMETYPE = "application/problem+json"
PROBLEM_BASE = "/api/v1/problems/"

# Stable problem types: slug -> (title, what it means). Served at /api/v1/problems/<slug>.
PROBLEM_TYPES: dict[str, tuple[str, str]] = {
    "bad-request": ("Bad request", "The request could not be understood, for example malformed JSON or a bad cursor."),
    "unauthenticated": ("Authentication required", "Send a valid personal access token as `Authorization: Bearer <token>`."),
    "invalid-token": ("Invalid token", "The token is unknown, revoked or expired, or its account is closed."),
    "insufficient-scope": ("Insufficient scope", "The token lacks the scope this operation needs (read, write or moderate)."),
    "forbidden": ("Not allowed", "The forum's rules do not let this member do this (for example a suspension or a locked topic)."),
    "not-found": ("Not found", "There is no such resource, or it is not visible to this member."),
    "method-not-allowed": ("Method not allowed", "This address does not accept this HTTP method."),
    "not-acceptable": ("Not acceptable", "The API answers in JSON only."),
    "conflict": ("Conflict", "The resource is not in a state that allows this action."),
    "payload-too-large": ("Payload too large", "The request body is larger than the forum accepts."),
    "unsupported-media-type": ("Unsupported media type", "Send request bodies as application/json."),
    "validation-error": ("Validation failed", "Some fields were missing or invalid; see `errors`."),
    "rate-limited": ("Too many requests", "Wait for the number of seconds given in Retry-After."),
    "server-error": ("Server error", "The forum hit an unexpected problem; it has been logged."),
    "unavailable": ("Service unavailable", "The forum is briefly unavailable; try again shortly."),
}

_STATUS_TYPES = {
    400: "bad-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    409: "conflict",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "validation-error",
    429: "rate-limited",
    500: "server-error",
    503: "unavailable",
}


class ApiProblem(Exception):
    """Raise to answer with a problem of a given type."""

    def __init__(self, status: int, kind: str, detail: str, *, errors: list[dict] | None = None, headers: dict | None = None):
        super().__init__(detail)
        self.status, self.kind, self.detail = status, kind, detail
        self.errors, self.headers = errors, headers or {}


def problem_response(status: int, kind: str | None = None, detail: str | None = None, *, errors: list[dict] | None = None, headers: dict | None = None) -> Response:
    kind = kind or _STATUS_TYPES.get(status, "server-error" if status >= 500 else "bad-request")
    title, meaning = PROBLEM_TYPES[kind]
    body: dict = {"type": PROBLEM_BASE + kind, "title": title, "status": status, "detail": detail or meaning, "instance": request.path}
    if errors is not None:
        body["errors"] = errors
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_MIMETYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _pointer(location: str, path: tuple) -> str:
    """A JSON pointer into the body (`/title`), or `query#limit` for query parameters."""
    escaped = "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in path)
    if location == "json":
        return "/" + escaped if escaped else ""
    return f"{location}#{escaped}"


def field_errors(messages: dict) -> list[dict]:
    """Flatten marshmallow/webargs messages ({location: {field: [msg]}}) into RFC 9457 entries."""
    out: list[dict] = []

    def walk(location: str, node, path: tuple) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(location, value, (*path, key) if key != "_schema" else path)
        elif isinstance(node, (list, tuple)):
            for item in node:
                if isinstance(item, (dict, list, tuple)):
                    walk(location, item, path)
                else:
                    out.append({"pointer": _pointer(location, path), "detail": str(item)})
        else:
            out.append({"pointer": _pointer(location, path), "detail": str(node)})

    for location, fields in (messages or {}).items():
        walk(location, fields, ())
    return out


def guess_field(message: str, fields: tuple[str, ...]) -> str | None:
    """Which body field a service's InvalidInput message is about (they name it in words)."""
    lowered = message.lower()
    for name in fields:
        if name in lowered:
            return name
    return None


def is_api_request() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def handle_http_exception(error: HTTPException) -> Response:
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    headers = dict(data.get("headers") or {})
    if status == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    if status == 429:
        return rate_limited_response(error)
    messages = data.get("messages")
    if status == 422 and messages:
        return problem_response(422, "validation-error", "Some fields were missing or invalid.", errors=field_errors(messages), headers=headers)
    if status == 400 and messages:
        detail = " ".join(str(m) for e in field_errors(messages) for m in [e["detail"]])
        return problem_response(400, "bad-request", detail or None, headers=headers)
    detail = error.description if error.description != type(error).description else None
    return problem_response(status, None, detail, headers=headers)


def rate_limited_response(error: HTTPException) -> Response:
    retry_after = None
    limit = getattr(error, "limit", None)
    response = getattr(error, "response", None)
    if response is not None:
        retry_after = response.headers.get("Retry-After")
    headers = {"Retry-After": retry_after or "60"}
    detail = f"Rate limit exceeded ({limit.limit})." if limit is not None else None
    return problem_response(429, "rate-limited", detail, headers=headers)


def handle_forum_error(error: ForumError) -> Response:
    status = error.status
    if status == 422:
        field = getattr(error, "field", None)
        pointer = f"/{field}" if field else ""
        return problem_response(422, "validation-error", error.message, errors=[{"pointer": pointer, "detail": error.message}])
    return problem_response(status, None, error.message)


def handle_api_problem(error: ApiProblem) -> Response:
    return problem_response(error.status, error.kind, error.detail, errors=error.errors, headers=error.headers)


def handle_unexpected(error: Exception) -> Response:
    from forum.extensions import db

    current_app.logger.exception("Unhandled API error on %s %s", request.method, request.path)
    db.session.rollback()
    return problem_response(500, "server-error")
