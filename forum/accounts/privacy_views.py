"""Settings (profile, password, email address, signing out everywhere), data export and deletion,
email confirmation and password reset."""
import json

from flask import Response, flash, redirect, render_template, session, url_for
from flask_login import current_user, login_required, logout_user

from forum.accounts import bp
from forum.accounts.privacy_forms import (
    ChangeEmailForm, ChangePasswordForm, DeleteAccountForm, ForgotPasswordForm, ProfileForm, ResetPasswordForm,
)
from forum.accounts.views import stay_signed_in
from forum.boards.forms import ConfirmForm
from forum.errors import ForumError
from forum.models import utcnow
from forum.models.base import db
from forum.ratelimits import rate_limit
from forum.services import accounts, privacy
from forum.views_util import form_status

RESET_SENT = (
    "If an account uses that address, we have sent it a link to choose a new password. "
    "The link works once, within one hour. Check your spam folder if nothing arrives."
)


def _commit_and_sign_out(message: str, endpoint: str):
    db.session.commit()
    logout_user()
    session.clear()
    flash(message, "success")
    return redirect(url_for(endpoint))


def _profile_form(row, **kwargs) -> ProfileForm:
    return ProfileForm(data={
        "bio": current_user.bio, "condition": row.condition, "country": row.country,
        "show_bio": row.show_bio, "show_condition": row.show_condition, "show_country": row.show_country,
    }, **kwargs)


def _settings_page(row=None, *, form=None, password_form=None, email_form=None):
    """The settings page, with the form that was sent (and its errors) and the others empty."""
    row = row or privacy.settings_for(current_user)
    forms = {
        "form": form or _profile_form(row, formdata=None),
        "password_form": password_form or ChangePasswordForm(formdata=None),
        "email_form": email_form or ChangeEmailForm(formdata=None),
    }
    db.session.commit()  # the settings row, created on first visit
    status = max(form_status(f) for f in forms.values())
    return render_template(
        "accounts/settings.html", verified=bool(row.email_verified_at), confirm=ConfirmForm(), **forms
    ), status


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    row = privacy.settings_for(current_user)
    form = _profile_form(row)
    if form.validate_on_submit():
        try:
            privacy.update_profile(
                current_user, bio=form.bio.data, condition=form.condition.data, country=form.country.data,
                show_bio=form.show_bio.data, show_condition=form.show_condition.data, show_country=form.show_country.data,
            )
        except ForumError as error:
            form.bio.errors.append(error.message)
        else:
            db.session.commit()
            flash("Your profile settings were saved.", "success")
            return redirect(url_for("accounts.settings"))
    return _settings_page(row, form=form)


@bp.post("/settings/password")
@rate_limit("account")
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if not user.check_password(form.current_password.data):
            form.current_password.errors.append("That is not your current password.")
            return _settings_page(password_form=form)
        try:
            accounts.set_new_password(user, form.new_password.data)
        except ForumError as error:
            form.new_password.errors.append(error.message)
        else:
            accounts.send_password_changed_notice(user)
            db.session.commit()
            stay_signed_in(user)  # this session goes on; every other one was signed out
            flash("Your password was changed, and every other device was signed out.", "success")
            return redirect(url_for("accounts.settings"))
    return _settings_page(password_form=form)


@bp.post("/settings/email")
@rate_limit("account")
@rate_limit("email")
@login_required
def change_email():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.email_password.data):
            form.email_password.errors.append("That is not your password.")
            return _settings_page(email_form=form)
        try:
            new_email = privacy.request_email_change(current_user, form.new_email.data)
        except ForumError as error:
            form.new_email.errors.append(error.message)
        else:
            db.session.commit()  # the mail waits in the outbox until this commits
            flash(
                f"We sent a link to {new_email}: your address changes when you open it (within three days). "
                f"Until then it stays {current_user.email}.", "info",
            )
            return redirect(url_for("accounts.settings"))
    return _settings_page(email_form=form)


@bp.route("/settings/email/<token>", methods=["GET", "POST"])
@rate_limit("account")
def confirm_email_change(token: str):
    found = privacy.email_change_for_token(token)
    if found is None:
        return render_template("accounts/link_invalid.html", what="email change"), 400
    user, new_email = found
    form = ConfirmForm()
    if form.validate_on_submit():
        privacy.change_email(user, new_email)
        db.session.commit()
        flash(f"Thank you: your email address is now {new_email}.", "success")
        return redirect(url_for("boards.index"))
    return render_template("accounts/confirm_email.html", form=form, email=new_email)


@bp.post("/settings/sign-out-everywhere")
@rate_limit("account")
@login_required
def sign_out_everywhere():
    if ConfirmForm().validate_on_submit():
        user = current_user._get_current_object()
        accounts.end_sessions(user)
        db.session.commit()
        stay_signed_in(user)
        flash("Every other device and browser signed in to your account was signed out.", "success")
    return redirect(url_for("accounts.settings"))


@bp.get("/settings/export")
@rate_limit("account")
@login_required
def export():
    data = privacy.export_account(current_user)
    name = f"forum-data-{current_user.username}-{utcnow():%Y%m%d}.json"
    return Response(
        json.dumps(data, indent=2, ensure_ascii=False),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


@bp.route("/settings/delete", methods=["GET", "POST"])
@rate_limit("account")
@login_required
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.password.data):
            form.password.errors.append("That is not your password.")
        else:
            privacy.delete_account(current_user._get_current_object(), keep_posts=form.posts.data == "keep")
            return _commit_and_sign_out(
                "Your account has been deleted and your personal data erased. Take care of yourself.", "boards.index"
            )
    return render_template("accounts/delete.html", form=form), form_status(form)


@bp.post("/settings/confirm-email")
@rate_limit("email")
@login_required
def resend_verification():
    if ConfirmForm().validate_on_submit() and not privacy.is_verified(current_user):
        privacy.send_verification(current_user)
        db.session.commit()
        flash(f"We sent a new confirmation link to {current_user.email}.", "info")
    return redirect(url_for("accounts.settings"))


@bp.route("/confirm-email/<token>", methods=["GET", "POST"])
def verify_email(token: str):
    user = privacy.user_for_email_token(token)
    form = ConfirmForm()
    if user is None:
        return render_template("accounts/link_invalid.html", what="confirmation"), 400
    if form.validate_on_submit():
        privacy.mark_verified(user)
        db.session.commit()
        if current_user.is_authenticated:
            flash("Thank you: your email address is confirmed.", "success")
            return redirect(url_for("boards.index"))
        flash("Thank you: your email address is confirmed. You can sign in now.", "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/confirm_email.html", form=form, email=user.email)


@bp.route("/password/forgot", methods=["GET", "POST"])
@rate_limit("password_reset")
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        privacy.request_password_reset(form.email.data)
        db.session.commit()
        flash(RESET_SENT, "info")
        return redirect(url_for("accounts.forgot_password"))
    return render_template("accounts/forgot_password.html", form=form), form_status(form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@rate_limit("password_reset")
def reset_password(token: str):
    user = privacy.user_for_reset_token(token)
    if user is None:
        return render_template("accounts/link_invalid.html", what="password reset"), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            privacy.reset_password(user, form.password.data)
        except ForumError as error:
            form.password.errors.append(error.message)
        else:
            return _commit_and_sign_out(
                "Your password has been changed and every device was signed out. Please sign in.", "accounts.login"
            )
    return render_template("accounts/reset_password.html", form=form), form_status(form)
