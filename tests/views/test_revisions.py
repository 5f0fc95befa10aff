"""A post's earlier versions: only its author and staff read them; readers see that it was edited and
when. The author erases a version at once; staff erasing one leave an audit row. A stub stays."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import ModerationAction, Post, PostRevision, Role
from forum.services import posting, privacy
from tests import dbscan
from tests.test_html import assert_semantic


@pytest.fixture
def edited(make_topic, member):
    """A reply by `member` that once named their town; the town was edited out."""
    topic = make_topic()
    post = posting.reply_to_topic(topic, member, "I see Dr Almeida at the clinic in Braga every three months.")
    posting.edit_post(post, member, "I see a neurologist every three months.")
    db.session.commit()
    return db.session.get(Post, post.id)


def _revision(post: Post, number: int = 1) -> PostRevision:
    db.session.expire_all()
    return db.session.scalar(select(PostRevision).where(PostRevision.post_id == post.id, PostRevision.number == number))


def test_readers_see_only_that_a_post_was_edited_and_when(client, login, edited, member, other_member, moderator):
    page = client.get(f"/topics/{edited.topic_id}").get_data(as_text=True)
    assert "edited" in page and "Braga" not in page and f"/posts/{edited.id}/revisions" not in page
    response = client.get(f"/posts/{edited.id}/revisions")
    assert response.status_code == 302 and "/signin" in response.headers["Location"]
    login(other_member)
    assert f"/posts/{edited.id}/revisions" not in client.get(f"/topics/{edited.topic_id}").get_data(as_text=True)
    response = client.get(f"/posts/{edited.id}/revisions")
    assert response.status_code == 403 and "Braga" not in response.get_data(as_text=True)
    for reader in (member, moderator):
        login(reader)
        assert f"/posts/{edited.id}/revisions" in client.get(f"/topics/{edited.topic_id}").get_data(as_text=True)
        response = client.get(f"/posts/{edited.id}/revisions")
        assert response.status_code == 200 and "Braga" in response.get_data(as_text=True)


def test_the_author_erases_an_earlier_version_at_once(client, login, edited, member):
    login(member)
    response = client.post(f"/posts/{edited.id}/revisions/1/erase")
    assert response.status_code == 302
    revision = _revision(edited)
    assert revision.erased_at is not None and revision.body == "" and revision.body_html == ""
    assert db.session.scalar(select(ModerationAction)) is None  # their own words: no audit row
    page = client.get(f"/posts/{edited.id}/revisions").get_data(as_text=True)
    assert "An earlier version was erased" in page and "Braga" not in page
    assert dbscan.find_values(["Braga", "Almeida"]) == []
    history = privacy.export_account(member)["post_history"]
    assert history == [{"post_id": edited.id, "version": 1, "written_at": history[0]["written_at"],
                        "erased_at": revision.erased_at.isoformat()}]


def test_the_title_and_note_of_an_erased_version_go_too(make_topic, member, moderator):
    topic = make_topic(author=member, title="Botox in Braga hospital", body="First words")
    first = db.session.scalar(select(Post).where(Post.topic_id == topic.id))
    posting.edit_post(first, member, "Second words", title="Botox at my hospital")
    db.session.commit()
    revision = posting.erase_revision(first, 1, member)
    db.session.commit()
    assert (revision.title, revision.note, revision.body) == (None, None, "")
    assert dbscan.find_values(["Braga", "First words"]) == []


def test_staff_erasing_a_version_write_an_audit_row(client, login, edited, moderator):
    login(moderator)
    response = client.post(f"/posts/{edited.id}/revisions/1/erase", data={"reason": "At the member's request"})
    assert response.status_code == 302
    assert _revision(edited).erased_at is not None
    action = db.session.scalar(select(ModerationAction))
    assert (action.action, action.actor_id, action.target_id, action.subject_user_id, action.reason) == (
        "post.erase_revision", moderator.id, edited.id, edited.author_id, "At the member's request")
    assert action.after == {"revision": 1}


def test_others_cannot_erase_and_bad_requests_change_nothing(client, login, edited, member, other_member, make_user):
    login(other_member)
    assert client.post(f"/posts/{edited.id}/revisions/1/erase").status_code == 403
    assert _revision(edited).erased_at is None
    login(make_user(role=Role.MODERATOR))
    response = client.post(f"/posts/{edited.id}/revisions/1/erase", data={"reason": "x" * 501})
    assert response.status_code == 422 and "at most 500 characters" in response.get_data(as_text=True)
    assert _revision(edited).erased_at is None and db.session.scalar(select(ModerationAction)) is None
    login(member)
    assert client.post(f"/posts/{edited.id}/revisions/7/erase").status_code == 404
    assert client.post(f"/posts/{edited.id}/revisions/1/erase").status_code == 302
    assert client.post(f"/posts/{edited.id}/revisions/1/erase").status_code == 409


def test_erasing_is_rate_limited_with_posting(client, login, make_topic, member, rate_limits_enabled, app, monkeypatch):
    monkeypatch.setitem(app.config, "RATE_LIMITS", {**app.config.get("RATE_LIMITS", {}), "posting": "1 per minute"})
    rate_limits_enabled.reset()
    topic = make_topic()
    post = posting.reply_to_topic(topic, member, "One")
    for body in ("Two", "Three"):
        posting.edit_post(post, member, body)
    db.session.commit()
    login(member)
    assert client.post(f"/posts/{post.id}/revisions/1/erase").status_code == 302
    assert client.post(f"/posts/{post.id}/revisions/2/erase").status_code == 429


def test_the_history_page_with_its_erase_forms_is_semantic(client, login, edited, member, moderator):
    posting.edit_post(edited, member, "A third version.")
    db.session.commit()
    for reader in (member, moderator):
        login(reader)
        html = client.get(f"/posts/{edited.id}/revisions").get_data(as_text=True)
        assert html.count("Erase version") == 2
        assert ('for="reason-1"' in html) is (reader is moderator)
        assert_semantic(html)
    response = client.post(f"/posts/{edited.id}/revisions/2/erase", data={"reason": "y" * 600})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'aria-describedby="reason-2-error"' in html
    assert_semantic(html)
