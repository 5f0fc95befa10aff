"""Moderation pages: reporting for members; the review queue, actions and audit log for staff."""
from flask import Blueprint

bp = Blueprint("moderation", __name__)

from forum.moderation import views  # noqa: E402,F401
