"""Boards, topics and posts as visitors, members and other members see them."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Board, ContentStatus, Post, PostRevision, Topic, User, utcnow


def _topic(topic_id: int) -> Topic:
    db.session.expire_all()
    return db.session.get(Topic, topic_id)


def _first_post(topic: Topic) -> Post:
    return db.session.scalar(select(Post).where(Post.topic_id == topic.id, Post.number == 1))


# --- Home page ---------------------------------------------------------------------------------

def test_home_lists_boards_in_their_order_with_counts_and_latest_activity(client, make_board, make_topic):
    make_board(name="Stories", position=2)
    first = make_board(name="Introductions", position=1, description="Say hello")
    make_topic(board=first, title="Hello from the coast", replies=2)
    html = client.get("/").get_data(as_text=True)
    assert html.index("Introductions") < html.index("Stories")
    assert "Say hello" in html
    assert "Hello from the coast" in html
    section = html[html.index("Introductions"):html.index("Stories")]
    assert re.search(r"<dt>Topics</dt><dd>1</dd>", section)
    assert re.search(r"<dt>Posts</dt><dd>3</dd>", section)
    assert "No posts yet" in html[html.index("Stories"):]


# --- Board page --------------------------------------------------------------------------------

def test_board_lists_pinned_first_then_latest_activity(client, make_board, make_topic, make_post):
    board = make_board(slug="coping")
    old = make_topic(board=board, title="An older topic")
    make_topic(board=board, title="Read me first", pinned=True)
    make_topic(board=board, title="A newer topic")
    make_post(topic=old)  # activity moves the old topic to the top of the unpinned ones
    html = client.get("/boards/coping").get_data(as_text=True)
    assert html.index("Read me first") < html.index("An older topic") < html.index("A newer topic")
    assert "Pinned" in html


def test_board_shows_author_replies_views_and_last_reply(client, make_board, make_topic, make_user):
    board = make_board(slug="treatments")
    author = make_user(username="blinking_bea")
    make_topic(board=board, author=author, title="Botox week two", replies=2)
    html = client.get("/boards/treatments").get_data(as_text=True)
    assert "blinking_bea" in html
    assert "2 replies" in html
    assert "0 views" in html
    assert "last reply" in html and "<time datetime=" in html


def test_board_pages_hold_25_topics(client, make_board, make_user):
    from forum.services import posting

    board = make_board(slug="big")
    author = make_user()
    for i in range(30):
        posting.start_topic(board, author, f"Topic number {i:02d}", "body")
    db.session.commit()
    first = client.get("/boards/big").get_data(as_text=True)
    second = client.get("/boards/big?page=2").get_data(as_text=True)
    assert first.count('class="topic-row') == 25
    assert second.count('class="topic-row') == 5
    assert "Topic number 29" in first and "Topic number 00" in second
    assert client.get("/boards/big?page=3").status_code == 404


@pytest.mark.parametrize("page", ["abc", "-1", "1.5", "99999999999999"])
def test_board_page_that_is_not_a_number_is_400(client, make_board, page):
    make_board(slug="coping")
    response = client.get(f"/boards/coping?page={page}")
    assert response.status_code == 400
    assert b"page number" in response.data


def test_unknown_board_is_404(client):
    response = client.get("/boards/nowhere")
    assert response.status_code == 404
    assert b"could not find that board" in response.data


# --- Topic page --------------------------------------------------------------------------------

def test_topic_shows_posts_in_order_with_author_details(client, make_topic, make_user, make_post):
    author = make_user(username="left_side_lou")
    topic = make_topic(author=author, title="My first injection", body="It *helped*.")
    make_post(topic=topic, body="So glad to hear it")
    html = client.get(f"/topics/{topic.id}").get_data(as_text=True)
    assert "<h1>My first injection</h1>" in html
    assert html.index("<em>helped</em>") < html.index("So glad to hear it")
    assert "left_side_lou" in html and "joined" in html
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ" title="[^"]+ UTC">just now</time>', html)


def test_topic_role_badges(client, make_topic, moderator):
    topic = make_topic(author=moderator)
    html = client.get(f"/topics/{topic.id}").get_data(as_text=True)
    assert 'class="badge badge-moderator">Moderator<' in html


def test_topic_pages_hold_20_posts(client, make_topic):
    topic = make_topic(replies=24)
    first = client.get(f"/topics/{topic.id}").get_data(as_text=True)
    second = client.get(f"/topics/{topic.id}?page=2").get_data(as_text=True)
    assert first.count('class="post"') == 20
    assert second.count('class="post"') == 5
    assert client.get(f"/topics/{topic.id}?page=3").status_code == 404
    assert client.get(f"/topics/{topic.id}?page=x").status_code == 400


def test_unknown_topic_is_404(client):
    assert client.get("/topics/999999").status_code == 404


def test_topic_view_is_buffered_not_written(app, client, make_topic):
    from forum.services import reading

    topic = make_topic()
    client.get(f"/topics/{topic.id}")
    client.get(f"/topics/{topic.id}")
    assert _topic(topic.id).view_count == 0
    assert reading.view_buffer.pending(topic.id) == 2
    reading.flush_views()
    assert _topic(topic.id).view_count == 2


# --- Signing in is needed to write ------------------------------------------------------------

@pytest.mark.parametrize("path", ["/boards/coping/new", "/topics/{id}/reply"])
def test_writing_needs_sign_in(client, make_board, make_topic, path):
    board = make_board(slug="coping")
    topic = make_topic(board=board)
    response = client.get(path.format(id=topic.id))
    assert response.status_code == 302
    assert "/signin" in response.headers["Location"]
    response = client.post(path.format(id=topic.id), data={"title": "Hello there", "body": "Hi"})
    assert response.status_code == 302
    assert db.session.scalar(select(Post).where(Post.body == "Hi")) is None


def test_edit_and_delete_need_sign_in(client, make_topic):
    topic = make_topic(replies=1)
    post = db.session.scalar(select(Post).where(Post.topic_id == topic.id, Post.number == 2))
    assert client.get(f"/posts/{post.id}/edit").status_code == 302
    assert client.post(f"/posts/{post.id}/delete").status_code == 302
    assert db.session.get(Post, post.id).status is ContentStatus.PUBLISHED


# --- Starting topics -----------------------------------------------------------------------------

def test_member_starts_a_topic(client, login, member, make_board):
    make_board(slug="coping")
    login(member)
    assert client.get("/boards/coping/new").status_code == 200
    response = client.post("/boards/coping/new", data={"title": "Sunglasses indoors?", "body": "Do **tinted** lenses help?"})
    assert response.status_code == 302
    topic = db.session.scalar(select(Topic).where(Topic.title == "Sunglasses indoors?"))
    assert response.headers["Location"].endswith(f"/topics/{topic.id}")
    post = _first_post(topic)
    assert post.body_html == "<p>Do <strong>tinted</strong> lenses help?</p>\n"
    db.session.expire_all()
    board = db.session.scalar(select(Board).where(Board.slug == "coping"))
    assert (board.topic_count, board.post_count) == (1, 1)


@pytest.mark.parametrize(
    "title, body, message",
    [
        ("", "body", "Please give your topic a title."),
        ("Tiny", "body", "Titles are 5 to 150 characters."),
        ("x" * 151, "body", "Titles are 5 to 150 characters."),
        ("A fine title", "", "Please write a message."),
        ("A fine title", "   ", "Please write a message."),
        ("A fine title", "x" * 50_001, "Messages are at most 50,000 characters."),
        ("A fine\x00 title", "body", "NUL character"),
        ("A fine title", "bo\x00dy", "NUL character"),
        ("A fine\x01 title", "body", "control character (U+0001)"),
        ("A fine title", "pasted\x1f text", "control character (U+001F)"),
        ("A fine title", "a form\x0c feed", "control character (U+000C)"),
    ],
)
def test_new_topic_bad_input_is_422_and_stores_nothing(client, login, member, make_board, title, body, message):
    make_board(slug="coping")
    login(member)
    response = client.post("/boards/coping/new", data={"title": title, "body": body})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(Topic)) is None


def test_tabs_and_line_breaks_are_not_control_characters_to_refuse(client, login, member, make_board):
    make_board(slug="coping")
    login(member)
    response = client.post("/boards/coping/new", data={"title": "Tabs\tare fine", "body": "Line one\r\nline\ttwo\n"})
    assert response.status_code == 302


def test_new_topic_body_of_exactly_50000_characters_is_accepted(client, login, member, make_board):
    make_board(slug="coping")
    login(member)
    response = client.post("/boards/coping/new", data={"title": "A long story", "body": "x" * 50_000})
    assert response.status_code == 302


def test_new_topic_in_unknown_board_is_404(client, login, member):
    login(member)
    assert client.get("/boards/nowhere/new").status_code == 404
    assert client.post("/boards/nowhere/new", data={"title": "Hello there", "body": "x"}).status_code == 404


# --- Replies and quotes ------------------------------------------------------------------------

def test_member_replies_and_counters_follow(client, login, member, make_topic):
    topic = make_topic()
    login(member)
    response = client.post(f"/topics/{topic.id}/reply", data={"body": "Me too, every spring."})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/topics/{topic.id}#post-2")
    topic = _topic(topic.id)
    assert topic.reply_count == 1
    assert topic.last_poster_id == member.id
    assert db.session.get(User, member.id).post_count == 1


def test_reply_bad_input(client, login, member, make_topic):
    topic = make_topic()
    login(member)
    assert client.post(f"/topics/{topic.id}/reply", data={"body": ""}).status_code == 422
    assert client.post(f"/topics/{topic.id}/reply", data={"body": "x" * 50_001}).status_code == 422
    assert client.post("/topics/424242/reply", data={"body": "hello"}).status_code == 404
    assert _topic(topic.id).reply_count == 0


def test_quote_prefills_the_reply(client, login, member, make_topic, make_user):
    author = make_user(username="rose_tint_rita")
    topic = make_topic(author=author, body="FL-41 lenses changed my life.\n\nReally.")
    first = _first_post(topic)
    login(member)
    html = client.get(f"/topics/{topic.id}/reply?quote={first.id}").get_data(as_text=True)
    assert "&gt; **@rose_tint_rita** wrote:" in html
    assert "&gt; FL-41 lenses changed my life." in html
    response = client.post(f"/topics/{topic.id}/reply", data={"body": "> **@rose_tint_rita** wrote:\n>\n> FL-41 lenses\n\nSame here"})
    assert response.status_code == 302
    reply = db.session.scalar(select(Post).where(Post.number == 2))
    assert "<blockquote>" in reply.body_html


def test_quote_of_a_post_from_another_topic_is_ignored(client, login, member, make_topic):
    one, other = make_topic(), make_topic(body="Secret elsewhere")
    login(member)
    html = client.get(f"/topics/{one.id}/reply?quote={_first_post(other).id}").get_data(as_text=True)
    assert "Secret elsewhere" not in html


def test_locked_topic_refuses_replies(client, login, member, make_topic):
    topic = make_topic(locked_at=utcnow())
    login(member)
    html = client.get(f"/topics/{topic.id}").get_data(as_text=True)
    assert "This topic is locked" in html
    response = client.post(f"/topics/{topic.id}/reply", data={"body": "let me in"})
    assert response.status_code == 403
    assert b"locked" in response.data
    assert _topic(topic.id).reply_count == 0


def test_moderator_may_reply_to_a_locked_topic(client, login, moderator, make_topic):
    topic = make_topic(locked_at=utcnow())
    login(moderator)
    assert client.post(f"/topics/{topic.id}/reply", data={"body": "Locked now, thank you all."}).status_code == 302


def test_deleted_topic_is_404_and_refuses_replies(client, login, member, make_topic):
    topic = make_topic()
    login(db.session.get(User, topic.author_id))
    assert client.post(f"/posts/{_first_post(topic).id}/delete").status_code == 302
    login(member)
    assert client.get(f"/topics/{topic.id}").status_code == 404
    assert client.post(f"/topics/{topic.id}/reply", data={"body": "hello?"}).status_code == 404
    assert _topic(topic.id).status is ContentStatus.DELETED


# --- Editing -----------------------------------------------------------------------------------

def test_author_edits_and_history_keeps_every_version(client, login, make_topic):
    topic = make_topic(title="Original title", body="First words")
    post = _first_post(topic)
    login(db.session.get(User, topic.author_id))
    assert client.get(f"/posts/{post.id}/edit").status_code == 200
    assert client.post(f"/posts/{post.id}/edit", data={"title": "Better title", "body": "Second words"}).status_code == 302
    assert client.post(f"/posts/{post.id}/edit", data={"title": "Better title", "body": "Third words"}).status_code == 302
    revisions = db.session.scalars(select(PostRevision).where(PostRevision.post_id == post.id).order_by(PostRevision.number)).all()
    assert [r.body for r in revisions] == ["First words", "Second words"]
    assert revisions[0].title == "Original title"
    assert _topic(topic.id).title == "Better title"
    topic_html = client.get(f"/topics/{topic.id}").get_data(as_text=True)
    assert f'href="/posts/{post.id}/revisions">History' in topic_html
    history = client.get(f"/posts/{post.id}/revisions").get_data(as_text=True)
    assert "First words" in history and "Second words" in history and "Third words" in history
    assert "3 versions" in history


def test_editing_someone_elses_post_is_403(client, login, other_member, make_topic):
    topic = make_topic(body="Mine")
    post = _first_post(topic)
    login(other_member)
    assert client.get(f"/posts/{post.id}/edit").status_code == 403
    assert client.post(f"/posts/{post.id}/edit", data={"title": "Hijacked title", "body": "Theirs"}).status_code == 403
    assert db.session.get(Post, post.id).body == "Mine"


def test_edit_bad_input_is_422_and_keeps_the_post(client, login, make_topic):
    topic = make_topic(body="Keep me")
    post = _first_post(topic)
    login(db.session.get(User, topic.author_id))
    assert client.post(f"/posts/{post.id}/edit", data={"title": "Fine title", "body": ""}).status_code == 422
    assert client.post(f"/posts/{post.id}/edit", data={"title": "Tiny", "body": "ok"}).status_code == 422
    assert db.session.get(Post, post.id).body == "Keep me"
    assert client.get("/posts/987654/edit").status_code == 404


def test_revisions_of_unknown_post_is_404(client, login, member):
    login(member)
    assert client.get("/posts/987654/revisions").status_code == 404


# --- Deleting ----------------------------------------------------------------------------------

def test_author_deletes_a_reply_softly(client, login, make_topic, make_user):
    from forum.services import posting

    topic = make_topic()
    replier = make_user()
    reply = posting.reply_to_topic(topic, replier, "Oops, wrong thread")
    db.session.commit()
    login(replier)
    assert client.post(f"/posts/{reply.id}/delete").status_code == 302
    db.session.expire_all()
    post = db.session.get(Post, reply.id)
    assert post.status is ContentStatus.DELETED and post.body == "Oops, wrong thread"
    assert _topic(topic.id).reply_count == 0
    html = client.get(f"/topics/{topic.id}").get_data(as_text=True)
    assert "This post was deleted by its author." in html
    assert "Oops, wrong thread" not in html


def test_first_post_of_a_topic_with_replies_cannot_be_deleted(client, login, make_topic):
    topic = make_topic(replies=1)
    first = _first_post(topic)
    login(db.session.get(User, topic.author_id))
    response = client.post(f"/posts/{first.id}/delete")
    assert response.status_code == 403
    assert b"cannot be deleted, only edited" in response.data
    assert db.session.get(Post, first.id).status is ContentStatus.PUBLISHED


def test_deleting_someone_elses_post_is_403(client, login, other_member, make_topic):
    topic = make_topic()
    login(other_member)
    assert client.post(f"/posts/{_first_post(topic).id}/delete").status_code == 403
    db.session.expire_all()
    assert _first_post(topic).status is ContentStatus.PUBLISHED


def test_delete_is_post_only(client, login, make_topic):
    topic = make_topic()
    login(db.session.get(User, topic.author_id))
    response = client.get(f"/posts/{_first_post(topic).id}/delete")
    assert response.status_code == 405
    assert b"Method not allowed" in response.data


def test_post_permalink_redirects_to_its_page(client, make_topic):
    topic = make_topic(replies=21)
    post = db.session.scalar(select(Post).where(Post.topic_id == topic.id, Post.number == 22))
    response = client.get(f"/posts/{post.id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/topics/{topic.id}?page=2#post-22")
