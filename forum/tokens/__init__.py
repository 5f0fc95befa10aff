"""Settings › API tokens: members create and revoke their personal access tokens."""
from flask import Blueprint

bp = Blueprint("tokens", __name__, url_prefix="/settings/tokens")

from forum.tokens import views  # noqa: E402,F401
