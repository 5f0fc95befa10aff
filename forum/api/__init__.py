"""The JSON API under /api/v1, its OpenAPI 3.1 document and its docs page.

Built with flask-smorest: it works inside this plain Flask app factory (APIFlask would replace
the Flask class), and the marshmallow schemas that validate each request are the ones the
OpenAPI document is generated from, so the contract cannot drift from the code.
"""
from __future__ import annotations

import http

from flask import Flask
from flask_smorest import Api
from flask_smorest.spec import prepare_response
from werkzeug.routing import AnyConverter, BaseConverter, IntegerConverter

from forum.api.errors import PROBLEM_MIMETYPE, ApiProblem, handle_api_problem
from forum.api.schemas import Problem

API_VERSION = "1.0.0"


class IdConverter(IntegerConverter):
    """Row ids in paths: 1 to 2**31-1, so no id overflows a database integer."""

    def __init__(self, map, *args, **kwargs):
        super().__init__(map, min=1, max=2**31 - 1)


class SlugConverter(BaseConverter):
    regex = r"[a-z0-9][a-z0-9-]{0,59}"


class ArticleSlugConverter(BaseConverter):
    regex = r"[a-z0-9][a-z0-9-]{0,119}"


class UsernameConverter(BaseConverter):
    regex = r"[A-Za-z0-9_-]{3,30}"


class ForumApi(Api):
    """flask-smorest's Api, answering errors as RFC 9457 problems.

    forum.errors answers every error under /api as application/problem+json (including 404s
    of unknown routes, which no blueprint sees), so the Api registers no handler of its own.
    """

    ERROR_SCHEMA = Problem

    def _register_error_handlers(self):
        return None

    def _register_responses(self):
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_MIMETYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "A problem (RFC 9457)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_MIMETYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


api = ForumApi()


def init_app(app: Flask) -> None:
    """Bind the API: settings, converters, the versioned blueprint, the docs page and CLI."""
    from forum.api import cli, docs, views
    from forum.extensions import csrf

    app.config.setdefault("API_TITLE", "Facial Spasm Forum API")
    app.config.setdefault("API_VERSION", API_VERSION)
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("API_SPEC_OPTIONS", views.SPEC_OPTIONS)
    app.url_map.converters.update(id=IdConverter, slug=SlugConverter, article_slug=ArticleSlugConverter, username=UsernameConverter)
    api.init_app(app)
    api.register_converter(IdConverter, lambda c: {"type": "integer", "minimum": 1, "maximum": 2**31 - 1})
    api.register_converter(SlugConverter, lambda c: {"type": "string", "pattern": f"^{SlugConverter.regex}$"})
    api.register_converter(ArticleSlugConverter, lambda c: {"type": "string", "pattern": f"^{ArticleSlugConverter.regex}$"})
    api.register_converter(AnyConverter, lambda c: {"type": "string", "enum": sorted(c.items)})
    api.register_converter(UsernameConverter, lambda c: {"type": "string", "pattern": f"^{UsernameConverter.regex}$"})
    api.spec.components.security_scheme(
        "bearerAuth",
        {"type": "http", "scheme": "bearer", "description": "A personal access token from Settings › API tokens."},
    )
    # The API ignores cookies (a bearer token is needed to write), so it needs no CSRF token.
    app.register_error_handler(ApiProblem, handle_api_problem)
    csrf.exempt(views.bp)
    api.register_blueprint(views.bp)
    app.register_blueprint(docs.bp)
    cli.init_app(app)
