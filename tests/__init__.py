"""The forum's test suite."""
from __future__ import annotations

import os


def redis_test_url(number: int) -> str:
    """A database of the local Redis for one test module (1 to 5).

    TEST_REDIS_DB_BASE shifts them all, so that two runs side by side (SQLite and PostgreSQL in CI)
    never share one.
    """
    base = int(os.environ.get("TEST_REDIS_DB_BASE", "0"))
    return f"redis://127.0.0.1:6379/{base + number}"
