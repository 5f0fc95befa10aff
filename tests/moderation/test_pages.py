"""Moderation pages are semantic: one h1, landmarks, labelled controls, errors tied to fields, no inline style."""
from __future__ import annotations

from sqlalchemy import select

from forum.extensions import db
from forum.models import MemberWarning, ReviewEntry
from forum.services import moderation
from tests.test_html import assert_semantic, parse


def _no_inline(html: str) -> None:
    page = parse(html)
    assert all(attrs.get("src") for attrs in page.all("script"))
    assert not page.all("style") and not [t for t, attrs in page.tags if "style" in attrs]


def test_staff_pages_are_semantic(client, login, admin, make_user, reply, author):
    moderation.file_report(make_user(), "post", reply.id, "at_risk", "Worrying words")
    moderation.file_report(make_user(), "user", author.id, "harassment")
    moderation.add_staff_note(author, admin, "Known to the team")
    db.session.commit()
    entries = list(db.session.scalars(select(ReviewEntry.id)))
    login(admin)
    paths = ["/mod", "/mod?status=all", "/mod/log", "/mod/watched-words", f"/mod/users/{author.username}",
             f"/mod/posts/{reply.id}/edit"] + [f"/mod/entries/{e}" for e in entries]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert_semantic(html)
        _no_inline(html)


def test_member_pages_are_semantic(client, login, member, moderator, reply):
    login(member)
    for path in (f"/report/post/{reply.id}", "/reports/mine", "/account/standing"):
        if path == "/account/standing":
            moderation.warn_member(member, moderator, "Be kind")
            db.session.commit()
        response = client.get(path)
        assert response.status_code == 200, path
        assert_semantic(response.get_data(as_text=True))
        _no_inline(response.get_data(as_text=True))


def test_action_errors_are_tied_to_their_fields(client, login, moderator, reply):
    login(moderator)
    html = client.post(f"/mod/posts/{reply.id}/hide", data={"hide-reason": ""}).get_data(as_text=True)
    textarea = next(a for a in parse(html).all("textarea") if a.get("name") == "hide-reason")
    assert textarea.get("aria-invalid") == "true" and "hide-reason-error" in textarea.get("aria-describedby", "")
    assert_semantic(html)


def test_report_errors_are_tied_to_the_reason_group(client, login, member, reply):
    login(member)
    html = client.post(f"/report/post/{reply.id}", data={"reason": "bogus"}).get_data(as_text=True)
    fieldset = parse(html).all("fieldset")[0]
    assert "reason-error" in fieldset.get("aria-describedby", "")
    assert 'id="reason-error"' in html
    assert_semantic(html)


def test_every_post_form_carries_a_csrf_token(app, client, login, admin, make_user, reply, author, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    moderation.file_report(make_user(), "post", reply.id, "spam")
    moderation.warn_member(author, admin, "Be kind")
    db.session.commit()
    entry = db.session.scalar(select(ReviewEntry.id))
    login(admin)
    for path in (f"/mod/entries/{entry}", f"/mod/users/{author.username}", "/mod/watched-words"):
        html = client.get(path).get_data(as_text=True)
        page = parse(html)
        forms = [a for a in page.all("form") if a.get("method") == "post"]
        assert forms, path
        assert html.count("csrf_token") >= len(forms), path
    login(author)
    html = client.get("/account/standing").get_data(as_text=True)
    assert "csrf_token" in html
    assert db.session.scalar(select(MemberWarning.id)) is not None


def test_a_moderator_is_offered_only_hiding_on_an_admins_post(client, login, moderator, admin, make_post, topic, make_user):
    post = make_post(topic=topic, author=make_user(role=moderation.Role.ADMIN), body="An admin's reply")
    login(moderator)
    page = client.get(f"/mod/posts/{post.id}").get_data(as_text=True)
    assert f"/mod/posts/{post.id}/hide" in page
    assert f"/mod/posts/{post.id}/delete" not in page and f"/mod/posts/{post.id}/edit" not in page
    assert "moderators may only hide it" in page
    login(admin)
    page = client.get(f"/mod/posts/{post.id}").get_data(as_text=True)
    assert f"/mod/posts/{post.id}/delete" in page and f"/mod/posts/{post.id}/edit" in page
