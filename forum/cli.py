"""Command-line tools: `flask --app forum <command>`."""
from __future__ import annotations

import sys

import click
from flask import Flask
from sqlalchemy import select

from forum.database import refresh_statistics
from forum.errors import ForumError
from forum.markup import render_markdown
from forum.models import Post, PostRevision, Role
from forum.models.base import db


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(seed_boards_command)
    app.cli.add_command(create_user_command)
    app.cli.add_command(recook_command)
    # Search
    app.cli.add_command(reindex_command)
    # Notifications
    app.cli.add_command(send_mail_command)


@click.command("seed-boards")
def seed_boards_command() -> None:
    """Create the default boards (idempotent)."""
    from forum.services.seeding import seed_boards

    added = seed_boards()
    db.session.commit()
    click.echo(f"Boards added: {added}")


@click.command("seed-demo")
def seed_demo_command() -> None:
    """Add boards, demo members and demo content (idempotent)."""
    from forum.services.seeding import DEMO_PASSWORD, seed_demo

    counts = seed_demo()
    refresh_statistics()
    db.session.commit()
    click.echo(", ".join(f"{name}: {count}" for name, count in counts.items()) + " added.")
    click.echo(f"Demo members sign in with the password {DEMO_PASSWORD!r} (for example demo_admin).")


@click.command("create-user")
@click.argument("username")
@click.option("--email", required=True, help="The member's email address.")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.MEMBER.value, show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user_command(username: str, email: str, role: str, password_stdin: bool) -> None:
    """Create an account with the given role."""
    from forum.services import accounts

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = accounts.create_user(username, email, password, role=Role(role))
    except ForumError as error:
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.username}.")


@click.command("recook")
@click.option("--batch-size", default=500, show_default=True)
def recook_command(batch_size: int) -> None:
    """Render every post and article version again from its Markdown (after the rules change)."""
    from forum.models.article import ArticleRevision

    counts = {}
    for model, headings in ((Post, "post"), (PostRevision, "post"), (ArticleRevision, "article")):
        counts[model] = _recook(model, headings, batch_size)
    posts = counts[Post] + counts[PostRevision]
    click.echo(f"Recooked {posts} posts and revisions, and {counts[ArticleRevision]} article versions.")


def _recook(model, headings: str, batch_size: int) -> int:
    """Cook body_html again for every row of `model`, a batch per transaction; the number of rows."""
    total, last_id = 0, 0
    while True:
        rows = db.session.scalars(select(model).where(model.id > last_id).order_by(model.id).limit(batch_size)).all()
        if not rows:
            return total
        for row in rows:
            row.body_html = render_markdown(row.body, headings=headings)
        last_id = rows[-1].id
        total += len(rows)
        db.session.commit()


# Search
@click.command("reindex")
def reindex_command() -> None:
    """Rebuild the full-text search index from published posts and articles."""
    from forum.services import search

    total = search.reindex()
    refresh_statistics()
    db.session.commit()
    click.echo(f"Indexed {total} documents.")


# Notifications
@click.command("send-mail")
@click.option("--limit", default=500, show_default=True, help="Send at most this many messages.")
@click.option("--digests/--no-digests", default=True, show_default=True, help="Queue the daily digests that are due first.")
def send_mail_command(limit: int, digests: bool) -> None:
    """Send the mail that is due now (the mail job does this after each commit and on a timer)."""
    from forum.services import outbox

    queued = 0
    if digests:
        queued = outbox.queue_digests()
        db.session.commit()
    report = outbox.send_pending(limit)
    click.echo(f"Digests queued: {queued}. Sent: {report.sent}, failed: {report.failed}, skipped: {report.skipped}.")
