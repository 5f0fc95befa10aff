"""Every moderator action, for every role; what authors and reporters are told; the audit log."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.errors import NotAllowed
from forum.extensions import db
from forum.models import (
    Board,
    ContentStatus,
    MemberWarning,
    Post,
    Report,
    ReportStatus,
    ReviewEntry,
    ReviewStatus,
    Role,
    StaffNote,
    Topic,
    User,
    utcnow,
)
from forum.services import moderation, posting
from tests.moderation.conftest import actions, count, notifications_for

ROLES = ["member", "expert", "moderator", "admin"]
STAFF = {"moderator", "admin"}


@pytest.fixture
def held(topic, reply, make_user, holds):
    newcomer = make_user(username="new_nia")
    post = posting.reply_to_topic(topic, newcomer, "My first reply here.")
    db.session.commit()
    assert post.status is ContentStatus.HELD
    return post


@pytest.fixture
def other_board(make_board):
    return make_board(slug="treatments", name="Treatments")


def _prepare(action, reply, topic, held, moderator2):
    """Bring the item into the state the action needs; returns (post, form data)."""
    post = reply
    data = {f"{action}-reason": "Breaks the rules on medical claims"}
    if action == "dismiss":
        moderation.file_report(moderator2, "post", reply.id, "spam")
    elif action == "restore":
        moderation.hide_post(reply, moderator2, "Temporarily hidden")
    elif action in ("approve", "reject"):
        post = held
    elif action == "unlock":
        moderation.lock_topic(topic, moderator2)
    elif action == "unpin":
        moderation.pin_topic(topic, moderator2)
    db.session.commit()
    return post, data


POST_EXPECT = {
    "dismiss": lambda post, topic: db.session.scalar(
        select(ReviewEntry.status).where(ReviewEntry.target_id == post.id)) is ReviewStatus.DISMISSED,
    "hide": lambda post, topic: post.status is ContentStatus.HIDDEN and post.moderation_note == "Breaks the rules on medical claims",
    "restore": lambda post, topic: post.status is ContentStatus.PUBLISHED,
    "delete": lambda post, topic: post.status is ContentStatus.DELETED,
    "approve": lambda post, topic: post.status is ContentStatus.PUBLISHED,
    "reject": lambda post, topic: post.status is ContentStatus.DELETED and post.moderation_note == "Breaks the rules on medical claims",
    "lock": lambda post, topic: topic.locked_at is not None,
    "unlock": lambda post, topic: topic.locked_at is None,
    "pin": lambda post, topic: topic.pinned,
    "unpin": lambda post, topic: not topic.pinned,
    "move": lambda post, topic: topic.board_id != post.topic.board_id or True,
}
LOGGED = {
    "dismiss": "entry.dismiss", "hide": "post.hide", "restore": "post.restore", "delete": "post.delete",
    "approve": "post.approve", "reject": "post.reject", "lock": "topic.lock", "unlock": "topic.unlock",
    "pin": "topic.pin", "unpin": "topic.unpin", "move": "topic.move",
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(LOGGED))
def test_post_and_topic_actions_for_every_role(client, login, users_by_role, moderator2, reply, topic, held, other_board, action, role):
    post, data = _prepare(action, reply, topic, held, moderator2)
    if action == "move":
        data["move-board"] = str(other_board.id)
    if action == "dismiss":
        data["dismiss-entry_id"] = str(db.session.scalar(select(ReviewEntry.id).where(ReviewEntry.target_id == post.id)))
    before_status, before_log = post.status, len(actions(LOGGED[action]))
    user = login(users_by_role(role))
    response = client.post(f"/mod/posts/{post.id}/{action}", data=data)
    db.session.expire_all()
    post, topic = db.session.get(Post, post.id), db.session.get(Topic, topic.id)
    if role not in STAFF:
        assert response.status_code == 403
        assert post.status is before_status
        assert len(actions(LOGGED[action])) == before_log
        return
    assert response.status_code == 302, response.data.decode()[:3000]
    rows = actions(LOGGED[action])
    assert len(rows) == before_log + 1 and rows[-1].actor_id == user.id
    if action == "move":
        assert topic.board_id == other_board.id
    else:
        assert POST_EXPECT[action](post, topic)


MEMBER_ACTIONS = {
    "warn": ({"member_warn-reason": "Please be kind to others"}, lambda m: m.unacknowledged_warnings == 1),
    "suspend": ({"member_suspend-days": "7", "member_suspend-reason": "Repeated insults"}, lambda m: m.is_suspended),
    "ban": ({"member_ban-reason": "Spam account"}, lambda m: m.is_banned),
    "lift": ({"member_lift-reason": "Served"}, lambda m: not m.is_suspended and not m.is_banned),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(MEMBER_ACTIONS))
def test_member_sanctions_for_every_role(client, login, users_by_role, moderator2, author, action, role):
    if action == "lift":
        moderation.suspend_member(author, moderator2, 3, "Cooling off")
        db.session.commit()
    data, expect = MEMBER_ACTIONS[action]
    user = login(users_by_role(role))
    response = client.post(f"/mod/users/{author.username}/{action}", data=data)
    db.session.expire_all()
    member = db.session.get(User, author.id)
    if role not in STAFF:
        assert response.status_code == 403
        assert not actions(f"user.{action}")
        return
    assert response.status_code == 302, response.data.decode()[:3000]
    assert expect(member)
    assert [a.actor_id for a in actions(f"user.{action}")] == [user.id]


@pytest.mark.parametrize("role", ROLES)
def test_staff_notes_for_every_role(client, login, users_by_role, author, role):
    login(users_by_role(role))
    response = client.post(f"/mod/users/{author.username}/note", data={"note-body": "Struggling lately; be gentle."})
    if role not in STAFF:
        assert response.status_code == 403 and count(StaffNote) == 0
        return
    assert response.status_code == 302
    page = client.get(f"/mod/users/{author.username}").data
    assert b"Struggling lately; be gentle." in page
    # Never shown to members, not even on the profile.
    client.get("/")
    assert b"Struggling lately" not in client.get(f"/users/{author.username}").data


@pytest.mark.parametrize("role", ROLES)
def test_edit_with_a_note_for_every_role(client, login, users_by_role, reply, author, role):
    user = login(users_by_role(role))
    response = client.post(f"/mod/posts/{reply.id}/edit", data={"edit-body": "Edited by staff.", "edit-note": "Removed a phone number"})
    db.session.expire_all()
    post = db.session.get(Post, reply.id)
    if role not in STAFF:
        assert response.status_code == 403 and post.body == "A reply that someone may report."
        return
    assert response.status_code == 302
    assert post.body == "Edited by staff." and post.revision_count == 1
    assert [a.actor_id for a in actions("post.edit")] == [user.id]
    assert any("Removed a phone number" in n.text for n in notifications_for(author.id))
    assert b"Removed a phone number" in client.get(f"/posts/{post.id}/revisions").data


def test_edit_needs_a_note(client, login, moderator, reply):
    login(moderator)
    response = client.post(f"/mod/posts/{reply.id}/edit", data={"edit-body": "Changed", "edit-note": ""})
    assert response.status_code == 422
    assert b'id="edit-note-error"' in response.data


@pytest.mark.parametrize("action", ["hide", "delete", "reject"])
def test_reason_is_required_where_the_author_is_told(client, login, moderator, reply, held, action):
    post = held if action == "reject" else reply
    login(moderator)
    response = client.post(f"/mod/posts/{post.id}/{action}", data={f"{action}-reason": ""})
    assert response.status_code == 422
    assert f'id="{action}-reason-error"'.encode() in response.data
    db.session.expire_all()
    assert db.session.get(Post, post.id).status is post.status
    assert not actions()


def test_unknown_action_and_unknown_items(client, login, moderator, reply):
    login(moderator)
    assert client.post(f"/mod/posts/{reply.id}/explode").status_code == 404
    assert client.post("/mod/posts/99999/hide", data={"hide-reason": "x"}).status_code == 404
    assert client.get("/mod/entries/99999").status_code == 404
    assert client.get("/mod/users/nobody-here").status_code == 404
    assert client.post(f"/mod/posts/{reply.id}/dismiss", data={}).status_code == 404  # no entry to dismiss


def test_hide_tells_the_author_why_and_reporters_the_outcome(client, login, moderator, make_user, reply, author):
    reporters = [make_user(), make_user()]
    for r in reporters:
        moderation.file_report(r, "post", reply.id, "misinformation")
        db.session.commit()
    entry = db.session.scalar(select(ReviewEntry))
    login(moderator)
    response = client.post(f"/mod/posts/{reply.id}/hide", data={"hide-reason": "Unproven cure claim", "hide-entry_id": entry.id})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/mod/entries/{entry.id}")
    db.session.expire_all()
    assert db.session.get(ReviewEntry, entry.id).status is ReviewStatus.ACTIONED
    assert {r.status for r in db.session.scalars(select(Report))} == {ReportStatus.UPHELD}
    assert any("Unproven cure claim" in n.text for n in notifications_for(author.id))
    for r in reporters:
        assert any(n.kind == "report_outcome" and "took action" in n.text for n in notifications_for(r.id))
    row = actions("post.hide")[0]
    assert (row.reason, row.before, row.after, row.subject_user_id) == ("Unproven cure claim", {"status": "published"}, {"status": "hidden"}, author.id)
    login(reporters[0])
    assert b"A moderator took action" in client.get("/reports/mine").data


def test_dismiss_restores_what_reports_hid_and_tells_reporters(client, login, moderator, make_user, reply, threshold, board):
    threshold(2)
    reporters = [make_user(), make_user()]
    for r in reporters:
        moderation.file_report(r, "post", reply.id, "spam")
        db.session.commit()
    db.session.refresh(reply)
    assert reply.status is ContentStatus.HIDDEN
    entry = db.session.scalar(select(ReviewEntry))
    login(moderator)
    assert client.post(f"/mod/posts/{reply.id}/dismiss", data={"dismiss-entry_id": entry.id}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Post, reply.id).status is ContentStatus.PUBLISHED
    assert db.session.get(Board, board.id).post_count == 2
    for r in reporters:
        assert any("no rule was broken" in n.text for n in notifications_for(r.id))


def test_approve_and_reject_held_posts(client, login, moderator, held, topic, board):
    login(moderator)
    entry = db.session.scalar(select(ReviewEntry).where(ReviewEntry.target_id == held.id))
    assert client.post(f"/mod/posts/{held.id}/approve", data={"approve-entry_id": entry.id}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Post, held.id).status is ContentStatus.PUBLISHED
    assert db.session.get(Topic, topic.id).reply_count == 2  # the fixture reply and the approved one
    assert db.session.get(ReviewEntry, entry.id).status is ReviewStatus.APPROVED
    assert any("approved" in n.text for n in notifications_for(held.author_id))


def test_reject_tells_the_author_why(client, login, moderator, held):
    login(moderator)
    assert client.post(f"/mod/posts/{held.id}/reject", data={"reject-reason": "Advertising is not allowed"}).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(ReviewEntry.status).where(ReviewEntry.target_id == held.id)) is ReviewStatus.REJECTED
    assert any("Advertising is not allowed" in n.text for n in notifications_for(held.author_id))


def test_move_carries_the_counts(moderator, topic, reply, board, other_board):
    moderation.move_topic(topic, moderator, other_board, "Belongs in treatments")
    db.session.commit()
    db.session.expire_all()
    old, new = db.session.get(Board, board.id), db.session.get(Board, other_board.id)
    assert (old.topic_count, old.post_count, old.last_topic_id) == (0, 0, None)
    assert (new.topic_count, new.post_count, new.last_topic_id) == (1, 2, topic.id)
    with pytest.raises(moderation.InvalidInput):
        moderation.move_topic(db.session.get(Topic, topic.id), moderator, new)


def test_moderators_cannot_sanction_staff_admins_can(client, login, moderator, moderator2, admin, make_user):
    other_admin = make_user(username="admin_two", role=Role.ADMIN)
    login(moderator)
    for target in (moderator2, admin):
        response = client.post(f"/mod/users/{target.username}/suspend", data={"member_suspend-days": "1", "member_suspend-reason": "x"})
        assert response.status_code == 403
        assert b"cannot sanction other moderators" in response.data
    assert client.post(f"/mod/users/{moderator.username}/warn", data={"member_warn-reason": "x"}).status_code == 403
    login(admin)
    assert client.post(f"/mod/users/{moderator2.username}/suspend", data={"member_suspend-days": "1", "member_suspend-reason": "Abuse of tools"}).status_code == 302
    assert client.post(f"/mod/users/{other_admin.username}/warn", data={"member_warn-reason": "Careful"}).status_code == 302
    assert client.post(f"/mod/users/{admin.username}/ban", data={"member_ban-reason": "x"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(User, moderator2.id).is_suspended


def test_warning_must_be_acknowledged_before_posting(client, login, moderator, author, topic):
    moderation.warn_member(author, moderator, "Please keep to the topic.")
    db.session.commit()
    login(author)
    assert b"A warning needs your attention" in client.get("/").data
    refused = client.post(f"/topics/{topic.id}/reply", data={"body": "Hello again"})
    assert refused.status_code == 403 and b"acknowledge" in refused.data
    standing = client.get("/account/standing").data
    assert b"Please keep to the topic." in standing
    warning = db.session.scalar(select(MemberWarning))
    assert client.post(f"/warnings/{warning.id}/acknowledge").status_code == 302
    assert client.post(f"/warnings/{warning.id}/acknowledge").status_code == 404
    assert client.post(f"/topics/{topic.id}/reply", data={"body": "Hello again"}).status_code == 302


def test_suspended_member_sees_until_when_and_why(client, login, moderator, author):
    moderation.suspend_member(author, moderator, 3, "Repeated personal attacks")
    db.session.commit()
    login(author)
    home = client.get("/").data
    assert b"Suspended until" in home
    standing = client.get("/account/standing").data
    assert b"Repeated personal attacks" in standing and b"you can read the forum but not post" in standing


@pytest.mark.parametrize("sanction", ["suspend", "ban"])
def test_sanctioned_members_cannot_post_reply_edit_or_report(client, login, moderator, author, topic, reply, board, make_user, sanction):
    victim_post = posting.reply_to_topic(topic, make_user(), "Someone else's post")
    db.session.commit()
    if sanction == "suspend":
        moderation.suspend_member(author, moderator, 2, "Cooling-off period")
        expected = b"suspended until"
    else:
        moderation.ban_member(author, moderator, "Spam")
        expected = b"banned"
    db.session.commit()
    login(author)
    attempts = [
        client.post(f"/boards/{board.slug}/new", data={"title": "A new topic", "body": "Text"}),
        client.post(f"/topics/{topic.id}/reply", data={"body": "A reply"}),
        client.post(f"/posts/{reply.id}/edit", data={"body": "Changed"}),
        client.post(f"/report/post/{victim_post.id}", data={"reason": "spam"}),
    ]
    for response in attempts:
        assert response.status_code == 403
    assert expected in attempts[1].data and expected in attempts[3].data
    assert count(Report) == 0
    db.session.expire_all()
    assert db.session.get(Post, reply.id).body == "A reply that someone may report."


def test_lift_restores_posting(client, login, moderator, author, topic):
    moderation.ban_member(author, moderator, "Mistake")
    db.session.commit()
    moderation.lift_sanction(author, moderator, "Appeal accepted")
    db.session.commit()
    login(author)
    assert client.post(f"/topics/{topic.id}/reply", data={"body": "Back again"}).status_code == 302
    with pytest.raises(moderation.Conflict):
        moderation.lift_sanction(db.session.get(User, author.id), moderator)


def test_suspension_days_must_be_sensible(client, login, moderator, author):
    login(moderator)
    for days in ("0", "-3", "abc", "99999"):
        response = client.post(f"/mod/users/{author.username}/suspend", data={"member_suspend-days": days, "member_suspend-reason": "x"})
        assert response.status_code == 422, days
    db.session.expire_all()
    assert not db.session.get(User, author.id).is_suspended


def test_log_lists_and_filters_and_cannot_be_deleted(client, login, moderator, moderator2, author, reply, topic):
    moderation.hide_post(reply, moderator, "Off topic")
    moderation.lock_topic(topic, moderator2, "Heated")
    moderation.warn_member(author, moderator2, "Calm down")
    db.session.commit()
    login(moderator)
    page = client.get("/mod/log").data.decode()
    assert "<td>post.hide</td>" in page and "<td>topic.lock</td>" in page and "<td>user.warn</td>" in page
    by_mel = client.get("/mod/log?moderator=mod_mel").data.decode()
    assert "<td>topic.lock</td>" in by_mel and "<td>post.hide</td>" not in by_mel
    only_hide = client.get("/mod/log?action=post.hide").data.decode()
    assert "Off topic" in only_hide and "Calm down" not in only_hide
    about_author = client.get(f"/mod/log?member={author.username}").data.decode()
    assert "<td>user.warn</td>" in about_author and "<td>post.hide</td>" in about_author
    assert "<td>topic.lock</td>" in about_author  # the topic is the author's too
    assert client.get("/mod/log?moderator=nobody").status_code == 200
    assert client.get("/mod/log?before=abc").status_code == 400
    assert client.post("/mod/log").status_code == 405
    assert client.delete("/mod/log").status_code == 405


def test_conflicting_state_is_409_not_applied_twice(client, login, moderator, reply, board):
    login(moderator)
    assert client.post(f"/mod/posts/{reply.id}/hide", data={"hide-reason": "Rude"}).status_code == 302
    again = client.post(f"/mod/posts/{reply.id}/hide", data={"hide-reason": "Rude"})
    assert again.status_code == 409 and b"not published" in again.data
    db.session.expire_all()
    assert db.session.get(Board, board.id).post_count == 1
    assert len(actions("post.hide")) == 1


def test_entry_for_another_item_is_refused(client, login, moderator, make_user, make_post, topic, reply):
    other = make_post(topic=topic)
    moderation.file_report(make_user(), "post", other.id, "spam")
    db.session.commit()
    entry = db.session.scalar(select(ReviewEntry))
    login(moderator)
    response = client.post(f"/mod/posts/{reply.id}/hide", data={"hide-reason": "x", "hide-entry_id": entry.id})
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(Post, reply.id).status is ContentStatus.PUBLISHED


# --- an admin's posts: moderators may only hide them, for another admin to review --------------


@pytest.fixture
def admin_reply(make_user, make_post, topic):
    head = make_user(username="head_hal", role=Role.ADMIN)
    return make_post(topic=topic, author=head, body="A reply by an admin."), head


def test_a_moderator_hiding_an_admins_post_puts_it_before_another_admin(admin_reply, moderator, make_user):
    post, head = admin_reply
    other_admin = make_user(username="admin_ada", role=Role.ADMIN)
    moderation.hide_post(moderation._load_post(post.id), moderator, "Off topic")
    db.session.commit()
    assert db.session.get(Post, post.id).status is ContentStatus.HIDDEN
    entry = moderation.pending_entry(moderation.TargetType.POST, post.id)
    assert entry is not None and entry.subject_user_id == head.id
    report = db.session.scalar(select(Report).where(Report.entry_id == entry.id))
    assert report.reason == "admin_review" and report.reporter_id is None and "Off topic" in report.note
    assert [n.url for n in notifications_for(other_admin.id)] == [f"/mod/entries/{entry.id}"]
    assert not any(n.url.startswith("/mod/") for n in notifications_for(head.id))
    # The moderator cannot settle it; the admin who wrote it neither; another admin can.
    fresh = moderation._load_post(post.id)
    with pytest.raises(NotAllowed, match="only hide"):
        moderation.restore_post(fresh, moderator, entry=entry)
    with pytest.raises(NotAllowed, match="only hide"):
        moderation.dismiss(entry, moderator)
    with pytest.raises(NotAllowed, match="another admin"):
        moderation.restore_post(fresh, db.session.get(User, head.id), entry=entry)
    db.session.rollback()
    moderation.restore_post(moderation._load_post(post.id), other_admin, entry=moderation.load_entry(entry.id))
    db.session.commit()
    assert db.session.get(Post, post.id).status is ContentStatus.PUBLISHED
    assert db.session.get(ReviewEntry, entry.id).status is ReviewStatus.DISMISSED


@pytest.mark.parametrize("act", [
    lambda post, mod: moderation.delete_post(post, mod, "No"),
    lambda post, mod: moderation.edit_post(post, mod, "Changed", "No"),
    lambda post, mod: posting.edit_post(post, mod, "Changed"),
    lambda post, mod: posting.delete_post(post, mod),
], ids=["delete", "edit", "edit-as-author-would", "delete-as-author-would"])
def test_moderators_cannot_edit_or_delete_an_admins_post(admin_reply, moderator, act):
    post, _ = admin_reply
    with pytest.raises(NotAllowed):
        act(moderation._load_post(post.id), moderator)
    db.session.rollback()
    fresh = db.session.get(Post, post.id)
    assert fresh.status is ContentStatus.PUBLISHED and fresh.body == "A reply by an admin."
    assert actions() == []


def test_admins_edit_and_delete_another_admins_post(admin_reply, admin):
    post, _ = admin_reply
    moderation.edit_post(moderation._load_post(post.id), admin, "Tidied by an admin", "Typo")
    moderation.delete_post(moderation._load_post(post.id), admin, "Duplicate")
    db.session.commit()
    assert db.session.get(Post, post.id).status is ContentStatus.DELETED
    assert [a.action for a in actions()] == ["post.edit", "post.delete"]

