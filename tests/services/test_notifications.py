"""Who hears about what: replies, quotes, mentions, watching, muting, new topics and articles."""
from __future__ import annotations

from sqlalchemy import func, select

from forum.models import ContentStatus, Notification
from forum.models.base import db
from forum.models.notification import EmailPreference, NotificationSettings, OutboxMail
from forum.models.watching import BoardWatch, TopicWatch, WatchLevel
from forum.services import notifications, posting


def _inbox(user) -> list[tuple[str, str]]:
    rows = db.session.execute(select(Notification.kind, Notification.text).where(Notification.user_id == user.id).order_by(Notification.id))
    return [tuple(r) for r in rows]


def _kinds(user) -> list[str]:
    return [kind for kind, _ in _inbox(user)]


def test_reply_notifies_the_topic_author(topic, alice, bob):
    posting.reply_to_topic(topic, bob, "Mine went fine")
    db.session.commit()
    assert _inbox(alice) == [("reply", "bob replied to “Botox near the eye”")]
    assert _inbox(bob) == []  # no notification for one's own post


def test_starting_and_replying_watch_the_topic(topic, alice, bob, make_user):
    posting.reply_to_topic(topic, bob, "first reply")
    db.session.commit()
    levels = dict(db.session.execute(select(TopicWatch.user_id, TopicWatch.level).where(TopicWatch.topic_id == topic.id)).all())
    assert levels == {alice.id: WatchLevel.WATCHING, bob.id: WatchLevel.WATCHING}
    posting.reply_to_topic(topic, make_user(username="carol"), "another reply")
    db.session.commit()
    assert _kinds(bob) == ["reply"]


def test_watch_on_participation_can_be_turned_off(topic, bob):
    notifications.save_settings(bob.id, EmailPreference.NONE, watch_participated=False)
    posting.reply_to_topic(topic, bob, "a reply")
    db.session.commit()
    assert notifications.topic_watch_level(bob.id, topic.id) is None


def test_muting_a_topic_silences_it_even_for_its_author(topic, alice, bob):
    notifications.set_topic_watch(alice.id, topic.id, WatchLevel.MUTED)
    posting.reply_to_topic(topic, bob, "Hello @alice")
    db.session.commit()
    assert _inbox(alice) == []
    # Replying again does not undo the mute.
    posting.reply_to_topic(topic, alice, "still here")
    db.session.commit()
    assert notifications.topic_watch_level(alice.id, topic.id) is WatchLevel.MUTED


def test_quote_and_mention_take_priority_over_reply(topic, alice, bob, make_user):
    carol = make_user(username="Carol")
    first = db.session.scalar(select(posting.Post).where(posting.Post.topic_id == topic.id))
    body = posting.quote_markdown(first, "alice") + "I agree, and @carol had the same. `@nobody` in code."
    posting.reply_to_topic(topic, bob, body)
    db.session.commit()
    assert _inbox(alice) == [("quote", "bob quoted you in “Botox near the eye”")]
    assert _inbox(carol) == [("mention", "bob mentioned you in “Botox near the eye”")]


def test_board_watchers_hear_of_new_topics_and_replies(make_board, make_user, alice, bob):
    board = make_board(name="Treatment")
    notifications.set_board_watch(bob.id, board.id, WatchLevel.WATCHING)
    db.session.commit()
    post = posting.start_topic(board, alice, "Eyelid crutches", "Has anyone tried them?")
    db.session.commit()
    assert _inbox(bob) == [("new_topic", "alice started “Eyelid crutches” in Treatment")]
    topic = db.session.get(posting.Topic, post.topic_id)
    posting.reply_to_topic(topic, make_user(), "Yes, they help")
    db.session.commit()
    assert _kinds(bob) == ["new_topic", "reply"]
    # A muted topic wins over a watched board.
    notifications.set_topic_watch(bob.id, topic.id, WatchLevel.MUTED)
    posting.reply_to_topic(topic, make_user(), "Another")
    db.session.commit()
    assert _kinds(bob) == ["new_topic", "reply"]


def test_muted_board_is_silent(make_board, make_user, bob):
    board = make_board()
    notifications.set_board_watch(bob.id, board.id, WatchLevel.MUTED)
    posting.start_topic(board, make_user(), "A new topic here", "body")
    db.session.commit()
    assert _inbox(bob) == []


def test_held_posts_notify_nobody(topic, alice, bob, holds):
    held = posting.reply_to_topic(topic, bob, "held reply @alice")  # bob is new: his first post waits
    db.session.commit()
    assert held.status is ContentStatus.HELD
    assert _inbox(alice) == []


def test_article_published_notifies_board_watchers(make_board, alice, bob):
    board = make_board(name="Research")
    notifications.set_board_watch(bob.id, board.id, WatchLevel.WATCHING)
    notifications.set_board_watch(alice.id, board.id, WatchLevel.MUTED)
    count = notifications.article_published(board_id=board.id, title="What Botox does", url="/articles/1")
    db.session.commit()
    assert count == 1
    assert _inbox(bob) == [("article", "New article in Research: “What Botox does”")]


def test_twenty_watchers_cost_a_fixed_number_of_statements(topic, make_user, count_queries):
    def watchers(n):
        users = [make_user() for _ in range(n)]
        for user in users:
            notifications.set_topic_watch(user.id, topic.id, WatchLevel.WATCHING)
            notifications.save_settings(user.id, EmailPreference.IMMEDIATE, True)
        db.session.commit()
        return users

    watchers(1)
    replier = make_user()
    posting.reply_to_topic(topic, replier, "warm-up: the replier now watches the topic")
    db.session.commit()
    # Counted up to the commit: the mail job that runs after it sends one message at a time.
    with count_queries() as one:
        posting.reply_to_topic(topic, replier, "first")
        db.session.flush()
    db.session.commit()
    watchers(20)
    with count_queries() as many:
        posting.reply_to_topic(topic, replier, "second")
        db.session.flush()
    db.session.commit()
    assert many.count == one.count
    notification_inserts = [s for s in many.statements if s.lstrip().upper().startswith("INSERT INTO NOTIFICATION")]
    assert len(notification_inserts) == 1
    assert db.session.scalar(select(func.count()).select_from(Notification).where(Notification.post_id.is_not(None))) == 2 + 2 + 22
    assert db.session.scalar(select(func.count()).select_from(OutboxMail)) == 1 + 1 + 21


def test_bell_count_is_one_query(alice, count_queries):
    notifications.notify([alice.id], "reply", "x")
    db.session.commit()
    with count_queries() as counter:
        assert notifications.unread_count(alice.id) == 1
    assert counter.count == 1


def test_mark_read_and_all_read(alice, bob):
    notifications.notify([alice.id], "reply", "one")
    notifications.notify([alice.id], "reply", "two")
    db.session.commit()
    first = db.session.scalar(select(Notification).order_by(Notification.id))
    assert notifications.mark_read(bob.id, first.id) is None  # not bob's
    notifications.mark_read(alice.id, first.id)
    db.session.commit()
    assert notifications.unread_count(alice.id) == 1
    notifications.mark_all_read(alice.id)
    db.session.commit()
    assert notifications.unread_count(alice.id) == 0


def test_mentions_ignore_code_and_quotes():
    quoted, mentioned = notifications.mentioned_names("> **@Alice** wrote:\n> hi @bob\n\n@Carol and `@dave`\n```\n@erin\n```\nmail me at x@frank.org")
    assert quoted == {"alice"}
    assert mentioned == {"carol"}
