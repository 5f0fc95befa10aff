"""Boards, topics and posts: the pages members read and write."""
from flask import Blueprint

bp = Blueprint("boards", __name__)

from forum.boards import views  # noqa: E402,F401
from forum.boards import drafts_views  # noqa: E402,F401
