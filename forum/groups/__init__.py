"""Local support groups: the directory, proposals, verification and contact through the forum."""
from flask import Blueprint

bp = Blueprint("groups", __name__)

from forum.groups import views  # noqa: E402,F401
