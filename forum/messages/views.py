from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from forum.boards.forms import ConfirmForm
from forum.errors import ForumError, NotFound
from forum.messages import bp
from forum.messages.forms import MessageForm, NewConversationForm
from forum.models import User
from forum.models.base import db
from forum.moderation.forms import ReportForm
from forum.moderation.views import staff_required
from forum.permissions import can_report_message, why_cannot_start_conversation
from forum.ratelimits import rate_limit
from forum.safety.views import offer_support
from forum.services import messages
from forum.treatments.forms import ModerateForm
from forum.views_util import form_status, key_arg


def _me() -> User:
    return current_user._get_current_object()


def _field_problem(field, error: ForumError) -> int:
    """Show a service's refusal under the field; the status it calls for (422, 403, 409)."""
    if error.status not in (403, 409, 422):
        raise error
    field.errors = [*field.errors, error.message]
    return error.status


def _member(username: str) -> User:
    member = db.session.scalar(select(User).where(User.username_key == User.key_for(username[:30])))
    if member is None or member.password_hash == "":
        raise NotFound("There is no member with that name.")
    return member


def _confirmed() -> None:
    if not ConfirmForm().validate_on_submit():
        abort(400)


@bp.get("/messages")
@login_required
def inbox():
    try:
        before = messages.parse_inbox_key(request.args.get("before"))
    except ForumError as error:
        abort(400, description=error.message)
    lines, next_key = messages.inbox(_me(), before)
    if before is None:
        # The list's first page also sets the header's number right, should it ever have drifted.
        messages.recount_unread(_me())
        db.session.commit()
    return render_template("messages/index.html", lines=lines, next_key=next_key,
                           why_not=why_cannot_start_conversation(current_user))


@bp.route("/messages/new", methods=["GET", "POST"])
@rate_limit("messaging")
@login_required
def new():
    form = NewConversationForm()
    why_not = why_cannot_start_conversation(current_user)
    if why_not:  # the page says why, and offers no form
        return render_template("messages/new.html", form=form, why_not=why_not), 403 if request.method == "POST" else 200
    status = 200
    if request.method == "GET":
        form.recipients.data = request.args.get("to", "")[:messages.RECIPIENTS_MAX_CHARS]
    elif form.validate_on_submit():
        try:
            conversation, message = messages.start_conversation(_me(), form.recipients.data, form.title.data, form.body.data)
        except ForumError as error:
            db.session.rollback()
            status = _field_problem(_field_for(form, error), error)
        else:
            db.session.commit()
            offer_support(message)
            flash("Your message was sent.", "success")
            return redirect(url_for("messages.conversation", conversation_id=conversation.id, _anchor=f"message-{message.id}"))
    return render_template("messages/new.html", form=form, why_not=None), status if status != 200 else form_status(form)


def _field_for(form: NewConversationForm, error: ForumError):
    if isinstance(error, messages.RecipientProblem) or error.status == 403:
        return form.recipients
    return form.title if isinstance(error, messages.SubjectProblem) else form.body


@bp.route("/messages/<int:conversation_id>", methods=["GET", "POST"])
@rate_limit("messaging")
@login_required
def conversation(conversation_id: int):
    form = MessageForm()
    status = 200
    if request.method == "POST":
        conversation, membership = messages.membership_of(current_user, conversation_id)
        if form.validate_on_submit():
            try:
                message = messages.send_message(_me(), conversation, membership, form.body.data)
            except ForumError as error:
                db.session.rollback()
                status = _field_problem(form.body, error)
            else:
                db.session.commit()
                offer_support(message)
                return redirect(url_for("messages.conversation", conversation_id=conversation_id, _anchor=f"message-{message.id}"))
        else:
            status = 422
    page = messages.conversation_page(current_user, conversation_id, key_arg("message", "before"))
    if page.older is None or request.args.get("before") is None:
        if messages.mark_read(_me(), page):
            db.session.commit()
    return render_template("messages/conversation.html", page=page, form=form, confirm=ConfirmForm(),
                           blocked=messages.blocked_ids(current_user)), status


@bp.post("/messages/<int:conversation_id>/leave")
@login_required
def leave(conversation_id: int):
    _confirmed()
    messages.leave(_me(), conversation_id)
    db.session.commit()
    flash("You left the conversation. Its members can no longer write to you in it.", "success")
    return redirect(url_for("messages.inbox"))


@bp.route("/messages/report/<int:message_id>", methods=["GET", "POST"])
@rate_limit("reporting")
@login_required
def report(message_id: int):
    message, membership = messages.message_for_member(current_user, message_id)
    form = ReportForm()
    status = 200
    if form.validate_on_submit():
        try:
            messages.report_message(_me(), message_id, form.reason.data, form.note.data)
        except ForumError as error:
            db.session.rollback()
            status = _field_problem(form.note, error)
        else:
            db.session.commit()
            flash("Reported, thank you. A moderator will look at this message; you can follow it under “My reports”.", "success")
            return redirect(url_for("messages.conversation", conversation_id=message.conversation_id))
    elif request.method == "GET" and not can_report_message(current_user, message, membership):
        from forum.permissions import require

        require(False, "You cannot report your own message." if message.author_id == current_user.id else "This message cannot be reported.")
    return render_template("messages/report.html", form=form, message=message), status if status != 200 else form_status(form)


# --- blocking -------------------------------------------------------------------------------------


@bp.get("/blocked")
@login_required
def blocked():
    return render_template("messages/blocked.html", blocks=messages.blocked_members(_me()), confirm=ConfirmForm())


@bp.post("/members/<username>/block")
@login_required
def block(username: str):
    member = _member(username)
    _confirmed()
    messages.block(_me(), member)
    db.session.commit()
    flash(f"You blocked {member.username}: no messages between you, you will not hear from them, "
          "and their posts are folded away for you. They are not told.", "success")
    return redirect(url_for("accounts.profile", username=member.username))


@bp.post("/members/<username>/unblock")
@login_required
def unblock(username: str):
    member = _member(username)
    _confirmed()
    messages.unblock(_me(), member)
    db.session.commit()
    flash(f"You unblocked {member.username}.", "success")
    target = request.form.get("next", "")
    return redirect(url_for("messages.blocked") if target == "blocked" else url_for("accounts.profile", username=member.username))


# --- staff ----------------------------------------------------------------------------------------

MOD_ACTIONS = ("hide", "restore", "dismiss")


@bp.get("/mod/messages/<int:message_id>")
@staff_required
def review(message_id: int, form: ModerateForm | None = None, problem: str | None = None, status: int = 200):
    message = messages.reported_message(_me(), message_id)
    entry, reports = messages.entry_reports(message_id)
    if form is None:
        form = ModerateForm(formdata=None)
        form.entry_id.data = entry.id if entry else ""
    return render_template("messages/review.html", message=message, entry=entry, reports=reports, form=form,
                           problem=problem, confirm=ConfirmForm()), status


@bp.post("/mod/messages/<int:message_id>/conversation")
@staff_required
def review_conversation(message_id: int):
    _confirmed()
    message, rows, members = messages.open_for_review(_me(), message_id)
    db.session.commit()  # the access is logged before anything is shown
    return render_template("messages/review_conversation.html", message=message, rows=rows, members=members)


@bp.post("/mod/messages/<int:message_id>/<action>")
@staff_required
def review_action(message_id: int, action: str):
    if action not in MOD_ACTIONS:
        raise NotFound("There is no such moderator action.")
    message = messages.reported_message(_me(), message_id)
    form = ModerateForm()
    if not form.validate_on_submit():
        return review(message_id, form=form, status=422)
    raw = (form.entry_id.data or "").strip()
    if raw and not raw.isdigit():
        abort(400, description="The queue entry number is not valid.")
    from forum.services import moderation

    entry = moderation.load_entry(int(raw)) if raw else None
    try:
        if action == "hide":
            messages.hide_message(message, _me(), form.reason.data, entry=entry)
        elif action == "restore":
            messages.restore_message(message, _me(), entry=entry)
        else:
            messages.dismiss_reports(message, _me(), entry, form.reason.data)
    except ForumError as error:
        db.session.rollback()
        if error.status == 422:
            form.reason.errors = [*form.reason.errors, error.message]
            return review(message_id, form=form, status=422)
        if error.status == 409:
            return review(message_id, problem=error.message, status=409)
        raise
    db.session.commit()
    flash({"hide": "The message is hidden.", "restore": "The message is shown again.", "dismiss": "Dismissed."}[action], "success")
    return redirect(url_for("messages.review", message_id=message.id))
