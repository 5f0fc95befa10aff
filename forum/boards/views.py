import re

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from markupsafe import Markup, escape
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf
from sqlalchemy import select

from forum.boards import bp, post_list
from forum.cache import Deferred, cache, cached_page, fragment_key
from forum.boards.forms import ConfirmForm, DraftForm, EditPostForm, EraseRevisionForm, ReplyForm, TopicForm
from forum.errors import ForumError, InvalidInput, NotFound
from forum.models import Board, ContentStatus, User
from forum.models.base import db
from forum.permissions import can_edit_post, can_erase_revision, can_view_post, can_view_revisions, require
from forum.ratelimits import rate_limit
from forum.safety.views import offer_support
from forum.services import community, drafts, messages, notifications, posting, reading, unread
from forum.views_util import form_status, page_arg, post_url, require_visible
from forum.services import articles


def _board_or_404(slug: str) -> Board:
    board = db.session.scalar(select(Board).where(Board.slug == slug))
    if board is None:
        raise NotFound("We could not find that board.")
    return board


def _flash_screening(post) -> None:
    offer_support(post)
    verdict = getattr(post, "screening", None)
    if verdict is not None and verdict.status is ContentStatus.HELD:
        flash("Thank you. Your post is waiting for a moderator and will appear once approved.", "info")


@bp.get("/")
@cached_page()
def index():
    return render_template("boards/index.html", boards=Deferred(reading.boards_for_index), pinned_articles=Deferred(articles.home_pins))


@bp.get("/boards/<slug>")
@cached_page()
def board(slug: str):
    states, watch_level = None, None
    if current_user.is_authenticated:
        board, level = unread.board_with_watch(slug, current_user)
        if board is None:
            raise NotFound("We could not find that board.")
        watch_level = level.value if level else "normal"
    else:
        board = _board_or_404(slug)
    listing = reading.LazyTopicPage(board, page_arg(), request.args.get("after"))
    # Read only when the pinned articles' fragment is not cached.
    pinned_articles = Deferred(lambda: articles.board_pins(board)) if listing.page == 1 else []
    html, rows = _shared_listing(board, listing)
    if current_user.is_authenticated:
        # Unread markers are the member's own: added to the shared listing, not rendered into it.
        states = unread.read_positions(current_user, rows)
    return render_template(
        "boards/board.html",
        board=board,
        listing=listing,
        listing_html=_with_unread_markers(html, states or {}),
        pinned_articles=pinned_articles,
        watch_level=watch_level,
    )


def _shared_listing(board: Board, listing) -> tuple[str, list[reading.TopicFacts]]:
    """A board page's topic rows as every visitor sees them, and the facts the unread markers need.

    Kept in the cache until the next content change: a page served from it reads no topic rows.
    """
    key = fragment_key("board-listing", board.id, listing.page, (listing.after or "")[:40])
    cached = cache.get(key) if current_app.config.get("CACHE_PAGES") else None
    if cached is not None:
        return cached
    html = render_template("boards/_listing.html", board=board, listing=listing)
    rows = [reading.TopicFacts.of(t) for t in (*listing.pinned, *listing.topics)]
    if current_app.config.get("CACHE_PAGES"):
        cache.set(key, (html, rows))
    return html, rows


_ROW_MARKER = re.compile(r'<!--topic:(\d+)--><a href="([^"]*)">(.*?)</a>', re.S)


def _with_unread_markers(html: str, states: dict) -> Markup:
    """The shared listing with each row's link sent to the member's first unread post, and its badge."""

    def row(match: re.Match) -> str:
        state = states.get(int(match.group(1)))
        href, title = match.group(2), match.group(3)
        if state is None:
            return f'<a href="{href}">{title}</a>'
        if state.first_unread:
            href = url_for("boards.topic", topic_id=int(match.group(1)), page=reading.page_of_number(state.first_unread),
                           _anchor=f"post-{state.first_unread}")
        badge = ""
        if state.unread:
            noun = "post" if state.unread == 1 else "posts"
            badge = f' <span class="badge badge-unread">{state.unread} new<span class="visually-hidden"> {noun} since you last read</span></span>'
        elif state.is_new:
            badge = ' <span class="badge badge-unread">New<span class="visually-hidden"> topic</span></span>'
        return f'<a href="{escape(href)}">{title}</a>{badge}'

    return Markup(_ROW_MARKER.sub(row, html))


@bp.route("/boards/<slug>/new", methods=["GET", "POST"])
@rate_limit("posting")
@login_required
def new_topic(slug: str):
    board = _board_or_404(slug)
    form = TopicForm()
    if "save_draft" in request.form:
        return save_draft_from_page(form, "boards/new_topic.html", board=board)
    if form.validate_on_submit():
        try:
            post = posting.start_topic(
                board, current_user, form.title.data, form.body.data, submission_key=form.submission_key.data
            )
        except posting.AlreadyPosted as done:
            return _already_posted(done, url_for("boards.board", slug=board.slug))
        except ForumError as error:
            if error.status != 422:
                raise
            form.body.errors.append(error.message)
        else:
            drafts.forget_draft(current_user, board=board)
            db.session.commit()
            _flash_screening(post)
            return redirect(url_for("boards.topic", topic_id=post.topic_id))
    draft = drafts.draft_for(current_user, board=board)
    if draft is not None and request.method == "GET":
        form.title.data, form.body.data = draft.title, draft.body
    return render_template("boards/new_topic.html", board=board, form=form, draft=draft), form_status(form)


@bp.get("/topics/<int:topic_id>")
@cached_page(on_hit=reading.count_cached_view)
def topic(topic_id: int):
    if current_user.is_authenticated:
        # The member's read position, watch level and bell come with the topic.
        topic, state = unread.load_topic_for(current_user, topic_id)
    else:
        topic, state = reading.load_topic(topic_id), None
    require_visible(topic)
    first_unread = state.first_unread(topic) if state else None
    if first_unread and "page" not in request.args:
        # Opening a topic goes to where the member stopped reading.
        return redirect(url_for("boards.topic", topic_id=topic.id, page=reading.page_of_number(first_unread), _anchor=f"post-{first_unread}"))
    page = page_arg()
    posts = post_list.TopicPosts(topic, page)
    reading.record_view(topic)
    last = posts.last_number
    if current_user.is_authenticated and last:
        # Only a read position that moves forward is written: re-reading a page writes nothing
        # (on SQLite every write, even one that changes no row, waits for the single writer).
        advanced = state.last_read is None or last > state.last_read
        if advanced:
            reading.mark_read(current_user, topic, last)
        if state.has_unread_notifications:
            notifications.mark_topic_read(current_user.id, topic.id)
        if advanced or state.has_unread_notifications:
            db.session.commit()
    # Forms carry the visitor's CSRF token: only members get them, so anonymous pages are shared.
    signed_in = current_user.is_authenticated
    reader = post_list.Reader(
        current_user._get_current_object(), topic, page,
        token=generate_csrf() if signed_in else "",
        marks=community.viewer_marks(current_user, posts.post_ids),
        blocked=messages.blocked_ids(current_user),
        first_unread=first_unread,
    )
    return render_template(
        "boards/topic.html",
        topic=topic,
        board=topic.board,
        post_items=posts.html(reader),
        page=page,
        pages=reading.topic_pages(topic),
        form=ReplyForm() if signed_in else None,
        watch_level=(state.watch_level.value if state.watch_level else "normal") if state else None,
    )


@bp.route("/topics/<int:topic_id>/reply", methods=["GET", "POST"])
@rate_limit("posting")
@login_required
def reply(topic_id: int):
    topic = reading.load_topic(topic_id)
    require_visible(topic)
    form = ReplyForm()
    if "save_draft" in request.form:
        return save_draft_from_page(form, "boards/reply.html", topic=topic)
    if form.validate_on_submit():
        try:
            post = posting.reply_to_topic(topic, current_user, form.body.data, submission_key=form.submission_key.data)
        except posting.AlreadyPosted as done:
            return _already_posted(done, url_for("boards.topic", topic_id=topic_id))
        except ForumError as error:
            if error.status != 422:
                raise
            form.body.errors.append(error.message)
        else:
            drafts.forget_draft(current_user, topic=topic)
            db.session.commit()
            _flash_screening(post)
            return redirect(post_url(post))
    draft = drafts.draft_for(current_user, topic=topic)
    if request.method == "GET":
        form.body.data = draft.body if draft is not None else None
        quote_id = request.args.get("quote", "")
        if quote_id.isdigit():
            quoted = reading.load_post(int(quote_id))
            if quoted.topic_id == topic.id and can_view_post(current_user, quoted) and quoted.status is ContentStatus.PUBLISHED:
                quote = posting.quote_markdown(quoted, quoted.author.username if quoted.author else "former member")
                form.body.data = f"{form.body.data.rstrip()}\n\n{quote}" if form.body.data else quote
    return render_template("boards/reply.html", topic=topic, board=topic.board, form=form, draft=draft), form_status(form)


def save_draft_from_page(form, template: str, **place):
    """The form's "Save draft" button: keep the text as it is and come back to the same form.

    Unfinished text is fine (a short title, an empty body); the posts' length limits still apply.
    """
    draft_form = DraftForm()
    if draft_form.validate_on_submit():
        try:
            drafts.save_draft(current_user, draft_form.title.data, draft_form.body.data, **place)
        except ForumError as error:
            if error.status != 422:
                raise
            form.body.errors = [error.message]
        else:
            db.session.commit()
            flash("Your draft is saved. It waits here, and on “Your drafts”, until you post or discard it.", "success")
            if "topic" in place:
                return redirect(url_for("boards.reply", topic_id=place["topic"].id))
            return redirect(url_for("boards.new_topic", slug=place["board"].slug))
    for name, errors in draft_form.errors.items():
        if name in form:
            form[name].errors = list(errors)
    topic = place.get("topic")
    board = topic.board if topic is not None else place["board"]
    return render_template(template, topic=topic, board=board, form=form, draft=None), 422


def _already_posted(done, fallback: str):
    """A form sent twice: show what the first sending made instead of posting again."""
    flash("That was already posted (the form was sent twice), so it was not posted again.", "info")
    if done.post_id is not None:
        return redirect(url_for("boards.post", post_id=done.post_id))
    return redirect(fallback)


@bp.get("/posts/<int:post_id>")
def post(post_id: int):
    post = reading.load_post(post_id)
    require_visible(post.topic)
    return redirect(post_url(post))


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
@rate_limit("posting")
@login_required
def edit_post(post_id: int):
    post = reading.load_post(post_id)
    topic = post.topic
    require(can_edit_post(current_user, post, topic), "You can only edit your own posts.")
    form = EditPostForm(obj=post)
    if request.method == "GET" and post.is_first:
        form.title.data = topic.title
    if form.validate_on_submit():
        try:
            posting.edit_post(post, current_user, form.body.data, title=form.title.data if post.is_first else None)
        except ForumError as error:
            if error.status != 422:
                raise
            (form.title if "title" in error.message.lower() else form.body).errors.append(error.message)
        else:
            db.session.commit()
            _flash_screening(post)
            flash("Your changes were saved. The earlier version is kept in the history.", "success")
            return redirect(post_url(post))
    return render_template("boards/edit_post.html", post=post, topic=topic, board=topic.board, form=form), form_status(form)


@bp.post("/posts/<int:post_id>/delete")
@login_required
def delete_post(post_id: int):
    post = reading.load_post(post_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    topic = post.topic
    posting.delete_post(post, current_user)
    db.session.commit()
    flash("The post was deleted.", "success")
    if post.is_first:
        return redirect(url_for("boards.board", slug=topic.board.slug))
    return redirect(post_url(post))


@bp.get("/posts/<int:post_id>/revisions")
@login_required
def revisions(post_id: int):
    post = reading.load_post(post_id)
    require_visible(post.topic)
    require(can_view_revisions(current_user, post), "A post's earlier versions are shown only to its author and the moderators.")
    return _revisions_page(post, EraseRevisionForm())


def _revisions_page(post, form: EraseRevisionForm, failed: int | None = None, status: int = 200):
    """The post's versions; `failed` is the version whose erase form came back with an error."""
    history = posting.post_revisions(post)
    editors = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_({r.editor_id for r in history if r.editor_id})))}
    return render_template("boards/revisions.html", post=post, topic=post.topic, board=post.topic.board, history=history,
                           editors=editors, form=form, failed=failed), status


@bp.post("/posts/<int:post_id>/revisions/<int:number>/erase")
@rate_limit("posting")
@login_required
def erase_revision(post_id: int, number: int):
    post = reading.load_post(post_id)
    require_visible(post.topic)
    require(can_erase_revision(current_user, post), "Only the post's author and the moderators can erase its earlier versions.")
    form = EraseRevisionForm()
    if form.validate_on_submit():
        try:
            posting.erase_revision(post, number, current_user, form.reason.data)
        except InvalidInput as error:
            db.session.rollback()
            form.reason.errors.append(error.message)
        else:
            db.session.commit()
            flash(f"The text of version {number} was erased. Only a note that an earlier version existed remains.", "success")
            return redirect(url_for("boards.revisions", post_id=post.id))
    return _revisions_page(post, form, failed=number, status=form_status(form))


@bp.after_app_request
def _flush_views(response):
    reading.maybe_flush_views()
    return response

