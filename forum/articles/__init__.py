"""Articles by verified experts, their review by moderators, and the admins' expert register."""
from flask import Blueprint

bp = Blueprint("articles", __name__)

from forum.articles import views  # noqa: E402,F401
