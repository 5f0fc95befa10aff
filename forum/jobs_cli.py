"""`flask --app forum worker`: run background jobs from Redis (see forum/jobs.py)."""
from __future__ import annotations

import click
from flask import Flask, current_app


def init_app(app: Flask) -> None:
    app.cli.add_command(worker_command)
    if not app.config.get("REDIS_URL") and app.config.get("JOBS_INLINE", "thread") == "thread":
        from forum import jobs

        # The embedded default has no worker: periodic jobs start from the web process.
        app.teardown_request(lambda error: jobs.run_periodic_in_process(app))


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run the jobs waiting now, then stop.")
def worker_command(burst: bool) -> None:
    """Run background jobs (mail, notification fan-out, view counts, reindex) from the Redis queue."""
    from forum import jobs

    app = current_app._get_current_object()
    if not app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set: without Redis, jobs run inside the web process.")
    jobs.run_worker(app, burst=burst)
