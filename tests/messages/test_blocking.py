"""Blocking: no messages either way, no notifications from the blocked member, their posts folded away."""
from __future__ import annotations

from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Notification, User
from forum.models.messages import Conversation, MemberBlock, Message
from forum.services import messages, privacy


def counts(user):
    row = db.session.execute(select(User.blocking_count, User.blocked_by_count).where(User.id == user.id)).one()
    return tuple(row)


def test_blocking_from_the_profile_and_unblocking(client, login, member, other_member):
    login(member)
    page = client.get(f"/users/{other_member.username}").get_data(as_text=True)
    assert f"Block {other_member.username}" in page
    assert client.post(f"/members/{other_member.username}/block").status_code == 302
    assert client.post(f"/members/{other_member.username}/block").status_code == 302  # twice is once
    assert counts(member) == (1, 0) and counts(other_member) == (0, 1)
    page = client.get(f"/users/{other_member.username}").get_data(as_text=True)
    assert f"Unblock {other_member.username}" in page and "Send" not in page.split("profile-actions")[1][:200]
    assert other_member.username in client.get("/blocked").get_data(as_text=True)
    assert client.post(f"/members/{other_member.username}/unblock", data={"next": "blocked"}).headers["Location"] == "/blocked"
    assert counts(member) == (0, 0) and counts(other_member) == (0, 0)
    assert db.session.scalar(select(func.count()).select_from(MemberBlock)) == 0


def test_staff_and_oneself_cannot_be_blocked(client, login, member, moderator):
    login(member)
    assert client.post(f"/members/{moderator.username}/block").status_code == 403
    assert client.post(f"/members/{member.username}/block").status_code == 422
    assert client.post("/members/nobody_at_all/block").status_code == 404
    assert f"Block {moderator.username}" not in client.get(f"/users/{moderator.username}").get_data(as_text=True)


def test_no_messages_pass_either_way(client, login, member, other_member, make_user):
    third = make_user()
    login(member)
    client.post("/messages/new", data={"recipients": f"{other_member.username}, {third.username}", "title": "Three of us", "body": "Hi"})
    conversation = db.session.scalar(select(Conversation))
    client.post(f"/members/{other_member.username}/block")
    response = client.post("/messages/new", data={"recipients": other_member.username, "title": "A new one", "body": "Hi"})
    assert response.status_code == 403 and "You blocked" in response.get_data(as_text=True)
    response = client.post(f"/messages/{conversation.id}", data={"body": "Hello all"})
    assert response.status_code == 403 and "You blocked" in response.get_data(as_text=True)
    login(other_member)
    response = client.post("/messages/new", data={"recipients": member.username, "title": "Why not", "body": "Hi"})
    assert response.status_code == 403 and "is not accepting messages from you" in response.get_data(as_text=True)
    response = client.post(f"/messages/{conversation.id}", data={"body": "Hello all"})
    assert response.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Message)) == 1
    # Someone who blocked no one writes as before.
    login(third)
    assert client.post(f"/messages/{conversation.id}", data={"body": "Hello from me"}).status_code == 302


def test_the_blocker_hears_nothing_from_the_blocked_member(client, login, member, other_member, make_topic):
    topic = make_topic(author=member, title="Evenings are the hardest")
    login(member)
    client.post(f"/members/{other_member.username}/block")
    login(other_member)
    before = db.session.scalar(select(func.count()).select_from(Notification).where(Notification.user_id == member.id))
    client.post(f"/topics/{topic.id}/reply", data={"body": f"@{member.username} same here"})
    client.post(f"/topics/{topic.id}/reply", data={"body": "Another reply to your topic"})
    after = db.session.scalar(select(func.count()).select_from(Notification).where(Notification.user_id == member.id))
    assert after == before


def test_posts_of_blocked_members_are_folded_away_for_the_blocker_only(client, login, member, other_member, make_user, make_topic, make_post):
    topic = make_topic(author=make_user(), title="Tips for bright light")
    make_post(topic, author=other_member, body="Tinted lenses helped me a lot")
    login(member)
    client.post(f"/members/{other_member.username}/block")
    page = client.get(f"/topics/{topic.id}?page=1").get_data(as_text=True)
    assert "<summary>Post by a member you blocked" in page and "Tinted lenses helped me a lot" in page
    login(make_user())
    page = client.get(f"/topics/{topic.id}?page=1").get_data(as_text=True)
    assert "member you blocked" not in page and "Tinted lenses helped me a lot" in page


def test_topic_pages_cost_no_more_for_members_who_block_no_one(client, login, count_queries, member, other_member, make_topic):
    topic = make_topic(author=other_member)
    login(member)
    client.get(f"/topics/{topic.id}?page=1")
    with count_queries() as plain:
        client.get(f"/topics/{topic.id}?page=1")
    client.post(f"/members/{other_member.username}/block")
    with count_queries() as blocking:
        client.get(f"/topics/{topic.id}?page=1")
    assert blocking.count == plain.count + 1


def test_deleting_an_account_moves_the_block_counts(client, login, member, other_member):
    login(member)
    client.post(f"/members/{other_member.username}/block")
    privacy.delete_account(db.session.get(User, member.id), keep_posts=True)
    db.session.commit()
    assert counts(other_member) == (0, 0)
    assert db.session.scalar(select(func.count()).select_from(MemberBlock)) == 0


def test_export_lists_the_members_one_blocked(client, login, member, other_member):
    login(member)
    client.post(f"/members/{other_member.username}/block")
    data = privacy.export_account(db.session.get(User, member.id))
    assert data["private_messages"]["blocked_members"][0]["username"] == other_member.username
    theirs = privacy.export_account(db.session.get(User, other_member.id))
    assert theirs["private_messages"]["blocked_members"] == []
    assert "member_block" not in str(theirs["other"])


def test_blocked_ids_costs_nothing_without_blocks(app, member, count_queries):
    with count_queries() as counter:
        assert messages.blocked_ids(member) == set()
        assert messages.blockers_of(member, {1, 2}) == set()
    assert counter.count == 0
