"""Flask extensions, created unbound here and bound in create_app()."""
from flask_login import LoginManager
from flask_wtf import CSRFProtect

from forum.models.base import db

__all__ = ["csrf", "db", "login_manager", "migrate"]
login_manager = LoginManager()
login_manager.login_view = "accounts.login"
login_manager.login_message = "Please sign in to continue."
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"
csrf = CSRFProtect()


def __getattr__(name: str):
    """`migrate` (Flask-Migrate) is made on first use: importing it loads Alembic."""
    if name == "migrate":
        from flask_migrate import Migrate

        globals()["migrate"] = Migrate(render_as_batch=True, compare_type=True)
        return globals()["migrate"]
    raise AttributeError(name)
