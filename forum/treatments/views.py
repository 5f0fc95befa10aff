from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum.boards.forms import ConfirmForm
from forum.errors import ForumError, NotFound
from forum.models import ContentStatus
from forum.models.base import db
from forum.models.treatment import RATINGS, SIDE_EFFECTS
from forum.moderation.forms import ReportForm
from forum.moderation.views import staff_required
from forum.permissions import (
    can_file_experience,
    can_link_treatment_article,
    can_view_experience,
    can_view_experience_history,
    require,
    why_cannot_participate,
)
from forum.ratelimits import rate_limit
from forum.safety.views import offer_support
from forum.services import treatments
from forum.treatments import bp
from forum.treatments.forms import ArticleLinkForm, ExperienceForm, ModerateForm, NewExperienceForm
from forum.views_util import form_status


def _key_arg(name: str = "before") -> int | None:
    raw = request.args.get(name, "")
    if raw and (not raw.isdigit() or len(raw) > 18):
        abort(400, description=f"The ?{name}= value must be a report number.")
    return int(raw) if raw else None


def _visible(experience_id: int):
    experience = treatments.load_experience(experience_id)
    if not can_view_experience(current_user, experience):
        # Unshared health details are not even acknowledged to exist.
        raise NotFound("There is no such treatment report, or its author keeps it private.")
    return experience


def _own(experience_id: int):
    experience = treatments.load_experience(experience_id)
    require(experience.user_id == getattr(current_user, "id", None), "This is another member's report.")
    return experience


def _form_problem(form, error: ForumError) -> None:
    if error.status != 422:
        raise error
    form.story.errors = [*form.story.errors, error.message]


@bp.get("/treatments")
def index():
    return render_template("treatments/index.html", counts=treatments.report_counts(), minimum=treatments.SUMMARY_MINIMUM)


@bp.get("/treatments/mine")
@login_required
def mine():
    return render_template("treatments/mine.html", experiences=treatments.my_experiences(current_user))


@bp.route("/treatments/new", methods=["GET", "POST"])
@rate_limit("posting")
@login_required
def new():
    why = why_cannot_participate(current_user)
    require(can_file_experience(current_user), why)
    form = NewExperienceForm()
    if request.method == "GET" and request.args.get("treatment") in {t.value for t in treatments.Treatment}:
        form.treatment.data = request.args["treatment"]
    if form.validate_on_submit():
        try:
            experience = treatments.file_experience(current_user, form.to_input(form.treatment.data, form.other_name.data))
        except ForumError as error:
            if error.status == 409:
                form.treatment.errors = [*form.treatment.errors, error.message]
                return render_template("treatments/form.html", form=form, experience=None), 409
            _form_problem(form, error)
        else:
            return _saved(experience, "Thank you for sharing your experience.")
    return render_template("treatments/form.html", form=form, experience=None), form_status(form)


def _saved(experience, message: str):
    """Commit a filed or edited report, offer help if its story needs it, and show it."""
    db.session.commit()
    offer_support(experience)
    flash(message, "success")
    return redirect(url_for("treatments.experience", experience_id=experience.id))


def _article_form(**kwargs) -> ArticleLinkForm:
    form = ArticleLinkForm(**kwargs)
    form.article.choices = [("", "No article")] + [(str(i), t) for i, t in treatments.published_articles()]
    return form


@bp.get("/treatments/<slug>")
def treatment(slug: str):
    chosen = treatments.treatment_for(slug)
    stories, next_key = treatments.shared_stories(chosen, _key_arg())
    link_form = None
    if can_link_treatment_article(current_user):
        link_form = _article_form(formdata=None)
    article = treatments.treatment_article(chosen)
    if link_form is not None and article is not None:
        link_form.article.data = str(article.id)
    return render_template(
        "treatments/treatment.html", treatment=chosen, summary=treatments.summary(chosen), article=article,
        stories=stories, next_key=next_key, minimum=treatments.SUMMARY_MINIMUM, link_form=link_form,
    )


@bp.post("/treatments/<slug>/article")
@staff_required
def link_article(slug: str):
    chosen = treatments.treatment_for(slug)
    form = _article_form()
    if not form.validate_on_submit():
        abort(422, description="Please choose one of the published articles.")
    treatments.link_article(current_user, chosen, int(form.article.data) if form.article.data else None)
    db.session.commit()
    flash("The treatment's page now points to the chosen article." if form.article.data else "The article link was removed.", "success")
    return redirect(url_for("treatments.treatment", slug=chosen.value))


@bp.get("/treatments/experiences/<int:experience_id>")
def experience(experience_id: int):
    experience = _visible(experience_id)
    return render_template("treatments/experience.html", experience=experience, confirm=ConfirmForm())


@bp.route("/treatments/experiences/<int:experience_id>/edit", methods=["GET", "POST"])
@rate_limit("posting")
@login_required
def edit(experience_id: int):
    experience = _own(experience_id)
    form = ExperienceForm(obj=experience if request.method == "GET" else None)
    if request.method == "GET":
        form.condition.data = experience.condition.value
        form.side_effects.data = [e.effect for e in experience.side_effects]
    if form.validate_on_submit():
        try:
            treatments.edit_experience(current_user, experience, form.to_input())
        except ForumError as error:
            _form_problem(form, error)
        else:
            return _saved(experience, "Your report is updated; the earlier version is kept in its history.")
    return render_template("treatments/form.html", form=form, experience=experience), form_status(form)


@bp.post("/treatments/experiences/<int:experience_id>/delete")
@login_required
def delete(experience_id: int):
    experience = _own(experience_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    treatments.delete_experience(current_user, experience)
    db.session.commit()
    flash("Your report and its history are deleted.", "success")
    return redirect(url_for("treatments.mine"))


@bp.get("/treatments/experiences/<int:experience_id>/history")
@login_required
def history(experience_id: int):
    experience = treatments.load_experience(experience_id)
    if not can_view_experience_history(current_user, experience):
        raise NotFound("There is no such treatment report, or its author keeps it private.")
    return render_template("treatments/history.html", experience=experience, revisions=treatments.history(experience),
                           side_effect_labels=SIDE_EFFECTS, ratings=RATINGS)


@bp.route("/treatments/experiences/<int:experience_id>/report", methods=["GET", "POST"])
@rate_limit("reporting")
@login_required
def report(experience_id: int):
    experience = _visible(experience_id)
    form = ReportForm()
    status = 200
    if form.validate_on_submit():
        try:
            treatments.report_experience(current_user, experience, form.reason.data, form.note.data)
        except ForumError as error:
            if error.status == 422:
                form.note.errors = [*form.note.errors, error.message]
            elif error.status == 409:
                form.note.errors = [*form.note.errors, error.message]
                status = 409
            else:
                raise
        else:
            db.session.commit()
            flash("Reported, thank you. A moderator will look at it; you can follow it under “My reports”.", "success")
            return redirect(url_for("treatments.experience", experience_id=experience.id))
    elif request.method == "GET":
        require(_may_report(experience), "You cannot report this treatment report.")
    return render_template("treatments/report.html", form=form, experience=experience), status if status != 200 else form_status(form)


def _may_report(experience) -> bool:
    from forum.permissions import can_report_experience

    return can_report_experience(current_user, experience)


# --- staff ----------------------------------------------------------------------------------------

MOD_ACTIONS = ("hide", "restore", "dismiss")


@bp.get("/mod/experiences/<int:experience_id>")
@staff_required
def moderate(experience_id: int, form: ModerateForm | None = None, problem: str | None = None, status: int = 200):
    entry, reports = treatments.entry_reports(experience_id)
    experience = treatments.load_experience(experience_id)
    if form is None:
        form = ModerateForm(formdata=None)
        form.entry_id.data = entry.id if entry else ""
    return render_template("treatments/moderate.html", experience=experience, entry=entry, reports=reports, form=form,
                           problem=problem, ContentStatus=ContentStatus), status


@bp.post("/mod/experiences/<int:experience_id>/<action>")
@staff_required
def moderate_action(experience_id: int, action: str):
    if action not in MOD_ACTIONS:
        raise NotFound("There is no such moderator action.")
    experience = treatments.load_experience(experience_id)
    form = ModerateForm()
    if not form.validate_on_submit():
        return moderate(experience_id, form=form, status=422)
    raw = (form.entry_id.data or "").strip()
    if raw and not raw.isdigit():
        abort(400, description="The queue entry number is not valid.")
    from forum.services import moderation

    entry = moderation.load_entry(int(raw)) if raw else None
    me = current_user._get_current_object()
    try:
        if action == "hide":
            treatments.hide_experience(experience, me, form.reason.data, entry=entry)
        elif action == "restore":
            treatments.restore_experience(experience, me, entry=entry)
        else:
            treatments.dismiss_reports(experience, me, entry, form.reason.data)
    except ForumError as error:
        db.session.rollback()
        if error.status == 422:
            form.reason.errors = [*form.reason.errors, error.message]
            return moderate(experience_id, form=form, status=422)
        if error.status == 409:
            return moderate(experience_id, problem=error.message, status=409)
        raise
    db.session.commit()
    flash({"hide": "The report is hidden.", "restore": "The report is shown again.", "dismiss": "Dismissed."}[action], "success")
    return redirect(url_for("treatments.moderate", experience_id=experience.id))
