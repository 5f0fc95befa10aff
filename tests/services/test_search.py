"""Search: stemming, phrases, prefixes, visibility, filters and hostile input, on both engines."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from forum.models import ContentStatus, Post, SearchDocument, User, utcnow
from forum.models.base import db
from forum.models.search import PG_PENDING_LIST_KB, PG_TOPIC_VECTOR_INDEX, PG_VECTOR_INDEX
from forum.services import posting
from forum.services import search
from forum.services.search import SearchFilters, parse_query


def _titles(results):
    return [str(h.title) for h in results.hits]


def _kinds_refs(results):
    return [(h.kind, h.ref_id) for h in results.hits]


@pytest.fixture
def botox(make_board, make_user, make_topic):
    board = make_board(slug="treatment", name="Treatment")
    alice = make_user(username="alice")
    topic = make_topic(board=board, author=alice, title="Botox near the eye", body="My first injection was close to the eyelid.")
    return topic


def test_stemming_finds_injection_from_injections(botox):
    results = search.search("injections")
    assert [(h.kind, h.topic_id) for h in results.hits] == [("topic", botox.id)]


def test_highlights_are_marked_and_escaped(make_topic):
    make_topic(title="Scripts & spasms", body="<script>alert(1)</script> my spasm is worse")
    hit = search.search("spasm").hits[0]
    assert "<mark>" in hit.snippet
    assert "<script>" not in hit.snippet
    assert "&lt;script&gt;" in hit.snippet or "alert" not in hit.snippet
    assert "&amp;" in hit.title and "<mark>" in hit.title


def test_phrase_query(make_topic):
    make_topic(title="About the eye area", body="botox near the eye helped")
    make_topic(title="Something different", body="the eye is twitching, no botox yet")
    results = search.search('"near the eye"')
    assert len(results.hits) == 1
    assert "helped" in results.hits[0].snippet


def test_prefix_query(make_topic):
    make_topic(title="Neurologist visit", body="I saw a neurologist today")
    assert len(search.search("neurol*").hits) == 1
    assert len(search.search("neurol").hits) == 0


def _prefix_expansions(raw: str) -> dict:
    return search._expand_prefixes(parse_query(raw)) if db.engine.dialect.name == "sqlite" else {}


def test_a_prefix_finds_every_word_it_starts(make_topic):
    injected = make_topic(title="After the visit", body="They injected both sides")
    injector = make_topic(title="Injector pens", body="The injector pen clicked twice")
    injections = make_topic(title="Counting", body="Three injections so far")
    quiet = make_topic(title="Unrelated", body="A quiet week with no twitching")
    found = {h.topic_id for h in search.search("inject*").hits}
    assert found == {injected.id, injector.id, injections.id}
    assert {h.topic_id for h in search.search("inject* -pen").hits} == {injected.id, injections.id}
    assert [h.topic_id for h in search.search("quiet -inject*").hits] == [quiet.id]
    assert search.search("twice -inject*").hits == []
    if db.engine.dialect.name == "sqlite":
        # Written out as the indexed terms the prefix stands for, so FTS5 reads them lazily.
        (terms,) = _prefix_expansions("inject*").values()
        assert set(terms) == {"inject", "injector"}
        assert search.fts5_query(parse_query("inject*"), _prefix_expansions("inject*")) == '(("inject" OR "injector"))'


def test_a_prefix_whose_terms_the_tokenizer_would_change_is_left_to_fts5(make_topic):
    # The porter stemmer indexes "agreed" as "agre", but reads "agre" in a query as "agr":
    # written out, the term would find nothing, so the prefix stays a prefix.
    agreed = make_topic(title="Neurologist", body="She agreed to try a lower dose")
    assert [h.topic_id for h in search.search("agre*").hits] == [agreed.id]
    assert _prefix_expansions("agre*") == {}


def test_words_are_stemmed_by_the_index_tokenizer():
    assert search._stemmer.stems(["agreed", "agre", "injections", "caf\u00e9s", "..."]) == {
        "agreed": "agre", "agre": "agr", "injections": "inject", "caf\u00e9s": "cafe", "...": None,
    }


def test_short_prefixes_and_prefixes_of_many_terms_are_left_to_fts5(make_topic, monkeypatch):
    topic = make_topic(title="Words", body="spasm spasms spastic spatula")
    assert _prefix_expansions("sp*") == {}  # fewer than three letters
    monkeypatch.setattr(search, "MAX_PREFIX_TERMS", 1)
    assert _prefix_expansions("spa*") == {}
    assert [h.topic_id for h in search.search("spa*").hits] == [topic.id]


def test_or_and_exclusion(make_topic):
    make_topic(title="Botox stories", body="botox every three months")
    make_topic(title="Surgery stories", body="microvascular decompression surgery")
    assert len(search.search("botox OR surgery").hits) == 2
    assert len(search.search("stories -surgery").hits) == 1


def test_reply_is_indexed_and_edit_updates_the_index(botox, make_user):
    bob = make_user(username="bob")
    reply = posting.reply_to_topic(botox, bob, "Mine was painless")
    db.session.commit()
    assert _kinds_refs(search.search("painless")) == [("post", reply.id)]
    posting.edit_post(reply, bob, "Mine stung a little")
    db.session.commit()
    assert search.search("painless").hits == []
    assert len(search.search("stung").hits) == 1


def test_deleted_hidden_and_held_posts_are_never_found(botox, make_user):
    bob = make_user(username="bob")
    deleted = posting.reply_to_topic(botox, bob, "zebra deleted")
    hidden = posting.reply_to_topic(botox, bob, "zebra hidden")
    db.session.commit()
    posting.delete_post(deleted, bob)
    hidden.status = ContentStatus.HIDDEN
    search.index_post(hidden)
    db.session.commit()
    assert search.search("zebra").hits == []


def test_hidden_post_is_filtered_even_if_left_in_the_index(botox, make_user):
    reply = posting.reply_to_topic(botox, make_user(), "giraffe")
    db.session.commit()
    reply.status = ContentStatus.HELD  # changed without telling the index
    db.session.commit()
    assert search.search("giraffe").hits == []


def test_deleting_the_opening_post_removes_the_topic(botox, make_user):
    first = db.session.scalar(select(Post).where(Post.topic_id == botox.id, Post.number == 1))
    posting.delete_post(first, db.session.get(User, first.author_id))
    db.session.commit()
    assert search.search("eyelid").hits == []
    assert db.session.scalar(select(SearchDocument.id)) is None


def test_filters(botox, make_board, make_user, make_topic):
    other = make_board(slug="coping")
    make_topic(board=other, author=make_user(username="carol"), title="Eye patches", body="an eye patch at work")
    bob = make_user(username="bob")
    posting.reply_to_topic(botox, bob, "the eye is fine now")
    db.session.commit()
    assert len(search.search("eye").hits) == 3
    assert len(search.search("eye", SearchFilters(board="coping")).hits) == 1
    assert len(search.search("eye", SearchFilters(author="BOB")).hits) == 1
    assert search.search("eye", SearchFilters(author="nobody")).hits == []
    assert len(search.search("eye", SearchFilters(author="bob", board="coping")).hits) == 0
    assert len(search.search("eye", SearchFilters(author="carol", board="coping", order="newest")).hits) == 1
    assert {h.kind for h in search.search("eye", SearchFilters(kind="topic")).hits} == {"topic"}
    assert {h.kind for h in search.search("eye", SearchFilters(kind="post")).hits} == {"post"}
    today = utcnow().date()
    assert len(search.search("eye", SearchFilters(since=today, until=today)).hits) == 3
    assert search.search("eye", SearchFilters(until=today - timedelta(days=1))).hits == []
    assert search.search("eye", SearchFilters(since=today + timedelta(days=1))).hits == []


def test_newest_order_and_pagination(make_board, make_user, make_topic):
    board = make_board()
    author = make_user()
    topics = [make_topic(board=board, author=author, title=f"Twitch diary {i}", body="twitch") for i in range(5)]
    first = search.search("twitch", SearchFilters(order="newest"), page=1, per_page=2)
    second = search.search("twitch", SearchFilters(order="newest"), page=2, per_page=2)
    third = search.search("twitch", SearchFilters(order="newest"), page=3, per_page=2)
    assert first.has_next and second.has_next and not third.has_next
    ids = [h.topic_id for h in first.hits + second.hits + third.hits]
    assert ids == [t.id for t in reversed(topics)]


def test_articles_come_first(botox):
    class FakeArticle:
        id, title, body_html, status, board_id, author_id = 7, "Botulinum toxin explained", "<p>What an injection does</p>", "published", None, None
        published_at = utcnow()

    search.index_article(FakeArticle)
    db.session.commit()
    results = search.search("injection")
    assert [h.kind for h in results.hits] == ["article", "topic"]
    FakeArticle.status = "draft"
    search.index_article(FakeArticle)
    db.session.commit()
    assert [h.kind for h in search.search("injection").hits] == ["topic"]


def test_reindex_rebuilds_from_posts(botox, runner):
    db.session.execute(SearchDocument.__table__.delete())
    db.session.commit()
    assert search.search("eyelid").hits == []
    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0, result.output
    assert "1" in result.output
    assert len(search.search("eyelid").hits) == 1


HOSTILE = [
    '"', '""', "'", "(", ")", "((botox", "botox)", "*", "**", "-", "--", "-botox", "OR", "AND", "NOT",
    "botox OR", "OR botox", "botox AND NOT", "NEAR(botox eye)", "title:botox", "^botox", "bo*tox", "botox*eye",
    "!", "?", ".", ",", ":", ";", "{", "}", "[", "]", "|", "&", "<->", "'botox'", "botox'", "eye\x00lid",
    "\x00", "😀", "botox 😀", "x" * 1000, "eye " * 400, "botox " * 200 + '"unclosed', "\\", "%", "_", "a:*",
    "!!botox", "botox & | !", "'a' <-> 'b'", "-\"a b\"", "\"-\"", "* OR *", "Ünïcödé", "日本語",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_any_query_text_is_safe(botox, query):
    results = search.search(query)
    assert isinstance(results.hits, list)
    search.search(query, SearchFilters(order="newest", kind="topic"))


def test_parse_query_keeps_only_words():
    parsed = parse_query('inject* "near the eye" -surgery OR (twitch) ;;; 😀')
    assert [[(c.words, c.prefix, c.negated) for c in g] for g in parsed.groups] == [
        [(("inject",), True, False), (("near", "the", "eye"), False, False), (("surgery",), False, True)],
        [(("twitch",), False, False)],
    ]
    assert parse_query("-surgery").is_empty
    assert parse_query("😀 ;;").is_empty
    assert parse_query("x" * 2000).truncated


def test_postgresql_indexes_keep_a_small_pending_list_and_one_holds_opening_posts_alone():
    """New posts' words wait in each GIN index's pending list, read by every search: kept short.
    Searches of topics only have an index of the opening posts' words of their own."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only (SQLite's FTS5 index has no pending list and no partial index): runs in make test-pg")
    rows = dict(db.session.execute(
        text("SELECT c.relname, pg_get_indexdef(c.oid) FROM pg_class c WHERE c.relname IN (:all, :topics)"),
        {"all": PG_VECTOR_INDEX, "topics": PG_TOPIC_VECTOR_INDEX},
    ).all())
    assert set(rows) == {PG_VECTOR_INDEX, PG_TOPIC_VECTOR_INDEX}
    for definition in rows.values():
        assert f"gin_pending_list_limit='{PG_PENDING_LIST_KB}'" in definition
    assert "WHERE" not in rows[PG_VECTOR_INDEX]
    assert "WHERE ((kind)::text = 'topic'::text)" in rows[PG_TOPIC_VECTOR_INDEX]


def test_a_search_of_topics_only_finds_opening_posts_and_no_replies(make_topic, make_post):
    topic = make_topic(title="Botox at the clinic", body="My first botox injections went well")
    make_post(topic=topic, body="Botox injections helped me too")
    hits = search.search("botox injections", SearchFilters(kind="topic")).hits
    assert [(h.kind, h.topic_id) for h in hits] == [("topic", topic.id)]
