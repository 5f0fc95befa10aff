"""Time sign-up and password-reset requests for an address that has an account and one that has
not: the two must not be told apart by their answer or their time (email enumeration).

    .venv/bin/python bench/account_timing.py [--rounds 60]

In-process, on a temporary SQLite database, with production's password hashing and the SMTP
backend pointed at a closed port; background jobs are held back (a worker would run them), so
what is timed is what the visitor waits for. Known and unknown alternate which goes first.
Medians of wall time: run it on a quiet machine, or more than once.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config import TestingConfig  # noqa: E402
from forum import create_app, jobs  # noqa: E402
from forum.extensions import db  # noqa: E402
from forum.services import accounts  # noqa: E402

PASSWORD = {"password": "a-long-password-1", "confirm": "a-long-password-1"}
KNOWN = "olga@example.org"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=60)
    args = parser.parse_args(argv)
    app = create_app(
        TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tempfile.mkdtemp()}/timing.db", PASSWORD_HASH_METHOD="scrypt",
        RATELIMIT_ENABLED=False, MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=9, JOBS_INLINE="thread",
    )
    jobs._run_in_process = lambda app_, job: None  # held back: pages never wait for the worker
    with app.app_context():
        db.create_all()
        accounts.create_user("owner_olga", KNOWN, PASSWORD["password"])
        db.session.commit()
    client = app.test_client()
    times: dict[str, list[float]] = {}
    statuses: dict[str, set[int]] = {}

    def timed(name: str, path: str, data: dict) -> None:
        start = time.perf_counter()
        status = client.post(path, data=data).status_code
        times.setdefault(name, []).append((time.perf_counter() - start) * 1000)
        statuses.setdefault(name, set()).add(status)

    for i in range(args.rounds):
        order = 1 if i % 2 else -1
        for name, username, email in [("sign-up, known address", f"copy{i}", KNOWN), ("sign-up, unknown address", f"fresh{i}", f"fresh{i}@example.org")][::order]:
            timed(name, "/signup", {"username": username, "email": email, **PASSWORD})
        for name, email in [("reset, known address", KNOWN), ("reset, unknown address", f"nobody{i}@example.org")][::order]:
            timed(name, "/password/forgot", {"email": email})
    for name, values in times.items():
        print(f"{name:26} status {sorted(statuses[name])}  median {statistics.median(values):7.1f} ms")


if __name__ == "__main__":
    main()
