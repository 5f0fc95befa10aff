"""Holding before publishing: new members' first posts, their links, watched words, and flags."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import ContentStatus, Post, Report, ReviewEntry, Role, Topic, WatchedWord
from forum.services import moderation, posting
from tests.moderation.conftest import actions, count


@pytest.fixture
def newcomer(make_user):
    return make_user(username="new_ned")


def test_first_two_posts_of_a_new_member_wait_for_approval(client, login, holds, newcomer, moderator, board, make_user):
    login(newcomer)
    response = client.post(f"/boards/{board.slug}/new", data={"title": "Hello from Ned", "body": "Just diagnosed."})
    assert response.status_code == 302
    topic = db.session.scalar(select(Topic))
    assert topic.status is ContentStatus.HELD
    page = client.get(f"/topics/{topic.id}", follow_redirects=True).data
    assert b"waiting for a moderator" in page.lower()
    # Nobody else sees it: not in the board, 404 on the topic.
    login(make_user())
    assert b"Hello from Ned" not in client.get(f"/boards/{board.slug}").data
    assert client.get(f"/topics/{topic.id}").status_code == 404
    # It is in the queue, as "waiting for approval".
    entry = db.session.scalar(select(ReviewEntry))
    assert [r.reason for r in db.session.scalars(select(Report))] == ["held"]
    login(moderator)
    assert b"Waiting for approval" in client.get("/mod").data
    moderation.approve_post(db.session.scalar(select(Post)), moderator, entry=entry)
    db.session.commit()
    first = posting.start_topic(board, newcomer, "Second topic", "Another question")
    db.session.commit()
    assert first.status is ContentStatus.HELD
    moderation.approve_post(first, moderator)
    db.session.commit()
    third = posting.start_topic(board, db.session.get(type(newcomer), newcomer.id), "Third topic", "Now I am known")
    assert third.status is ContentStatus.PUBLISHED


def test_holds_are_configurable(holds, newcomer, board):
    holds["MODERATION_FIRST_POSTS_HELD"] = 0
    holds["MODERATION_NEW_MEMBER_POSTS"] = 0
    assert posting.start_topic(board, newcomer, "Straight in", "Published at once").status is ContentStatus.PUBLISHED


def test_new_member_links_are_held_established_ones_are_not(topic, holds, newcomer, make_user, moderator):
    holds["MODERATION_FIRST_POSTS_HELD"] = 0
    held = posting.reply_to_topic(topic, newcomer, "Try https://cheap-botox.example now")
    assert held.status is ContentStatus.HELD
    assert "link" in held.screening.hold_reasons[0]
    plain = posting.reply_to_topic(topic, newcomer, "No link here")
    assert plain.status is ContentStatus.PUBLISHED
    veteran = make_user(username="veteran_vi")
    veteran.post_count = 50
    db.session.commit()
    assert posting.reply_to_topic(topic, veteran, "See https://nhs.uk").status is ContentStatus.PUBLISHED
    assert posting.reply_to_topic(topic, moderator, "See https://nhs.uk").status is ContentStatus.PUBLISHED


def test_editing_a_link_in_holds_the_post(topic, holds, newcomer, moderator):
    holds["MODERATION_FIRST_POSTS_HELD"] = 0
    post = posting.reply_to_topic(topic, newcomer, "Harmless")
    db.session.commit()
    posting.edit_post(post, newcomer, "Now with [a link](https://spam.example)")
    db.session.commit()
    assert post.status is ContentStatus.HELD
    assert db.session.scalar(select(ReviewEntry.target_id)) == post.id


@pytest.mark.parametrize("role", ["member", "expert", "moderator"])
def test_only_admins_manage_watched_words(client, login, users_by_role, role):
    login(users_by_role(role))
    assert client.get("/mod/watched-words").status_code == 403
    assert client.post("/mod/watched-words", data={"word": "x", "action": "block"}).status_code == 403
    assert count(WatchedWord) == 0


def test_admin_adds_and_removes_watched_words(client, login, admin):
    login(admin)
    page = client.get("/mod/watched-words")
    assert page.status_code == 200 and b"Word or phrase" in page.data
    assert client.post("/mod/watched-words", data={"word": "Miracle Cure", "action": "hold"}).status_code == 302
    assert client.post("/mod/watched-words", data={"word": "miracle cure", "action": "flag"}).status_code == 422
    assert client.post("/mod/watched-words", data={"word": "ok", "action": "explode"}).status_code == 422
    assert client.post("/mod/watched-words", data={"word": "", "action": "block"}).status_code == 422
    word = db.session.scalar(select(WatchedWord))
    assert (word.word, word.action.value) == ("miracle cure", "hold")
    assert b"miracle cure" in client.get("/mod/watched-words").data
    assert client.post(f"/mod/watched-words/{word.id}/delete").status_code == 302
    assert count(WatchedWord) == 0
    assert [a.action for a in actions()] == ["watched_word.add", "watched_word.remove"]


def test_block_refuses_the_post_naming_the_rule(client, login, admin, member, board):
    moderation.add_watched_word(admin, "buy pills", "block")
    db.session.commit()
    login(member)
    response = client.post(f"/boards/{board.slug}/new", data={"title": "Great offer", "body": "You can BUY   pills here"})
    assert response.status_code == 422
    assert "“buy pills”".encode() in response.data and b"watched words rule" in response.data
    assert count(Topic) == 0


def test_hold_word_holds_and_flag_word_publishes_with_a_system_report(admin, member, topic):
    moderation.add_watched_word(admin, "cure*", "hold")
    moderation.add_watched_word(admin, "stop taking", "flag")
    db.session.commit()
    held = posting.reply_to_topic(topic, member, "This CURES everything")
    db.session.commit()
    assert held.status is ContentStatus.HELD
    flagged = posting.reply_to_topic(topic, member, "I would stop taking the pills")
    db.session.commit()
    assert flagged.status is ContentStatus.PUBLISHED
    report = db.session.scalar(select(Report).where(Report.target_id == flagged.id))
    assert (report.reporter_id, report.reason) == (None, "watched_word")
    assert "stop taking" in report.note
    assert posting.reply_to_topic(topic, member, "Securely fine").status is ContentStatus.PUBLISHED  # whole words


def test_crisis_flags_from_screening_go_to_the_top(member, topic, make_user, make_post):
    ordinary = make_post(topic=topic, body="Anyone tried glasses?")
    moderation.file_report(make_user(), "post", ordinary.id, "spam")
    db.session.commit()
    worrying = posting.reply_to_topic(topic, member, "I feel there is no way out")
    db.session.commit()
    assert worrying.status is ContentStatus.PUBLISHED
    listing = moderation.queue_page()
    assert listing.entries[0].target_id == worrying.id and listing.entries[0].is_urgent


def test_seed_demo_is_not_held_and_stays_idempotent(runner, holds):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert count(Post, Post.status == ContentStatus.HELD) == 0
    assert count(ReviewEntry) == 0
    posts = count(Post)
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0 and count(Post) == posts


def test_an_approved_post_reaches_the_topics_watchers(topic, holds, newcomer, moderator, make_user):
    from forum.models import Notification
    from forum.models.watching import WatchLevel
    from forum.services import notifications

    watcher = make_user(username="watching_wes")
    notifications.set_topic_watch(watcher.id, topic.id, WatchLevel.WATCHING)
    db.session.commit()
    held = posting.reply_to_topic(topic, newcomer, "My first reply, thank you all")
    db.session.commit()
    assert held.status is ContentStatus.HELD
    assert db.session.scalar(select(Notification).where(Notification.user_id == watcher.id)) is None
    moderation.approve_post(held, moderator)
    db.session.commit()
    told = db.session.scalars(select(Notification.kind).where(Notification.user_id == watcher.id)).all()
    assert told == ["reply"]


def test_watched_words_kept_by_a_process_are_cleared_by_a_change(app, admin, member):
    """Each process keeps the list for WATCHED_WORDS_CACHE_SECONDS; adding or removing one clears it."""
    app.config["WATCHED_WORDS_CACHE_SECONDS"] = 600
    try:
        assert moderation.matching_words("buy miraclecure today") == []
        row = moderation.add_watched_word(admin, "miraclecure", "block")
        db.session.commit()
        assert [r.word for r in moderation.matching_words("buy miraclecure today")] == ["miraclecure"]
        # A row written elsewhere (another process) is seen once the kept list expires.
        db.session.add(WatchedWord(word="snakeoil", action=row.action))
        db.session.commit()
        assert moderation.matching_words("snakeoil") == []
        moderation.remove_watched_word(admin, row.id)
        db.session.commit()
        assert [r.word for r in moderation.matching_words("miraclecure snakeoil")] == ["snakeoil"]
    finally:
        app.config["WATCHED_WORDS_CACHE_SECONDS"] = 0
        moderation.forget_word_rules()
