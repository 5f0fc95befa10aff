"""Profile one page in-process with pyinstrument: CPU time per request and where it goes.

    .venv/bin/python bench/profile.py /boards/general --signed-in
    .venv/bin/python bench/profile.py /topics/1 --requests 100 --database-url postgresql+psycopg://...
    .venv/bin/python bench/profile.py --reply 1        # posting a reply to topic 1
    .venv/bin/python bench/profile.py /bench-floor/member --signed-in   # a signed-in page without its template

With --reply it also prints how long each reply held its transaction's writes open (from the
first INSERT, UPDATE or DELETE to the commit): on SQLite, how long the database's write lock is
held, which every other writer waits for; and how long it held its board's row (from the update
of the board's counters to the commit), which on PostgreSQL every other post in that board waits for.

CPU time (not wall time) is reported, so the figures hold on a busy machine.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.seed import DEFAULT_URL, normalise_url  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", nargs="?", default="/")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--signed-in", action="store_true")
    parser.add_argument("--cache", action="store_true", help="page cache on (anonymous pages served from it)")
    parser.add_argument("--reply", type=int, help="profile posting replies to this topic instead")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--no-profile", action="store_true", help="only print the CPU time per request")
    parser.add_argument("--rate-limits", action="store_true", help="rate limits on, as under bench/run.py and in production (pages: a --reply run would meet the posting limit)")
    parser.add_argument("--all-frames", action="store_true", help="show library frames too (Flask, SQLAlchemy, Jinja)")
    args = parser.parse_args()

    os.environ["LOG_LEVEL"] = "WARNING"  # the per-request access log off, as in the load test
    # A generation counter of its own: test suites running from this checkout bump the shared one,
    # which would turn every fragment into a miss.
    import tempfile

    os.environ.setdefault("CACHE_GENERATION_FILE", tempfile.mktemp(prefix="bench-generation-"))
    from sqlalchemy import select

    from forum import create_app
    from forum.extensions import db
    from forum.models import User

    app = create_app(SQLALCHEMY_DATABASE_URI=normalise_url(args.database_url), CACHE_PAGES=args.cache,
                     RATELIMIT_ENABLED=args.rate_limits, WTF_CSRF_ENABLED=False)
    from bench.floor import floor

    app.register_blueprint(floor)  # its /bench-floor pages can be profiled too
    client = app.test_client()
    if args.signed_in or args.reply:
        with app.app_context():
            member = db.session.scalar(select(User).where(User.username_key == "member00050"))
            session_id = member.get_id()
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = session_id, True
    counter = iter(range(10**9))

    def once():
        if args.reply:
            response = client.post(f"/topics/{args.reply}/reply", data={"body": f"A profiled reply number {next(counter)}."})
            assert response.status_code == 302, response.status_code
        else:
            response = client.get(args.path)
            assert response.status_code == 200, response.status_code

    for _ in range(5):
        once()
    held = watch_writes(app) if args.reply else None
    started = time.process_time()
    for _ in range(args.requests):
        once()
    cpu = (time.process_time() - started) / args.requests * 1000
    print(f"{args.reply and f'reply to topic {args.reply}' or args.path} "
          f"({'signed in' if args.signed_in or args.reply else 'anonymous'}): {cpu:.2f} ms CPU per request")
    for name, times in (held or {}).items():
        if times:
            times.sort()
            print(f"{name} held from the first {'write' if name == 'writes' else 'update of it'} to the commit: "
                  f"median {times[len(times) // 2]:.2f} ms, p90 {times[int(len(times) * 0.9)]:.2f} ms "
                  f"(wall time, {len(times)} transactions)")
    if args.no_profile:
        return
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(args.requests):
        once()
    profiler.stop()
    print(profiler.output_text(unicode=False, color=False, time="percent_of_total", show_all=args.all_frames))


def watch_writes(app) -> dict[str, list[float]]:
    """Milliseconds to each transaction's commit, appended as they happen: from its first write
    statement ("writes"), and from its update of a board's row ("board row"), which every post in
    that board makes and which PostgreSQL keeps locked until the commit."""
    from sqlalchemy import event

    from forum.extensions import db

    held: dict[str, list[float]] = {"writes": [], "board row": []}
    since: dict[str, float] = {}
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _write(conn, cursor, statement, parameters, context, executemany):
        words = statement.split(None, 2)[:2]
        if "writes" not in since and words[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            since["writes"] = time.perf_counter()
        if "board row" not in since and [w.upper() for w in words] == ["UPDATE", "BOARD"]:
            since["board row"] = time.perf_counter()

    @event.listens_for(engine, "commit")
    def _commit(conn):
        now = time.perf_counter()
        for name, started in since.items():
            held[name].append((now - started) * 1000)
        since.clear()

    @event.listens_for(engine, "rollback")
    def _rollback(conn):
        since.clear()

    return held


if __name__ == "__main__":
    main()
