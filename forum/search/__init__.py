"""Search: the header's search box and the search page."""
from flask import Blueprint

bp = Blueprint("search", __name__)

from forum.search import views  # noqa: E402,F401
