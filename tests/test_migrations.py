"""The schema comes from migrations: they build exactly the models' schema, and go down and up again."""
from __future__ import annotations

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from sqlalchemy.engine import make_url

from config import TestingConfig
from forum import create_app
from forum.extensions import db




@pytest.fixture
def migrations_url(database_url, tmp_path):
    """A separate, empty database for the migrations (the suite's own is built by create_all)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    name = f"forum_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _differences(app) -> list:
    with app.app_context():
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_object": _env_include_object()}
            )
            return compare_metadata(context, db.metadata)


def _env_include_object():
    import importlib.util
    from pathlib import Path

    # migrations/env.py runs Alembic on import, so read the filter from its own module file.
    path = Path(__file__).resolve().parent.parent / "migrations" / "filters.py"
    spec = importlib.util.spec_from_file_location("migration_filters", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.include_object


def test_migrations_build_the_models_schema_and_go_down_and_up(migrations_url):
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=migrations_url)
    with app.app_context():
        upgrade()
    assert _differences(app) == []

    with app.app_context():
        downgrade(revision="base")
        tables = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert tables == set()
        upgrade()
    assert _differences(app) == []
    with app.app_context():
        db.engine.dispose()
