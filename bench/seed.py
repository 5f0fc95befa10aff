"""Fill a database with a community of realistic shape, fast.

    .venv/bin/python bench/seed.py --database-url sqlite:////tmp/bench-forum.db
    .venv/bin/python bench/seed.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_forum
    .venv/bin/python bench/seed.py --posts 1000000 ...

The schema is built by the migrations (as in production), then every table is filled with bulk
inserts: SQLAlchemy Core executemany on SQLite, COPY on PostgreSQL, never the ORM row by row.
Shape (defaults): 5,000 members, 10 boards, 20,000 topics, 300,000 posts; the first board holds
more than half the topics (so it has 400+ pages), one topic has 2,000 posts, and the rest are a
long tail of short topics written mostly by a few regular members. Every counter the forum keeps
on rows (board, topic and member counts, last_* pointers, post numbers) is filled exactly as the
posting service would have left it. Every member's password is BENCH_PASSWORD.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
import time
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Table, func, select, text  # noqa: E402

BENCH_PASSWORD = "bench-password-1"
DEFAULT_URL = "sqlite:////tmp/bench-forum.db"
CHUNK = 5_000

BOARDS = [
    ("general", "General discussion", "Anything about living with facial spasms."),
    ("treatments", "Treatments", "Botulinum toxin, medication and surgery: experiences and questions."),
    ("diagnosis", "Diagnosis and tests", "Appointments, MRI scans and what the words mean."),
    ("coping", "Coping day to day", "Tiredness, work, driving, light and screens."),
    ("surgery", "Microvascular decompression", "Before and after surgery."),
    ("research", "Research", "Studies, trials and new approaches."),
    ("stories", "Stories", "Your journey in your own words."),
    ("caregivers", "Caregivers and family", "For partners, parents and friends."),
    ("introductions", "Introductions", "New here? Say hello."),
    ("local-groups", "Local groups", "Meet-ups and online circles."),
]

SENTENCES = [
    "My left eye started twitching about three years ago and it slowly spread to my cheek.",
    "The botox injections help for around ten weeks, then the spasms creep back.",
    "Has anyone tried microvascular decompression surgery? I am weighing it up.",
    "Tiredness and bright screens make my blepharospasm much worse in the evening.",
    "My neurologist ordered an MRI to look for a blood vessel pressing on the facial nerve.",
    "Sunglasses with a rose tint made a real difference for me at work.",
    "I was nervous before my first injection but it was over in a few minutes.",
    "Some days nobody notices, other days I feel everyone is staring at my face.",
    "Caffeine seems to make it worse for me, so I switched to decaf.",
    "Thank you all for sharing, it helps to know I am not alone in this.",
    "The side effects were a slightly droopy eyelid for two weeks, then it settled.",
    "Driving at night is the hardest part: oncoming headlights set off the spasms.",
    "My husband reads the forum with me and it helped him understand what I go through.",
    "I keep a diary of triggers: stress, lack of sleep, cold wind and long calls.",
    "After surgery the spasms stopped within a month, though my hearing is a bit dull.",
    "Our local group meets on the first Saturday of the month, everyone is welcome.",
    "Ask your doctor about the dose: mine lowered it and the droopiness went away.",
    "Hemifacial spasm is not the same as blepharospasm, which took me a while to learn.",
    "Relaxation exercises do not stop it but they make the bad days easier to bear.",
    "I found a study on a new toxin formulation that lasts longer between injections.",
]

FIRST_WORDS = ["Twitching", "Botox", "Spasms", "Surgery", "Injections", "Eyelid", "Cheek", "Sleep", "Work", "Driving",
               "Neurologist", "MRI", "Decompression", "Stress", "Caffeine", "Screens", "Family", "Support", "Diary", "Dose"]
TITLE_ENDS = ["after three years", "and tiredness", "- any advice?", "questions", "experience so far", "getting worse",
              "finally better", "before my appointment", "at work", "side effects", "and sleep", "in the evening"]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--members", type=int, default=5_000)
    parser.add_argument("--boards", type=int, default=10)
    parser.add_argument("--topics", type=int, default=20_000)
    parser.add_argument("--posts", type=int, default=300_000)
    parser.add_argument("--big-topic", type=int, default=2_000, help="posts in the one long topic")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--if-missing", action="store_true", help="do nothing when the database already has that many posts")
    args = parser.parse_args(argv)
    if args.posts < args.topics + args.big_topic:
        parser.error("--posts must be at least --topics + --big-topic")
    if args.boards > len(BOARDS):
        parser.error(f"--boards is at most {len(BOARDS)}")
    return args


def normalise_url(url: str) -> str:
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


# --- the shape --------------------------------------------------------------------------------


def topic_lengths(rng: random.Random, topics: int, posts: int, big: int) -> list[int]:
    """Posts per topic: topic 1 has `big`, the others a long tail (most short, a few long)."""
    rest, others = posts - big, topics - 1
    raw = [rng.paretovariate(1.3) - 1 for _ in range(others)]
    scale = (rest - others) / sum(raw)
    lengths = [1 + min(int(r * scale), big // 2) for r in raw]
    short = rest - sum(lengths)
    while short > 0:  # hand out what rounding and the cap left, one post at a time
        i = rng.randrange(others)
        if lengths[i] < big // 2:
            lengths[i] += 1
            short -= 1
    while short < 0:
        i = rng.randrange(others)
        if lengths[i] > 1:
            lengths[i] -= 1
            short += 1
    return [big, *lengths]


def board_of_topics(rng: random.Random, topics: int, boards: int) -> list[int]:
    """The first board gets 55% of topics (400+ pages at the default size); the rest share evenly."""
    first = int(topics * 0.55) if boards > 1 else topics
    assignment = [1] * first + [2 + (i % (boards - 1)) for i in range(topics - first)] if boards > 1 else [1] * topics
    rng.shuffle(assignment)
    assignment[0] = 1  # the long topic lives in the big board
    return assignment


def make_bodies(rng: random.Random, count: int = 400) -> list[tuple[str, str]]:
    from forum.markup import render_markdown

    bodies = []
    for _ in range(count):
        paragraphs = [" ".join(rng.sample(SENTENCES, rng.randint(1, 4))) for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.2:
            paragraphs.insert(0, "> " + rng.choice(SENTENCES))
        if rng.random() < 0.3:
            paragraphs.append("**" + rng.choice(SENTENCES) + "**")
        body = "\n\n".join(paragraphs)
        bodies.append((body, render_markdown(body)))
    return bodies


class Shape:
    """Everything the rows need, computed once: lengths, boards, times, authors and counters."""

    def __init__(self, args: argparse.Namespace, now: datetime) -> None:
        rng = random.Random(args.seed)
        self.rng, self.args, self.now = rng, args, now
        self.lengths = topic_lengths(rng, args.topics, args.posts, args.big_topic)
        self.boards = board_of_topics(rng, args.topics, args.boards)
        self.bodies = make_bodies(rng)
        # A few regulars write much of the forum: author weights fall off with rank.
        weights = [1 / (i + 1) ** 0.8 for i in range(args.members)]
        total, acc = sum(weights), 0.0
        self.cum_weights = []
        for w in weights:
            acc += w / total
            self.cum_weights.append(acc)
        self.member_ids = list(range(1, args.members + 1))
        span = timedelta(days=3 * 365)
        self.topic_start = sorted(now - span + timedelta(seconds=rng.uniform(0, span.total_seconds() - 86_400)) for _ in range(args.topics))
        rng.shuffle(self.topic_start)
        self.topic_start[0] = now - timedelta(days=200)
        self.pinned = {i for i in range(2, args.topics + 1) if self.boards[i - 1] == 1}
        self.pinned = set(sorted(self.pinned)[:2])
        self.first_authors = self.authors(args.topics)
        # Counters, filled while the posts are generated.
        self.user_posts = [0] * (args.members + 1)
        self.topic_rows: list[dict] = []
        self.board_stats = {b: {"topic_count": 0, "post_count": 0, "last_posted_at": None, "last_topic_id": None} for b in range(1, args.boards + 1)}

    def topic_stubs(self) -> Iterator[dict]:
        """Topic rows with what is known before their posts are written."""
        for index, start in enumerate(self.topic_start):
            topic_id = index + 1
            yield {
                "id": topic_id, "board_id": self.boards[index], "author_id": self.first_authors[index],
                "title": f"{self.rng.choice(FIRST_WORDS)} {self.rng.choice(TITLE_ENDS)} #{topic_id}",
                "status": "published", "created_at": start, "last_posted_at": start, "last_post_id": None,
                "last_poster_id": self.first_authors[index], "reply_count": 0, "view_count": 0, "last_number": 0,
                "pinned": topic_id in self.pinned, "locked_at": None, "is_demo": False,
            }

    def authors(self, n: int) -> list[int]:
        return self.rng.choices(self.member_ids, cum_weights=self.cum_weights, k=n)

    def posts(self) -> Iterator[dict]:
        """Every post, topic by topic, in number order; fills topic and counter rows on the way."""
        rng, post_id = self.rng, 0
        for topic_index, length in enumerate(self.lengths):
            topic_id, board_id = topic_index + 1, self.boards[topic_index]
            start = self.topic_start[topic_index]
            gap = max(60.0, min(6 * 3600.0, (self.now - start).total_seconds() / (length + 1)))
            authors = self.authors(length)
            authors[0] = self.first_authors[topic_index]
            created, first_id, last = start, post_id + 1, None
            replies = 0
            for number in range(1, length + 1):
                post_id += 1
                if number > 1:
                    created = created + timedelta(seconds=rng.expovariate(1 / gap))
                    if created > self.now:
                        created = self.now
                status = "hidden" if number > 1 and rng.random() < 0.003 else "published"
                body, body_html = self.bodies[rng.randrange(len(self.bodies))]
                author = authors[number - 1]
                if status == "published":
                    self.user_posts[author] += 1
                    last = (post_id, created, author)
                    if number > 1:
                        replies += 1
                yield {
                    "id": post_id, "topic_id": topic_id, "author_id": author, "number": number, "body": body,
                    "body_html": body_html, "status": status, "created_at": created, "revision_count": 0, "is_demo": False,
                }
            last_id, last_at, last_author = last if replies else (first_id, start, self.first_authors[topic_index])
            self.topic_rows.append({
                "tid": topic_id, "lp": last_at, "lpi": last_id, "lpu": last_author, "rc": replies,
                "vc": rng.randint(replies, 20 * (replies + 5)), "ln": length,
            })
            stats = self.board_stats[board_id]
            stats["topic_count"] += 1
            stats["post_count"] += replies + 1
            if stats["last_posted_at"] is None or last_at >= stats["last_posted_at"]:  # ties: the newer topic, as listed
                stats["last_posted_at"], stats["last_topic_id"] = last_at, topic_id


# --- writing ----------------------------------------------------------------------------------


def column_defaults(table: Table) -> dict:
    """Values for columns a row does not give (features may add columns with defaults)."""
    values = {}
    for column in table.columns:
        default = column.default
        if default is None:
            values[column.name] = None
        elif default.is_scalar:
            values[column.name] = default.arg
        elif default.is_callable:
            values[column.name] = default.arg(None)
    return values


def chunks(rows: Iterable[dict], size: int = CHUNK) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _copy_value(value):
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (dict, list)):
        return json.dumps(value)  # JSON columns (e.g. a post's reaction counts)
    return value


def bulk_insert(connection, table: Table, rows: Iterable[dict]) -> int:
    """COPY on PostgreSQL, Core executemany elsewhere; returns the row count."""
    count = 0
    if connection.dialect.name == "postgresql":
        defaults = column_defaults(table)
        names = list(defaults)
        cursor = connection.connection.dbapi_connection.cursor()
        columns = ", ".join(f'"{n}"' for n in names)
        with cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([_copy_value(row.get(n, defaults[n])) for n in names])
                count += 1
        return count
    for batch in chunks(rows):
        connection.execute(table.insert(), batch)
        count += len(batch)
    return count


def build_schema(app, url: str) -> None:
    from flask_migrate import upgrade

    from forum.extensions import db

    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///"):]
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
    else:
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    upgrade(directory=str(Path(__file__).resolve().parent.parent / "migrations"))


def reset_sequences(connection, tables: list[Table]) -> None:
    if connection.dialect.name != "postgresql":
        return
    for table in tables:
        connection.execute(text(
            f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), (SELECT COALESCE(MAX(id), 1) FROM \"{table.name}\"))"
        ))


def seed(args: argparse.Namespace) -> dict[str, float]:
    from werkzeug.security import generate_password_hash

    from forum import create_app
    from forum.extensions import db
    from forum.models import Board, Post, Topic, User

    url = normalise_url(args.database_url)
    app = create_app(SQLALCHEMY_DATABASE_URI=url)
    timings: dict[str, float] = {}
    with app.app_context():
        started = time.perf_counter()
        build_schema(app, url)
        timings["schema"] = time.perf_counter() - started
        now = datetime.now(timezone.utc).replace(microsecond=0)
        shape = Shape(args, now)
        password_hash = generate_password_hash(BENCH_PASSWORD, method="scrypt")
        engine = db.engine
        with engine.begin() as connection:
            if connection.dialect.name == "sqlite":
                connection.exec_driver_sql("PRAGMA synchronous=OFF")
            else:
                connection.exec_driver_sql("SET LOCAL statement_timeout = 0")
            t = time.perf_counter()
            users = User.__table__
            bulk_insert(connection, users, (
                {"id": i, "username": f"member{i:05d}", "username_key": f"member{i:05d}", "email": f"member{i:05d}@bench.invalid",
                 "password_hash": password_hash, "role": "moderator" if i <= 5 else "member",
                 "created_at": now - timedelta(days=4 * 365) + timedelta(minutes=i), "post_count": 0, "is_demo": False,
                 "session_token": ""}
                for i in range(1, args.members + 1)
            ))
            bulk_insert(connection, Board.__table__, (
                {"id": i, "slug": slug, "name": name, "description": description, "position": i,
                 "shows_disclaimer": slug in ("treatments", "diagnosis"), "topic_count": 0, "post_count": 0}
                for i, (slug, name, description) in enumerate(BOARDS[: args.boards], start=1)
            ))
            timings["members and boards"] = time.perf_counter() - t
            t = time.perf_counter()
            # Topics first with what is known before their posts; counters follow the posts.
            topic_table = Topic.__table__
            bulk_insert(connection, topic_table, shape.topic_stubs())
            timings["topics"] = time.perf_counter() - t
            t = time.perf_counter()
            posts = bulk_insert(connection, Post.__table__, shape.posts())
            timings["posts"] = time.perf_counter() - t
            t = time.perf_counter()
            from sqlalchemy import bindparam, update

            connection.execute(
                update(topic_table).where(topic_table.c.id == bindparam("tid")).values(
                    last_posted_at=bindparam("lp", type_=topic_table.c.last_posted_at.type), last_post_id=bindparam("lpi"),
                    last_poster_id=bindparam("lpu"), reply_count=bindparam("rc"), view_count=bindparam("vc"),
                    last_number=bindparam("ln")),
                shape.topic_rows,
            )
            user_table = users
            connection.execute(
                update(user_table).where(user_table.c.id == bindparam("uid")).values(post_count=bindparam("n")),
                [{"uid": i, "n": n} for i, n in enumerate(shape.user_posts) if i and n],
            )
            board_table = Board.__table__
            connection.execute(
                update(board_table).where(board_table.c.id == bindparam("bid")).values(
                    topic_count=bindparam("tc"), post_count=bindparam("pc"),
                    last_posted_at=bindparam("lp", type_=board_table.c.last_posted_at.type), last_topic_id=bindparam("lt")),
                [{"bid": b, "tc": s["topic_count"], "pc": s["post_count"], "lp": s["last_posted_at"], "lt": s["last_topic_id"]}
                 for b, s in shape.board_stats.items()],
            )
            reset_sequences(connection, [users, board_table, topic_table, Post.__table__])
            timings["counters"] = time.perf_counter() - t
        with engine.connect() as connection:
            got = connection.execute(select(func.count()).select_from(Post.__table__)).scalar_one()
        assert got == posts == args.posts, (got, posts)
        t = time.perf_counter()
        demo_content()
        timings["demo articles"] = time.perf_counter() - t
        t = time.perf_counter()
        timings.update(index_for_search(app))
        timings["search index"] = time.perf_counter() - t
        t = time.perf_counter()
        with engine.connect() as connection:
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql("SET statement_timeout = 0")
            connection.exec_driver_sql("ANALYZE")
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql("VACUUM ANALYZE")
        timings["analyze"] = time.perf_counter() - t
        timings["total"] = time.perf_counter() - started
    return timings


def demo_content() -> None:
    """The demo members, topics and published articles (through the forum's own services), so
    that the article page, article pins and search over articles have something to load."""
    try:
        from forum.services.seeding import seed_demo
    except ImportError:
        return
    from forum.extensions import db

    seed_demo()
    db.session.commit()


def index_for_search(app) -> dict[str, float]:
    """Build the search index when the forum has one (its own bulk rebuild, if it offers one)."""
    try:
        from forum.services import search
    except ImportError:
        return {}
    rebuild = getattr(search, "reindex", None)
    if rebuild is None:
        return {}
    from forum.extensions import db

    rebuild(batch_size=5000)
    db.session.commit()
    return {}


def already_seeded(args: argparse.Namespace) -> bool:
    from sqlalchemy import create_engine, inspect

    engine = create_engine(normalise_url(args.database_url))
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table("post"):
                return False
            if connection.execute(text("SELECT COUNT(*) FROM post")).scalar() < args.posts:
                return False
            # A database seeded before search existed is seeded again, with its index.
            return not inspect(connection).has_table("search_document") or bool(
                connection.execute(text("SELECT 1 FROM search_document LIMIT 1")).scalar())
    except Exception:
        return False
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.if_missing and already_seeded(args):
        print("The database is already seeded; nothing to do.")
        return
    safe_url = args.database_url.split("@")[-1]
    print(f"Seeding {safe_url}: {args.members:,} members, {args.boards} boards, {args.topics:,} topics, {args.posts:,} posts "
          f"(one topic of {args.big_topic:,})", flush=True)
    timings = seed(args)
    for name, seconds in timings.items():
        print(f"  {name:<20} {seconds:8.1f} s")
    print(f"Seeded in {timings['total']:.1f} s")


if __name__ == "__main__":
    main()
