"""The anonymous page cache: served from cache, and every write shows at once."""
from __future__ import annotations

import multiprocessing

import pytest
from sqlalchemy import update

from forum import cache as page_cache
from forum.models import Board, ContentStatus, Topic, User, utcnow
from forum.models.base import db
from forum.services import posting, reading


@pytest.fixture
def anon(cached):
    return cached.test_client()


@pytest.fixture
def member_client(cached, member):
    client = cached.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = member.get_id()
        session["_fresh"] = True
    return client


def _request(client, method: str, url: str, **kwargs):
    """One request in its own app context (its own g and session), as in production."""
    with client.application.app_context():
        return client.open(url, method=method, **kwargs)


def _get(client, url):
    response = _request(client, "GET", url)
    assert response.status_code == 200
    return response


def _warm(client, url) -> None:
    """Request a page twice: the second answer must come from the cache."""
    _get(client, url)
    assert _get(client, url).headers.get("X-Cache") == "hit"


def test_anonymous_pages_are_served_from_cache(anon, make_topic):
    topic = make_topic(title="Cached topic title")
    board = db.session.get(Board, topic.board_id)
    for url in ("/", f"/boards/{board.slug}", f"/topics/{topic.id}"):
        first = _get(anon, url)
        assert first.headers.get("X-Cache") == "miss"
        second = _get(anon, url)
        assert second.headers.get("X-Cache") == "hit"
        assert second.data == first.data


def test_cached_topic_page_still_counts_views(anon, make_topic):
    topic = make_topic()
    _warm(anon, f"/topics/{topic.id}")
    assert reading.view_buffer.pending(topic.id) == 2


def test_new_reply_shows_at_once(anon, member_client, make_topic):
    topic = make_topic()
    board = db.session.get(Board, topic.board_id)
    for url in ("/", f"/boards/{board.slug}", f"/topics/{topic.id}"):
        _warm(anon, url)
    response = _request(member_client, "POST", f"/topics/{topic.id}/reply", data={"body": "A brand new reply about botox"})
    assert response.status_code == 302
    assert b"A brand new reply about botox" in _get(anon, f"/topics/{topic.id}").data
    assert b"1 reply" in _get(anon, f"/boards/{board.slug}").data
    home = _get(anon, "/")
    assert home.headers.get("X-Cache") == "miss"
    assert b"<dd>2</dd>" in home.data  # the board's post count


def test_edit_shows_at_once(anon, make_post):
    post = make_post(body="Before the edit")
    _warm(anon, f"/topics/{post.topic_id}")
    editor = db.session.get(User, post.author_id)
    posting.edit_post(post, editor, "After the edit, with more detail")
    db.session.commit()
    page = _get(anon, f"/topics/{post.topic_id}").data
    assert b"After the edit, with more detail" in page
    assert b"Before the edit" not in page


def test_hide_shows_at_once(anon, make_post):
    post = make_post(body="Something a moderator will hide")
    _warm(anon, f"/topics/{post.topic_id}")
    topic = db.session.get(Topic, post.topic_id)
    board = db.session.get(Board, topic.board_id)
    post.status = ContentStatus.HIDDEN
    posting.count_publication(post, topic, board, -1)
    db.session.commit()
    page = _get(anon, f"/topics/{post.topic_id}").data
    assert b"Something a moderator will hide" not in page
    assert b"hidden while moderators review it" in page


def test_pin_and_lock_show_at_once(anon, make_topic):
    topic = make_topic(title="Soon to be pinned")
    board = db.session.get(Board, topic.board_id)
    _warm(anon, f"/boards/{board.slug}")
    _warm(anon, f"/topics/{topic.id}")
    topic.pinned = True
    db.session.commit()
    assert b"badge-pinned" in _get(anon, f"/boards/{board.slug}").data
    topic.locked_at = utcnow()
    db.session.commit()
    assert b"badge-locked" in _get(anon, f"/topics/{topic.id}").data


def test_delete_shows_at_once(anon, make_post):
    post = make_post(body="A reply its author regrets")
    _warm(anon, f"/topics/{post.topic_id}")
    posting.delete_post(post, db.session.get(User, post.author_id))
    db.session.commit()
    page = _get(anon, f"/topics/{post.topic_id}").data
    assert b"A reply its author regrets" not in page
    assert b"deleted by its author" in page


def test_core_update_through_session_invalidates(anon, make_topic):
    topic = make_topic(title="Original title here")
    _warm(anon, f"/topics/{topic.id}")
    db.session.execute(update(Topic).where(Topic.id == topic.id).values(title="Moved and renamed"))
    db.session.commit()
    assert b"Moved and renamed" in _get(anon, f"/topics/{topic.id}").data


def test_content_changed_for_writes_the_orm_cannot_see(anon, make_topic):
    topic = make_topic(title="Original title here")
    _warm(anon, f"/topics/{topic.id}")
    with db.engine.begin() as connection:
        connection.execute(update(Topic.__table__).where(Topic.__table__.c.id == topic.id).values(title="Changed outside"))
    assert b"Original title here" in _get(anon, f"/topics/{topic.id}").data
    page_cache.content_changed()
    db.session.commit()
    assert b"Changed outside" in _get(anon, f"/topics/{topic.id}").data


def test_counters_written_by_core_statements_invalidate(anon, make_post):
    """The counters run as Core statements on the session's connection, which the session does not see."""
    post = make_post()
    topic = db.session.get(Topic, post.topic_id)
    board = db.session.get(Board, topic.board_id)
    db.session.commit()
    _warm(anon, f"/boards/{board.slug}")
    posting.count_publication(post, topic, board, -1)
    db.session.commit()
    assert _get(anon, f"/boards/{board.slug}").headers.get("X-Cache") != "hit"


def test_rolled_back_write_and_reads_do_not_invalidate(anon, member, make_topic):
    topic = make_topic()
    _warm(anon, f"/topics/{topic.id}")
    topic.title = "Never committed"
    db.session.flush()
    db.session.rollback()
    reading.mark_read(member, topic, 1)
    db.session.commit()
    assert _get(anon, f"/topics/{topic.id}").headers.get("X-Cache") == "hit"


def test_signed_in_pages_are_never_cached(anon, member_client, member, make_topic):
    topic = make_topic(title="Shared topic")
    _warm(anon, f"/topics/{topic.id}")
    page = _get(member_client, f"/topics/{topic.id}")
    assert "X-Cache" not in page.headers
    assert member.username.encode() in page.data
    assert _get(member_client, f"/topics/{topic.id}").headers.get("X-Cache") is None
    assert member.username.encode() not in _get(anon, f"/topics/{topic.id}").data


def test_flashed_messages_are_not_cached(anon, cached, make_board):
    make_board(name="Flash board")
    with anon.session_transaction() as session:
        session["_flashes"] = [("info", "Only for this visitor")]
    page = _get(anon, "/")
    assert b"Only for this visitor" in page.data
    assert "X-Cache" not in page.headers
    other = cached.test_client()
    assert b"Only for this visitor" not in _get(other, "/").data


def test_reading_preference_is_part_of_the_key(anon, cached, make_board):
    make_board()
    _warm(anon, "/")
    reader = cached.test_client()
    reader.set_cookie("reading", "large")
    assert _get(reader, "/").headers.get("X-Cache") == "miss"
    assert _get(reader, "/").headers.get("X-Cache") == "hit"


def _flask_must_not_run(environ, start_response):
    raise AssertionError("a cached page was handed to Flask")


def test_cached_page_is_answered_before_flask_as_flask_answered(anon, cached, make_topic, monkeypatch):
    topic = make_topic(title="Answered in front of Flask")
    url = f"/topics/{topic.id}"
    first = _get(anon, url)
    monkeypatch.setattr(cached.wsgi_app, "wsgi_app", _flask_must_not_run)
    hit = _get(anon, url)
    assert hit.headers["X-Cache"] == "hit"
    assert hit.data == first.data
    per_request = {"X-Cache", "X-Request-ID"}
    assert [h for h in hit.headers if h[0] not in per_request] == [h for h in first.headers if h[0] not in per_request]
    assert "Content-Security-Policy" in hit.headers
    assert hit.headers["X-Request-ID"] != first.headers["X-Request-ID"]
    assert reading.view_buffer.pending(topic.id) == 2


def test_page_served_before_flask_keeps_the_request_id_and_is_logged_and_counted(anon, make_topic, caplog):
    from forum import metrics

    topic = make_topic()
    url = f"/topics/{topic.id}"
    _get(anon, url)
    requests = metrics.REQUESTS.labels("/topics/<int:topic_id>", "GET", "200")
    before = requests._value.get()
    with caplog.at_level("INFO", logger="forum.access"):
        hit = _request(anon, "GET", url, headers={"X-Request-ID": "support-ticket-42"})
    assert hit.headers["X-Cache"] == "hit"
    assert hit.headers["X-Request-ID"] == "support-ticket-42"
    assert requests._value.get() == before + 1
    line = next(r for r in caplog.records if r.name == "forum.access")
    assert (line.route, line.path, line.status, line.request_id) == ("/topics/<int:topic_id>", url, 200, "support-ticket-42")
    assert _request(anon, "GET", url, headers={"X-Request-ID": "bad id <script>"}).headers["X-Request-ID"] != "bad id <script>"


def test_visitors_with_a_session_or_remember_cookie_go_through_flask(anon, cached, make_topic):
    topic = make_topic()
    url = f"/topics/{topic.id}"
    _warm(anon, url)
    with_session = cached.test_client()
    with with_session.session_transaction() as session:
        session["seen"] = True  # a visitor who is not signed in: Flask's path may still use the cache
    assert _get(with_session, url).headers.get("X-Cache") == "hit"
    remembered = cached.test_client()
    remembered.set_cookie("remember_token", "not-a-valid-token")
    assert "X-Cache" not in _get(remembered, url).headers
    bearer = _request(anon, "GET", url, headers={"Authorization": "Bearer nothing"})
    assert "X-Cache" not in bearer.headers


def test_unknown_pages_and_uncached_views_are_left_to_flask(anon, cached):
    assert _request(anon, "GET", "/no-such-page").status_code == 404
    _request(anon, "GET", "/search?q=botox")
    assert "X-Cache" not in _request(anon, "GET", "/search?q=botox").headers


def test_a_page_kept_in_an_older_shape_is_a_miss(anon, cached, make_topic):
    topic = make_topic()
    url = f"/topics/{topic.id}"
    _get(anon, url)
    backend = page_cache._backend(cached)
    with cached.app_context():
        key = next(k for k in backend._cache if k.startswith("page:") and k.endswith(f"{url}?\x00"))
    for client in (anon, _with_session(cached)):  # in front of Flask, and in the view
        backend.set(key, (b"<p>kept by an older version</p>", "text/html"))
        page = _get(client, url)
        assert page.headers.get("X-Cache") != "hit" and b"older version" not in page.data


def _with_session(app):
    client = app.test_client()
    with client.session_transaction() as session:
        session["seen"] = True
    return client


def test_answers_meant_for_one_visitor_are_never_kept(cached):
    middleware, backend = cached.wsgi_app, page_cache._backend(cached)
    for status, headers in (
        ("200 OK", [("Content-Type", "text/html"), ("Set-Cookie", "session=abc")]),
        ("200 OK", [("Content-Type", "text/html"), ("Cache-Control", "no-store")]),
        ("404 NOT FOUND", [("Content-Type", "text/html")]),
    ):
        assert list(middleware._store("page:kept?", status, headers, [b"<p>page</p>"])) == [b"<p>page</p>"]
        assert backend.get("page:kept?") is None
    middleware._store("page:kept", "200 OK", [("Content-Type", "text/html"), ("X-RateLimit-Remaining", "4"),
                                             ("Retry-After", "3"), ("X-Request-ID", "abc"), ("X-Frame-Options", "DENY")],
                      [b"<p>", b"page</p>"])
    assert backend.get("page:kept") == (b"<p>page</p>", "text/html", [("Content-Type", "text/html"), ("X-Frame-Options", "DENY")])


def test_cache_off_serves_fresh_pages(app, client, make_board):
    make_board()
    assert "X-Cache" not in _get(client, "/").headers


def _bump_many(path: str, times: int) -> None:
    counter = page_cache.SharedCounter(path)
    for _ in range(times):
        counter.bump()


def test_generation_is_shared_between_processes(tmp_path):
    path = str(tmp_path / "generation")
    reader = page_cache.SharedCounter(path)
    start = reader.value()
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_bump_many, args=(path, 200)) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert reader.value() == start + 800


def test_redis_cache_is_invalidated_by_writes(redis_app, make_topic, member):
    redis_app.config["CACHE_PAGES"] = True
    topic = make_topic(title="Redis cached topic")
    anon = redis_app.test_client()
    _warm(anon, f"/topics/{topic.id}")
    with redis_app.app_context():
        before = page_cache.generation()
        fresh = db.session.get(Topic, topic.id)
        posting.reply_to_topic(fresh, db.session.get(User, member.id), "Reply seen through Redis")
        db.session.commit()
        assert page_cache.generation() > before
    assert b"Reply seen through Redis" in _get(anon, f"/topics/{topic.id}").data


def test_when_redis_fails_pages_come_from_the_database(make_app, make_topic, member, caplog):
    """Redis down: the page cache misses and drops what it is given, with a warning; pages and
    writes go on from the database, and a write shows at once."""
    app = make_app(REDIS_URL="redis://127.0.0.1:1/0", CACHE_PAGES=True)
    topic = make_topic(title="Served while Redis is down")
    anon = app.test_client()
    for _ in range(2):
        response = anon.get(f"/topics/{topic.id}")
        assert response.status_code == 200 and b"Served while Redis is down" in response.data
        assert response.headers.get("X-Cache") != "hit"
    assert any("page cache bypassed" in record.getMessage() for record in caplog.records)
    writer = app.test_client()
    with writer.session_transaction() as session:
        session.update(_user_id=member.get_id(), _fresh=True)
    assert writer.post(f"/topics/{topic.id}/reply", data={"body": "Written while Redis is down"}).status_code == 302
    assert b"Written while Redis is down" in anon.get(f"/topics/{topic.id}").data


def test_fragments_shown_to_members_follow_writes(member_client, make_topic, other_member):
    topic = make_topic(title="Fragment cached topic")
    board = db.session.get(Board, topic.board_id)
    for url in ("/", f"/boards/{board.slug}"):
        _get(member_client, url)
        _get(member_client, url)
    posting.reply_to_topic(db.session.get(Topic, topic.id), db.session.get(User, other_member.id), "A reply for the fragment")
    db.session.commit()
    assert b"1 reply" in _get(member_client, f"/boards/{board.slug}").data
    assert b"<dd>2</dd>" in _get(member_client, "/").data
    assert b"A reply for the fragment" in _get(member_client, f"/topics/{topic.id}").data


def test_shared_board_listing_carries_each_members_unread_markers(anon, member_client, member, make_topic, other_member):
    """One cached listing serves everyone; the member's badges and links are added to it, not stored in it."""
    topic = make_topic(title="Listing shared by everyone", author=other_member)
    board = db.session.get(Board, topic.board_id)
    url = f"/boards/{board.slug}"
    _warm(anon, url)
    first = _get(member_client, url).get_data(as_text=True)
    assert 'New<span class="visually-hidden"> topic</span>' in first
    _get(member_client, f"/topics/{topic.id}")  # reads post 1
    posting.reply_to_topic(db.session.get(Topic, topic.id), db.session.get(User, other_member.id), "A second post")
    db.session.commit()
    html = _get(member_client, url).get_data(as_text=True)
    assert '1 new<span class="visually-hidden"> post since you last read</span>' in html
    assert f'href="/topics/{topic.id}?page=1#post-2"' in html
    anonymous = _get(anon, url).get_data(as_text=True)
    assert "badge-unread" not in anonymous and "<!--topic:" not in anonymous and "<!--topic:" not in html
    assert f'href="/topics/{topic.id}"' in anonymous
