"""Configuration classes, read from the environment.

Pick one with FORUM_ENV=development|testing|production (default: development).
"""
from __future__ import annotations

import os
from datetime import timedelta
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"

_DEV_SECRET = "dev-only-insecure-secret-key"


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def _database_url(default: str) -> str:
    url = os.environ.get("DATABASE_URL", default)
    # Heroku-style URLs name the driver "postgres"; psycopg 3 is the one installed.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://"):]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "base"
    SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET)
    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{INSTANCE_DIR / 'forum.db'}")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SQLALCHEMY_RECORD_QUERIES = False
    REDIS_URL = os.environ.get("REDIS_URL") or None

    # Uploads are only images (later); bodies are at most 50,000 characters.
    MAX_CONTENT_LENGTH = _env_int("MAX_CONTENT_LENGTH", 2 * 1024 * 1024)
    # werkzeug's scrypt defaults (n=32768, r=8, p=1).
    PASSWORD_HASH_METHOD = "scrypt"
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    # "Remember me" lasts a month at most (Flask-Login's default is a year).
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    # How many reverse proxies stand in front of the app and write X-Forwarded-For (forum/security.py).
    # 0: none, and the header is ignored. Behind one (nginx, a load balancer): 1.
    PROXY_FIX_X_FOR = _env_int("PROXY_FIX_X_FOR", 0)

    # Support reactions on posts: (key, label). Keys are stored; labels can be reworded freely.
    REACTIONS = [("me_too", "Me too"), ("helpful", "Helpful"), ("support", "Sending support")]

    TOPICS_PER_PAGE = 25
    POSTS_PER_PAGE = 20
    # Search ranks relevance within this many of the newest matches (forum/services/search.py).
    SEARCH_RANK_WINDOW = _env_int("SEARCH_RANK_WINDOW", 2000)
    # View counts are buffered in memory and flushed in one batch at most this often.
    VIEW_FLUSH_SECONDS = _env_int("VIEW_FLUSH_SECONDS", 10)

    SITE_NAME = os.environ.get("SITE_NAME", "Facial Spasm Forum")
    MEDICAL_DISCLAIMER = os.environ.get(
        "MEDICAL_DISCLAIMER",
        "Experiences shared here are not medical advice. Talk to your doctor "
        "before you change or start a treatment.",
    )

    # Articles: published articles are marked "review due" this long after their last review.
    ARTICLE_REVIEW_INTERVAL_DAYS = _env_int("ARTICLE_REVIEW_INTERVAL_DAYS", 365)

    # Mail: "log" (development and tests: logged and kept in memory) or "smtp".
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "log")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = _env_int("MAIL_PORT", 25)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "0") == "1"
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "forum@localhost")

    # The forum's public address (scheme, host and any path prefix). Every link in mail and in the
    # Atom feeds is built from it (forum/site_urls.py), never from the request's Host header, and
    # requests for any other host are refused with 400: Flask's TRUSTED_HOSTS, made from SITE_URL's
    # host, EXTRA_TRUSTED_HOSTS (comma-separated, e.g. the address a health probe uses) and, when
    # TRUST_LOCAL_HOSTS is on (development and tests), localhost and 127.0.0.1 at any port.
    # Production refuses to start without SITE_URL.
    SITE_URL = os.environ.get("SITE_URL", "http://localhost:5000")
    EXTRA_TRUSTED_HOSTS = _env_list("EXTRA_TRUSTED_HOSTS")
    TRUST_LOCAL_HOSTS = True
    MAIL_MAX_ATTEMPTS = _env_int("MAIL_MAX_ATTEMPTS", 5)

    # Page cache for anonymous visitors (forum/cache.py): on unless CACHE_PAGES=0.
    CACHE_PAGES = os.environ.get("CACHE_PAGES", "1") == "1"
    CACHE_PAGE_SECONDS = _env_int("CACHE_PAGE_SECONDS", 60)
    CACHE_GENERATION_FILE = os.environ.get("CACHE_GENERATION_FILE") or None

    # Operations: logs, metrics, background jobs, database timeouts.
    LOG_FORMAT = os.environ.get("LOG_FORMAT") or None  # "json" or "text"; default json in production
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN") or None  # /metrics answers only when set
    JOBS_INLINE = os.environ.get("JOBS_INLINE", "thread")  # without Redis: "thread" or "sync"
    JOB_RETRY_INTERVALS = tuple(int(x) for x in os.environ.get("JOB_RETRY_INTERVALS", "10,60,300").split(","))
    JOB_TIMEOUT = _env_int("JOB_TIMEOUT", 300)
    DB_STATEMENT_TIMEOUT_MS = _env_int("DB_STATEMENT_TIMEOUT_MS", 15000)
    # SQLite: how often the query planner's statistics are gathered again (ANALYZE, a job).
    DB_ANALYZE_SECONDS = _env_int("DB_ANALYZE_SECONDS", 6 * 3600)
    # Mail is sent by a job after each commit that queues some; this job and the digests' also run
    # on a timer (seconds). A post with more watchers than NOTIFY_INLINE_MAX notifies them in a job.
    MAIL_SEND_SECONDS = _env_int("MAIL_SEND_SECONDS", 60)
    DIGEST_CHECK_SECONDS = _env_int("DIGEST_CHECK_SECONDS", 900)
    NOTIFY_INLINE_MAX = _env_int("NOTIFY_INLINE_MAX", 200)
    JOBS_QUEUE = os.environ.get("JOBS_QUEUE", "forum")  # the RQ queue's name
    REDIS_PREFIX = os.environ.get("REDIS_PREFIX", "forum:")  # keys the forum keeps in Redis
    # With Redis down, rate limits count in this process (Flask-Limiter logs a warning), pages go on.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True

    # Images in posts (forum/services/uploads.py): where they are kept, the largest file accepted,
    # the widest image kept (wider ones are scaled down) and the most pixels decoded at all.
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER") or str(INSTANCE_DIR / "uploads")
    UPLOAD_MAX_BYTES = _env_int("UPLOAD_MAX_BYTES", 1024 * 1024 + 512 * 1024)
    UPLOAD_MAX_WIDTH = _env_int("UPLOAD_MAX_WIDTH", 1600)
    UPLOAD_MAX_PIXELS = _env_int("UPLOAD_MAX_PIXELS", 40_000_000)
    RATELIMIT_ENABLED = os.environ.get("RATELIMIT_ENABLED", "1") != "0"  # 0: off (load and fault tests)

    # Moderation: distinct members whose reports hide an item until reviewed; how many of a new
    # member's first posts wait for approval; below how many published posts a member's links are held.
    MODERATION_HIDE_THRESHOLD = _env_int("MODERATION_HIDE_THRESHOLD", 3)
    MODERATION_FIRST_POSTS_HELD = _env_int("MODERATION_FIRST_POSTS_HELD", 2)
    MODERATION_NEW_MEMBER_POSTS = _env_int("MODERATION_NEW_MEMBER_POSTS", 5)
    # How long a process keeps the list of watched words (every post is screened against it).
    WATCHED_WORDS_CACHE_SECONDS = _env_int("WATCHED_WORDS_CACHE_SECONDS", 10)

    # Private messages: the most members in one conversation (the starter included), and how long
    # a member must have been here, and how many posts they must have published, before they can
    # start a conversation (against spam; 0 and 0 let everyone). Anyone may answer one they are in.
    MESSAGES_MAX_MEMBERS = _env_int("MESSAGES_MAX_MEMBERS", 10)
    MESSAGES_NEW_MEMBER_DAYS = _env_int("MESSAGES_NEW_MEMBER_DAYS", 2)
    MESSAGES_NEW_MEMBER_POSTS = _env_int("MESSAGES_NEW_MEMBER_POSTS", 1)

    # Safety: crisis language. None uses the defaults in forum/services/crisis.py: English phrases
    # about suicidal intent and self-harm, and help lines that work internationally. CRISIS_HOLD
    # holds such posts for a moderator instead of publishing them (they are flagged either way).
    CRISIS_PHRASES: list[str] | None = None
    CRISIS_LINES: list[dict[str, str]] | None = None
    CRISIS_HOLD = os.environ.get("CRISIS_HOLD", "0") == "1"

    # Two-factor sign-in: moderators and admins without it are sent to set it up before any other
    # page. On unless REQUIRE_2FA_FOR_STAFF=0; off in development (the demo's staff sign in with a
    # password alone) and in the tests (tests/views/test_two_factor.py switch it on).
    REQUIRE_2FA_FOR_STAFF = os.environ.get("REQUIRE_2FA_FOR_STAFF", "1") == "1"


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    DEBUG = False
    REQUIRE_2FA_FOR_STAFF = os.environ.get("REQUIRE_2FA_FOR_STAFF", "0") == "1"


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret-key"
    SQLALCHEMY_DATABASE_URI = _database_url("sqlite://")
    WTF_CSRF_ENABLED = False
    VIEW_FLUSH_SECONDS = 3600
    # Still scrypt, with a small work factor so that the suite can create many members quickly.
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"
    RATELIMIT_ENABLED = False
    MAIL_BACKEND = "log"
    # Page cache: off for the suite; tests/test_cache.py turns it on.
    CACHE_PAGES = False

    # Operations: jobs run synchronously after the commit, retried at once.
    JOBS_INLINE = "sync"
    JOB_RETRY_INTERVALS = (0, 0)

    # Moderation: holds for new members are off so that tests of other features post freely;
    # the moderation tests switch them on.
    MODERATION_FIRST_POSTS_HELD = 0
    MODERATION_NEW_MEMBER_POSTS = 0
    REQUIRE_2FA_FOR_STAFF = False
    # Watched words read on every post (tests add them straight to the database too).
    WATCHED_WORDS_CACHE_SECONDS = 0
    # New members may start conversations in the suite; tests/messages switch the rule on.
    MESSAGES_NEW_MEMBER_DAYS = 0
    MESSAGES_NEW_MEMBER_POSTS = 0


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    SITE_URL = os.environ.get("SITE_URL") or None
    TRUST_LOCAL_HOSTS = False
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")
    SQLALCHEMY_ENGINE_OPTIONS = {
        "pool_pre_ping": True,
        "pool_size": _env_int("DB_POOL_SIZE", 5),
        "max_overflow": _env_int("DB_MAX_OVERFLOW", 10),
        "pool_timeout": _env_int("DB_POOL_TIMEOUT", 10),
        "pool_recycle": 1800,
    }

    @classmethod
    def check(cls, settings: Mapping[str, Any] | None = None) -> None:
        """Refuse to start with a missing or development secret key, or without SITE_URL.

        `settings`: the app's final config (overrides included); without it, the environment.
        """
        key = os.environ.get("SECRET_KEY", "")
        if not key or key == _DEV_SECRET or len(key) < 32:
            raise RuntimeError(
                "SECRET_KEY must be set to a random value of at least 32 characters "
                "in production (for example: python -c 'import secrets; print(secrets.token_hex(32))')."
            )
        site_url = settings.get("SITE_URL") if settings is not None else os.environ.get("SITE_URL")
        parts = urlsplit(site_url or "")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise RuntimeError(
                "SITE_URL must be set to the forum's public address in production, for example "
                "SITE_URL=https://forum.example.org: links in mail and feeds are built from it, and "
                "requests for any other host are refused."
            )


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    name = os.environ.get("FORUM_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"FORUM_ENV must be one of {', '.join(CONFIGS)}, not {name!r}") from None
