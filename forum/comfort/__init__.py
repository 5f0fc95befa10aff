"""The Reading control: text size, theme, motion and spacing, chosen on any page."""
from flask import Blueprint

bp = Blueprint("comfort", __name__)

from forum.comfort import views  # noqa: E402,F401


@bp.app_context_processor
def _reading_globals() -> dict:
    from forum.services import comfort

    return {"reading_choice": comfort.current_choice, "reading_sizes": comfort.TEXT_SIZES, "reading_themes": comfort.THEMES}
