"""The forum's test suite."""
from __future__ import annotations

import os
import socket
import time

import pytest

START_REDIS = 'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no'


def wait_until(predicate, timeout: float, interval: float = 0.1) -> float | None:
    """Poll predicate until true; returns the seconds it took, or None on timeout.

    Give a generous timeout: it bounds a wait for something that must happen, it is not a
    measure of how fast it happens (the machine may be busy).
    """
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            if predicate():
                return time.monotonic() - started
        except Exception:  # noqa: BLE001 - the thing polled may be down
            pass
        time.sleep(interval)
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (for a server a test starts)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_test_url(number: int) -> str:
    """A database of the local Redis for tests (1 to 5).

    TEST_REDIS_DB_BASE shifts them all, so that two runs side by side (SQLite and PostgreSQL in CI)
    never share one.
    """
    base = int(os.environ.get("TEST_REDIS_DB_BASE", "0"))
    return f"redis://127.0.0.1:6379/{base + number}"


def require_redis(url: str) -> str:
    """`url`, once the Redis there answers. When it does not, the test fails and says how to start it
    (`make test` starts it): the Redis paths of the forum are never skipped quietly."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis is not running at {url} ({error}); start it with: {START_REDIS}", pytrace=False)
    return url
