"""One Redis client per app (when REDIS_URL is set), with short timeouts so a blink never hangs a page."""
from __future__ import annotations

from flask import Flask, current_app
from redis import Redis


def redis_client(app: Flask | None = None) -> Redis | None:
    """The app's Redis client, or None when REDIS_URL is not set (the embedded default)."""
    app = app or current_app._get_current_object()
    url = app.config.get("REDIS_URL")
    if not url:
        return None
    client = app.extensions.get("forum_redis")
    if client is None:
        client = Redis.from_url(
            url,
            socket_connect_timeout=app.config.get("REDIS_CONNECT_TIMEOUT", 1.0),
            socket_timeout=app.config.get("REDIS_SOCKET_TIMEOUT", 2.0),
            health_check_interval=30,
        )
        app.extensions["forum_redis"] = client
    return client
