"""Time full-text search on a large index, on SQLite (FTS5) or PostgreSQL (tsvector + GIN).

    .venv/bin/python bench/search_bench.py                        # SQLite at /tmp/bench-search.db
    .venv/bin/python bench/search_bench.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_search
    .venv/bin/python bench/search_bench.py --documents 100000 --repeat 20

Builds the schema with create_all (which attaches the engine DDL), fills search_document with
synthetic topics and replies (and matching published posts and topics), then prints the median
and worst time of a page of results for several queries, by relevance and newest first.
With --existing it times the index of a forum seeded by bench/seed.py instead, also with filters
(board, a busy and a quiet author, kind, recent and old dates) and on the last page.
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
# Over a forum seeded by bench/seed.py (its posts are made of 20 sentences, so the first two match a large share).
EXISTING_QUERIES = ["botox injections", "microvascular decompression", '"droopy eyelid"', "inject*",
                    "surgery -hearing", "caffeine OR decaf", "zzzz nothing"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="sqlite:////tmp/bench-search.db")
    parser.add_argument("--documents", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--existing", action="store_true",
                        help="time searches on a forum already seeded by bench/seed.py (its own index), build nothing")
    parser.add_argument("--no-filters", action="store_true", help="skip the filtered and deep-page searches")
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
            time_queries(search, args.repeat, EXISTING_QUERIES, filtered=not args.no_filters)
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


def filter_cases(search) -> list[tuple[str, str, object, int]]:
    """(label, query, filters, page): filters that select a little or a lot, and a deep page."""
    from datetime import timedelta

    from forum.models import utcnow

    today = utcnow().date()
    cases = []
    for order in ("relevance", "newest"):
        for query in ("botox injections", '"droopy eyelid"'):
            cases += [
                (f"{order} board=treatments", query, search.SearchFilters(order=order, board="treatments"), 1),
                (f"{order} author=member00001", query, search.SearchFilters(order=order, author="member00001"), 1),
                (f"{order} author=member04000", query, search.SearchFilters(order=order, author="member04000"), 1),
                (f"{order} kind=topic", query, search.SearchFilters(order=order, kind="topic"), 1),
                (f"{order} since 30 days", query, search.SearchFilters(order=order, since=today - timedelta(days=30)), 1),
                (f"{order} until 2 years ago", query, search.SearchFilters(order=order, until=today - timedelta(days=730)), 1),
                (f"{order} page {search.MAX_PAGE}", query, search.SearchFilters(order=order), search.MAX_PAGE),
            ]
    return cases


def time_queries(search, repeat: int, queries: list[str], filtered: bool = False) -> None:
    """Median, p99 and worst time of a page of results for each query, by relevance and newest first
    (and, with `filtered`, with filters and on the last page)."""
    from forum.extensions import db

    documents = db.session.execute(db.select(db.func.count()).select_from(db.metadata.tables["search_document"])).scalar()
    print(f"{db.engine.dialect.name}: {documents:,} documents in the index", flush=True)
    cases = [(order, query, search.SearchFilters(order=order), 1) for order in ("relevance", "newest") for query in queries]
    if filtered:
        cases += filter_cases(search)
    every = []
    for label, query, filters, page in cases:
        timings = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            results = search.search(query, filters, page=page)
            timings.append((time.perf_counter() - t0) * 1000)
            db.session.rollback()  # each search in its own transaction, as a request would be
        every += timings
        print(f"  {label:28} {query!r:30} {len(results.hits):3} hits  median {statistics.median(timings):7.1f} ms  "
              f"p99 {percentile(timings, 0.99):7.1f} ms  max {max(timings):7.1f} ms", flush=True)
    print(f"  all searches: p50 {percentile(every, 0.5):.1f} ms, p99 {percentile(every, 0.99):.1f} ms "
          f"over {len(every)} searches", flush=True)


def percentile(timings: list[float], fraction: float) -> float:
    ordered = sorted(timings)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


if __name__ == "__main__":
    main()
