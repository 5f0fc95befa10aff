"""Safety: the crisis-support message after posting, and the page of help lines."""
from flask import Blueprint

bp = Blueprint("safety", __name__)

from forum.safety import views  # noqa: E402,F401
