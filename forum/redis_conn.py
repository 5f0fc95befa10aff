"""One Redis client per app (when REDIS_URL is set), with short timeouts so a blink never hangs a page."""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask, current_app

if TYPE_CHECKING:
    from redis import Redis


def redis_client(app: Flask | None = None) -> Redis | None:
    """The app's Redis client, or None when REDIS_URL is not set (the embedded default).

    The redis package is imported only when Redis is used: a worker without it saves its memory.
    """
    app = app or current_app._get_current_object()
    url = app.config.get("REDIS_URL")
    if not url:
        return None
    client = app.extensions.get("forum_redis")
    if client is None:
        from redis import Redis

        client = Redis.from_url(
            url,
            socket_connect_timeout=app.config.get("REDIS_CONNECT_TIMEOUT", 1.0),
            socket_timeout=app.config.get("REDIS_SOCKET_TIMEOUT", 2.0),
            health_check_interval=30,
        )
        app.extensions["forum_redis"] = client
    return client


class TolerantCache:
    """Wraps a Redis-backed cache so that Redis being down means "not cached", never an error.

    Reads miss, writes are dropped, and a warning is logged at most once a minute per process;
    pages are then rendered from the database as if the cache were empty.
    """

    _READS = {"get": None, "get_many": None, "get_dict": None, "has": False, "inc": None, "dec": None}

    def __init__(self, backend, logger) -> None:
        self._backend = backend
        self._logger = logger
        self._warned_at = 0.0

    def __getattr__(self, name: str):
        attribute = getattr(self._backend, name)
        if not callable(attribute):
            return attribute
        from redis.exceptions import RedisError

        fallback = self._READS.get(name, False)

        def call(*args, **kwargs):
            try:
                return attribute(*args, **kwargs)
            except RedisError as error:
                self._warn(name, error)
                if name == "get_many":
                    return [None] * len(args)
                return {} if name == "get_dict" else fallback

        return call

    def _warn(self, operation: str, error: Exception) -> None:
        import time

        now = time.monotonic()
        if now - self._warned_at >= 60:
            self._warned_at = now
            self._logger.warning("Redis unavailable, page cache bypassed (%s): %s", operation, error)


def tolerate_cache_outages(app: Flask) -> None:
    """Put every Redis-backed Flask-Caching backend of this app behind TolerantCache."""
    backends = app.extensions.get("cache") or {}
    for owner, backend in list(backends.items()):
        if type(backend).__name__.startswith("Redis") and not isinstance(backend, TolerantCache):
            backends[owner] = TolerantCache(backend, app.logger)
