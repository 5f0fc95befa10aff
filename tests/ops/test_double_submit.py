"""The same reply or new-topic form sent twice makes one post."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.models import FormSubmission, Post, Topic
from forum.services import posting

KEY = "k" * 32


def _count(db, model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_a_reply_form_sent_twice_posts_once(client, login, member, make_topic, db):
    topic = make_topic()
    login(member)
    form = {"body": "Thank you, this helped me a lot.", "submission_key": KEY}
    first = client.post(f"/topics/{topic.id}/reply", data=form)
    assert first.status_code == 302
    second = client.post(f"/topics/{topic.id}/reply", data=form)
    assert second.status_code == 302
    assert _count(db, Post, Post.topic_id == topic.id, Post.body == form["body"]) == 1
    post_id = db.session.scalar(select(Post.id).where(Post.body == form["body"]))
    assert second.headers["Location"].endswith(f"/posts/{post_id}")
    assert b"already posted" in client.get(second.headers["Location"], follow_redirects=True).data
    assert db.session.get(FormSubmission, KEY).post_id == post_id
    assert db.session.get(Topic, topic.id).reply_count == 1


def test_a_new_topic_form_sent_twice_opens_one_topic(client, login, member, make_board, db):
    make_board(slug="coping")
    login(member)
    form = {"title": "Botox every twelve weeks", "body": "Does anyone stretch it longer?", "submission_key": KEY}
    assert client.post("/boards/coping/new", data=form).status_code == 302
    assert client.post("/boards/coping/new", data=form).status_code == 302
    assert _count(db, Topic, Topic.title == form["title"]) == 1


def test_two_different_forms_post_twice(client, login, member, make_topic, db):
    topic = make_topic()
    login(member)
    for key in ("a" * 32, "b" * 32):
        assert client.post(f"/topics/{topic.id}/reply", data={"body": "Same words", "submission_key": key}).status_code == 302
    assert _count(db, Post, Post.body == "Same words") == 2


def test_a_form_with_errors_keeps_its_key_usable(client, login, member, make_topic, db):
    topic = make_topic()
    login(member)
    assert client.post(f"/topics/{topic.id}/reply", data={"body": "", "submission_key": KEY}).status_code == 422
    assert client.post(f"/topics/{topic.id}/reply", data={"body": "Now with words", "submission_key": KEY}).status_code == 302
    assert _count(db, Post, Post.body == "Now with words") == 1


def test_the_reply_form_carries_a_fresh_key(client, login, member, make_topic):
    topic = make_topic()
    login(member)
    pages = [client.get(f"/topics/{topic.id}/reply").get_data(as_text=True) for _ in range(2)]
    keys = [p.split('name="submission_key" type="hidden" value="')[1].split('"')[0] for p in pages]
    assert keys[0] != keys[1] and len(keys[0]) >= 32


def test_another_members_key_is_not_theirs_to_see(member, other_member, make_topic, db):
    topic = make_topic()
    posting.reply_to_topic(topic, member, "Mine", submission_key=KEY)
    db.session.commit()
    with pytest.raises(posting.AlreadyPosted) as caught:
        posting.reply_to_topic(topic, other_member, "Theirs", submission_key=KEY)
    assert caught.value.post_id is None


def test_old_keys_are_pruned(member, make_topic, db):
    from datetime import timedelta

    from forum.models import utcnow

    topic = make_topic()
    posting.reply_to_topic(topic, member, "Old", submission_key=KEY)
    db.session.get(FormSubmission, KEY).created_at = utcnow() - timedelta(days=posting.SUBMISSION_KEY_DAYS + 1)
    db.session.commit()
    assert posting.prune_submission_keys() == 1
