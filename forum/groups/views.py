from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum.boards.forms import ConfirmForm
from forum.errors import ForumError, NotFound
from forum.groups import bp
from forum.groups.forms import ContactForm, GroupForm, ReviewForm
from forum.models.base import db
from forum.models.groups import GroupStatus
from forum.moderation.views import staff_required
from forum.permissions import can_propose_group, can_read_group_messages, can_view_group, require, why_cannot_participate
from forum.ratelimits import rate_limit
from forum.services import groups
from forum.views_util import form_status


def _key_arg(name: str) -> int | None:
    raw = request.args.get(name, "")
    if raw and (not raw.isdigit() or len(raw) > 18):
        abort(400, description=f"The ?{name}= value must be a number.")
    return int(raw) if raw else None


def _text_arg(name: str, limit: int) -> str:
    value = request.args.get(name, "")
    if len(value) > limit or "\x00" in value:
        abort(400, description=f"The ?{name}= value is too long or not valid.")
    return value.strip()


def _group(group_id: int):
    group = groups.load_group(group_id)
    if not can_view_group(current_user, group):
        raise NotFound("There is no such group. It may be waiting for a moderator or have been removed.")
    return group


def _confirmed(form) -> None:
    if not form.validate_on_submit():
        abort(400)


def _show(group):
    return redirect(url_for("groups.show", group_id=group.id))


def _field_problem(form, field, error: ForumError):
    if error.status != 422:
        raise error
    field.errors = [*field.errors, error.message]


@bp.get("/groups")
def index():
    query, country = _text_arg("q", groups.QUERY_MAX), _text_arg("country", groups.COUNTRY_MAX)
    rows, next_key = groups.directory(query, country, _key_arg("after"))
    return render_template("groups/index.html", groups=rows, next_key=next_key, query=query, country=country.lower(),
                           countries=groups.countries(), is_stale=groups.is_stale)


@bp.get("/groups/mine")
@login_required
def mine():
    return render_template("groups/mine.html", groups=groups.my_groups(current_user), is_stale=groups.is_stale)


@bp.route("/groups/new", methods=["GET", "POST"])
@rate_limit("posting")
@login_required
def new():
    require(can_propose_group(current_user), why_cannot_participate(current_user))
    return _save(GroupForm(), None, lambda data: groups.propose_group(current_user, data),
                 "Thank you. A moderator will check the group before it is listed.")


def _save(form, group, save, message: str):
    """Validate the group's form, save it, commit once and show the group; or the form again (422)."""
    if form.validate_on_submit():
        try:
            saved = save(form.to_input())
        except ForumError as error:
            _field_problem(form, form.description, error)
        else:
            db.session.commit()
            flash(message, "success")
            return _show(saved)
    return render_template("groups/form.html", form=form, group=group), form_status(form)


@bp.get("/groups/<int:group_id>")
def show(group_id: int):
    group = _group(group_id)
    return render_template("groups/show.html", group=group, stale=groups.is_stale(group), confirm=ConfirmForm())


@bp.route("/groups/<int:group_id>/edit", methods=["GET", "POST"])
@rate_limit("posting")
@login_required
def edit(group_id: int):
    group = _group(group_id)
    require(group.organiser_id == current_user.id, "Only the group's organiser can change it.")
    form = GroupForm(obj=group if request.method == "GET" else None)
    if request.method == "GET":
        form.format.data = group.format.value
    return _save(form, group, lambda data: groups.edit_group(current_user, group, data),
                 "Saved. A moderator will check the changes before the group is listed again.")


@bp.post("/groups/<int:group_id>/delete")
@login_required
def delete(group_id: int):
    group = _group(group_id)
    _confirmed(ConfirmForm())
    groups.delete_group(current_user, group)
    db.session.commit()
    flash("The group is removed from the directory.", "success")
    return redirect(url_for("groups.mine"))


@bp.post("/groups/<int:group_id>/confirm")
@login_required
def confirm(group_id: int):
    group = _group(group_id)
    _confirmed(ConfirmForm())
    groups.confirm_group(current_user, group)
    db.session.commit()
    flash("Thank you: the group is confirmed as still meeting.", "success")
    return _show(group)


@bp.post("/groups/<int:group_id>/thread")
@rate_limit("posting")
@login_required
def thread(group_id: int):
    group = _group(group_id)
    _confirmed(ConfirmForm())
    topic_id = groups.open_thread(current_user, group)
    db.session.commit()
    flash("The group's announcements thread is open in the local groups board.", "success")
    return redirect(url_for("boards.topic", topic_id=topic_id))


@bp.route("/groups/<int:group_id>/contact", methods=["GET", "POST"])
@rate_limit("posting")
@login_required
def contact(group_id: int):
    group = _group(group_id)
    require(why_cannot_participate(current_user) is None, why_cannot_participate(current_user))
    form = ContactForm()
    if form.validate_on_submit():
        try:
            groups.contact_organiser(current_user, group, form.body.data)
        except ForumError as error:
            _field_problem(form, form.body, error)
        else:
            db.session.commit()
            flash("Your message was sent to the organiser, who will see your forum name.", "success")
            return _show(group)
    elif request.method == "GET":
        from forum.permissions import can_contact_group

        require(can_contact_group(current_user, group), "This group cannot be contacted through the forum at the moment.")
    return render_template("groups/contact.html", form=form, group=group), form_status(form)


@bp.get("/groups/<int:group_id>/messages")
@login_required
def messages(group_id: int):
    group = _group(group_id)
    require(can_read_group_messages(current_user, group), "Only the group's organiser reads its messages.")
    rows, next_key = groups.contacts(group, _key_arg("before"))
    return render_template("groups/messages.html", group=group, contacts=rows, next_key=next_key)


# --- staff ----------------------------------------------------------------------------------------


@bp.get("/mod/groups")
@staff_required
def review_queue():
    rows, next_key = groups.directory(after_id=_key_arg("after"), status=GroupStatus.PENDING)
    return render_template("groups/queue.html", groups=rows, next_key=next_key, form=ReviewForm(formdata=None))


@bp.post("/mod/groups/<int:group_id>/<action>")
@staff_required
def review(group_id: int, action: str):
    if action not in ("verify", "reject"):
        raise NotFound("There is no such moderator action.")
    group = groups.load_group(group_id)
    form = ReviewForm()
    if form.validate_on_submit():
        try:
            if action == "verify":
                groups.verify_group(current_user, group, form.reason.data)
            else:
                groups.reject_group(current_user, group, form.reason.data)
        except ForumError as error:
            db.session.rollback()
            _field_problem(form, form.reason, error)
        else:
            db.session.commit()
            flash("The group is listed." if action == "verify" else "The group is not listed; its organiser was told why.", "success")
            return redirect(url_for("groups.review_queue"))
    return render_template("groups/show.html", group=group, stale=groups.is_stale(group), confirm=ConfirmForm(),
                           review_form=form), 422
