"""Article pages: reading, writing, review, pins, history, the feed, and the expert register."""
from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from forum.articles import bp
from forum.articles.forms import (
    ArchiveForm,
    ArticleForm,
    ExpertForm,
    ListFilterForm,
    PinForm,
    ReturnForm,
    RevokeForm,
)
from forum.boards.forms import ConfirmForm
from forum.cache import cached_page
from forum.control_chars import xml_safe
from forum.errors import ForumError, NotFound
from forum.models import Article, ArticleStatus, Board, RevisionStatus, User
from forum.models.base import db
from forum.permissions import (
    can_archive_article,
    can_create_article,
    can_edit_article,
    can_manage_experts,
    can_moderate,
    can_pin_article,
    can_restore_article,
    can_review_article,
    can_view_article,
    can_view_article_history,
    require,
)
from forum.services import articles, experts
from forum.services.articles import ArticleInput, ArticleInputError
from forum.views_util import form_status, page_arg


@bp.before_request
def _load_expert_profile() -> None:
    """Permissions read the signed-in member's expert profile: load it once per request."""
    if current_user.is_authenticated:
        experts.attach_profile(current_user._get_current_object())


def _boards() -> list[Board]:
    return list(db.session.scalars(select(Board).order_by(Board.position, Board.id)))


def _article_or_404(slug: str) -> Article:
    article = articles.load_article(slug)
    if not can_view_article(current_user, article):
        # Drafts are not announced to people who may not see them.
        raise NotFound("We could not find that article. Check the address, or browse all articles.")
    return article


def _confirmed() -> None:
    if not ConfirmForm().validate_on_submit():
        abort(400)


def _article_for(slug: str, allowed, refusal: str) -> Article:
    """The article (404 if unknown), if `allowed(current_user, article)`; 403 with `refusal` if not."""
    article = articles.load_article(slug)
    require(allowed(current_user, article), refusal)
    return article


def _button_action(slug: str, allowed, refusal: str, act, done: str):
    """A POST-only button: load, ask permission, check the token, act, commit once, redirect."""
    article = _article_for(slug, allowed, refusal)
    _confirmed()
    act(article, current_user)
    db.session.commit()
    flash(done, "success")
    return redirect(url_for("articles.show", slug=article.slug))


def _attach_error(form, error: ForumError) -> None:
    """Put a service's refusal under the field it concerns (422), or re-raise other errors."""
    if error.status != 422:
        raise error
    name = getattr(error, "field", None)
    if name == "references" and len(form.references):
        form.references[0].form.citation.errors.append(error.message)
        # The list keeps the errors it found itself; add the row's so the form counts as refused.
        form.references.errors = [*form.references.errors, form.references[0].errors]
    elif name and name in form:
        form[name].errors.append(error.message)
    else:
        form.body.errors.append(error.message)


# Reading ------------------------------------------------------------------------------------


@bp.get("/articles")
@cached_page()
def index():
    boards = _boards()
    filters = ListFilterForm(request.args)
    filters.set_board_choices(boards)
    board = next((b for b in boards if b.slug == filters.board.data), None) if filters.board.data else None
    if filters.board.data and board is None:
        raise NotFound("There is no board with that name.")
    order = filters.order.data if filters.order.data in articles.ORDERS else "newest"
    listing = articles.published_articles(board, order, page_arg())
    return render_template("articles/index.html", listing=listing, filters=filters, board=board, order=order)


@bp.get("/articles/feed.atom")
def feed():
    entries = articles.feed_articles()
    # Text stored before control characters were refused must not make the feed unreadable.
    xml = xml_safe(render_template("articles/feed.xml", entries=entries))
    response = make_response(xml)
    response.headers["Content-Type"] = "application/atom+xml; charset=utf-8"
    return response


@bp.get("/articles/<slug>")
@cached_page()
def show(slug: str):
    article = _article_or_404(slug)
    staff = can_moderate(current_user)
    if article.status is ArticleStatus.ARCHIVED and not staff:
        return render_template("articles/archived.html", article=article), 410
    shown = article.published_revision or article.pending_revision
    boards = articles.boards_by_id(shown.board_ids) if article.published_revision is None else None
    return render_template(
        "articles/show.html",
        article=article,
        revision=shown,
        preview=article.published_revision is None,
        preview_boards=boards,
        review_due=articles.review_due(article),
        # Forms only for those who see them: a form makes a CSRF token, and a page with one is
        # not shared from the page cache.
        confirm=ConfirmForm() if current_user.is_authenticated else None,
        archive_form=ArchiveForm() if can_archive_article(current_user, article) else None,
    )


# Writing ------------------------------------------------------------------------------------


def _form_input(form: ArticleForm) -> ArticleInput:
    return ArticleInput(form.title.data, form.summary.data, form.body.data, form.reference_rows(), form.board_ids())


@bp.route("/articles/new", methods=["GET", "POST"])
@login_required
def new():
    require(can_create_article(current_user), "Only verified experts can write articles.")
    form = ArticleForm()
    form.set_board_choices(_boards())
    if form.validate_on_submit():
        try:
            article = articles.create_article(current_user, _form_input(form))
        except ForumError as error:
            _attach_error(form, error)
        else:
            db.session.commit()
            flash("Your draft is saved. Submit it for review when it is ready.", "success")
            return redirect(url_for("articles.show", slug=article.slug))
    return render_template("articles/form.html", form=form, article=None), form_status(form)


@bp.route("/articles/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    article = _article_for(slug, can_edit_article, "Only the author can edit this article.")
    pending = article.pending_revision
    if pending is not None and pending.status is RevisionStatus.IN_REVIEW:
        flash("This version is waiting for review; you can edit it again once a moderator has looked at it.", "info")
        return redirect(url_for("articles.show", slug=article.slug))
    base = pending or article.published_revision
    form = ArticleForm()
    form.set_board_choices(_boards())
    if request.method == "GET":
        form.title.data, form.summary.data, form.body.data = base.title, base.summary, base.body
        form.main_board.data = base.board_ids[0]
        form.other_boards.data = base.board_ids[1:]
        form.load_references(base.references)
    if form.validate_on_submit():
        try:
            articles.save_draft(article, current_user, _form_input(form))
        except ForumError as error:
            _attach_error(form, error)
        else:
            db.session.commit()
            message = "Your draft is saved."
            if article.status is ArticleStatus.PUBLISHED:
                message += " Readers keep seeing the published version until the new one is reviewed."
            flash(message, "success")
            return redirect(url_for("articles.show", slug=article.slug))
    return render_template("articles/form.html", form=form, article=article, returned=pending if pending and pending.status is RevisionStatus.RETURNED else None), form_status(form)


@bp.post("/articles/<slug>/submit")
@login_required
def submit(slug: str):
    return _button_action(
        slug, can_edit_article, "Only the author can submit this article for review.", articles.submit,
        "Submitted for review. A moderator will publish it or return it with comments.",
    )


@bp.get("/articles/mine")
@login_required
def mine():
    return render_template("articles/mine.html", items=articles.own_articles(current_user))


# Review -------------------------------------------------------------------------------------


@bp.get("/articles/review")
@login_required
def queue():
    require(can_moderate(current_user), "Only moderators can review articles.")
    return render_template("articles/queue.html", queue=articles.review_queue())


def _review_page(article: Article, form: ReturnForm):
    pending = article.pending_revision
    changes = None
    if pending is not None and article.published_revision is not None:
        changes = articles.diff(article.published_revision, pending)
    return render_template(
        "articles/review.html", article=article, revision=pending, changes=changes, form=form,
        boards=articles.boards_by_id(pending.board_ids) if pending else {}, confirm=ConfirmForm(),
    )


@bp.get("/articles/<slug>/review")
@login_required
def review(slug: str):
    article = _article_for(slug, can_review_article, "Only a moderator or admin who is not the author can review this article.")
    return _review_page(article, ReturnForm())


@bp.post("/articles/<slug>/publish")
@login_required
def publish(slug: str):
    return _button_action(
        slug, can_review_article, "Only a moderator or admin who is not the author can publish this article.", articles.publish,
        "Published. The author has been told, and “Discuss this article” is open.",
    )


@bp.post("/articles/<slug>/return")
@login_required
def return_to_author(slug: str):
    article = _article_for(slug, can_review_article, "Only a moderator or admin who is not the author can return this article.")
    form = ReturnForm()
    if form.validate_on_submit():
        try:
            articles.return_to_author(article, current_user, form.comment.data)
        except ForumError as error:
            if error.status != 422:
                raise
            form.comment.errors.append(error.message)
        else:
            db.session.commit()
            flash("Returned to the author with your comment.", "success")
            return redirect(url_for("articles.queue"))
    return _review_page(article, form), form_status(form)


@bp.post("/articles/<slug>/confirm-review")
@login_required
def confirm_review(slug: str):
    return _button_action(
        slug, can_pin_article, "Only a moderator or admin who is not the author can review this article.", articles.confirm_review,
        "Review recorded: readers now see today as the last review date.",
    )


@bp.post("/articles/<slug>/archive")
@login_required
def archive(slug: str):
    article = _article_for(slug, can_archive_article, "Only a moderator or admin who is not the author can archive a published article.")
    form = ArchiveForm()
    if not form.validate_on_submit():
        abort(400)
    articles.archive(article, current_user, form.reason.data)
    db.session.commit()
    flash("The article is archived. Its address now says so, and its pins were removed.", "success")
    return redirect(url_for("articles.show", slug=article.slug))


@bp.post("/articles/<slug>/restore")
@login_required
def restore(slug: str):
    return _button_action(
        slug, can_restore_article, "Only a moderator or admin who is not the author can restore an archived article.", articles.restore,
        "The article is published again. Pin it again where it should appear.",
    )


# Pins ---------------------------------------------------------------------------------------


def _pin_forms(article: Article) -> dict:
    forms = {"home": PinForm(prefix="home", position=article.home_pin_position or 1)}
    for link in article.board_links:
        forms[link.board_id] = PinForm(prefix=f"board-{link.board_id}", position=link.pin_position or 1)
    return forms


@bp.get("/articles/<slug>/pins")
@login_required
def pins(slug: str):
    article = _article_for(slug, can_pin_article, "Only a moderator or admin who is not the author can pin this article.")
    return render_template("articles/pins.html", article=article, forms=_pin_forms(article))


def _pin_target(article: Article, where: str) -> int | None:
    if where == "home":
        return None
    if where.isdigit() and any(link.board_id == int(where) for link in article.board_links):
        return int(where)
    raise NotFound("This article is not related to that board.")


@bp.post("/articles/<slug>/pins/<where>")
@login_required
def pin(slug: str, where: str):
    article = _article_for(slug, can_pin_article, "Only a moderator or admin who is not the author can pin this article.")
    board_id = _pin_target(article, where)
    forms = _pin_forms(article)
    form = forms["home" if board_id is None else board_id]
    if form.validate_on_submit():
        articles.pin(article, current_user, form.position.data, board_id)
        db.session.commit()
        flash("Pinned.", "success")
        return redirect(url_for("articles.pins", slug=article.slug))
    return render_template("articles/pins.html", article=article, forms=forms), form_status(form)


@bp.post("/articles/<slug>/pins/<where>/remove")
@login_required
def unpin(slug: str, where: str):
    article = _article_for(slug, can_review_article, "Only a moderator or admin who is not the author can unpin this article.")
    _confirmed()
    articles.unpin(article, current_user, _pin_target(article, where))
    db.session.commit()
    flash("Unpinned. The article stays published.", "success")
    return redirect(url_for("articles.pins", slug=article.slug))


# History ------------------------------------------------------------------------------------


@bp.get("/articles/<slug>/revisions")
@login_required
def revisions(slug: str):
    article = _article_for(slug, can_view_article_history, "Only moderators and the author can see an article's history.")
    return render_template("articles/revisions.html", article=article, history=articles.revisions(article))


@bp.get("/articles/<slug>/revisions/<int:number>")
@login_required
def revision(slug: str, number: int):
    article = _article_for(slug, can_view_article_history, "Only moderators and the author can see an article's history.")
    shown = articles.revision(article, number)
    return render_template("articles/revision.html", article=article, revision=shown, boards=articles.boards_by_id(shown.board_ids))


@bp.get("/articles/<slug>/diff")
@login_required
def diff(slug: str):
    article = _article_for(slug, can_view_article_history, "Only moderators and the author can see an article's history.")
    old_n, new_n = request.args.get("from", ""), request.args.get("to", "")
    if not (old_n.isdigit() and new_n.isdigit()) or len(old_n) > 9 or len(new_n) > 9:
        abort(400, description="Choose two versions to compare, like ?from=1&to=2.")
    old, new = articles.revision(article, int(old_n)), articles.revision(article, int(new_n))
    return render_template("articles/diff.html", article=article, old=old, new=new, lines=articles.diff(old, new))


# Experts (admins) ---------------------------------------------------------------------------


def _experts_page(form: ExpertForm):
    return render_template("articles/experts.html", profiles=experts.all_profiles(), form=form, revoke_form=RevokeForm())


@bp.route("/admin/experts", methods=["GET", "POST"])
@login_required
def manage_experts():
    require(can_manage_experts(current_user), "Only admins can manage experts.")
    form = ExpertForm()
    if form.validate_on_submit():
        member = db.session.scalar(select(User).where(User.username_key == User.key_for(form.username.data)))
        if member is None or member.password_hash == "":
            form.username.errors.append("There is no member with that username.")
        else:
            try:
                experts.grant(current_user, member, form.credential.data, form.institution.data)
            except ForumError as error:
                if error.status not in (409, 422, 403):
                    raise
                (form.credential if "credential" in error.message.lower() else form.username).errors.append(error.message)
            else:
                db.session.commit()
                flash(f"{member.username} is now a verified expert.", "success")
                return redirect(url_for("articles.manage_experts"))
    return _experts_page(form), form_status(form)


@bp.post("/admin/experts/<int:user_id>/revoke")
@login_required
def revoke_expert(user_id: int):
    require(can_manage_experts(current_user), "Only admins can manage experts.")
    member = db.session.get(User, user_id)
    if member is None:
        raise NotFound("There is no such member.")
    form = RevokeForm()
    if not form.validate_on_submit():
        abort(400)
    experts.revoke(current_user, member, form.reason.data)
    db.session.commit()
    flash(f"{member.username} is no longer shown as a verified expert. Their articles stay published.", "success")
    return redirect(url_for("articles.manage_experts"))
