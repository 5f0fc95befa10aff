"""Drafts of topics and replies: autosave, "Your drafts" and discarding."""
from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum.boards import bp
from forum.boards.forms import ConfirmForm, DraftForm
from forum.boards.views import _board_or_404
from forum.errors import ForumError
from forum.models import Board, ContentStatus, Draft
from forum.models.base import db
from forum.permissions import can_keep_draft, can_view_topic
from forum.ratelimits import rate_limit
from forum.services import drafts, reading
from forum.views_util import key_arg, require_visible


def _autosave(**place):
    """Save the form's text as the member's draft; answers JSON for the autosave script."""
    form = DraftForm()
    if not form.validate_on_submit():
        return jsonify(saved=False, errors=form.errors), 422
    try:
        draft = drafts.save_draft(current_user, form.title.data, form.body.data, **place)
    except ForumError as error:
        return jsonify(saved=False, error=error.message), error.status
    db.session.commit()
    return jsonify(saved=draft is not None, updated_at=draft.updated_at.isoformat() if draft else None)


@bp.post("/boards/<slug>/draft")
@rate_limit("drafts")
@login_required
def save_topic_draft(slug: str):
    return _autosave(board=_board_or_404(slug))


@bp.post("/topics/<int:topic_id>/draft")
@rate_limit("drafts")
@login_required
def save_reply_draft(topic_id: int):
    topic = reading.load_topic(topic_id)
    require_visible(topic)
    return _autosave(topic=topic)


@dataclass(frozen=True)
class DraftRow:
    """A draft as "Your drafts" lists it: what it is, and where to go on writing it (if anywhere)."""

    draft: Draft
    label: str
    url: str | None
    note: str | None


def _row(draft: Draft) -> DraftRow:
    if draft.topic is None:
        board = draft.board
        url = url_for("boards.new_topic", slug=board.slug) if can_keep_draft(current_user, board, None) else None
        return DraftRow(draft, f"New topic in {board.name}", url, None if url else "You cannot start topics at the moment.")
    topic = draft.topic
    if topic.status is ContentStatus.DELETED or not can_view_topic(current_user, topic):
        return DraftRow(draft, "Reply to a topic that is no longer available", None, "You can still read and copy your text.")
    url = url_for("boards.reply", topic_id=topic.id) if can_keep_draft(current_user, None, topic) else None
    return DraftRow(draft, f"Reply to “{topic.title}”", url, None if url else "This topic does not accept your replies at the moment.")


@bp.get("/drafts")
@login_required
def drafts_list():
    rows, next_key = drafts.drafts_page(current_user, key_arg("draft"))
    return render_template(
        "boards/drafts.html", rows=[_row(d) for d in rows], next_key=next_key, excerpt=drafts.excerpt
    )


@bp.post("/drafts/<int:draft_id>/discard")
@rate_limit("drafts")
@login_required
def discard_draft(draft_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    draft = drafts.load_own_draft(current_user, draft_id)
    back = None
    if request.args.get("back") == "form":
        # Back to the form the draft was discarded from (built from the draft: never a given address).
        back = url_for("boards.reply", topic_id=draft.topic_id) if draft.topic_id else url_for("boards.new_topic", slug=db.session.get(Board, draft.board_id).slug)
    drafts.discard_draft(current_user, draft_id)
    db.session.commit()
    flash("The draft was discarded.", "success")
    return redirect(back or url_for("boards.drafts_list"))
