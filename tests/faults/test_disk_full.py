"""A full disk, then a read-only one: a clear 503, no corruption, and writing works again after."""
from __future__ import annotations

import errno
import sqlite3
import subprocess

import pytest

from config import TestingConfig
from forum import create_app
from forum.extensions import db
from tests.faults.conftest import signed_in, wait_until
from tests.faults.seed import check_consistent

pytestmark = pytest.mark.faults


@pytest.fixture
def small_disk(tmp_path):
    """An 8 MB tmpfs of the test's own (needs root, as in CI); unmounted afterwards."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount_point)], capture_output=True)
    if result.returncode != 0:
        pytest.skip(f"needs root to mount a small filesystem (as in CI): {result.stderr.decode().strip()}")
    yield mount_point
    subprocess.run(["mount", "-o", "remount,rw", str(mount_point)], capture_output=True)
    if subprocess.run(["umount", str(mount_point)], capture_output=True).returncode != 0:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)


def _fill(directory) -> int:
    """Write a filler file until the filesystem is full (at most 16 MB); returns bytes written."""
    written = 0
    # Unbuffered: a write the disk refuses leaves nothing behind for close() to flush (and fail on).
    with open(directory / "filler", "wb", buffering=0) as handle:
        for _ in range(256):
            try:
                written += handle.write(b"\0" * 65536)
            except OSError as error:
                assert error.errno == errno.ENOSPC
                break
    return written


def test_full_then_read_only_disk_gives_503_and_recovers(small_disk, servers):
    url = f"sqlite:///{small_disk / 'forum.db'}"
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url, CACHE_PAGES=False)
    from tests import factories

    with app.app_context():
        db.create_all()
        topic = factories.make_topic(title="Posting on a full disk", body="Opening post")
        cookie, token = signed_in(factories.make_user(username="writer"))
        topic_id = topic.id
        db.session.remove()
        db.engine.dispose()
    server = servers(url, workers=1, threads=2)
    member = server.client(cookie)
    acknowledged: list[str] = []

    def post(body: str):
        status, headers, page = member.post(f"/topics/{topic_id}/reply", {"csrf_token": token, "body": body})
        if status == 302:
            acknowledged.append(body)
        return status, page

    assert post("Before the disk filled up")[0] == 302

    # The disk fills up: long replies need new pages, which cannot be written.
    _fill(small_disk)
    statuses = []
    for n in range(30):
        status, page = post(f"Long reply {n} on a full disk " + "words " * 8000)
        statuses.append(status)
        assert status in (302, 503), page[:500]
        if status == 503:
            assert b"Temporarily unavailable" in page and b"half-saved" in page
            break
    assert 503 in statuses
    check = sqlite3.connect(f"file:{small_disk / 'forum.db'}?mode=ro", uri=True)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    check.close()

    # Space returns: writing works again, without a restart.
    (small_disk / "filler").unlink()
    assert wait_until(lambda: post("After space came back")[0] == 302, timeout=10, interval=0.5) is not None

    # The filesystem turns read-only (the kernel refuses that while files are open for writing,
    # so the server is stopped first and started again on the read-only disk).
    server.stop()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    server = servers(url, workers=1, threads=2)
    member = server.client(cookie)
    workers = server.worker_pids()
    for n in range(3):  # several requests, so that more than one pooled connection saw the read-only file
        status, page = post("Written to a read-only disk")
        assert status == 503 and b"Temporarily unavailable" in page
        assert member.get(f"/topics/{topic_id}")[0] in (200, 503)
    assert server.client().get("/healthz")[0] == 200
    subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)
    # The same worker processes write again once the disk is writable: no restart. Connections
    # that saw the read-only file are discarded on their error (forum/database.py).
    assert wait_until(lambda: post("After the disk became writable again")[0] == 302, timeout=10, interval=0.5) is not None
    assert post("And again")[0] == 302
    assert member.get(f"/topics/{topic_id}")[0] == 200
    assert server.worker_pids() == workers

    server.stop()
    check = sqlite3.connect(str(small_disk / "forum.db"))
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    check.close()
    counts = check_consistent(app, topic_id)
    assert all(counts.get(body) == 1 for body in acknowledged)
    assert "Written to a read-only disk" not in counts
    with app.app_context():
        db.engine.dispose()
