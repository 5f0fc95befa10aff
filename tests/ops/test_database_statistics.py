"""The query planner's statistics: gathered on SQLite by a periodic job, left to autovacuum on PostgreSQL."""
from __future__ import annotations

from sqlalchemy import text

from forum import database, jobs
from forum.extensions import db


def _statistics_rows() -> int:
    if not db.session.scalar(text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")):
        return 0
    return db.session.scalar(text("SELECT count(*) FROM sqlite_stat1"))


def test_a_periodic_job_keeps_the_statistics(app):
    periodic = dict((path, interval) for interval, path in jobs.periodic_jobs(app))
    assert periodic["forum.database.refresh_statistics"] == app.config["DB_ANALYZE_SECONDS"]


def test_sqlite_statistics_are_gathered_and_postgresql_is_left_to_autovacuum(make_topic):
    make_topic()
    db.session.commit()
    gathered = jobs.execute("forum.database.refresh_statistics", [], {})
    if db.engine.dialect.name == "sqlite":
        assert gathered is True
        assert _statistics_rows() > 0
    else:
        assert gathered is False


def test_seeding_the_demo_leaves_statistics_behind(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    if db.engine.dialect.name == "sqlite":
        assert _statistics_rows() > 0
    assert database.refresh_statistics() is (db.engine.dialect.name == "sqlite")
