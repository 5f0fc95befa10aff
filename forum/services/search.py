"""Full-text search: the index kept in step with posts and articles, and the search itself.

One module hides both engines: SQLite FTS5 (porter stemming) and PostgreSQL full-text search
(a generated tsvector with a GIN index, queried with websearch_to_tsquery). What members type is
never handed to an engine as syntax: `parse_query` reads it into terms, phrases, prefixes,
exclusions and OR, and each engine gets a query built from those alone.

Call `index_post(post)` after anything that changes a post's text or visibility (posting does;
moderation's hide, restore and approve must too), `index_topic(topic)` after a whole topic is
hidden, restored or deleted, and `index_article(article)` when an article is published or withdrawn.
"""
from __future__ import annotations

import functools
import re
import sqlite3
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from html.parser import HTMLParser

from flask import current_app
from markupsafe import Markup, escape
from sqlalchemy import and_, bindparam, case, column, delete, false, func, literal, literal_column, or_, select, table, text, union_all
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from forum.models import Board, ContentStatus, Post, Topic, User
from forum.models.base import db
from forum.models.search import FTS_TABLE, FTS_TOKENIZER, PG_VECTOR_COLUMN, TS_CONFIG, SearchDocument

_fts_table = table(FTS_TABLE, column("rowid"))

KINDS = ("topic", "post", "article")
MAX_QUERY_LENGTH = 1000
MAX_TERMS = 32
PER_PAGE = 20
MAX_PAGE = 50
# Relevance is ranked among at most this many of the newest matches (SEARCH_RANK_WINDOW overrides it).
RANK_WINDOW = 2000
# Below this many matches, newest order reads the matches by id and sorts them.
FEW_MATCHES = 2000
# Visibility is checked on the best ranked rows only, this many more than the pages need.
VISIBILITY_SPARE = 20
# SQLite: filters keeping fewer documents than this are tested as a set of ids (see `allowed`).
FEW_FILTERED = 40000

# Marks put around matches by the engine; stripped from indexed text so a member cannot forge them.
_START, _END = "\ue000", "\ue001"


# ---------------------------------------------------------------------------------------------
# Reading what was typed


@dataclass(frozen=True)
class Clause:
    """Words that must appear next to each other (one word, or a phrase)."""

    words: tuple[str, ...]
    prefix: bool = False  # the last word may be the start of a longer word ("inject*")
    negated: bool = False  # the clause must not appear ("-surgery")


@dataclass
class ParsedQuery:
    # Alternatives joined by OR; each is a list of clauses that must all hold.
    groups: list[list[Clause]] = field(default_factory=list)
    truncated: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.groups

    def words(self) -> list[str]:
        return [w for g in self.groups for c in g if not c.negated for w in c.words]


_WORD = re.compile(r"[^\W_]+")
_CHUNK = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def parse_query(raw: str | None) -> ParsedQuery:
    """Read a member's query; anything that is not a word, a "phrase", a prefix*, a -exclusion
    or OR is ignored, so no input can be a syntax error for an engine."""
    raw = (raw or "").replace("\x00", " ")
    parsed = ParsedQuery(truncated=len(raw) > MAX_QUERY_LENGTH)
    raw = raw[:MAX_QUERY_LENGTH]
    groups: list[list[Clause]] = [[]]
    count = 0
    for match in _CHUNK.finditer(raw):
        if count >= MAX_TERMS:
            parsed.truncated = True
            break
        if match.group(3) is not None:
            chunk = match.group(3)
            if chunk == "OR" or chunk == "|":
                groups.append([])
                continue
            negated = chunk.startswith("-")
            prefix = chunk.endswith("*")
        else:
            chunk, negated, prefix = match.group(2), bool(match.group(1)), False
        words = tuple(w.lower() for w in _WORD.findall(chunk))[:MAX_TERMS]
        if not words:
            continue
        count += len(words)
        groups[-1].append(Clause(words=words, prefix=prefix, negated=negated))
    # A group needs something to find; exclusions alone would match everything.
    parsed.groups = [g for g in groups if any(not c.negated for c in g)]
    return parsed


def _fts5_clause(clause: Clause, expansions: dict[Clause, tuple[str, ...]]) -> str:
    terms = expansions.get(clause)
    if terms:
        return "(" + " OR ".join(f'"{term}"' for term in terms) + ")"
    return '"' + " ".join(clause.words) + '"' + ("*" if clause.prefix else "")


def fts5_query(parsed: ParsedQuery, expansions: dict[Clause, tuple[str, ...]] | None = None) -> str:
    """The FTS5 MATCH string: only quoted words, AND, NOT, OR and parentheses. A prefix clause
    found in `expansions` is written as the indexed terms it stands for (see `_expand_prefixes`)."""
    expansions = expansions or {}
    alternatives = []
    for group in parsed.groups:
        positive = " AND ".join(_fts5_clause(c, expansions) for c in group if not c.negated)
        expression = f"({positive})"
        for clause in group:
            if clause.negated:
                expression = f"({expression} NOT {_fts5_clause(clause, expansions)})"
        alternatives.append(expression)
    return " OR ".join(alternatives)


# A prefix is written as the terms it stands for when they are this few.
MAX_PREFIX_TERMS = 16
_VOCABULARY = "search_vocabulary"


class _Stemmer:
    """The terms FTS5's porter tokenizer makes of words, from a private in-memory FTS5 table with
    the index's own tokenizer (the stemmer is not idempotent: "agreed" is indexed as "agre", but
    "agre" in a query becomes "agr"). Results are kept: a word always stems the same way."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._known: dict[str, str | None] = {}
        self._connection: sqlite3.Connection | None = None

    def stems(self, words: list[str]) -> dict[str, str | None]:
        """Each word's indexed term (None when the tokenizer makes no term or several of it)."""
        missing = [w for w in dict.fromkeys(words) if w not in self._known]
        if missing:
            with self._lock:
                if len(self._known) > 50_000:
                    self._known.clear()
                connection = self._connect()
                connection.executemany("INSERT INTO words(rowid, word) VALUES (?, ?)", list(enumerate(missing, 1)))
                found: dict[int, list[str]] = {}
                for n, term in connection.execute("SELECT doc, term FROM word_terms"):
                    found.setdefault(n, []).append(term)
                connection.execute("DELETE FROM words")
                for n, word in enumerate(missing, 1):
                    terms = found.get(n, [])
                    self._known[word] = terms[0] if len(terms) == 1 else None
        return {w: self._known[w] for w in words}

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None:
            connection = sqlite3.connect(":memory:", check_same_thread=False)
            connection.execute(f"CREATE VIRTUAL TABLE words USING fts5(word, tokenize='{FTS_TOKENIZER}')")
            connection.execute("CREATE VIRTUAL TABLE temp.word_terms USING fts5vocab(main, words, 'instance')")
            self._connection = connection
        return self._connection


_stemmer = _Stemmer()


def _expand_prefixes(parsed: ParsedQuery) -> dict[Clause, tuple[str, ...]]:
    """SQLite: the indexed terms each one-word prefix clause stands for, where they are few.

    FTS5 answers "inject*" by merging the lists of every term that starts with the prefix's stem
    into one, in full, each time a statement opens the query (a search opens it three or four
    times: 12-17 ms each for a prefix as common as "inject"). The same terms joined by OR are
    read lazily, newest first, like any word (about 1 ms). The terms come from FTS5's own
    vocabulary of the index; a term is used only if the tokenizer leaves it as it is, so the OR
    matches exactly what the prefix does. Prefixes of fewer than three letters, phrases, and
    prefixes with more than MAX_PREFIX_TERMS terms are left to FTS5."""
    clauses = [c for g in parsed.groups for c in g if c.prefix and len(c.words) == 1 and len(c.words[0]) >= 3]
    if not clauses:
        return {}
    stems = _stemmer.stems([c.words[0] for c in clauses])
    db.session.execute(text(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{_VOCABULARY} USING fts5vocab(main, {FTS_TABLE}, 'row')"))
    expansions: dict[Clause, tuple[str, ...]] = {}
    for clause in clauses:
        stem = stems[clause.words[0]]
        if not stem or not 0x20 < ord(stem[-1]) < 0xD7FF:
            continue  # (the end of the range below must be a character SQLite can be given)
        following = stem[:-1] + chr(ord(stem[-1]) + 1)
        terms = db.session.scalars(
            text(f"SELECT term FROM temp.{_VOCABULARY} WHERE term >= :low AND term < :high LIMIT :limit"),
            {"low": stem, "high": following, "limit": MAX_PREFIX_TERMS + 1},
        ).all()
        if not terms or len(terms) > MAX_PREFIX_TERMS or any(not _WORD.fullmatch(term) for term in terms):
            continue
        if all(term == indexed for term, indexed in _stemmer.stems(terms).items()):
            expansions[clause] = tuple(terms)
    return expansions


def pg_tsquery(parsed: ParsedQuery):
    """A tsquery expression: websearch_to_tsquery over words and phrases, to_tsquery for prefixes."""
    config = literal_column(f"'{TS_CONFIG}'::regconfig")
    alternatives = []
    for group in parsed.groups:
        web_parts, prefix_parts = [], []
        for clause in group:
            if clause.prefix:
                # Words are letters and digits only, so this to_tsquery text is always valid.
                lexemes = " <-> ".join(f"'{w}'" for w in clause.words[:-1])
                last = f"'{clause.words[-1]}':*"
                term = f"{lexemes} <-> {last}" if lexemes else last
                prefix_parts.append(f"!({term})" if clause.negated else f"({term})")
            else:
                text_ = " ".join(clause.words)
                text_ = f'"{text_}"' if len(clause.words) > 1 else text_
                web_parts.append(("-" if clause.negated else "") + text_)
        expression = None
        if web_parts:
            expression = func.websearch_to_tsquery(config, literal(" ".join(web_parts)))
        if prefix_parts:
            prefix_query = func.to_tsquery(config, literal(" & ".join(prefix_parts)))
            expression = prefix_query if expression is None else expression.op("&&")(prefix_query)
        alternatives.append(expression)
    query = alternatives[0]
    for alternative in alternatives[1:]:
        query = query.op("||")(alternative)
    return query


# ---------------------------------------------------------------------------------------------
# Keeping the index in step


class _TextExtractor(HTMLParser):
    _BLOCKS = {"p", "li", "blockquote", "pre", "br", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "div"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self._BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self._BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data):
        self.parts.append(data)


def html_to_text(html: str) -> str:
    """The words of stored, sanitized HTML, as one line of plain text."""
    extractor = _TextExtractor()
    extractor.feed(html or "")
    extractor.close()
    return _clean_text("".join(extractor.parts))


def _clean_text(value: str) -> str:
    return " ".join((value or "").replace(_START, " ").replace(_END, " ").replace("\x00", " ").split())


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _upsert(values: dict) -> None:
    db.session.connection().execute(_upsert_statement(_dialect(), tuple(values)), values)


@functools.cache
def _upsert_statement(dialect: str, columns: tuple[str, ...]):
    """INSERT ... ON CONFLICT DO UPDATE of these columns, built once (the values are parameters)."""
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(SearchDocument)
    return statement.on_conflict_do_update(
        index_elements=[SearchDocument.kind, SearchDocument.ref_id],
        set_={k: statement.excluded[k] for k in columns if k not in ("kind", "ref_id")},
    )


def _post_document(post: Post, topic: Topic) -> dict:
    return {
        "kind": "topic" if post.number == 1 else "post",
        "ref_id": post.id,
        "topic_id": topic.id,
        "board_id": topic.board_id,
        "author_id": post.author_id,
        "title": _clean_text(topic.title) if post.number == 1 else "",
        "body": html_to_text(post.body_html),
        "created_at": post.created_at,
    }


def index_post(post: Post, topic: Topic | None = None) -> None:
    """Index a post if everyone may read it, or take it out of the index if not (caller commits)."""
    topic = topic or db.session.get(Topic, post.topic_id)
    if post.status is ContentStatus.PUBLISHED and topic.status is ContentStatus.PUBLISHED:
        _upsert(_post_document(post, topic))
    else:
        remove_post(post)


def remove_post(post: Post) -> None:
    """Take a post out of the index (it was deleted, hidden or held)."""
    db.session.execute(delete(SearchDocument).where(SearchDocument.kind.in_(("topic", "post")), SearchDocument.ref_id == post.id))


def index_topic(topic: Topic) -> None:
    """Bring a whole topic's posts in step with its status (after a topic is hidden, restored or deleted)."""
    db.session.execute(delete(SearchDocument).where(SearchDocument.topic_id == topic.id, SearchDocument.kind != "article"))
    if topic.status is not ContentStatus.PUBLISHED:
        return
    posts = db.session.scalars(select(Post).where(Post.topic_id == topic.id, Post.status == ContentStatus.PUBLISHED))
    rows = [_post_document(post, topic) for post in posts]
    if rows:
        db.session.execute(SearchDocument.__table__.insert(), rows)


def _article_is_published(article) -> bool:
    status = getattr(article, "status", None)
    return getattr(status, "value", status) == "published"


def index_article(article, revision=None, *, url: str | None = None) -> None:
    """Index a published article with the words of its published revision, or take it out (caller commits).

    `revision` carries title, summary, body_html and board_ids (the main board first); without it the
    article itself is read for them. The articles feature calls this from publish, archive and restore.
    """
    source = revision if revision is not None else article
    if not _article_is_published(article) or not getattr(source, "title", None):
        remove_article(article)
        return
    board_ids = getattr(source, "board_ids", None) or []
    body_html = getattr(source, "body_html", None)
    body = " ".join(
        [_clean_text(getattr(source, "summary", None) or ""), html_to_text(body_html) if body_html else _clean_text(getattr(source, "body", ""))]
    )
    slug = getattr(article, "slug", None)
    _upsert(
        {
            "kind": "article",
            "ref_id": article.id,
            "topic_id": None,
            "board_id": board_ids[0] if board_ids else getattr(source, "board_id", None),
            "author_id": getattr(article, "author_id", None),
            "title": _clean_text(source.title),
            "body": body.strip(),
            "created_at": getattr(article, "first_published_at", None) or getattr(article, "published_at", None) or getattr(article, "created_at", None) or datetime.now(timezone.utc),
            "url": url or (f"/articles/{slug}" if slug else None),
        }
    )


def remove_article(article) -> None:
    db.session.execute(delete(SearchDocument).where(SearchDocument.kind == "article", SearchDocument.ref_id == article.id))


def _published_articles():
    """(article, published revision) pairs, when the articles feature is installed."""
    try:
        from forum.models.article import Article, ArticleRevision, ArticleStatus  # built by the articles feature
    except ImportError:
        return []
    return db.session.execute(
        select(Article, ArticleRevision)
        .join(ArticleRevision, ArticleRevision.id == Article.published_revision_id)
        .where(Article.status == ArticleStatus.PUBLISHED)
    ).all()


def reindex(batch_size: int = 500) -> int:
    """Rebuild the whole index from posts (and published articles); caller commits. Returns rows."""
    db.session.execute(delete(SearchDocument))
    total, last_id = 0, 0
    while True:
        rows = db.session.execute(
            select(Post, Topic)
            .join(Topic, Topic.id == Post.topic_id)
            .where(Post.id > last_id, Post.status == ContentStatus.PUBLISHED, Topic.status == ContentStatus.PUBLISHED)
            .order_by(Post.id)
            .limit(batch_size)
        ).all()
        if not rows:
            break
        db.session.execute(SearchDocument.__table__.insert(), [_post_document(p, t) for p, t in rows])
        last_id = rows[-1][0].id
        total += len(rows)
    for article, revision in _published_articles():
        index_article(article, revision)
        total += 1
    if _dialect() == "sqlite":
        db.session.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"))
    return total


def reindex_job() -> int:
    """Background job: rebuild the index in one transaction (started by an admin on /admin/jobs).

    Safe to run twice: each run replaces the whole index; searches see the old one until it commits.
    """
    total = reindex()
    db.session.commit()
    return total


# ---------------------------------------------------------------------------------------------
# Searching


@dataclass
class SearchFilters:
    board: str | None = None  # board slug
    author: str | None = None  # username
    kind: str | None = None  # "topic", "post" or "article"
    since: date | None = None
    until: date | None = None
    order: str = "relevance"  # or "newest"


@dataclass
class Hit:
    kind: str
    ref_id: int
    topic_id: int | None
    title: Markup  # highlighted, safe to show
    snippet: Markup  # highlighted, safe to show
    created_at: datetime
    author_name: str | None
    board_slug: str | None
    board_name: str | None
    post_number: int | None
    url: str | None = None


@dataclass
class SearchResults:
    hits: list[Hit]
    page: int
    has_next: bool
    parsed: ParsedQuery

    @property
    def has_prev(self) -> bool:
        return self.page > 1


def highlight(value: str | None) -> Markup:
    """Escape the engine's text first, then turn its private match marks into <mark> elements."""
    escaped = str(escape(value or ""))
    if escaped.count(_START) != escaped.count(_END):
        escaped = escaped.replace(_START, "").replace(_END, "")
    return Markup(escaped.replace(_START, "<mark>").replace(_END, "</mark>"))


def _filter_conditions(filters: SearchFilters, *, author_written_in: bool = False) -> list:
    """The filters as conditions on the index's own columns, so they can go inside a candidate query.

    With `author_written_in`, the author's id is read first and written into the statement: the
    planner then knows how many documents are theirs (PostgreSQL finds a busy author's through
    their index and the matches' bitmap together, where a subquery's unknown id had it read every
    document of theirs)."""
    d = SearchDocument
    conditions = []
    if filters.board:
        conditions.append(d.board_id == select(Board.id).where(Board.slug == filters.board).scalar_subquery())
    if filters.author:
        author = filters.author.strip().lower()
        author_id = select(User.id).where(User.username_key == author)
        if author_written_in:
            found = db.session.scalar(author_id)
            conditions.append(false() if found is None else d.author_id == bindparam("author_id", found, literal_execute=True))
        else:
            conditions.append(d.author_id == author_id.scalar_subquery())
    if filters.since:
        conditions.append(d.created_at >= datetime.combine(filters.since, time.min, tzinfo=timezone.utc))
    if filters.until:
        conditions.append(d.created_at < datetime.combine(filters.until + timedelta(days=1), time.min, tzinfo=timezone.utc))
    return conditions


def _article_filters(filters: SearchFilters, conditions: list | None = None) -> list:
    """The filters (or these conditions made of them), tested on each article only: as a CASE, no
    index of theirs (a board's, a date range's) can tempt the planner away from the few articles."""
    conditions = _filter_conditions(filters) if conditions is None else conditions
    return [case((and_(*conditions), True), else_=False)] if conditions else []


def _post_kinds(filters: SearchFilters) -> tuple[str, ...]:
    if filters.kind in KINDS:
        return tuple(k for k in ("topic", "post") if k == filters.kind)
    return ("topic", "post")


def _visibility_conditions(ref_id=SearchDocument.ref_id, topic_id=SearchDocument.topic_id) -> list:
    """Only posts whose post and topic are published (the index holds no others; checked again,
    in case). Tests on each candidate, so that the planner keeps driving the query by the index."""
    return [
        select(Post.id).where(Post.id == ref_id, Post.status == ContentStatus.PUBLISHED).exists(),
        select(Topic.id).where(Topic.id == topic_id, Topic.status == ContentStatus.PUBLISHED).exists(),
    ]


def _visible(query):
    return query.where(*_visibility_conditions())


def _fewer_than(query, bound: int) -> bool:
    """Whether `query` has fewer than `bound` rows, counted without reading more than `bound`."""
    return db.session.scalar(select(func.count()).select_from(query.limit(bound).subquery())) < bound


def _rank_window() -> int:
    return max(1, int(current_app.config.get("SEARCH_RANK_WINDOW", RANK_WINDOW)))


# Parts of the one statement that finds a page's candidates (see `_candidates`).
_ARTICLE, _POST, _RANKED_ARTICLE = 0, 1, 2


class _Engine:
    """What differs between SQLite FTS5 and PostgreSQL: matching, ranking and highlighting.

    Candidate queries return (id, score, created_at, part); `score` sorts ascending, best first."""

    scores_articles = False  # whether the articles query ranks them itself

    def __init__(self, parsed: ParsedQuery) -> None:
        self.parsed = parsed

    def parts(self, filters: SearchFilters, kinds: tuple[str, ...], with_articles: bool, count: int, window: int) -> list:
        parts = [self.articles(filters)] if with_articles else []
        if filters.order == "newest":
            return parts + ([self.newest_posts(kinds, filters, count)] if kinds else [])
        return parts + self.ranked(kinds, filters, with_articles, count, window)


def _part(query, part: int):
    return query.add_columns(literal(part).label("part"))


class _Sqlite(_Engine):
    def __init__(self, parsed: ParsedQuery) -> None:
        super().__init__(parsed)
        self.fts = literal_column(FTS_TABLE)
        expansions = _expand_prefixes(parsed)
        self.match = self.fts.op("MATCH")(fts5_query(parsed, expansions))
        self.rowid = _fts_table.c.rowid
        # A title match counts eight times a body match; lower is better.
        self.score = func.bm25(self.fts, 8.0, 1.0)
        # FTS5 (without a prefix index) merges the doclists of every word a prefix stands for
        # each time it opens the query: then one pass over a range of ids beats a look per id.
        self.costly_open = any(c.prefix and c not in expansions for group in parsed.groups for c in group)

    def among(self, ids: list[int]) -> list:
        """Conditions for the matches whose id is in `ids`."""
        if self.costly_open:
            return [self.rowid.between(min(ids), max(ids)), (self.rowid + 0).in_(ids)]
        return [self.rowid.in_(ids)]  # one look into FTS5 per id

    def matches(self):
        return select(self.rowid).select_from(_fts_table).where(self.match)

    def articles(self, filters: SearchFilters):
        d = SearchDocument
        if self.costly_open:
            # One pass over the matches between the oldest and the newest article.
            bounds = select(func.min(d.id), func.max(d.id)).where(d.kind == "article").subquery()
            in_range = self.matches().where(self.rowid.between(select(bounds.c[0]).scalar_subquery(), select(bounds.c[1]).scalar_subquery()))
            matched = d.id.in_(in_range)
        else:
            # One look into the index per published article (they are few), never a pass over all matches.
            matched = self.matches().where(self.rowid == d.id).exists()
        return _part(select(d.id, literal(0.0).label("score"), d.created_at).where(d.kind == "article", matched, *_article_filters(filters)), _ARTICLE)

    def ranked(self, kinds, filters: SearchFilters, with_articles: bool, count: int, window: int) -> list:
        """The newest `window` matches in index order (FTS5 reads its doclists newest first and
        computes bm25 only for the rows it returns), with their scores: the posts among them, and
        the articles. bm25 counts each term's matches once per statement, so articles
        are ranked in the same pass rather than in a second one; when only articles are wanted,
        the window is the newest matches of every kind (articles alone could be anywhere)."""
        d = SearchDocument
        wanted = kinds + (("article",) if with_articles else ())
        candidates = (
            select(self.rowid.label("id"), self.score.label("score"))
            .select_from(_fts_table)
            .where(self.match, *self.allowed(wanted if kinds else KINDS, filters))
            .order_by(self.rowid.desc())
            .limit(window)
            .subquery()
        )
        # The window is read once: every article in it (for their scores) and its best posts,
        # numbered by score; the visibility check is made on those best posts only.
        is_article = d.kind == "article"
        numbered = (
            select(
                candidates.c.id, candidates.c.score, d.created_at, d.kind, d.ref_id, d.topic_id,
                func.row_number().over(partition_by=is_article, order_by=(candidates.c.score, candidates.c.id.desc())).label("n"),
            )
            .select_from(candidates)
            .join(d, d.id == candidates.c.id)
            .where(d.kind.in_(wanted))
            .subquery()
        )
        best = and_(numbered.c.n <= count + VISIBILITY_SPARE, *_visibility_conditions(numbered.c.ref_id, numbered.c.topic_id))
        part = case((numbered.c.kind == "article", _RANKED_ARTICLE), else_=_POST).label("part")
        return [select(numbered.c.id, numbered.c.score, numbered.c.created_at, part).where(or_(numbered.c.kind == "article", best))]

    def allowed(self, kinds, filters: SearchFilters) -> list:
        """Only documents the filters keep enter the window, so none is lost to it. When the
        filters keep few documents, each match is tested against the set of their ids (`+ 0`
        keeps SQLite from looking each one up in FTS5); when they keep many, building that set
        costs more than looking each match up until the window is full."""
        d = SearchDocument
        conditions = _filter_conditions(filters)
        left_out = tuple(k for k in KINDS if k not in kinds)
        if conditions:
            kept = select(d.id).where(*([d.kind.in_(kinds)] if left_out else []), *conditions)
            if _fewer_than(kept, FEW_FILTERED):
                return [(self.rowid + 0).in_(kept)]
            return [kept.where(d.id == self.rowid).exists()]
        if not left_out:
            return []
        if "post" in kinds:  # replies are most of the index
            return [(self.rowid + 0).not_in(select(d.id).where(d.kind.in_(left_out)))]
        return [(self.rowid + 0).in_(select(d.id).where(d.kind.in_(kinds)))]

    def newest_posts(self, kinds, filters: SearchFilters, count: int):
        d = SearchDocument
        # Few matches: read them by id and sort them. Many: walk the date index newest first and
        # test each document against the set of matching ids (`+ 0` keeps SQLite from driving the
        # query by that set), so the walk stops after the page's rows.
        member = d.id if self.has_few_matches(FEW_MATCHES) else d.id + 0
        query = _visible(select(d.id, literal(0.0).label("score"), d.created_at).where(member.in_(self.matches()), d.kind.in_(kinds), *_filter_conditions(filters)))
        return _part(query.order_by(d.created_at.desc(), d.id.desc()).limit(count), _POST)

    def has_few_matches(self, bound: int) -> bool:
        return _fewer_than(self.matches(), bound)

    def rows(self, columns, ids: list[int]):
        d = SearchDocument
        query = (
            select(*columns, func.highlight(self.fts, 0, _START, _END).label("title_hl"), func.snippet(self.fts, 1, _START, _END, "…", 32).label("snippet"))
            .select_from(_fts_table)
            .join(d, d.id == self.rowid)
            .where(self.match, *self.among(ids))
        )
        return db.session.execute(_display(query)).all()


class _Postgres(_Engine):
    scores_articles = True

    def __init__(self, parsed: ParsedQuery) -> None:
        super().__init__(parsed)
        self.tsquery = pg_tsquery(parsed)
        self.vector = literal_column(f"search_document.{PG_VECTOR_COLUMN}")
        self.match = self.vector.op("@@")(self.tsquery)
        self.score = self.rank(self.vector)
        self._conditions: list | None = None

    def conditions(self, filters: SearchFilters) -> list:
        """The filters' conditions, built once per search (the author's id is read once)."""
        if self._conditions is None:
            self._conditions = _filter_conditions(filters, author_written_in=True)
        return self._conditions

    def rank(self, vector):
        """ts_rank_cd reads only the row's own vector; negated so that lower is better, as bm25."""
        return -func.ts_rank_cd(vector, self.tsquery, 32)

    def articles(self, filters: SearchFilters):
        d = SearchDocument
        return _part(select(d.id, self.score.label("score"), d.created_at).where(d.kind == "article", self.match, *_article_filters(filters, self.conditions(filters))), _ARTICLE)

    def ranked(self, kinds, filters: SearchFilters, with_articles: bool, count: int, window: int) -> list:
        """The newest `window` matches by id (a backward walk of the primary key, or the GIN index
        and a top-N sort when matches are few), filters inside, ranked. Articles were ranked by
        the articles query (ts_rank_cd needs no statistics over all matches). The visibility
        check, two lookups per row, is made on the best rows only (with some to spare)."""
        if not kinds:
            return []
        d = SearchDocument
        # The window carries each row's vector out, so that only the rows kept are ranked: where
        # the filters leave more matches than the window holds, PostgreSQL would otherwise rank
        # every one of them before sorting by id.
        candidates = (
            select(d.id, self.vector.label("vector"))
            .where(self.match, d.kind.in_(kinds), *self.conditions(filters))
            .order_by(d.id.desc())
            .limit(window)
            .subquery()
        )
        score = self.rank(candidates.c.vector).label("score")
        best = select(candidates.c.id, score).order_by(score, candidates.c.id.desc()).limit(count + VISIBILITY_SPARE).subquery()
        query = _visible(select(best.c.id, best.c.score, d.created_at).join(d, d.id == best.c.id))
        return [_part(query, _POST)]

    def newest_posts(self, kinds, filters: SearchFilters, count: int):
        d = SearchDocument
        # Exact: PostgreSQL walks the date index testing each vector, or sorts the matches; the
        # visibility check is made on the newest rows only, after the sort.
        newest = (
            select(d.id, d.created_at, d.ref_id, d.topic_id)
            .where(self.match, d.kind.in_(kinds), *self.conditions(filters))
            .order_by(d.created_at.desc(), d.id.desc())
            .limit(count + VISIBILITY_SPARE)
            .subquery()
        )
        query = select(newest.c.id, literal(0.0).label("score"), newest.c.created_at).where(*_visibility_conditions(newest.c.ref_id, newest.c.topic_id))
        return _part(query, _POST)

    def rows(self, columns, ids: list[int]):
        d = SearchDocument
        config = literal_column(f"'{TS_CONFIG}'::regconfig")
        options = f"StartSel={_START}, StopSel={_END}, MaxWords=35, MinWords=12, MaxFragments=2, FragmentDelimiter=\" … \""
        query = select(
            *columns,
            func.ts_headline(config, d.title, self.tsquery, f"HighlightAll=true, StartSel={_START}, StopSel={_END}").label("title_hl"),
            func.ts_headline(config, d.body, self.tsquery, options).label("snippet"),
        ).where(d.id.in_(ids))
        return db.session.execute(_display(query)).all()


def _display(query):
    """What a hit shows (author, board, post number, topic title), and the visibility check again."""
    d = SearchDocument
    return (
        query.outerjoin(Post, and_(d.kind.in_(("topic", "post")), Post.id == d.ref_id))
        .outerjoin(Topic, Topic.id == d.topic_id)
        .outerjoin(Board, Board.id == d.board_id)
        .outerjoin(User, User.id == d.author_id)
        .where(or_(d.kind == "article", and_(Post.status == ContentStatus.PUBLISHED, Topic.status == ContentStatus.PUBLISHED)))
    )


def _newest_first(rows) -> list:
    return sorted(rows, key=lambda row: (row.created_at, row.id), reverse=True)


def _by_score(rows) -> list:
    return sorted(rows, key=lambda row: (row.score, -row.id))


def _candidates(engine: _Engine, filters: SearchFilters, count: int, window: int) -> tuple[list[int], list[int]]:
    """Every matching article (they are few) and the first `count` topics and replies, each in
    order, read in one statement."""
    kinds = _post_kinds(filters)
    with_articles = filters.kind not in ("topic", "post")
    subqueries = [part.subquery() for part in engine.parts(filters, kinds, with_articles, count, window)]
    rows = db.session.execute(union_all(*(select(sub.c.id, sub.c.score, sub.c.created_at, sub.c.part) for sub in subqueries))).all()
    by_part = {part: [row for row in rows if row.part == part] for part in (_ARTICLE, _POST, _RANKED_ARTICLE)}
    posts = _newest_first(by_part[_POST]) if filters.order == "newest" else _by_score(by_part[_POST])
    articles = _ordered_articles(engine, filters, by_part[_ARTICLE], by_part[_RANKED_ARTICLE])
    return articles, [row.id for row in posts[:count]]


def _ordered_articles(engine: _Engine, filters: SearchFilters, found, ranked) -> list[int]:
    """Articles by relevance or newest. On SQLite only those inside the window were scored
    (`ranked`); the others follow them, newest first."""
    if filters.order == "newest":
        return [row.id for row in _newest_first(found)]
    if engine.scores_articles:
        return [row.id for row in _by_score(found)]
    scored = [row.id for row in _by_score(ranked)]
    return scored + [row.id for row in _newest_first(found) if row.id not in set(scored)]


def search(raw_query: str | None, filters: SearchFilters | None = None, page: int = 1, per_page: int = PER_PAGE) -> SearchResults:
    """One page of results: published articles first, then topics and replies by relevance or newest.

    Ranking, the costly part, is bounded however many documents match; what still grows with
    the matches is reading the engine's lists of matching ids (FTS5 doclists, GIN posting lists),
    a small cost per match:

    - Relevance is ranked within a window: the SEARCH_RANK_WINDOW (default 2,000, more than
      MAX_PAGE pages hold) most recently indexed matches that pass the filters, as large forums
      do. A better match older than the window is not shown by relevance; newest order and the
      filters still find it. The filters are applied inside the window, so a filter never
      loses a result because the window was taken first.
    - Newest order is exact over all matches: SQLite walks the date index and tests each
      document against the matching ids (a pass over FTS5's doclists, no ranking), or sorts the
      matches when they are few; PostgreSQL walks the date index or sorts the few matches.
    - Articles (few) are looked up one by one and always come first, ranked by relevance; on
      SQLite, where bm25 is computed in the window's pass, articles older than the window
      follow the ranked ones, newest first.

    Visibility (post and topic published) is checked on the best candidates (VISIBILITY_SPARE
    more than the pages need; on SQLite's newest order, on every candidate): hidden posts left
    in the index by mistake are never shown. Highlights and snippets are built for the page's rows only.
    """
    filters = filters or SearchFilters()
    parsed = parse_query(raw_query)
    page = max(1, min(page, MAX_PAGE))
    if parsed.is_empty:
        return SearchResults(hits=[], page=page, has_next=False, parsed=parsed)
    engine = _Postgres(parsed) if _dialect() == "postgresql" else _Sqlite(parsed)
    offset, limit = (page - 1) * per_page, per_page + 1
    articles, posts = _candidates(engine, filters, offset + limit, _rank_window())
    ids = (articles + posts)[offset:offset + limit]
    if not ids:
        return SearchResults(hits=[], page=page, has_next=False, parsed=parsed)
    d = SearchDocument
    columns = [d.id, d.kind, d.ref_id, d.topic_id, d.created_at, d.url, User.username, Board.slug, Board.name, Post.number, Topic.title.label("topic_title")]
    position = {doc_id: n for n, doc_id in enumerate(ids)}
    rows = sorted(engine.rows(columns, ids), key=lambda row: position[row.id])
    hits = [
        Hit(
            kind=row.kind,
            ref_id=row.ref_id,
            topic_id=row.topic_id,
            title=highlight(row.title_hl) if row.kind != "post" else highlight(row.topic_title),
            snippet=highlight(row.snippet),
            created_at=row.created_at,
            author_name=row.username,
            board_slug=row.slug,
            board_name=row.name,
            post_number=row.number,
            url=row.url,
        )
        for row in rows[:per_page]
    ]
    return SearchResults(hits=hits, page=page, has_next=len(rows) > per_page, parsed=parsed)
