"""Configuration: production refuses weak secrets; SQLite runs in WAL mode with a busy timeout."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select, text

from config import ProductionConfig, TestingConfig
from forum import create_app
from forum.extensions import db
from forum.models import Post


@pytest.mark.parametrize("secret", [None, "", "dev-only-insecure-secret-key", "short"])
def test_production_refuses_to_start_without_a_real_secret_key(monkeypatch, secret):
    if secret is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", secret)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)


def test_production_starts_with_a_real_secret_key(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    app = create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI="sqlite://")
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_sqlite_uses_wal_and_a_busy_timeout(tmp_path):
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'wal.db'}")
    with app.app_context():
        with db.engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        db.engine.dispose()


def test_concurrent_replies_neither_fail_nor_get_lost(app, make_topic, make_user):
    """Several threads reply at once; every reply is stored, numbered once."""
    topic = make_topic()
    users = [make_user() for _ in range(6)]
    errors: list[Exception] = []

    def write(user_id: int) -> None:
        from forum.models import Topic, User
        from forum.services import posting

        with app.app_context():
            try:
                for i in range(5):
                    posting.reply_to_topic(db.session.get(Topic, topic.id), db.session.get(User, user_id), f"reply {i}")
                    db.session.commit()
            except Exception as error:  # noqa: BLE001 - collected and asserted below
                errors.append(error)

    threads = [threading.Thread(target=write, args=(u.id,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = db.session.scalars(select(Post.number).where(Post.topic_id == topic.id).order_by(Post.number)).all()
    assert numbers == list(range(1, 32))
    assert db.session.scalar(select(func.count()).select_from(Post)) == 31
    from forum.models import Topic

    db.session.expire_all()
    assert db.session.get(Topic, topic.id).reply_count == 30
