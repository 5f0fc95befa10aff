"""Private messages between members, blocking, and the moderation of reported messages."""
from flask import Blueprint

bp = Blueprint("messages", __name__)

from forum.messages import views  # noqa: E402,F401
