from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum.errors import NotFound
from forum.extensions import csrf
from forum.models.base import db
from forum.models.notification import EmailPreference
from forum.models.watching import WatchLevel
from forum.notifications import bp
from forum.notifications.forms import ConfirmForm, NotificationSettingsForm, UnsubscribeForm, WatchForm
from forum.permissions import can_view_topic
from forum.services import notifications, reading, unread
from forum.views_util import form_status


@bp.app_context_processor
def _bell() -> dict:
    """The header's bell asks for its number only when it is drawn (one COUNT)."""

    def notification_count() -> int:
        return notifications.unread_count(current_user.id) if current_user.is_authenticated else 0

    return {"notification_count": notification_count}


def _local(url: str | None, fallback: str) -> str:
    """Only follow links within the forum."""
    if url and url.startswith("/") and not url.startswith("//") and "\\" not in url:
        return url
    return fallback


@bp.get("/notifications")
@login_required
def index():
    raw = request.args.get("before", "")
    before = int(raw) if raw.isdigit() and len(raw) < 12 else None
    rows, next_before = notifications.notifications_page(current_user.id, before)
    return render_template("notifications/index.html", notifications=rows, next_before=next_before, confirm=ConfirmForm())


@bp.post("/notifications/<int:notification_id>/read")
@login_required
def mark_read(notification_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    notification = notifications.mark_read(current_user.id, notification_id)
    if notification is None:
        raise NotFound("We could not find that notification.")
    db.session.commit()
    if request.form.get("open"):
        return redirect(_local(notification.url, url_for("notifications.index")))
    return redirect(url_for("notifications.index"))


@bp.post("/notifications/read-all")
@login_required
def mark_all_read():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    notifications.mark_all_read(current_user.id)
    db.session.commit()
    flash("All notifications are marked as read.", "success")
    return redirect(url_for("notifications.index"))


@bp.route("/notifications/settings", methods=["GET", "POST"])
@login_required
def settings():
    current = notifications.settings_for(current_user.id)
    form = NotificationSettingsForm(data={"email": current.email.value, "watch_participated": current.watch_participated} if request.method == "GET" else None)
    if form.validate_on_submit():
        if form.email.data != EmailPreference.NONE.value and not current_user.email:
            form.email.errors.append("Add an email address to your account first.")
        else:
            notifications.save_settings(current_user.id, EmailPreference(form.email.data), form.watch_participated.data)
            db.session.commit()
            flash("Your notification settings were saved.", "success")
            return redirect(url_for("notifications.settings"))
    return render_template("notifications/settings.html", form=form), form_status(form)


def _watch_level(form: WatchForm) -> WatchLevel | None:
    return None if form.level.data == "normal" else WatchLevel(form.level.data)


_WATCH_MESSAGES = {
    "watching": "You are watching this {what}: you will be told about every new post.",
    "normal": "Notifications for this {what} are back to normal.",
    "muted": "This {what} is muted: you will not be told about it.",
}


@bp.post("/topics/<int:topic_id>/watch")
@login_required
def watch_topic(topic_id: int):
    topic = reading.load_topic(topic_id)
    if not can_view_topic(current_user, topic):
        raise NotFound("This topic is not available.")
    form = WatchForm()
    if not form.validate_on_submit():
        abort(400)
    notifications.set_topic_watch(current_user.id, topic.id, _watch_level(form))
    db.session.commit()
    flash(_WATCH_MESSAGES[form.level.data].format(what="topic"), "success")
    return redirect(url_for("boards.topic", topic_id=topic.id, page=request.args.get("page", type=int)))


@bp.post("/boards/<slug>/watch")
@login_required
def watch_board(slug: str):
    board, _ = unread.board_with_watch(slug, current_user)
    if board is None:
        raise NotFound("We could not find that board.")
    form = WatchForm()
    if not form.validate_on_submit():
        abort(400)
    notifications.set_board_watch(current_user.id, board.id, _watch_level(form))
    db.session.commit()
    flash(_WATCH_MESSAGES[form.level.data].format(what="board"), "success")
    return redirect(url_for("boards.board", slug=board.slug))


@bp.route("/notifications/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str):
    """One-click unsubscribe: mail clients POST to it (RFC 8058); people get a page with one button."""
    user_id = notifications.user_id_from_unsubscribe_token(token)
    if user_id is None:
        raise NotFound("This unsubscribe link is not valid. You can change your email settings after signing in.")
    form = UnsubscribeForm()
    done = False
    if request.method == "POST":
        notifications.unsubscribe(user_id)
        db.session.commit()
        done = True
    return render_template("notifications/unsubscribe.html", form=form, done=done, token=token)
