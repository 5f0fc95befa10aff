"""The interactive API docs page (Swagger UI from the installed flask-swagger-ui package, no CDN)
and the pages that describe each problem type."""
from __future__ import annotations

from pathlib import Path

import flask_swagger_ui
from flask import Blueprint, abort, jsonify, render_template, send_from_directory

from forum.api.errors import PROBLEM_TYPES

SWAGGER_UI_DIR = Path(flask_swagger_ui.__file__).resolve().parent / "dist"
ASSETS = {"swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png", "favicon-16x16.png"}

bp = Blueprint("api_docs", __name__, url_prefix="/api/v1")


@bp.get("/docs")
def docs():
    return render_template("api/docs.html")


@bp.get("/docs/assets/<name>")
def docs_asset(name: str):
    if name not in ASSETS:
        abort(404)
    return send_from_directory(SWAGGER_UI_DIR, name, max_age=86400)


@bp.get("/problems/<slug>")
def problem_type(slug: str):
    """What a problem `type` means (its URI dereferences here)."""
    if slug not in PROBLEM_TYPES:
        abort(404)
    title, meaning = PROBLEM_TYPES[slug]
    return jsonify(type=f"/api/v1/problems/{slug}", title=title, description=meaning)
