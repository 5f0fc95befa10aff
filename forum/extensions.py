"""Flask extensions, created unbound here and bound in create_app()."""
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf import CSRFProtect

from forum.models.base import db

__all__ = ["csrf", "db", "login_manager", "migrate"]
migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
login_manager.login_view = "accounts.login"
login_manager.login_message = "Please sign in to continue."
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"
csrf = CSRFProtect()
