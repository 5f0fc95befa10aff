from functools import wraps

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from forum.boards.forms import ConfirmForm
from forum.errors import ForumError, NotFound
from forum.extensions import login_manager
from forum.models import Board, ContentStatus, ReviewStatus, TargetType, User
from forum.models.base import db
from forum.models.moderation import REASON_LABELS, reason_label
from forum.moderation import bp
from forum.moderation import forms as f
from forum.permissions import (
    can_manage_watched_words,
    can_moderate_post,
    can_view_queue,
    require,
    why_cannot_moderate_post,
    why_cannot_participate,
)
from forum.ratelimits import rate_limit
from forum.services import moderation
from forum.views_util import form_status, page_arg


def staff_required(view):
    """Moderators and admins only: anonymous visitors go to sign in, members get 403."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        require(can_view_queue(current_user), "Only moderators and admins can see the moderation pages.")
        return view(*args, **kwargs)

    return wrapped


@bp.app_template_global()
def moderation_pending_count() -> int:
    """The number next to the staff's "Review queue" link (one indexed COUNT)."""
    return moderation.pending_count()


@bp.app_template_global()
def report_reason_label(key: str) -> str:
    return reason_label(key)


# --- members: reporting and their standing ---------------------------------------------------------

REPORT_KINDS = ("post", "topic", "user")


@bp.route("/report/<kind>/<int:target_id>", methods=["GET", "POST"])
@rate_limit("reporting")
@login_required
def report(kind: str, target_id: int):
    if kind not in REPORT_KINDS:
        raise NotFound("We could not find that.")
    why = why_cannot_participate(current_user)
    if why:
        return render_template("errors/error.html", status=403, title="You cannot report at the moment", message=why), 403
    target_type, post, member = moderation.report_target(current_user, kind, target_id)
    item_id = post.id if post is not None else member.id
    form = f.ReportForm()
    already = moderation.already_reported(current_user, target_type, item_id)
    if request.method == "POST" and not already and form.validate_on_submit():
        try:
            moderation.file_report(current_user, kind, target_id, form.reason.data, form.note.data)
        except ForumError as error:
            if error.status != 422:
                raise
            form.note.errors.append(error.message)
        else:
            db.session.commit()
            flash("Reported, thank you. A moderator will look at it; you can follow it under “My reports”.", "success")
            return redirect(post_link(post) if post is not None else url_for("accounts.profile", username=member.username))
    status = 409 if (already and request.method == "POST") else form_status(form)
    return render_template("moderation/report.html", form=form, post=post, member=member, kind=kind,
                           target_id=target_id, already=already), status


def post_link(post) -> str:
    return url_for("boards.post", post_id=post.id)


@bp.get("/reports/mine")
@login_required
def my_reports():
    reports, posts, users = moderation.reports_by(current_user)
    return render_template("moderation/my_reports.html", reports=reports, posts=posts, users=users)


@bp.get("/account/standing")
@login_required
def standing():
    return render_template("moderation/standing.html", warnings=moderation.open_warnings(current_user),
                           confirm=ConfirmForm())


@bp.post("/warnings/<int:warning_id>/acknowledge")
@login_required
def acknowledge(warning_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    moderation.acknowledge_warning(warning_id, current_user)
    db.session.commit()
    flash("Thank you for reading the warning. You can post again.", "success")
    return redirect(url_for("moderation.standing"))


# --- staff: the queue ------------------------------------------------------------------------------


@bp.get("/mod")
@staff_required
def queue():
    status = request.args.get("status", "pending")
    reason = request.args.get("reason", "")
    sort = request.args.get("sort", "urgent")
    if status not in {s.value for s in ReviewStatus} | {"all"}:
        abort(400, description="Unknown status filter.")
    if reason and reason not in REASON_LABELS:
        abort(400, description="Unknown reason filter.")
    if sort not in moderation.SORTS:
        abort(400, description="Unknown sort order.")
    listing = moderation.queue_page(None if status == "all" else status, reason or None, sort, page_arg())
    return render_template("moderation/queue.html", listing=listing, status=status, reason=reason, sort=sort,
                           statuses=list(ReviewStatus), reasons=REASON_LABELS)


@bp.get("/mod/entries/<int:entry_id>")
@staff_required
def entry(entry_id: int):
    entry = moderation.load_entry(entry_id)
    if entry.target_type is TargetType.EXPERIENCE:  # treatment reports have their own page
        return redirect(url_for("treatments.moderate", experience_id=entry.target_id))
    if entry.target_type is TargetType.MESSAGE:  # so do private messages (seen only through reports)
        return redirect(url_for("messages.review", message_id=entry.target_id))
    return _render_item(moderation.entry_view(entry))


@bp.get("/mod/posts/<int:post_id>")
@staff_required
def post_item(post_id: int):
    pending = moderation.pending_entry(TargetType.POST, post_id)
    if pending is not None:
        return redirect(url_for("moderation.entry", entry_id=pending.id))
    return _render_item(moderation.item_view(TargetType.POST, post_id))


@bp.get("/mod/users/<username>")
@staff_required
def member_item(username: str):
    member = _member_or_404(username)
    pending = moderation.pending_entry(TargetType.USER, member.id)
    if pending is not None:
        return _render_item(moderation.entry_view(pending))
    return _render_item(moderation.item_view(TargetType.USER, member.id))


def _member_or_404(username: str) -> User:
    member = db.session.scalar(select(User).where(User.username_key == User.key_for(username)))
    if member is None:
        raise NotFound("There is no member with that name.")
    return member


# The forms each kind of item offers, by action name (also the form's prefix and the URL's last part).
POST_FORMS = {
    "dismiss": f.PlainActionForm,
    "hide": f.ReasonActionForm,
    "restore": f.PlainActionForm,
    "delete": f.ReasonActionForm,
    "approve": f.PlainActionForm,
    "reject": f.ReasonActionForm,
    "lock": f.PlainActionForm,
    "unlock": f.PlainActionForm,
    "pin": f.PlainActionForm,
    "unpin": f.PlainActionForm,
    "move": f.MoveForm,
}
MEMBER_FORMS = {
    "dismiss": f.PlainActionForm,
    "warn": f.WarnForm,
    "suspend": f.SuspendForm,
    "ban": f.BanForm,
    "lift": f.PlainActionForm,
}


def _forms(view, bound: tuple[str, object] | None = None) -> dict:
    forms: dict = {}
    entry_id = view.entry.id if view.entry is not None else ""
    classes = dict(POST_FORMS) if view.post is not None else {}
    classes.update({f"member_{k}": v for k, v in MEMBER_FORMS.items()})
    for name, cls in classes.items():
        form = cls(prefix=name, formdata=None)
        form.entry_id.data = entry_id
        if name == "move":
            form.board.choices = [(b.id, b.name) for b in view.boards if b.id != view.post.topic.board_id]
        forms[name] = form
    forms["note"] = f.StaffNoteForm(prefix="note", formdata=None)
    if bound is not None:
        forms[bound[0]] = bound[1]
    return forms


def _render_item(view, bound=None, status: int = 200, problem: str | None = None):
    return render_template("moderation/item.html", view=view, forms=_forms(view, bound), problem=problem,
                           TargetType=TargetType, ContentStatus=ContentStatus), status


def _entry_from(form):
    raw = (form.entry_id.data or "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        abort(400, description="The queue entry number is not valid.")
    return moderation.load_entry(int(raw))


def _act(view, name: str, form, perform, done: str, back: str):
    """Validate, perform, commit, redirect; on bad input 422 and on a conflict 409, with the page again."""
    if form.validate_on_submit():
        entry = _entry_from(form)
        try:
            perform(entry)
        except ForumError as error:
            db.session.rollback()
            if error.status == 422:
                target = getattr(form, "reason", None) or next(iter(form))
                target.errors = [*target.errors, error.message]
            elif error.status == 409:
                fresh = moderation.entry_view(moderation.load_entry(entry.id)) if entry else _reload(view)
                return _render_item(fresh, status=409, problem=error.message)
            else:
                raise
        else:
            db.session.commit()
            flash(done, "success")
            return redirect(back if entry is None else url_for("moderation.entry", entry_id=entry.id))
    if view.entry is None:
        raw = (form.entry_id.data or "").strip()
        if raw.isdigit():
            view = moderation.entry_view(moderation.load_entry(int(raw)))
    return _render_item(view, bound=(name, form), status=422)


def _reload(view):
    if view.post is not None:
        return moderation.item_view(TargetType.POST, view.post.id)
    return moderation.item_view(TargetType.USER, view.member.id)


@bp.post("/mod/posts/<int:post_id>/<action>")
@staff_required
def post_action(post_id: int, action: str):
    if action not in POST_FORMS:
        raise NotFound("There is no such moderator action.")
    view = moderation.item_view(TargetType.POST, post_id)
    post, topic, me = view.post, view.post.topic, current_user._get_current_object()
    form = POST_FORMS[action](prefix=action)
    if action == "move":
        form.board.choices = [(b.id, b.name) for b in view.boards if b.id != topic.board_id]
    reason = lambda: form.reason.data  # noqa: E731
    performers = {
        "dismiss": lambda e: moderation.dismiss(_require_entry(e), me, reason()),
        "hide": lambda e: moderation.hide_post(post, me, reason(), entry=e),
        "restore": lambda e: moderation.restore_post(post, me, entry=e),
        "delete": lambda e: moderation.delete_post(post, me, reason(), entry=e),
        "approve": lambda e: moderation.approve_post(post, me, entry=e),
        "reject": lambda e: moderation.reject_post(post, me, reason(), entry=e),
        "lock": lambda e: moderation.lock_topic(topic, me, reason(), entry=e, post=post),
        "unlock": lambda e: moderation.unlock_topic(topic, me, reason(), entry=e, post=post),
        "pin": lambda e: moderation.pin_topic(topic, me, reason(), entry=e, post=post),
        "unpin": lambda e: moderation.unpin_topic(topic, me, reason(), entry=e, post=post),
        "move": lambda e: moderation.move_topic(topic, me, db.session.get(Board, form.board.data), reason(), entry=e, post=post),
    }
    done = {
        "dismiss": "Dismissed: no violation. The reporters will be told.",
        "hide": "The post is hidden. Its author was told why.",
        "restore": "The post is visible again.",
        "delete": "The post was removed. Its author was told why.",
        "approve": "The post is approved and published.",
        "reject": "The post was rejected. Its author was told why.",
        "lock": "The topic is locked.",
        "unlock": "The topic is unlocked.",
        "pin": "The topic is pinned.",
        "unpin": "The topic is unpinned.",
        "move": "The topic was moved.",
    }[action]
    return _act(view, action, form, performers[action], done, url_for("moderation.post_item", post_id=post.id))


def _require_entry(entry):
    if entry is None:
        raise NotFound("Only a queue entry can be dismissed.")
    return entry


@bp.post("/mod/users/<username>/<action>")
@staff_required
def member_action(username: str, action: str):
    member = _member_or_404(username)
    me = current_user._get_current_object()
    if action == "note":
        form = f.StaffNoteForm(prefix="note")
        if form.validate_on_submit():
            moderation.add_staff_note(member, me, form.body.data)
            db.session.commit()
            flash("Note added.", "success")
            return redirect(request.form.get("back_to") if _safe_back() else url_for("moderation.member_item", username=member.username))
        view = moderation.item_view(TargetType.USER, member.id)
        return _render_item(view, bound=("note", form), status=422)
    if action not in MEMBER_FORMS:
        raise NotFound("There is no such moderator action.")
    form = MEMBER_FORMS[action](prefix=f"member_{action}")
    entry = None
    raw = (request.form.get(f"member_{action}-entry_id") or "").strip()
    if raw.isdigit():
        entry = moderation.load_entry(int(raw))
    view = moderation.entry_view(entry) if entry is not None else moderation.item_view(TargetType.USER, member.id)
    performers = {
        "dismiss": lambda e: moderation.dismiss(_require_entry(e), me, form.reason.data),
        "warn": lambda e: moderation.warn_member(member, me, form.reason.data, entry=e),
        "suspend": lambda e: moderation.suspend_member(member, me, form.days.data, form.reason.data, entry=e),
        "ban": lambda e: moderation.ban_member(member, me, form.reason.data, entry=e),
        "lift": lambda e: moderation.lift_sanction(member, me, form.reason.data, entry=e),
    }
    done = {
        "dismiss": "Dismissed: no violation. The reporters will be told.",
        "warn": f"{member.username} was warned and must acknowledge it before posting again.",
        "suspend": f"{member.username} is suspended.",
        "ban": f"{member.username} is banned.",
        "lift": f"The restriction on {member.username} was lifted.",
    }[action]
    return _act(view, f"member_{action}", form, performers[action], done,
                url_for("moderation.member_item", username=member.username))


def _safe_back() -> bool:
    target = request.form.get("back_to", "")
    return target.startswith("/mod/") and "//" not in target


@bp.route("/mod/posts/<int:post_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_post(post_id: int):
    view = moderation.item_view(TargetType.POST, post_id)
    post = view.post
    require(can_moderate_post(current_user, post, "edit"), why_cannot_moderate_post(current_user, post, "edit"))
    form = f.ModEditForm(prefix="edit")
    if request.method == "GET":
        form.body.data = post.body
        form.title.data = post.topic.title if post.is_first else None
        pending = moderation.pending_entry(TargetType.POST, post.id)
        form.entry_id.data = request.args.get("entry") or (pending.id if pending else "")
    if form.validate_on_submit():
        entry = _entry_from(form)
        try:
            moderation.edit_post(post, current_user._get_current_object(), form.body.data, form.note.data,
                                 title=form.title.data if post.is_first else None, entry=entry)
        except ForumError as error:
            db.session.rollback()
            if error.status == 409:
                return render_template("moderation/edit.html", post=post, form=form, problem=error.message), 409
            if error.status != 422:
                raise
            (form.title if "title" in error.message.lower() else form.note if "note" in error.message.lower() else form.body).errors.append(error.message)
        else:
            db.session.commit()
            flash("The post was edited; its author was told why.", "success")
            return redirect(url_for("moderation.entry", entry_id=entry.id) if entry else url_for("moderation.post_item", post_id=post.id))
    return render_template("moderation/edit.html", post=post, form=form, problem=None), form_status(form)


# --- staff: the audit log and watched words --------------------------------------------------------


@bp.get("/mod/log")
@staff_required
def log():
    moderator = request.args.get("moderator", "").strip()
    action = request.args.get("action", "").strip()
    member = request.args.get("member", "").strip()
    before = request.args.get("before", "")
    if before and not before.isdigit():
        abort(400, description="“before” must be an entry number.")
    rows, older = moderation.log_page(moderator or None, action or None, member or None, int(before) if before else None)
    return render_template("moderation/log.html", rows=rows, older=older, moderator=moderator, action=action,
                           member=member, actions=moderation.log_actions())


@bp.route("/mod/watched-words", methods=["GET", "POST"])
@staff_required
def watched_words():
    require(can_manage_watched_words(current_user), "Only admins manage watched words.")
    form = f.WatchedWordForm()
    if form.validate_on_submit():
        try:
            moderation.add_watched_word(current_user, form.word.data, form.action.data)
        except ForumError as error:
            if error.status != 422:
                raise
            form.word.errors.append(error.message)
        else:
            db.session.commit()
            flash(f"“{form.word.data.strip().lower()}” is now watched.", "success")
            return redirect(url_for("moderation.watched_words"))
    return render_template("moderation/watched_words.html", form=form, words=moderation.watched_words(),
                           confirm=ConfirmForm()), form_status(form)


@bp.post("/mod/watched-words/<int:word_id>/delete")
@staff_required
def delete_watched_word(word_id: int):
    require(can_manage_watched_words(current_user), "Only admins manage watched words.")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    moderation.remove_watched_word(current_user, word_id)
    db.session.commit()
    flash("The watched word was removed.", "success")
    return redirect(url_for("moderation.watched_words"))

