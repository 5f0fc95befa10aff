"""Images in posts: the upload form and the stored images."""
from flask import Blueprint

bp = Blueprint("uploads", __name__)

from forum.uploads import views  # noqa: E402,F401
