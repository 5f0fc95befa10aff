"""Operations: health and readiness probes, and the admins' page of failed background jobs."""
from flask import Blueprint

bp = Blueprint("ops", __name__)

from forum.ops import views  # noqa: E402,F401  (registers the routes)
