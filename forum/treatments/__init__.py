"""Treatment experience reports: members' reports, the community summary per treatment."""
from flask import Blueprint

bp = Blueprint("treatments", __name__)

from forum.treatments import views  # noqa: E402,F401
