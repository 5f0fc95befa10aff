"""Throwaway PostgreSQL databases for tests that need a database of their own."""
from __future__ import annotations

import contextlib
import uuid

from sqlalchemy.engine import make_url


def server_url(database_url: str) -> str:
    return make_url(database_url).set(database="postgres").render_as_string(hide_password=False)


def _admin_connect(database_url: str):
    import psycopg

    url = make_url(database_url)
    return psycopg.connect(
        host=url.host or "127.0.0.1", port=url.port or 5432, user=url.username, password=url.password,
        dbname="postgres", autocommit=True,
    )


def create_database(database_url: str, prefix: str = "ops_tmp") -> str:
    """Create an empty database next to database_url's; returns its SQLAlchemy URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with contextlib.closing(_admin_connect(database_url)) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return make_url(database_url).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    name = make_url(url).database
    with contextlib.closing(_admin_connect(url)) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def terminate_connections(url: str) -> int:
    """pg_terminate_backend every other connection to url's database; returns how many."""
    name = make_url(url).database
    with contextlib.closing(_admin_connect(url)) as connection:
        rows = connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        ).fetchall()
    return len(rows)
