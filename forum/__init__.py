"""The forum: a moderated community support forum for people living with facial spasms."""
from __future__ import annotations

from flask import Flask

from config import Config, ProductionConfig, config_from_env


def create_app(config: type[Config] | None = None, **overrides) -> Flask:
    """Build the app: load config, bind extensions, register blueprints, error pages and commands."""
    config = config or config_from_env()
    app = Flask(__name__, template_folder="../templates", static_folder="../static", instance_path=_instance_path())
    app.config.from_object(config)
    app.config.update(overrides)
    if issubclass(config, ProductionConfig):
        config.check(app.config)

    from forum import cli, database, input_checks, templating
    from forum.errors import register_error_handlers
    from forum.extensions import csrf, db, login_manager

    database.configure(app)
    db.init_app(app)
    if app.config.get("SCHEMA_COMMANDS", True):
        # `flask db ...` (Flask-Migrate). Web workers (wsgi.py) leave it out: Alembic would
        # add about 11 MB to every worker's memory and they never migrate.
        from forum.extensions import migrate

        migrate.init_app(app, db, directory=str(_project_dir() / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    templating.init_app(app)
    input_checks.init_app(app)
    register_blueprints(app)
    register_error_handlers(app)
    cli.init_app(app)
    # Page cache for anonymous visitors.
    from forum import cache

    cache.init_app(app)

    # Operations: request ids, structured logs, metrics, background jobs and backups
    from forum import backup, jobs_cli, observability
    from forum.redis_conn import tolerate_cache_outages

    tolerate_cache_outages(app)
    observability.init_app(app)
    jobs_cli.init_app(app)
    backup.init_app(app)

    # Safety: security headers and rate limits.
    from forum import ratelimits, security

    security.init_app(app)
    ratelimits.init_app(app)
    from forum.safety.views import init_app as init_safety

    init_safety(app)
    return app


def register_blueprints(app: Flask) -> None:
    from forum.accounts import bp as accounts_bp
    from forum.boards import bp as boards_bp

    app.register_blueprint(boards_bp)
    app.register_blueprint(accounts_bp)
    # Safety: help lines.
    from forum.safety import bp as safety_bp

    app.register_blueprint(safety_bp)
    # Operations: health probes and the failed-jobs page
    from forum.ops import bp as ops_bp

    app.register_blueprint(ops_bp)
    # Community: reactions and bookmarks
    from forum.community import bp as community_bp

    app.register_blueprint(community_bp)
    # Reading comfort: the Reading control's form
    from forum.comfort import bp as comfort_bp

    app.register_blueprint(comfort_bp)

    # Moderation: reporting, the review queue, actions and the audit log.
    from forum.moderation import bp as moderation_bp

    app.register_blueprint(moderation_bp)
    # API: /api/v1, its OpenAPI document and docs page, and Settings › API tokens
    from forum import api
    from forum.tokens import bp as tokens_bp

    api.init_app(app)
    app.register_blueprint(tokens_bp)

    from forum.articles import bp as articles_bp

    app.register_blueprint(articles_bp)
    # Search
    from forum.search import bp as search_bp

    app.register_blueprint(search_bp)

    # Notifications
    from forum.notifications import bp as notifications_bp

    app.register_blueprint(notifications_bp)
    # Treatment experience reports
    from forum.treatments import bp as treatments_bp

    app.register_blueprint(treatments_bp)
    # Local support groups
    from forum.groups import bp as groups_bp

    app.register_blueprint(groups_bp)
    # Images in posts
    from forum.uploads import bp as uploads_bp

    app.register_blueprint(uploads_bp)
    # Private messages and blocking
    from forum.messages import bp as messages_bp

    app.register_blueprint(messages_bp)


def _project_dir():
    from pathlib import Path

    return Path(__file__).resolve().parent.parent


def _instance_path() -> str:
    return str(_project_dir() / "instance")
