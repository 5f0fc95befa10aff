from flask import Flask, render_template, session

from forum.safety import bp
from forum.services.crisis import help_lines

SESSION_KEY = "crisis_support"


def offer_support(post) -> None:
    """After a post in which crisis language was found, show its author help on the next page."""
    verdict = getattr(post, "screening", None)
    if verdict is not None and any(reason == "at_risk" for reason, _ in verdict.flags):
        session[SESSION_KEY] = True


def take_support_offer() -> bool:
    """True once, on the page after such a post (read by templates/_partials/crisis_support.html)."""
    return bool(session.pop(SESSION_KEY, False))


@bp.get("/support")
def support():
    return render_template("safety/support.html", lines=help_lines())


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(take_crisis_support=take_support_offer, crisis_lines=help_lines)
