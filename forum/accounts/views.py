import time
from urllib.parse import urlsplit

from flask import current_app, flash, has_request_context, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.accounts import bp
from forum.accounts.forms import SignInForm, SignUpForm
from forum.boards.forms import ConfirmForm
from forum.errors import ForumError, NotFound, too_many_requests_response
from forum.extensions import login_manager
from forum.models import User
from forum.models.base import db
from forum.ratelimits import rate_limit, record_sign_in_failure, remember_device, sign_in_wait
from forum.services import accounts, articles, messages, privacy, two_factor
from forum.views_util import form_status


SIGN_UP_SENT = (
    "Thank you. We have sent a message to the address you gave: open the link in it to confirm your "
    "address, then sign in here with your username and password. Check your spam folder if nothing arrives."
)

# Blueprints whose permission checks read the signed-in member's expert profile.
_PROFILE_BLUEPRINTS = frozenset({"articles"})


@login_manager.user_loader
def load_user(session_id: str):
    with_profile = has_request_context() and request.blueprint in _PROFILE_BLUEPRINTS
    return accounts.user_by_session_id(session_id, with_bell=True, with_profile=with_profile)


def _safe_next(default: str) -> str:
    target = request.args.get("next", "")
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc and not parts.scheme and "\\" not in target:
        return target
    return default


def _sign_in(user: User, remember: bool) -> None:
    # A fresh session on sign-in: nothing from before survives into the signed-in session.
    session.clear()
    login_user(user, remember=remember)
    # This browser may sign in to this account even while it is under attack (forum/ratelimits.py).
    remember_device(accounts.failure_key(user))


def stay_signed_in(user: User) -> None:
    """Sign this session in again after accounts.end_sessions() ended every one of the member's,
    with a new remember-me cookie if it had one: the other sessions and cookies stay ended."""
    remember_cookie = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    login_user(user, remember=bool(request.cookies.get(remember_cookie)))


# The password was right for a member who uses two-factor sign-in: the session holds only who is
# signing in (with their session token, so that a password change ends it) until the code passes.
PENDING_KEY = "two_factor_pending"
PENDING_SECONDS = 300


def ask_for_code(user: User, remember: bool, next_url: str):
    session.clear()
    session[PENDING_KEY] = {"user": user.get_id(), "remember": bool(remember), "next": next_url, "since": int(time.time())}
    return redirect(url_for("accounts.sign_in_code"))


def pending_sign_in() -> tuple[User | None, dict]:
    """The member half-way through signing in, if the password step was recent enough."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or not isinstance(pending.get("since"), int):
        return None, {}
    if time.time() - pending["since"] > PENDING_SECONDS:
        return None, {}
    return accounts.user_by_session_id(str(pending.get("user", ""))), pending


@bp.route("/signup", methods=["GET", "POST"])
@rate_limit("sign_up")
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("boards.index"))
    form = SignUpForm()
    if form.validate_on_submit():
        try:
            privacy.sign_up(form.username.data, form.email.data, form.password.data)
        except ForumError as error:
            form.username.errors.append(error.message)
        else:
            # The same answer whether the address was new (an account was opened) or already had
            # an account (its owner is told instead): no one learns which addresses are members'.
            db.session.commit()
            flash(SIGN_UP_SENT, "info")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/signup.html", form=form), form_status(form)


@bp.route("/signin", methods=["GET", "POST"])
@rate_limit("sign_in")
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(url_for("boards.index")))
    form = SignInForm()
    if form.validate_on_submit():
        # Repeated failures on one account or from one address slow further attempts down
        # (forum/ratelimits.py says how, without letting strangers lock a member out).
        user = accounts.find_by_login(form.login.data)
        failure_key = accounts.failure_key(user, form.login.data)
        wait = sign_in_wait(failure_key)
        if wait:
            return too_many_requests_response(wait, "There have been too many unsuccessful attempts to sign in.")
        if not accounts.password_matches(user, form.password.data):
            record_sign_in_failure(failure_key)
            form.password.errors.append("That username or email and password do not match an account.")
        elif two_factor.is_enabled(user):
            # Not signed in yet: the code comes next (forum/accounts/two_factor_views.py).
            return ask_for_code(user, remember=form.remember.data, next_url=_safe_next(url_for("boards.index")))
        else:
            _sign_in(user, remember=form.remember.data)
            db.session.commit()
            flash(f"Welcome back, {user.username}.", "success")
            return redirect(_safe_next(url_for("boards.index")))
    return render_template("accounts/signin.html", form=form), form_status(form)


@bp.post("/signout")
def logout():
    form = ConfirmForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            # Every copy of this session or of its remember-me cookie stops working, wherever it is.
            accounts.end_sessions(current_user._get_current_object())
            db.session.commit()
        # Cleared first: logout_user() then asks (in the session) for the remember-me cookie to go.
        session.clear()
        logout_user()
        flash("You are signed out. Every other device signed in to your account was signed out too.", "info")
    return redirect(url_for("boards.index"))


@bp.get("/users/<username>")
def profile(username: str):
    user = db.session.scalar(
        select(User).options(joinedload(User.expert_profile)).where(User.username_key == User.key_for(username))
    )
    if user is None or user.password_hash == "":
        raise NotFound("There is no member with that name.")
    # Articles: an expert's published articles (kept on the profile after a revoke too).
    expert_articles = articles.articles_by(user) if user.expert_profile is not None else []
    return render_template(
        "accounts/profile.html", member=user, facts=privacy.profile_facts(user, current_user), expert_articles=expert_articles,
        is_blocked=messages.has_blocked(current_user, user),
    )


@bp.get("/account")
@login_required
def account():
    return redirect(url_for("accounts.profile", username=current_user.username))
