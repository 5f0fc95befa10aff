from datetime import timedelta

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from forum.boards.forms import ConfirmForm
from forum.errors import InvalidInput
from forum.extensions import db
from forum.models import utcnow
from forum.services import tokens
from forum.tokens import bp
from forum.tokens.forms import TokenForm
from forum.views_util import form_status


def _form() -> TokenForm:
    form = TokenForm()
    form.scopes.choices = [(s.value, s.value.capitalize()) for s in tokens.scopes_member_may_grant(current_user)]
    return form


@bp.route("", methods=["GET", "POST"])
@login_required
def index():
    form = _form()
    issued = None
    if form.validate_on_submit():
        expires_at = None if form.expires.data == "never" else utcnow() + timedelta(days=int(form.expires.data))
        try:
            issued = tokens.create_token(current_user, form.name.data, form.scopes.data, expires_at)
        except InvalidInput as error:
            form.name.errors.append(error.message)
        else:
            db.session.commit()
            form = _form()
            form.name.data = ""
    page = render_template("tokens/index.html", form=form, issued=issued, tokens=tokens.active_tokens(current_user), now=utcnow())
    # The page may show a token: never keep it in a cache.
    return page, form_status(form), {"Cache-Control": "no-store"}


@bp.post("/<int:token_id>/revoke")
@login_required
def revoke(token_id: int):
    form = ConfirmForm()
    if form.validate_on_submit():
        token = tokens.revoke_token(current_user, token_id)
        db.session.commit()
        flash(f"The token \u201c{token.name}\u201d was revoked. Programs using it can no longer sign in.", "success")
    return redirect(url_for("tokens.index"))
