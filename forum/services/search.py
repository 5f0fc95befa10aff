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

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from html.parser import HTMLParser

from markupsafe import Markup, escape
from sqlalchemy import and_, case, column, delete, func, literal, literal_column, or_, select, table, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from forum.models import Board, ContentStatus, Post, Topic, User
from forum.models.base import db
from forum.models.search import FTS_TABLE, PG_VECTOR_COLUMN, TS_CONFIG, SearchDocument

_fts_table = table(FTS_TABLE, column("rowid"))

KINDS = ("topic", "post", "article")
MAX_QUERY_LENGTH = 1000
MAX_TERMS = 32
PER_PAGE = 20
MAX_PAGE = 50

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


def _fts5_clause(clause: Clause) -> str:
    return '"' + " ".join(clause.words) + '"' + ("*" if clause.prefix else "")


def fts5_query(parsed: ParsedQuery) -> str:
    """The FTS5 MATCH string: only quoted words, AND, NOT, OR and parentheses."""
    alternatives = []
    for group in parsed.groups:
        positive = " AND ".join(_fts5_clause(c) for c in group if not c.negated)
        expression = f"({positive})"
        for clause in group:
            if clause.negated:
                expression = f"({expression} NOT {_fts5_clause(clause)})"
        alternatives.append(expression)
    return " OR ".join(alternatives)


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
    insert = pg_insert if _dialect() == "postgresql" else sqlite_insert
    statement = insert(SearchDocument).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=[SearchDocument.kind, SearchDocument.ref_id],
        set_={k: statement.excluded[k] for k in values if k not in ("kind", "ref_id")},
    )
    db.session.execute(statement)


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


def _visibility_and_filters(query, filters: SearchFilters):
    d = SearchDocument
    query = (
        query.outerjoin(Post, and_(d.kind.in_(("topic", "post")), Post.id == d.ref_id))
        .outerjoin(Topic, Topic.id == d.topic_id)
        .outerjoin(Board, Board.id == d.board_id)
        .outerjoin(User, User.id == d.author_id)
        # The index holds only what everyone may read; checked again here, in case.
        .where(or_(d.kind == "article", and_(Post.status == ContentStatus.PUBLISHED, Topic.status == ContentStatus.PUBLISHED)))
    )
    if filters.kind in KINDS:
        query = query.where(d.kind == filters.kind)
    if filters.board:
        query = query.where(Board.slug == filters.board)
    if filters.author:
        query = query.where(User.username_key == filters.author.strip().lower())
    if filters.since:
        query = query.where(d.created_at >= datetime.combine(filters.since, time.min, tzinfo=timezone.utc))
    if filters.until:
        query = query.where(d.created_at < datetime.combine(filters.until + timedelta(days=1), time.min, tzinfo=timezone.utc))
    return query


def search(raw_query: str | None, filters: SearchFilters | None = None, page: int = 1, per_page: int = PER_PAGE) -> SearchResults:
    """One page of results: published articles first, then by relevance or newest.

    PostgreSQL: one query (ts_headline runs only on the page's rows, after the sort and limit).
    SQLite: two, because FTS5 would build a snippet for every match before sorting: the page's
    ids first, then the highlighted rows for those ids alone.
    """
    filters = filters or SearchFilters()
    parsed = parse_query(raw_query)
    page = max(1, min(page, MAX_PAGE))
    if parsed.is_empty:
        return SearchResults(hits=[], page=page, has_next=False, parsed=parsed)
    d = SearchDocument
    articles_first = case((d.kind == "article", 0), else_=1)
    newest = [d.created_at.desc(), d.id.desc()]
    columns = [d.id, d.kind, d.ref_id, d.topic_id, d.created_at, d.url, User.username, Board.slug, Board.name, Post.number, Topic.title.label("topic_title")]
    offset, limit = (page - 1) * per_page, per_page + 1
    if _dialect() == "postgresql":
        tsquery = pg_tsquery(parsed)
        vector = literal_column(f"search_document.{PG_VECTOR_COLUMN}")
        config = literal_column(f"'{TS_CONFIG}'::regconfig")
        options = f"StartSel={_START}, StopSel={_END}, MaxWords=35, MinWords=12, MaxFragments=2, FragmentDelimiter=\" … \""
        query = select(
            *columns,
            func.ts_headline(config, d.title, tsquery, f"HighlightAll=true, StartSel={_START}, StopSel={_END}").label("title_hl"),
            func.ts_headline(config, d.body, tsquery, options).label("snippet"),
        ).where(vector.op("@@")(tsquery))
        relevance = [func.ts_rank_cd(vector, tsquery, 32).desc(), d.id.desc()]
        order = [articles_first, *(newest if filters.order == "newest" else relevance)]
        rows = db.session.execute(_visibility_and_filters(query, filters).order_by(*order).offset(offset).limit(limit)).all()
    else:
        fts = literal_column(FTS_TABLE)
        match = fts.op("MATCH")(fts5_query(parsed))
        relevance = [func.bm25(fts, 8.0, 1.0).asc(), d.id.desc()]  # a title match counts eight times a body match
        order = [articles_first, *(newest if filters.order == "newest" else relevance)]
        matches = select(d.id).select_from(_fts_table).join(d, d.id == _fts_table.c.rowid).where(match)
        ids = list(db.session.scalars(_visibility_and_filters(matches, filters).order_by(*order).offset(offset).limit(limit)))
        if not ids:
            return SearchResults(hits=[], page=page, has_next=False, parsed=parsed)
        query = (
            select(*columns, func.highlight(fts, 0, _START, _END).label("title_hl"), func.snippet(fts, 1, _START, _END, "…", 32).label("snippet"))
            .select_from(_fts_table)
            .join(d, d.id == _fts_table.c.rowid)
            .where(match, d.id.in_(ids))
        )
        position = {doc_id: n for n, doc_id in enumerate(ids)}
        rows = sorted(db.session.execute(_visibility_and_filters(query, filters)).all(), key=lambda row: position[row.id])
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
