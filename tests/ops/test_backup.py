"""Backups taken while members post, restored into an empty database, lose nothing committed."""
from __future__ import annotations

import hashlib
import threading
import time

import pytest
from sqlalchemy import select

from config import TestingConfig
from forum import create_app
from forum.models import Board, Post, Topic
from forum.models.base import db as _db
from forum.services import posting
from tests import factories, wait_until
from tests.ops import pg


@pytest.fixture
def databases(database_url, tmp_path):
    """(source URL, empty target URL) on the same kind of database as the suite."""
    if database_url.startswith("postgresql"):
        source, target = pg.create_database(database_url, "ops_backup"), pg.create_database(database_url, "ops_restore")
        yield source, target
        pg.drop_database(source)
        pg.drop_database(target)
    else:
        yield f"sqlite:///{tmp_path / 'source.db'}", f"sqlite:///{tmp_path / 'restored.db'}"


def _invoke(app, command: str, path):
    """Run a CLI command against this app (the suite's fixture holds another app's context)."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=[command, str(path)])


def _digest(post: Post) -> str:
    return hashlib.sha256(f"{post.id}|{post.topic_id}|{post.number}|{post.body}|{post.body_html}".encode()).hexdigest()


def test_backup_under_load_restores_every_committed_row(databases, tmp_path):
    source_url, target_url = databases
    source = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=source_url, CACHE_PAGES=False)
    with source.app_context():
        _db.create_all()
        topic = factories.make_topic(title="Backups while we talk", body="First post")
        topic_id = topic.id
        author_id = topic.author_id

    committed: list[tuple[int, float]] = []  # (post id, time its commit returned)
    stop = threading.Event()

    def writer() -> None:
        with source.app_context():
            from forum.models import User

            author = _db.session.get(User, author_id)
            for n in range(5000):  # bounded by count and by the stop event
                if stop.is_set():
                    break
                topic = _db.session.get(Topic, topic_id)
                post = posting.reply_to_topic(topic, author, f"Reply {n} written during the backup " + "x" * (n % 50))
                _db.session.commit()
                committed.append((post.id, time.monotonic()))
            _db.session.remove()

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    # Generous bounds for a busy machine: what counts is that the backup runs amid the writes.
    assert wait_until(lambda: len(committed) >= 30, timeout=120, interval=0.01) is not None, "the writer stalled"
    began = time.monotonic()
    path = tmp_path / "forum.backup"
    result = _invoke(source, "backup", path)
    assert result.exit_code == 0, result.output
    after = len(committed)
    assert wait_until(lambda: len(committed) >= after + 5, timeout=120, interval=0.01) is not None  # writes go on after
    stop.set()
    thread.join(timeout=30)
    assert not thread.is_alive()
    before = {post_id for post_id, at in committed if at < began}
    assert len(before) >= 30

    with source.app_context():
        originals = {p.id: _digest(p) for p in _db.session.scalars(select(Post))}
        _db.engine.dispose()

    target = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=target_url, CACHE_PAGES=False)
    result = _invoke(target, "restore", path)
    assert result.exit_code == 0, result.output
    with target.app_context():
        restored = {p.id: _digest(p) for p in _db.session.scalars(select(Post))}
        restored_topic = _db.session.get(Topic, topic_id)
        board = _db.session.get(Board, restored_topic.board_id)
        # Every row committed before the backup began is there, byte for byte...
        assert before <= set(restored)
        assert all(restored[i] == originals[i] for i in before)
        # ...and the restored database is consistent with itself (one snapshot, not a mix).
        assert restored_topic.last_number == max(p.number for p in _db.session.scalars(select(Post).where(Post.topic_id == topic_id)))
        assert restored_topic.reply_count == len(restored) - 1
        assert board.post_count == len(restored)
        # A second restore into the now non-empty database is refused.
        _db.engine.dispose()
    again = _invoke(target, "restore", path)
    assert again.exit_code != 0 and "not empty" in again.output


def test_backup_refuses_an_in_memory_database(tmp_path):
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://")
    result = _invoke(app, "backup", tmp_path / "x.backup")
    assert result.exit_code != 0 and "in-memory" in result.output
