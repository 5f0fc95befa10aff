"""The bell, the notifications page, watching controls and unread markers."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from forum.models import Notification
from forum.models.base import db
from forum.models.notification import EmailPreference, NotificationSettings
from forum.models.watching import WatchLevel
from forum.services import notifications, posting


def _bell(html: str) -> str:
    match = re.search(r'<li><a href="/notifications" class="bell[^"]*">.*?</li>', html, re.S)
    assert match, html
    return match.group(0)


def test_bell_shows_the_unread_count(client, login, topic, alice, bob):
    login(alice)
    assert "badge-count" not in _bell(client.get("/").get_data(as_text=True))
    posting.reply_to_topic(topic, bob, "hello")
    db.session.commit()
    bell = _bell(client.get("/boards/treatment").get_data(as_text=True))
    assert ">1<span class=\"visually-hidden\"> unread</span>" in bell


def test_anonymous_visitors_have_no_bell(client, topic):
    assert 'href="/notifications"' not in client.get("/").get_data(as_text=True)


def test_notifications_page_and_mark_read(client, login, topic, alice, bob):
    posting.reply_to_topic(topic, bob, "one")
    posting.reply_to_topic(topic, bob, "two")
    db.session.commit()
    login(alice)
    html = client.get("/notifications").get_data(as_text=True)
    assert html.count("<h1>") == 1
    assert html.count(">bob replied to “Botox near the eye”</a>") == 2
    first = db.session.scalar(select(Notification).order_by(Notification.id))
    response = client.post(f"/notifications/{first.id}/read")
    assert response.status_code == 302
    assert notifications.unread_count(alice.id) == 1
    client.post("/notifications/read-all")
    assert notifications.unread_count(alice.id) == 0


def test_cannot_mark_someone_elses_notification(client, login, topic, alice, bob):
    posting.reply_to_topic(topic, bob, "one")
    db.session.commit()
    login(bob)
    mine = db.session.scalar(select(Notification.id))
    assert client.post(f"/notifications/{mine}/read").status_code == 404
    assert notifications.unread_count(alice.id) == 1


def test_notifications_page_needs_sign_in(client):
    assert client.get("/notifications").status_code in (302, 401)


def test_reading_the_topic_reads_its_notifications(client, login, topic, alice, bob):
    posting.reply_to_topic(topic, bob, "one")
    db.session.commit()
    login(alice)
    client.get(f"/topics/{topic.id}?page=1")
    assert notifications.unread_count(alice.id) == 0


def test_watch_and_mute_a_topic(client, login, topic, bob):
    login(bob)
    html = client.get(f"/topics/{topic.id}").get_data(as_text=True)
    assert '<label for="watch-level">Notifications for this topic</label>' in html
    assert client.post(f"/topics/{topic.id}/watch", data={"level": "watching"}).status_code == 302
    assert notifications.topic_watch_level(bob.id, topic.id) is WatchLevel.WATCHING
    client.post(f"/topics/{topic.id}/watch", data={"level": "muted"})
    assert notifications.topic_watch_level(bob.id, topic.id) is WatchLevel.MUTED
    client.post(f"/topics/{topic.id}/watch", data={"level": "normal"})
    assert notifications.topic_watch_level(bob.id, topic.id) is None
    assert client.post(f"/topics/{topic.id}/watch", data={"level": "loud"}).status_code == 400


def test_watch_a_board(client, login, topic, bob, alice):
    login(bob)
    assert 'Notifications for this board' in client.get("/boards/treatment").get_data(as_text=True)
    client.post("/boards/treatment/watch", data={"level": "watching"})
    posting.start_topic(db.session.get(posting.Board, topic.board_id), alice, "Another topic", "body")
    db.session.commit()
    assert notifications.unread_count(bob.id) == 1


def test_settings_page(client, login, alice):
    login(alice)
    html = client.get("/notifications/settings").get_data(as_text=True)
    assert html.count("<h1>") == 1 and "<legend>Email</legend>" in html
    response = client.post("/notifications/settings", data={"email": "daily", "watch_participated": ""})
    assert response.status_code == 302
    settings = db.session.get(NotificationSettings, alice.id)
    assert settings.email is EmailPreference.DAILY and settings.watch_participated is False
    assert client.post("/notifications/settings", data={"email": "hourly"}).status_code == 422


def test_board_shows_unread_counts_and_links_to_the_first_unread_post(client, login, bob, topic, alice):
    login(bob)
    html = client.get("/boards/treatment").get_data(as_text=True)
    assert 'New<span class="visually-hidden"> topic</span>' in html
    client.get(f"/topics/{topic.id}")  # bob reads post 1
    posting.reply_to_topic(topic, alice, "two")
    posting.reply_to_topic(topic, alice, "three")
    db.session.commit()
    html = client.get("/boards/treatment").get_data(as_text=True)
    assert '2 new<span class="visually-hidden"> posts since you last read</span>' in html
    assert f'href="/topics/{topic.id}?page=1#post-2"' in html


def test_opening_a_topic_jumps_to_the_first_unread_post(client, login, topic, alice, bob, app):
    login(bob)
    client.get(f"/topics/{topic.id}")
    for i in range(25):
        posting.reply_to_topic(topic, alice, f"reply {i}")
    db.session.commit()
    response = client.get(f"/topics/{topic.id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/topics/{topic.id}?page=1#post-2")
    client.get(f"/topics/{topic.id}?page=1")
    response = client.get(f"/topics/{topic.id}")
    assert response.headers["Location"].endswith(f"/topics/{topic.id}?page=2#post-21")
    client.get(f"/topics/{topic.id}?page=2")
    assert client.get(f"/topics/{topic.id}").status_code == 200  # all read


@pytest.mark.parametrize("path", ["/", "/boards/treatment", "/notifications", "/notifications/settings"])
def test_pages_have_one_h1_and_labelled_bell(client, login, topic, alice, path):
    login(alice)
    html = client.get(path).get_data(as_text=True)
    assert html.count("<h1") == 1
    assert "<li><a href=\"/notifications\"" in html


@pytest.mark.parametrize("path", ["/search", "/search?q=botox", "/search?q=-", "/notifications", "/notifications/settings", "unsubscribe"])
def test_pages_are_semantic(client, login, topic, alice, bob, path):
    from forum.services.outbox import unsubscribe_path
    from tests.test_html import assert_semantic

    posting.reply_to_topic(topic, bob, "botox reply")
    db.session.commit()
    login(alice)
    response = client.get(unsubscribe_path(alice.id) if path == "unsubscribe" else path)
    assert response.status_code == 200
    assert_semantic(response.get_data(as_text=True))


def test_board_and_topic_pages_with_unread_markers_are_semantic(client, login, bob, topic, alice):
    from tests.test_html import assert_semantic

    login(bob)
    assert_semantic(client.get("/boards/treatment").get_data(as_text=True))
    assert_semantic(client.get(f"/topics/{topic.id}").get_data(as_text=True))
