"""`flask --app forum backup PATH` and `flask --app forum restore PATH`.

Backups are consistent while the forum keeps serving:
- SQLite: the online backup API (sqlite3.Connection.backup) copies the database as of one moment,
  in WAL mode without stopping writers; the copy is checked with PRAGMA integrity_check.
- PostgreSQL: pg_dump in custom format, which reads everything in one snapshot.
Restore goes only into an empty database, so it never mixes two forums.
"""
from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess  # nosec B404 - runs pg_dump/pg_restore with argument lists, never a shell
from pathlib import Path

import click
from flask import Flask, current_app
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from forum.models.base import db

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    pass


def init_app(app: Flask) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path) -> None:
    """Write a consistent backup of the database to PATH (while the forum serves)."""
    try:
        note = backup(path)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backup written to {path} ({path.stat().st_size:,} bytes). {note}".rstrip())


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(path: Path) -> None:
    """Restore a backup made by `backup` into an empty database."""
    try:
        restore(path)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored {path} into {make_url(current_app.config['SQLALCHEMY_DATABASE_URI']).render_as_string(hide_password=True)}.")


def _url():
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def backup(path: Path) -> str:
    url = _url()
    path.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        return _backup_sqlite(url, path)
    if url.get_backend_name() == "postgresql":
        return _backup_postgres(url, path)
    raise BackupError(f"Backups of {url.get_backend_name()} databases are not supported.")


def restore(path: Path) -> None:
    url = _url()
    with open(path, "rb") as handle:
        head = handle.read(16)
    _require_empty()
    if url.get_backend_name() == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            raise BackupError(f"{path} is not an SQLite backup; this forum runs on SQLite.")
        _restore_sqlite(url, path)
    elif url.get_backend_name() == "postgresql":
        if not head.startswith(PGDUMP_MAGIC):
            raise BackupError(f"{path} is not a pg_dump custom-format backup; this forum runs on PostgreSQL.")
        _restore_postgres(url, path)
    else:
        raise BackupError(f"Restoring into {url.get_backend_name()} is not supported.")


def _require_empty() -> None:
    tables = inspect(db.engine).get_table_names()
    db.engine.dispose()
    if tables:
        raise BackupError(
            f"The database is not empty (it has {len(tables)} tables, e.g. {sorted(tables)[0]}). "
            "Restore only into a new, empty database."
        )


# ---------------------------------------------------------------- SQLite

def _sqlite_file(url) -> str:
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return url.database


def _backup_sqlite(url, path: Path) -> str:
    source = sqlite3.connect(_sqlite_file(url), timeout=30)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    target = sqlite3.connect(partial)
    try:
        # One step (pages=-1): the copy is the database as of one moment. In WAL mode writers go on.
        source.backup(target, pages=-1)
        target.execute("PRAGMA journal_mode=DELETE")
        result = target.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise BackupError(f"The backup failed its integrity check: {result}")
    finally:
        target.close()
        source.close()
    os.replace(partial, path)
    return "SQLite online backup, integrity checked."


def _restore_sqlite(url, path: Path) -> None:
    check = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = check.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise BackupError(f"The backup failed its integrity check: {result}")
        target = sqlite3.connect(_sqlite_file(url), timeout=30)
        try:
            check.backup(target, pages=-1)
        finally:
            target.close()
    finally:
        check.close()


# ---------------------------------------------------------------- PostgreSQL

def _libpq_args(url) -> tuple[list[str], dict[str, str]]:
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    args = ["--host", url.host or "127.0.0.1", "--port", str(url.port or 5432), "--dbname", url.database or ""]
    if url.username:
        args += ["--username", url.username]
    return args, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} was not found on PATH; install the PostgreSQL client tools.")
    return found


def _major(version_text: str) -> int:
    match = re.search(r"(\d+)\.\d+", version_text) or re.search(r"(\d+)", version_text)
    return int(match.group(1)) if match else 0


def version_note(tool: str = "pg_dump") -> str:
    """Compare the client tool's major version with the server's; pg_dump cannot dump a newer server."""
    client = subprocess.run([_tool(tool), "--version"], capture_output=True, text=True, check=True).stdout  # nosec B603
    with db.engine.connect() as connection:
        server = connection.execute(text("SHOW server_version")).scalar_one()
    client_major, server_major = _major(client), _major(server)
    if client_major < server_major:
        raise BackupError(
            f"{tool} {client_major} is older than the PostgreSQL server ({server}); install client tools "
            f"version {server_major} or newer."
        )
    if client_major != server_major:
        return f"Note: {tool} {client_major} and server {server_major} differ (newer tools read older servers)."
    return f"{tool} and server are both version {server_major}."


def _backup_postgres(url, path: Path) -> str:
    note = version_note("pg_dump")
    args, env = _libpq_args(url)
    partial = path.with_name(path.name + ".partial")
    command = [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(partial), *args]
    result = subprocess.run(command, capture_output=True, text=True, env=env)  # nosec B603
    if result.returncode != 0:
        partial.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    os.replace(partial, path)
    return f"pg_dump custom format, one snapshot. {note}"


def _restore_postgres(url, path: Path) -> None:
    version_note("pg_restore")
    args, env = _libpq_args(url)
    command = [
        _tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", *args, str(path),
    ]
    result = subprocess.run(command, capture_output=True, text=True, env=env)  # nosec B603
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed (nothing was restored): {result.stderr.strip()}")
