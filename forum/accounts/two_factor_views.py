"""Two-factor sign-in: the code step of signing in, and Settings › Two-factor sign-in."""
from flask import current_app, flash, make_response, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from forum.accounts import bp
from forum.accounts.forms import SignInCodeForm, TwoFactorConfirmForm, TwoFactorDisableForm
from forum.accounts.views import PENDING_KEY, _sign_in, pending_sign_in, stay_signed_in
from forum.boards.forms import ConfirmForm
from forum.errors import ForumError, NotFound, too_many_requests_response
from forum.models.base import db
from forum.ratelimits import rate_limit, record_sign_in_failure, sign_in_wait
from forum.security import member_cookie_sent
from forum.services import accounts, two_factor
from forum.views_util import form_status

# What a moderator or admin without two-factor sign-in may still open while it is required.
_OPEN_WHILE_SETTING_UP = {
    "accounts.two_factor_settings", "accounts.two_factor_setup", "accounts.two_factor_confirm", "accounts.logout",
    "static", "safety.support", "ops.healthz", "ops.readyz", "metrics",
}


@bp.before_app_request
def _staff_set_up_two_factor_first():
    """With REQUIRE_2FA_FOR_STAFF, staff without two-factor sign-in go to its setup page first."""
    if not current_app.config.get("REQUIRE_2FA_FOR_STAFF") or request.endpoint in _OPEN_WHILE_SETTING_UP:
        return None
    if request.endpoint is None or request.path.startswith("/api/"):  # the API signs in with tokens
        return None
    if not member_cookie_sent():
        return None  # nobody signed in: no member to load
    if not (current_user.is_authenticated and current_user.is_staff) or two_factor.is_enabled(current_user):
        return None
    flash("Moderators and admins need two-factor sign-in. Please set it up to continue.", "info")
    return redirect(url_for("accounts.two_factor_settings"))


@bp.route("/signin/code", methods=["GET", "POST"])
@rate_limit("sign_in")
def sign_in_code():
    if current_user.is_authenticated:
        return redirect(url_for("boards.index"))
    user, pending = pending_sign_in()
    if user is None:
        session.pop(PENDING_KEY, None)
        flash("Please sign in again: the code step waits only five minutes.", "info")
        return redirect(url_for("accounts.login"))
    form = SignInCodeForm()
    if form.validate_on_submit():
        # Wrong codes count with wrong passwords: both slow further attempts down.
        failure_key = accounts.failure_key(user)
        wait = sign_in_wait(failure_key)
        if wait:
            return too_many_requests_response(wait, "There have been too many unsuccessful attempts to sign in.")
        used = two_factor.verify_code(user, form.code.data)
        if used is None:
            record_sign_in_failure(failure_key)
            form.code.errors.append(two_factor.WRONG_CODE)
        else:
            _sign_in(user, remember=bool(pending.get("remember")))
            db.session.commit()
            flash(f"Welcome back, {user.username}.", "success")
            if used == "recovery":
                left = two_factor.recovery_codes_left(user)
                flash(f"You used a recovery code: it will not work again. {left} left.", "info")
            return redirect(pending.get("next") or url_for("boards.index"))
    return render_template("accounts/sign_in_code.html", form=form), form_status(form)


@bp.get("/settings/two-factor")
@login_required
def two_factor_settings():
    return _settings_page()


def _settings_page(confirm_form=None, disable_form=None, status: int = 200):
    row = two_factor.state_for(current_user)
    enabled = row is not None and row.enabled_at is not None
    return render_template(
        "accounts/two_factor.html",
        row=row,
        enabled=enabled,
        required=two_factor.required_for(current_user),
        uri=two_factor.provisioning_uri(row, current_user) if row is not None and not enabled else None,
        codes_left=two_factor.recovery_codes_left(current_user) if enabled else 0,
        confirm_form=confirm_form or TwoFactorConfirmForm(formdata=None),
        disable_form=disable_form or TwoFactorDisableForm(formdata=None),
        start=ConfirmForm(),
    ), status


@bp.post("/settings/two-factor/setup")
@rate_limit("account")
@login_required
def two_factor_setup():
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("accounts.two_factor_settings"))
    two_factor.begin_setup(current_user)
    db.session.commit()
    return redirect(url_for("accounts.two_factor_settings", _anchor="confirm"))


@bp.post("/settings/two-factor/confirm")
@rate_limit("account")
@login_required
def two_factor_confirm():
    row = two_factor.state_for(current_user)
    if row is None or row.enabled_at is not None:
        flash("Start by pressing “Set up two-factor sign-in”.", "info")
        return redirect(url_for("accounts.two_factor_settings"))
    form = TwoFactorConfirmForm()
    if form.validate_on_submit():
        try:
            codes = two_factor.confirm_setup(current_user, form.code.data)
        except ForumError as error:
            if error.status != 422:
                raise
            form.code.errors.append(error.message)
        else:
            user = current_user._get_current_object()
            db.session.commit()
            # Every other session was signed out; this one goes on, with the new session token.
            stay_signed_in(user)
            # The recovery codes are shown this once, and never kept by the browser.
            response = make_response(render_template("accounts/two_factor_codes.html", codes=codes))
            response.headers["Cache-Control"] = "no-store"
            return response
    return _settings_page(confirm_form=form, status=422)


@bp.post("/settings/two-factor/disable")
@rate_limit("account")
@login_required
def two_factor_disable():
    if not two_factor.is_enabled(current_user):
        raise NotFound("Two-factor sign-in is not on.")
    form = TwoFactorDisableForm()
    if form.validate_on_submit():
        try:
            two_factor.disable(current_user, form.password.data, form.code.data)
        except ForumError as error:
            if error.status != 422:
                raise
            (form.password if "password" in error.message else form.code).errors.append(error.message)
        else:
            db.session.commit()
            flash("Two-factor sign-in is off. Your recovery codes no longer work.", "success")
            return redirect(url_for("accounts.two_factor_settings"))
    return _settings_page(disable_form=form, status=422)
