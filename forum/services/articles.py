"""Articles: experts write, moderators review and publish, readers find them pinned where they read.

Every change of state goes through the ALLOWED table (article) and REVISION_ALLOWED (its versions),
and every review transition writes an audit row in the same transaction. Services add and flush;
the caller commits once.
"""
from __future__ import annotations

import difflib
import functools
import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from forum.errors import Conflict, InvalidInput, NotAllowed, NotFound
from forum.markup import render_markdown
from forum.models import (
    Article,
    ArticleBoard,
    ArticleRevision,
    ArticleStatus,
    Board,
    ContentStatus,
    RevisionStatus,
    Topic,
    User,
    utcnow,
)
from forum.models.base import db
from forum.permissions import (
    can_archive_article,
    can_pin_article,
    can_restore_article,
    can_review_article,
    require,
    why_cannot_participate,
)
from forum.services import experts, notifications, search
from forum.services.audit import log_action
from forum.services.notifications import notify

S, R = ArticleStatus, RevisionStatus

# The article's life: a draft is submitted, then published or returned; published ones may be
# archived and restored. New revisions of a published article are reviewed while it stays published.
ALLOWED: dict[ArticleStatus, frozenset[ArticleStatus]] = {
    S.DRAFT: frozenset({S.IN_REVIEW}),
    S.IN_REVIEW: frozenset({S.PUBLISHED, S.DRAFT}),
    S.PUBLISHED: frozenset({S.ARCHIVED}),
    S.ARCHIVED: frozenset({S.PUBLISHED}),
}
REVISION_ALLOWED: dict[RevisionStatus, frozenset[RevisionStatus]] = {
    R.DRAFT: frozenset({R.IN_REVIEW}),
    R.IN_REVIEW: frozenset({R.PUBLISHED, R.RETURNED}),
    R.RETURNED: frozenset(),  # kept as it was reviewed; the author's next edit starts a new draft
    R.PUBLISHED: frozenset(),
}

TITLE_MIN, TITLE_MAX = 5, 150
SUMMARY_MIN, SUMMARY_MAX = 20, 600
BODY_MAX = 50_000
CITATION_MAX, LINK_MAX = 500, 500
REFERENCES_MAX = 40
BOARDS_MAX = 8
COMMENT_MAX = 2000
PIN_MIN, PIN_MAX = 1, 999
SLUG_MAX = 120
PER_PAGE = 20

DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:")


class ArticleInputError(InvalidInput):
    """Bad input for one field of an article (the form puts the message under that field)."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name


@dataclass
class ArticleInput:
    title: str
    summary: str
    body: str
    references: list[dict] = field(default_factory=list)
    board_ids: list[int] = field(default_factory=list)


def article_path(slug: str) -> str:
    """Where readers find an article (kept in step with the blueprint's route)."""
    return f"/articles/{slug}"


# Input --------------------------------------------------------------------------------------


def normalise_doi(value: str) -> str | None:
    """"doi:10.1/x", "https://doi.org/10.1/x" and "10.1/x" all become "10.1/x"; None if not a DOI."""
    value = (value or "").strip()
    for prefix in _DOI_PREFIXES:
        if value.lower().startswith(prefix):
            value = value[len(prefix):].strip()
            break
    return value if DOI_RE.fullmatch(value) else None


def clean_references(references: list[dict]) -> list[dict]:
    cleaned = []
    for number, ref in enumerate(references, start=1):
        citation = " ".join((ref.get("citation") or "").split())
        url = (ref.get("url") or "").strip() or None
        doi_text = (ref.get("doi") or "").strip()
        if any("\x00" in (text or "") for text in (citation, url, doi_text)):
            raise ArticleInputError("references", f"Reference {number} contains a NUL character, which is not allowed.")
        if not citation and not url and not doi_text:
            continue  # an empty row of the form
        if not citation:
            raise ArticleInputError("references", f"Reference {number} needs its citation text.")
        if len(citation) > CITATION_MAX:
            raise ArticleInputError("references", f"Reference {number}: citations are at most {CITATION_MAX} characters.")
        if url is not None and (len(url) > LINK_MAX or not re.match(r"^https?://[^\s/]+\.[^\s]+$", url)):
            raise ArticleInputError("references", f"Reference {number}: the web address must start with https:// or http://.")
        doi = None
        if doi_text:
            doi = normalise_doi(doi_text)
            if doi is None or len(doi) > LINK_MAX:
                raise ArticleInputError("references", f"Reference {number}: a DOI looks like 10.1212/WNL.0000000000002560.")
        cleaned.append({"citation": citation, "url": url, "doi": doi})
    if len(cleaned) > REFERENCES_MAX:
        raise ArticleInputError("references", f"An article can list at most {REFERENCES_MAX} references.")
    return cleaned


def clean_input(data: ArticleInput) -> ArticleInput:
    """Check every field; raises ArticleInputError naming the field at fault."""
    for name in ("title", "summary", "body"):
        if "\x00" in (getattr(data, name) or ""):
            raise ArticleInputError(name, "This contains a NUL character, which is not allowed.")
    title = " ".join((data.title or "").split())
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        raise ArticleInputError("title", f"The title must be between {TITLE_MIN} and {TITLE_MAX} characters.")
    summary = (data.summary or "").replace("\r\n", "\n").strip()
    if re.search(r"\n\s*\n", summary):
        raise ArticleInputError("summary", "The summary must be a single paragraph (no blank lines).")
    summary = " ".join(summary.split())
    if not SUMMARY_MIN <= len(summary) <= SUMMARY_MAX:
        raise ArticleInputError("summary", f"The summary must be between {SUMMARY_MIN} and {SUMMARY_MAX} characters.")
    body = (data.body or "").replace("\r\n", "\n")
    if not body.strip():
        raise ArticleInputError("body", "The article cannot be empty.")
    if len(body) > BODY_MAX:
        raise ArticleInputError("body", f"The article must be at most {BODY_MAX:,} characters.")
    board_ids = list(dict.fromkeys(int(b) for b in data.board_ids if b))
    if not board_ids:
        raise ArticleInputError("main_board", "Choose the board this article belongs to.")
    if len(board_ids) > BOARDS_MAX:
        raise ArticleInputError("other_boards", f"An article can relate to at most {BOARDS_MAX} boards.")
    known = set(db.session.scalars(select(Board.id).where(Board.id.in_(board_ids))))
    if known != set(board_ids):
        raise ArticleInputError("main_board", "One of the chosen boards does not exist.")
    return ArticleInput(title, summary, body, clean_references(data.references), board_ids)


def slugify(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[:80].strip("-") or "article"


# Addresses under /articles/ that are pages of their own, never an article's slug.
RESERVED_SLUGS = frozenset({"new", "mine", "review", "feed", "feed-atom"})


def _free_slug(base: str) -> str:
    """`base`, or `base-2`, `base-3`... whichever is free."""
    taken = set(db.session.scalars(select(Article.slug).where(or_(Article.slug == base, Article.slug.like(f"{base}-%")))))
    taken |= RESERVED_SLUGS
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


# Writing ------------------------------------------------------------------------------------


def _require_expert_author(author: User) -> None:
    reason = why_cannot_participate(author)
    if reason:
        raise NotAllowed(reason)
    if experts.active_profile(author.id) is None:
        raise NotAllowed("Only verified experts can write articles.")


def _fill(revision: ArticleRevision, data: ArticleInput, editor: User) -> None:
    revision.title, revision.summary, revision.body = data.title, data.summary, data.body
    revision.body_html = render_markdown(data.body, headings="article")
    revision.references = data.references
    revision.board_ids = data.board_ids
    revision.editor_id = editor.id
    revision.updated_at = utcnow()


def create_article(author: User, data: ArticleInput, slug: str | None = None, *, is_demo: bool = False) -> Article:
    """Start a draft article by a verified expert; returns it with its first revision."""
    _require_expert_author(author)
    data = clean_input(data)
    base = slugify(slug or data.title)
    now = utcnow()
    for _attempt in range(5):
        article = Article(slug=_free_slug(base), status=S.DRAFT, author_id=author.id, created_at=now, revision_count=1, is_demo=is_demo)
        try:
            # A savepoint: if another writer took the same slug meanwhile, try the next one.
            with db.session.begin_nested():
                db.session.add(article)
                db.session.flush()
        except IntegrityError:
            continue
        break
    else:
        raise Conflict("Could not find a free address for this article; please change its title.")
    revision = ArticleRevision(article_id=article.id, number=1, status=R.DRAFT, created_at=now)
    _fill(revision, data, author)
    db.session.add(revision)
    db.session.flush()
    article.pending_revision_id = revision.id
    return article


def _same_content(revision: ArticleRevision | None, data: ArticleInput) -> bool:
    return revision is not None and (
        (revision.title, revision.summary, revision.body, revision.references, revision.board_ids)
        == (data.title, data.summary, data.body, data.references, data.board_ids)
    )


def save_draft(article: Article, author: User, data: ArticleInput) -> ArticleRevision:
    """The author's edit: updates the working draft, or starts a new revision when there is none
    (a published article keeps showing its published revision until the new one is reviewed)."""
    if article.author_id != author.id:
        raise NotAllowed("Only the author can edit this article.")
    _require_expert_author(author)
    if article.status is S.ARCHIVED:
        raise Conflict("This article is archived and can no longer be edited.")
    data = clean_input(data)
    pending = _revision(article.pending_revision_id)
    if pending is not None and pending.status is R.IN_REVIEW:
        raise Conflict("This version is waiting for a moderator's review. You can edit it again once it is returned or published.")
    if pending is not None and pending.status is R.DRAFT:
        _fill(pending, data, author)
        db.session.flush()
        return pending
    base = pending or _revision(article.published_revision_id)
    if _same_content(base, data):
        raise ArticleInputError("body", "Nothing has changed since the last version.")
    article.revision_count += 1
    revision = ArticleRevision(article_id=article.id, number=article.revision_count, status=R.DRAFT, created_at=utcnow())
    _fill(revision, data, author)
    db.session.add(revision)
    db.session.flush()
    article.pending_revision_id = revision.id
    return revision


def _revision(revision_id: int | None) -> ArticleRevision | None:
    return db.session.get(ArticleRevision, revision_id) if revision_id else None


def _move(article: Article, new: ArticleStatus) -> None:
    if new not in ALLOWED[article.status]:
        raise Conflict(f"A {article.status.label.lower()} article cannot become {new.label.lower()}.")
    article.status = new


def _move_revision(revision: ArticleRevision, new: RevisionStatus) -> None:
    if new not in REVISION_ALLOWED[revision.status]:
        raise Conflict(f"This version is {revision.status.label.lower()}; it cannot become {new.label.lower()}.")
    revision.status = new


def _pending_or_409(article: Article, status: RevisionStatus, message: str) -> ArticleRevision:
    pending = _revision(article.pending_revision_id)
    if pending is None or pending.status is not status:
        raise Conflict(message)
    return pending


def submit(article: Article, author: User) -> ArticleRevision:
    """Send the author's draft to the moderators for review."""
    if article.author_id != author.id:
        raise NotAllowed("Only the author can submit this article for review.")
    _require_expert_author(author)
    revision = _pending_or_409(article, R.DRAFT, "There is no draft to submit: it may already be waiting for review.")
    _move_revision(revision, R.IN_REVIEW)
    revision.submitted_at = utcnow()
    if article.status is S.DRAFT:
        _move(article, S.IN_REVIEW)
    db.session.flush()
    log_action(author, "article.submit", "article", article.id, subject_user_id=author.id, after={"revision": revision.number})
    return revision


def _reviewer_credential(reviewer: User) -> str:
    profile = experts.active_profile(reviewer.id)
    return profile.credential if profile else reviewer.role.label


def publish(article: Article, reviewer: User, *, when: datetime | None = None) -> ArticleRevision:
    """Approve the submitted revision: readers see it from now on, marked as reviewed by `reviewer`."""
    require(can_review_article(reviewer, article), "Only a moderator or admin who is not the author can publish this article.")
    revision = _pending_or_409(article, R.IN_REVIEW, "There is no submitted version to publish.")
    now = when or utcnow()
    _move_revision(revision, R.PUBLISHED)
    revision.reviewer_id, revision.reviewed_at = reviewer.id, now
    revision.reviewer_credential = _reviewer_credential(reviewer)
    before = {"status": article.status.value, "revision": _number(article.published_revision_id)}
    first_publication = article.status is S.IN_REVIEW
    if first_publication:
        _move(article, S.PUBLISHED)
        article.first_published_at = now
    article.published_revision_id, article.pending_revision_id = revision.id, None
    article.last_reviewed_at = now
    _sync_boards(article, revision.board_ids)
    db.session.flush()
    if article.topic_id is None:
        article.topic_id = _open_discussion(article, revision, reviewer)
    log_action(
        reviewer, "article.publish", "article", article.id, subject_user_id=article.author_id,
        before=before, after={"status": article.status.value, "revision": revision.number, "topic_id": article.topic_id},
    )
    notify(
        [article.author_id], "article", f"Your article “{revision.title}” was reviewed and published.",
        article_path(article.slug), actor_id=reviewer.id,
    )
    search.index_article(article, revision, url=article_path(article.slug))
    if first_publication:
        for board_id in revision.board_ids:
            notifications.article_published(
                board_id=board_id, title=revision.title, url=article_path(article.slug), author_id=article.author_id
            )
    return revision


def _number(revision_id: int | None) -> int | None:
    revision = _revision(revision_id)
    return revision.number if revision else None


def confirm_review(article: Article, reviewer: User) -> ArticleRevision:
    """Record a fresh review of the published text without changes (clears "review due")."""
    require(can_pin_article(reviewer, article), "Only a moderator or admin who is not the author can review this article.")
    current = _revision(article.published_revision_id)
    now = utcnow()
    article.revision_count += 1
    revision = ArticleRevision(
        article_id=article.id, number=article.revision_count, status=R.PUBLISHED,
        title=current.title, summary=current.summary, body=current.body, body_html=current.body_html,
        references=list(current.references), board_ids=list(current.board_ids), editor_id=current.editor_id,
        created_at=now, updated_at=now, submitted_at=now, reviewer_id=reviewer.id, reviewed_at=now,
        reviewer_credential=_reviewer_credential(reviewer), review_comment="Reviewed again without changes.",
    )
    db.session.add(revision)
    db.session.flush()
    article.published_revision_id, article.last_reviewed_at = revision.id, now
    log_action(reviewer, "article.review", "article", article.id, subject_user_id=article.author_id, after={"revision": revision.number})
    return revision


def return_to_author(article: Article, reviewer: User, comment: str) -> ArticleRevision:
    """Send the submitted revision back to its author with a comment they will see."""
    require(can_review_article(reviewer, article), "Only a moderator or admin who is not the author can return this article.")
    comment = (comment or "").strip()
    if not comment:
        raise ArticleInputError("comment", "Tell the author what to change.")
    if len(comment) > COMMENT_MAX:
        raise ArticleInputError("comment", f"The comment must be at most {COMMENT_MAX:,} characters.")
    revision = _pending_or_409(article, R.IN_REVIEW, "There is no submitted version to return.")
    _move_revision(revision, R.RETURNED)
    revision.reviewer_id, revision.reviewed_at, revision.review_comment = reviewer.id, utcnow(), comment
    if article.status is S.IN_REVIEW:
        _move(article, S.DRAFT)
    db.session.flush()
    log_action(reviewer, "article.return", "article", article.id, subject_user_id=article.author_id, reason=comment, after={"revision": revision.number})
    notify(
        [article.author_id], "article", f"Your article “{revision.title}” was returned with a comment from {reviewer.username}.",
        article_path(article.slug), actor_id=reviewer.id,
    )
    return revision


def archive(article: Article, moderator: User, reason: str | None = None) -> None:
    """Take a published article out of listings; its page says it was archived. Pins are removed."""
    require(can_archive_article(moderator, article), "Only a moderator or admin who is not the author can archive this article.")
    _move(article, S.ARCHIVED)
    article.archived_at = utcnow()
    article.home_pin_position = None
    for link in _links(article):
        link.pin_position = None
    db.session.flush()
    log_action(moderator, "article.archive", "article", article.id, subject_user_id=article.author_id, reason=(reason or "").strip()[:1000] or None)
    search.remove_article(article)
    notify([article.author_id], "article", "One of your articles was archived by a moderator.", article_path(article.slug), actor_id=moderator.id)


def restore(article: Article, moderator: User) -> None:
    require(can_restore_article(moderator, article), "Only a moderator or admin who is not the author can restore this article.")
    _move(article, S.PUBLISHED)
    article.archived_at = None
    db.session.flush()
    log_action(moderator, "article.restore", "article", article.id, subject_user_id=article.author_id)
    search.index_article(article, _revision(article.published_revision_id), url=article_path(article.slug))


# Pins ---------------------------------------------------------------------------------------


def _check_position(position: int) -> int:
    if not isinstance(position, int) or not PIN_MIN <= position <= PIN_MAX:
        raise ArticleInputError("position", f"The position must be a whole number from {PIN_MIN} to {PIN_MAX}.")
    return position


def _links(article: Article) -> list[ArticleBoard]:
    return list(db.session.scalars(select(ArticleBoard).where(ArticleBoard.article_id == article.id).order_by(ArticleBoard.position)))


def _board_link(article: Article, board_id: int) -> ArticleBoard:
    link = db.session.get(ArticleBoard, (article.id, board_id))
    if link is None:
        raise NotFound("This article is not related to that board.")
    return link


def pin(article: Article, moderator: User, position: int, board_id: int | None = None) -> None:
    """Pin on the home page (board_id None) or on one of its boards, at an explicit position."""
    require(can_pin_article(moderator, article), "Only a moderator or admin who is not the author can pin a published article.")
    position = _check_position(position)
    if board_id is None:
        before, article.home_pin_position = article.home_pin_position, position
    else:
        link = _board_link(article, board_id)
        before, link.pin_position = link.pin_position, position
    db.session.flush()
    where = "home" if board_id is None else f"board:{board_id}"
    log_action(moderator, "article.pin", "article", article.id, subject_user_id=article.author_id,
               before={"where": where, "position": before}, after={"where": where, "position": position})


def unpin(article: Article, moderator: User, board_id: int | None = None) -> None:
    """Remove a pin. The article stays published."""
    require(can_review_article(moderator, article), "Only a moderator or admin who is not the author can unpin this article.")
    if board_id is None:
        before, article.home_pin_position = article.home_pin_position, None
    else:
        link = _board_link(article, board_id)
        before, link.pin_position = link.pin_position, None
    if before is None:
        raise Conflict("This article is not pinned there.")
    db.session.flush()
    where = "home" if board_id is None else f"board:{board_id}"
    log_action(moderator, "article.unpin", "article", article.id, subject_user_id=article.author_id,
               before={"where": where, "position": before}, after={"where": where, "position": None})


def _sync_boards(article: Article, board_ids: list[int]) -> None:
    """Make the article's boards those of its published revision, keeping existing pins."""
    links = {link.board_id: link for link in _links(article)}
    for position, board_id in enumerate(board_ids):
        link = links.pop(board_id, None)
        if link is None:
            db.session.add(ArticleBoard(article_id=article.id, board_id=board_id, position=position))
        else:
            link.position = position
    for link in links.values():
        db.session.delete(link)


def _open_discussion(article: Article, revision: ArticleRevision, reviewer: User) -> int:
    """Open "Discuss this article" in its main board. The reviewer's approval publishes it."""
    from forum.services import posting

    board = db.session.get(Board, revision.board_ids[0])
    title = f"Discuss: {revision.title}"
    if len(title) > posting.TITLE_MAX:
        title = title[: posting.TITLE_MAX - 1].rstrip() + "…"
    body = f"{revision.summary}\n\n[Read the article: {revision.title}]({article_path(article.slug)})"
    author = db.session.get(User, article.author_id)
    opener = author if why_cannot_participate(author) is None else reviewer
    post = posting.start_topic(board, opener, title, body)
    topic = db.session.get(Topic, post.topic_id)
    if post.status is ContentStatus.HELD:
        post.status = topic.status = ContentStatus.PUBLISHED
        posting.count_publication(post, topic, board, +1)
    topic.is_demo = article.is_demo
    post.is_demo = article.is_demo
    db.session.flush()
    return topic.id


# Reading ------------------------------------------------------------------------------------


def _with_people():
    """Load options for showing an article: its author with their badge, its published revision."""
    return (
        joinedload(Article.author).joinedload(User.expert_profile),
        joinedload(Article.published_revision),
    )


def load_article(slug: str) -> Article:
    """The article for its page: author and badge, published and pending revisions, reviewer, boards."""
    statements = _load_statements()
    article = db.session.scalars(statements.article, {"slug": slug}).first()
    if article is None:
        raise NotFound("We could not find that article. Check the address, or browse all articles.")
    # The boards by a plain join: a selectinload of links and their boards costs ORM work per
    # request that is several times the query's own.
    links = []
    for link, board in db.session.execute(statements.board_links, {"article": article.id}):
        set_committed_value(link, "board", board)
        links.append(link)
    set_committed_value(article, "board_links", links)
    return article


class _LoadStatements:
    """load_article's statements, built once (building the options costs more than running them)."""

    def __init__(self) -> None:
        self.article = (
            select(Article)
            .options(
                joinedload(Article.author).joinedload(User.expert_profile),
                joinedload(Article.published_revision).joinedload(ArticleRevision.reviewer),
                joinedload(Article.pending_revision).joinedload(ArticleRevision.reviewer),
            )
            .where(Article.slug == bindparam("slug"))
            # The revisions are found by id columns that services change: always read them afresh.
            .execution_options(populate_existing=True)
        )
        self.board_links = (
            select(ArticleBoard, Board)
            .join(Board, Board.id == ArticleBoard.board_id)
            .where(ArticleBoard.article_id == bindparam("article"))
            .order_by(ArticleBoard.position, ArticleBoard.board_id)
            .execution_options(populate_existing=True)
        )


@functools.cache
def _load_statements() -> _LoadStatements:
    return _LoadStatements()


def review_interval() -> timedelta:
    return timedelta(days=current_app.config["ARTICLE_REVIEW_INTERVAL_DAYS"])


def review_due(article: Article, now: datetime | None = None) -> bool:
    """A published article whose last review is older than the review interval."""
    if article.status is not S.PUBLISHED or article.last_reviewed_at is None:
        return False
    return article.last_reviewed_at + review_interval() <= (now or utcnow())


@dataclass
class ArticlePage:
    articles: list[Article]
    page: int
    pages: int


ORDERS = {"newest": "Newest first", "reviewed": "Most recently reviewed first"}


def published_articles(board: Board | None = None, order: str = "newest", page: int = 1) -> ArticlePage:
    """A page of published articles, newest or most recently reviewed first (two queries)."""
    where = [Article.status == S.PUBLISHED]
    if board is not None:
        where.append(Article.id.in_(select(ArticleBoard.article_id).where(ArticleBoard.board_id == board.id)))
    total = db.session.scalar(select(func.count()).select_from(Article).where(*where)) or 0
    pages = max(1, math.ceil(total / PER_PAGE))
    if page < 1 or page > pages:
        raise NotFound("There is no such page of articles.")
    key = Article.last_reviewed_at if order == "reviewed" else Article.first_published_at
    articles = db.session.scalars(
        select(Article).options(*_with_people()).where(*where)
        .order_by(key.desc(), Article.id.desc()).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ).all()
    return ArticlePage(list(articles), page, pages)


def published_after(after: tuple[datetime, int] | None, limit: int) -> list[Article]:
    """`limit + 1` published articles, newest first, after the key (first_published_at, id): paged by key."""
    query = (
        select(Article).options(*_with_people(), joinedload(Article.published_revision).joinedload(ArticleRevision.reviewer))
        .where(Article.status == S.PUBLISHED)
        .order_by(Article.first_published_at.desc(), Article.id.desc())
        .limit(limit + 1)
    )
    if after is not None:
        published_at, article_id = after
        query = query.where(or_(
            Article.first_published_at < published_at,
            and_(Article.first_published_at == published_at, Article.id < article_id),
        ))
    return list(db.session.scalars(query))


def feed_articles(limit: int = 50) -> list[Article]:
    return list(
        db.session.scalars(
            select(Article).options(*_with_people()).where(Article.status == S.PUBLISHED)
            .order_by(Article.first_published_at.desc(), Article.id.desc()).limit(limit)
        )
    )


def home_pins() -> list[Article]:
    """Articles pinned on the home page, in their order (one query)."""
    return list(
        db.session.scalars(
            select(Article).options(*_with_people())
            .where(Article.status == S.PUBLISHED, Article.home_pin_position.is_not(None))
            .order_by(Article.home_pin_position, Article.id)
        )
    )


def board_pins(board: Board) -> list[Article]:
    """Articles pinned on a board, in their order (one query)."""
    return list(
        db.session.scalars(
            select(Article).options(*_with_people())
            .join(ArticleBoard, and_(ArticleBoard.article_id == Article.id, ArticleBoard.board_id == board.id))
            .where(Article.status == S.PUBLISHED, ArticleBoard.pin_position.is_not(None))
            .order_by(ArticleBoard.pin_position, Article.id)
        )
    )


def articles_by(author: User) -> list[Article]:
    """An expert's published articles, for their profile."""
    return list(
        db.session.scalars(
            select(Article).options(joinedload(Article.published_revision))
            .where(Article.author_id == author.id, Article.status == S.PUBLISHED)
            .order_by(Article.first_published_at.desc(), Article.id.desc())
        )
    )


def own_articles(author: User) -> list[Article]:
    """Everything an expert has written, whatever its state, with both revisions."""
    return list(
        db.session.scalars(
            select(Article).options(joinedload(Article.published_revision), joinedload(Article.pending_revision))
            .where(Article.author_id == author.id).order_by(Article.created_at.desc(), Article.id.desc())
        )
    )


@dataclass
class ReviewQueue:
    in_review: list[Article]
    due: list[Article]


def review_queue() -> ReviewQueue:
    """For moderators: versions waiting for review, and published articles due a fresh review."""
    waiting = db.session.scalars(
        select(Article)
        .options(joinedload(Article.author).joinedload(User.expert_profile), joinedload(Article.pending_revision))
        .join(ArticleRevision, ArticleRevision.id == Article.pending_revision_id)
        .where(ArticleRevision.status == R.IN_REVIEW)
        .order_by(ArticleRevision.submitted_at, Article.id)
    ).all()
    due = db.session.scalars(
        select(Article).options(*_with_people())
        .where(Article.status == S.PUBLISHED, Article.last_reviewed_at <= utcnow() - review_interval())
        .order_by(Article.last_reviewed_at, Article.id)
    ).all()
    return ReviewQueue(list(waiting), list(due))


def revisions(article: Article) -> list[ArticleRevision]:
    return list(
        db.session.scalars(
            select(ArticleRevision).options(joinedload(ArticleRevision.reviewer), joinedload(ArticleRevision.editor))
            .where(ArticleRevision.article_id == article.id).order_by(ArticleRevision.number)
        )
    )


def revision(article: Article, number: int) -> ArticleRevision:
    found = db.session.scalars(
        select(ArticleRevision).options(joinedload(ArticleRevision.reviewer))
        .where(ArticleRevision.article_id == article.id, ArticleRevision.number == number)
    ).first()
    if found is None:
        raise NotFound("This article has no such version.")
    return found


def boards_by_id(ids: list[int]) -> dict[int, Board]:
    return {b.id: b for b in db.session.scalars(select(Board).where(Board.id.in_(ids or [0])))}


def _as_text(revision: ArticleRevision, boards: dict[int, Board]) -> list[str]:
    lines = [f"Title: {revision.title}", "", f"Summary: {revision.summary}", ""]
    lines += revision.body.splitlines()
    lines += ["", "References:"]
    for n, ref in enumerate(revision.references, start=1):
        extra = " ".join(x for x in (ref.get("url"), f"doi:{ref['doi']}" if ref.get("doi") else None) if x)
        lines.append(f"{n}. {ref['citation']}{' ' + extra if extra else ''}")
    lines += ["", "Boards: " + ", ".join(boards[b].name if b in boards else f"#{b}" for b in revision.board_ids)]
    return lines


@dataclass
class DiffLine:
    kind: str  # "add", "remove", "same" or "hunk"
    text: str


def diff(old: ArticleRevision, new: ArticleRevision) -> list[DiffLine]:
    """A line diff (difflib) of everything a reader sees: title, summary, body, references, boards."""
    boards = boards_by_id(sorted(set(old.board_ids) | set(new.board_ids)))
    lines = []
    for line in difflib.unified_diff(_as_text(old, boards), _as_text(new, boards), lineterm="", n=2):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            lines.append(DiffLine("hunk", line))
        elif line.startswith("+"):
            lines.append(DiffLine("add", line[1:]))
        elif line.startswith("-"):
            lines.append(DiffLine("remove", line[1:]))
        else:
            lines.append(DiffLine("same", line[1:]))
    return lines
