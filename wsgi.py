"""The WSGI entry point: `gunicorn wsgi:app`."""
from forum import create_app

# Web workers never migrate: the `flask db` commands (and Alembic with them) stay out of memory.
app = create_app(SCHEMA_COMMANDS=False)
