"""Community comforts around posts: support reactions and bookmarks."""
from flask import Blueprint

bp = Blueprint("community", __name__)

from forum.community import views  # noqa: E402,F401
