"""Accounts: signing up, signing in and out, profiles."""
from flask import Blueprint

bp = Blueprint("accounts", __name__)

from forum.accounts import views  # noqa: E402,F401
from forum.accounts import privacy_views  # noqa: E402,F401
from forum.accounts import two_factor_views  # noqa: E402,F401
