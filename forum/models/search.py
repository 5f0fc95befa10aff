"""The full-text search index: one row per searchable thing (an opening post, a reply, an article).

The text lives in `search_document`; the engine-specific index is built next to it:
SQLite: an FTS5 table `search_fts` (porter stemming) kept in step by triggers;
PostgreSQL: a generated `search_vector` tsvector column with a GIN index.
Both are created by the migration and, for tests using create_all, by the DDL attached below.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from forum.models.base import db, utcnow


class SearchDocument(db.Model):
    __tablename__ = "search_document"
    __table_args__ = (
        UniqueConstraint("kind", "ref_id", name="uq_search_document_kind_ref"),
        Index("ix_search_document_created", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # "topic" (an opening post, with its topic's title), "post" (a reply) or "article".
    kind: Mapped[str] = mapped_column(String(10))
    # The post's id for topics and posts, the article's id for articles.
    ref_id: Mapped[int]
    topic_id: Mapped[int | None] = mapped_column(index=True)
    board_id: Mapped[int | None] = mapped_column(index=True)
    author_id: Mapped[int | None] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Where an article lives (posts and topics link by id).
    url: Mapped[str | None] = mapped_column(String(300))


# Names of the engine objects that live beside the model (Alembic's comparison skips them).
FTS_TABLE = "search_fts"
FTS_TOKENIZER = "porter unicode61 remove_diacritics 2"
PG_VECTOR_COLUMN = "search_vector"
PG_VECTOR_INDEX = "ix_search_document_search_vector"
PG_TOPIC_VECTOR_INDEX = "ix_search_document_topic_vector"
TS_CONFIG = "english"
# New posts' words wait in the GIN index's pending list, which every search reads through, until
# the list outgrows this many kB and the post that overflows it merges the list into the index.
# PostgreSQL's default, 4 MB, holds some 5,000 posts: merging 362 pages of it took 28 ms, paid
# by one member's reply. At 512 kB a search reads at most 64 pages and a merge takes about 6 ms.
PG_PENDING_LIST_KB = 512

SQLITE_DDL = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "title, body, content='search_document', content_rowid='id', "
    f"tokenize='{FTS_TOKENIZER}')",
    f"CREATE TRIGGER IF NOT EXISTS search_document_ai AFTER INSERT ON search_document BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    f"CREATE TRIGGER IF NOT EXISTS search_document_ad AFTER DELETE ON search_document BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); END",
    f"CREATE TRIGGER IF NOT EXISTS search_document_au AFTER UPDATE ON search_document BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); "
    f"INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (new.id, new.title, new.body); END",
]
SQLITE_DROP_DDL = [f"DROP TABLE IF EXISTS {FTS_TABLE}"]

POSTGRESQL_DDL = [
    f"ALTER TABLE search_document ADD COLUMN IF NOT EXISTS {PG_VECTOR_COLUMN} tsvector GENERATED ALWAYS AS ("
    f"setweight(to_tsvector('{TS_CONFIG}', coalesce(title, '')), 'A') || "
    f"setweight(to_tsvector('{TS_CONFIG}', coalesce(body, '')), 'B')) STORED",
    f"CREATE INDEX IF NOT EXISTS {PG_VECTOR_INDEX} ON search_document USING GIN ({PG_VECTOR_COLUMN}) "
    f"WITH (gin_pending_list_limit = {PG_PENDING_LIST_KB})",
    # Searching topics only: the words of opening posts alone (one document in fifteen), so that
    # such a search does not first list every matching reply as well.
    f"CREATE INDEX IF NOT EXISTS {PG_TOPIC_VECTOR_INDEX} ON search_document USING GIN ({PG_VECTOR_COLUMN}) "
    f"WITH (gin_pending_list_limit = {PG_PENDING_LIST_KB}) WHERE kind = 'topic'",
]

for _statement in SQLITE_DDL:
    event.listen(SearchDocument.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in SQLITE_DROP_DDL:
    event.listen(SearchDocument.__table__, "before_drop", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in POSTGRESQL_DDL:
    event.listen(SearchDocument.__table__, "after_create", DDL(_statement).execute_if(dialect="postgresql"))

