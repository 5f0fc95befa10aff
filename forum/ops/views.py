from __future__ import annotations

import time

from flask import abort, current_app, flash, jsonify, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import text

from forum import jobs
from forum.boards.forms import ConfirmForm
from forum.models.base import db
from forum.ops import bp
from forum.permissions import is_admin
from forum.ratelimits import rate_limit


@bp.get("/healthz")
def healthz():
    """The process is alive and answering. Touches nothing else."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    """Ready for traffic: the database (and Redis, when configured) answer. Reads only."""
    checks: dict[str, dict] = {}
    ready = True
    started = time.perf_counter()
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        checks["database"] = {"status": "ok", "ms": round((time.perf_counter() - started) * 1000, 1)}
    except Exception as error:  # any failure means "not ready", with the reason
        ready = False
        checks["database"] = {"status": "error", "error": type(error).__name__}
        current_app.logger.warning("Readiness: database check failed: %s", error)
    from forum.redis_conn import redis_client

    client = redis_client()
    if client is not None:
        started = time.perf_counter()
        try:
            client.ping()
            checks["redis"] = {"status": "ok", "ms": round((time.perf_counter() - started) * 1000, 1)}
        except Exception as error:
            ready = False
            checks["redis"] = {"status": "error", "error": type(error).__name__}
            current_app.logger.warning("Readiness: Redis check failed: %s", error)
    response = jsonify(status="ready" if ready else "unavailable", checks=checks)
    response.status_code = 200 if ready else 503
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/admin/jobs")
@login_required
def failed_jobs():
    if not is_admin(current_user):
        abort(403)
    from forum.services import outbox

    mail_count, mail_failed = outbox.failed_mail()
    return render_template(
        "ops/jobs.html", stats=jobs.queue_stats(), failed=jobs.failed_jobs(), form=ConfirmForm(),
        mail_count=mail_count, mail_failed=mail_failed,
    )


@bp.post("/admin/jobs/<job_id>/retry")
@login_required
def retry_job(job_id: str):
    _require_admin_form()
    if jobs.retry_failed(job_id):
        db.session.commit()
        flash("The job was sent round again.", "success")
    else:
        flash("That job is no longer in the failed list.", "info")
    return redirect(url_for("ops.failed_jobs"))


@bp.post("/admin/mail/<int:mail_id>/retry")
@rate_limit("account")
@login_required
def retry_mail(mail_id: int):
    _require_admin_form()
    from forum.services import outbox

    if outbox.retry_mail(mail_id):
        db.session.commit()
        flash("The message will be sent again.", "success")
    else:
        flash("That message is no longer waiting for a retry.", "info")
    return redirect(url_for("ops.failed_jobs"))


@bp.post("/admin/jobs/reindex")
@rate_limit("account")
@login_required
def start_reindex():
    """Rebuild the search index in the background."""
    _require_admin_form()
    from forum.services.search import reindex_job

    jobs.enqueue(reindex_job)
    db.session.commit()
    flash("The search index is being rebuilt in the background.", "success")
    return redirect(url_for("ops.failed_jobs"))


def _require_admin_form() -> None:
    """An admin's POST with its form token, or 403 / 400."""
    if not is_admin(current_user):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
