from urllib.parse import urlsplit

from flask import current_app, flash, redirect, request, url_for
from flask_login import current_user

from forum.comfort import bp
from forum.comfort.forms import ReadingForm
from forum.errors import InvalidInput, NotAllowed
from forum.extensions import csrf, db
from forum.services import comfort


def _safe_next(target: str | None) -> str:
    """A path on this site to go back to, else the home page."""
    target = target or ""
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.scheme and not parts.netloc and "\\" not in target:
        return target
    return url_for("boards.index")


def _same_origin() -> bool:
    """The browser says the form came from this site (or says nothing, as old ones do)."""
    origin = request.headers.get("Origin")
    if not origin or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.host


@bp.post("/reading")
@csrf.exempt
def save():
    """Save the reading choice: on the account for members, in the `reading` cookie for everyone."""
    member = current_user.is_authenticated
    if member and current_app.config["WTF_CSRF_ENABLED"]:
        csrf.protect()  # it changes the account
    elif not _same_origin():
        raise NotAllowed("Reading settings can only be changed from this site.")
    form = ReadingForm(meta={"csrf": False})
    if not form.validate():
        raise InvalidInput("Please choose a text size and colours from the Reading settings.")
    choice = comfort.ReadingChoice(
        size=int(form.size.data),
        theme=form.theme.data,
        reduce_motion=form.reduce_motion.data,
        wide_spacing=form.wide_spacing.data,
    )
    if member:
        comfort.save_for_member(current_user, choice)
        db.session.commit()
        flash("Reading settings saved on your account.", "success")
    else:
        flash("Reading settings saved on this device.", "success")
    response = redirect(_safe_next(form.next.data))
    if choice.is_default:
        response.delete_cookie(comfort.COOKIE, path="/")
    else:
        response.set_cookie(
            comfort.COOKIE,
            choice.encode(),
            max_age=comfort.COOKIE_MAX_AGE,
            path="/",
            secure=request.is_secure,
            httponly=True,
            samesite="Lax",
        )
    return response
