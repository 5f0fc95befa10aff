"""Time full-text search on a large index, on SQLite (FTS5) or PostgreSQL (tsvector + GIN).

    .venv/bin/python bench/search_bench.py                        # SQLite at /tmp/bench-search.db
    .venv/bin/python bench/search_bench.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_search
    .venv/bin/python bench/search_bench.py --documents 100000 --repeat 20

Builds the schema with create_all (which attaches the engine DDL), fills search_document with
synthetic topics and replies (and matching published posts and topics), then prints the median
and worst time of a page of results for several queries, by relevance and newest first.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WORDS = (
    "botox injection eye eyelid spasm twitch blepharospasm hemifacial neurologist dose relief side effect droop "
    "ptosis surgery decompression stress sleep caffeine magnesium drops dry glasses sunlight fatigue clinic "
    "appointment months weeks better worse again first time help thank you share experience"
).split()
QUERIES = ["botox", "botox eye", '"near the eye"', "inject*", "decompression -surgery", "ptosis OR droop", "zzzz nothing"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="sqlite:////tmp/bench-search.db")
    parser.add_argument("--documents", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--existing", action="store_true",
                        help="time searches on a forum already seeded by bench/seed.py (its own index), build nothing")
    args = parser.parse_args()

    from sqlalchemy import insert

    from config import TestingConfig
    from forum import create_app
    from forum.extensions import db
    from forum.models import Board, Post, SearchDocument, Topic, User, utcnow
    from forum.services import search

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=args.database_url)
    if args.existing:
        with app.app_context():
            time_queries(search, args.repeat, ["botox injections", "microvascular decompression", '"droopy eyelid"', "inject*",
                                               "surgery -hearing", "caffeine OR decaf", "zzzz nothing"])
        return
    with app.app_context():
        db.drop_all()
        db.create_all()
        rng = random.Random(7)
        now = utcnow()
        db.session.execute(insert(User), [{"id": 1, "username": "bench", "username_key": "bench"}])
        db.session.execute(insert(Board), [{"id": 1, "slug": "b", "name": "Bench"}])
        per_topic = 10
        started = time.perf_counter()
        for start in range(0, args.documents, 5000):
            ids = range(start + 1, min(start + 5000, args.documents) + 1)
            topics = [{"id": i // per_topic + 1, "board_id": 1, "author_id": 1, "title": f"Topic {i}", "created_at": now, "last_posted_at": now}
                      for i in ids if i % per_topic == 0 or i == 1]
            if topics:
                db.session.execute(insert(Topic), topics)
            texts = [" ".join(rng.choice(WORDS) for _ in range(60)) + (" botox near the eye" if i % 97 == 0 else "") for i in ids]
            db.session.execute(insert(Post), [
                {"id": i, "topic_id": max(1, i // per_topic) if i % per_topic else i // per_topic + 1, "author_id": 1, "number": i, "body": t, "body_html": t, "created_at": now}
                for i, t in zip(ids, texts)
            ])
            db.session.execute(insert(SearchDocument), [
                {"kind": "post", "ref_id": i, "topic_id": max(1, i // per_topic) if i % per_topic else i // per_topic + 1, "board_id": 1, "author_id": 1,
                 "title": "", "body": t, "created_at": now}
                for i, t in zip(ids, texts)
            ])
            db.session.commit()
        print(f"{db.engine.dialect.name}: indexed {args.documents:,} documents in {time.perf_counter() - started:.1f}s")
        time_queries(search, args.repeat, QUERIES)


def time_queries(search, repeat: int, queries: list[str]) -> None:
    """Median, p99 and worst time of a page of results for each query, by relevance and newest first."""
    from forum.extensions import db

    documents = db.session.execute(db.select(db.func.count()).select_from(db.metadata.tables["search_document"])).scalar()
    print(f"{db.engine.dialect.name}: {documents:,} documents in the index", flush=True)
    every = []
    for order in ("relevance", "newest"):
        for query in queries:
            timings = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                results = search.search(query, search.SearchFilters(order=order))
                timings.append((time.perf_counter() - t0) * 1000)
            every += timings
            p99 = sorted(timings)[min(len(timings) - 1, int(0.99 * len(timings)))]
            print(f"  {order:9} {query!r:30} {len(results.hits):3} hits  median {statistics.median(timings):7.1f} ms  "
                  f"p99 {p99:7.1f} ms  max {max(timings):7.1f} ms", flush=True)
    every.sort()
    print(f"  all queries: p50 {every[len(every) // 2]:.1f} ms, p99 {every[min(len(every) - 1, int(0.99 * len(every)))]:.1f} ms "
          f"over {len(every)} searches", flush=True)


if __name__ == "__main__":
    main()
