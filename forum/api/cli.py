"""`flask --app forum api-token create USERNAME`: issue a token from the command line (operators, CI)."""
from __future__ import annotations

from datetime import timedelta

import click
from flask import Flask

from forum.errors import ForumError
from forum.extensions import db
from forum.models import utcnow
from forum.services import listing, tokens


def init_app(app: Flask) -> None:
    app.cli.add_command(api_token)


@click.group("api-token")
def api_token() -> None:
    """Personal access tokens for the API."""


@api_token.command("create")
@click.argument("username")
@click.option("--name", default="command line", show_default=True)
@click.option("--scopes", default="read", show_default=True, help="Comma-separated: read, write, moderate.")
@click.option("--days", type=click.IntRange(1, 366), default=None, help="Expire after this many days (default: never).")
def create(username: str, name: str, scopes: str, days: int | None) -> None:
    """Create a token for USERNAME and print it (shown once)."""
    user = listing.member_by_username(username)
    if user is None:
        raise click.ClickException(f"There is no member called {username!r}.")
    expires_at = utcnow() + timedelta(days=days) if days else None
    try:
        issued = tokens.create_token(user, name, [s.strip() for s in scopes.split(",") if s.strip()], expires_at)
    except ForumError as error:
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(issued.secret)
