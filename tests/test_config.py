"""Configuration: production refuses weak secrets and a missing SITE_URL, and answers only to its
own host; SQLite runs in WAL mode with a busy timeout."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select, text

from config import DevelopmentConfig, ProductionConfig, TestingConfig
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
    app = create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI="sqlite://", SITE_URL="https://forum.example.org")
    assert app.config["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize("site_url", [None, "", "forum.example.org", "https://", "ftp://forum.example.org"])
def test_production_refuses_to_start_without_a_site_url(monkeypatch, site_url):
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    with pytest.raises(RuntimeError, match="SITE_URL"):
        create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI="sqlite://", SITE_URL=site_url)


def test_production_without_site_url_in_the_environment_refuses_to_start(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    monkeypatch.delenv("SITE_URL", raising=False)
    with pytest.raises(RuntimeError, match="SITE_URL"):
        ProductionConfig.check()


@pytest.fixture
def production_client(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    app = create_app(
        ProductionConfig, SQLALCHEMY_DATABASE_URI="sqlite://", SITE_URL="https://forum.example.org",
        EXTRA_TRUSTED_HOSTS=["10.0.0.7"], RATELIMIT_ENABLED=False, MAIL_BACKEND="log",
    )
    with app.app_context():
        db.create_all()
    yield app.test_client()
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("host", ["evil.example", "localhost", "127.0.0.1:5000", "forum.example.org.evil.example", "sub.forum.example.org"])
@pytest.mark.parametrize("method, path", [("GET", "/"), ("GET", "/signin"), ("POST", "/password/forgot"), ("GET", "/api/v1/boards")])
def test_production_refuses_requests_for_another_host(production_client, host, method, path):
    response = production_client.open(path, method=method, headers={"Host": host}, data={"email": "a@example.org"})
    assert response.status_code == 400
    assert "does not answer to that host" in response.get_data(as_text=True)


@pytest.mark.parametrize("host", ["forum.example.org", "forum.example.org:443", "10.0.0.7:8000"])
def test_production_answers_its_own_host_and_the_extra_ones(production_client, host):
    assert production_client.get("/signin", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("config", [DevelopmentConfig, TestingConfig])
@pytest.mark.parametrize("host", ["localhost", "localhost:5000", "127.0.0.1:8123", "127.0.0.1"])
def test_development_and_tests_answer_on_localhost_at_any_port(config, host):
    app = create_app(config, SQLALCHEMY_DATABASE_URI="sqlite://", SITE_URL="http://localhost:5000")
    with app.app_context():
        db.create_all()
    client = app.test_client()
    assert client.get("/signin", headers={"Host": host}).status_code == 200
    assert client.get("/signin", headers={"Host": "evil.example"}).status_code == 400
    with app.app_context():
        db.engine.dispose()


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
