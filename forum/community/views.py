from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum.boards.forms import ConfirmForm
from forum.community import bp
from forum.community.forms import BookmarkForm, ReactionForm
from forum.errors import InvalidInput
from forum.models.base import db
from forum.permissions import can_view_post, require
from forum.services import community, reading
from forum.views_util import form_status, key_arg, post_url, require_visible


def _visible_post(post_id: int):
    post = reading.load_post(post_id)
    require_visible(post.topic)
    require(can_view_post(current_user, post), "This post is not available.")
    return post


@bp.post("/posts/<int:post_id>/react")
@login_required
def react(post_id: int):
    post = _visible_post(post_id)
    form = ReactionForm()
    if not form.validate_on_submit():
        raise InvalidInput("Choose one of the reactions.")
    added = community.toggle_reaction(current_user, post, form.kind.data)
    db.session.commit()
    label = community.reaction_kinds()[form.kind.data]
    flash(f"You reacted “{label}”." if added else f"You took back “{label}”.", "success")
    return redirect(post_url(post))


@bp.get("/posts/<int:post_id>/reactions")
def reactions(post_id: int):
    post = _visible_post(post_id)
    return render_template(
        "community/reactions.html", post=post, topic=post.topic, reactors=community.reactors(post), kinds=community.reaction_kinds()
    )


@bp.route("/posts/<int:post_id>/bookmark", methods=["GET", "POST"])
@login_required
def bookmark(post_id: int):
    post = _visible_post(post_id)
    form = BookmarkForm()
    if form.validate_on_submit():
        community.save_bookmark(current_user, post, form.note.data)
        db.session.commit()
        flash("Saved to your bookmarks.", "success")
        return redirect(request.args.get("next") == "bookmarks" and url_for("community.bookmarks") or post_url(post))
    return render_template("community/bookmark.html", post=post, topic=post.topic, form=form), form_status(form)


@bp.post("/posts/<int:post_id>/bookmark/remove")
@login_required
def remove_bookmark(post_id: int):
    post = reading.load_post(post_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    community.remove_bookmark(current_user, post)
    db.session.commit()
    flash("Removed from your bookmarks.", "success")
    return redirect(url_for("community.bookmarks"))


@bp.get("/bookmarks")
@login_required
def bookmarks():
    rows, next_key = community.bookmarks_page(current_user, key_arg("bookmark"))
    return render_template("community/bookmarks.html", bookmarks=rows, next_key=next_key)
