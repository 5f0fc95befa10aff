"""Private messages: conversations, unread counts, notifications, new members, reports and moderators' access."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import ModerationAction, Notification, Report, ReviewEntry, ReviewStatus, TargetType, User, utcnow
from forum.models.messages import Conversation, ConversationMember, Message
from forum.services import messages, privacy


def start(client, to, title="Coping with the evenings", body="Hello, how are your evenings?"):
    return client.post("/messages/new", data={"recipients": to, "title": title, "body": body})


def unread(user) -> int:
    return db.session.scalar(select(User.unread_conversations).where(User.id == user.id))


def only_conversation() -> Conversation:
    return db.session.scalar(select(Conversation))


def test_a_conversation_reaches_its_members_only(client, login, member, other_member, make_user):
    outsider = make_user()
    third = make_user()
    login(member)
    response = start(client, f"{other_member.username}, @{third.username}")
    assert response.status_code == 302
    conversation = only_conversation()
    assert response.headers["Location"].startswith(f"/messages/{conversation.id}#message-")
    assert {m.user_id for m in db.session.scalars(select(ConversationMember))} == {member.id, other_member.id, third.id}
    assert unread(other_member) == 1 and unread(third) == 1 and unread(member) == 0
    note = db.session.scalar(select(Notification).where(Notification.user_id == other_member.id))
    assert note.kind == "message" and note.url.startswith(f"/messages/{conversation.id}") and "evenings" not in note.text

    login(other_member)
    page = client.get("/messages").get_data(as_text=True)
    assert "Coping with the evenings" in page and 'class="badge badge-count">1' in page
    page = client.get(f"/messages/{conversation.id}").get_data(as_text=True)
    assert "how are your evenings?" in page
    assert unread(other_member) == 0
    assert db.session.get(Notification, note.id).read_at is not None  # the bell's line is read too
    assert client.post(f"/messages/{conversation.id}", data={"body": "Better with **tea**."}).status_code == 302
    assert unread(member) == 1 and unread(third) == 1  # third has still not read the first: still one conversation

    login(outsider)
    assert client.get(f"/messages/{conversation.id}").status_code == 404
    assert client.post(f"/messages/{conversation.id}", data={"body": "Let me in"}).status_code == 404
    first = db.session.scalar(select(Message.id).order_by(Message.id))
    assert client.get(f"/messages/report/{first}").status_code == 404
    assert "Coping with the evenings" not in client.get("/messages").get_data(as_text=True)


def test_the_header_shows_unread_conversations(client, login, member, other_member):
    login(member)
    start(client, other_member.username)
    login(other_member)
    home = client.get("/").get_data(as_text=True)
    assert 'Messages <span class="badge badge-count">1<span class="visually-hidden"> unread</span>' in home


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url in ("/messages", "/messages/new", "/messages/1", "/blocked", "/messages/report/1"):
        response = client.get(url)
        assert response.status_code == 302 and "/signin" in response.headers["Location"], url


@pytest.mark.parametrize("data, problem", [
    ({"recipients": ""}, "name at least one member"),
    ({"recipients": "nobody_here"}, "no member called"),
    ({"recipients": "bad name!"}, "is not a member name"),
    ({"recipients": "x" * 401}, "at most 400"),
    ({"title": ""}, "subject"),
    ({"title": "t" * 151}, "between 5 and 150"),
    ({"body": ""}, "cannot be empty"),
    ({"body": "b" * 20_001}, "at most 20,000"),
    ({"body": "nul \x00 here"}, "NUL"),
])
def test_bad_input_is_refused_with_a_clear_message(client, login, member, other_member, data, problem):
    login(member)
    form = {"recipients": other_member.username, "title": "A fine subject", "body": "Hello"}
    form.update(data)
    response = client.post("/messages/new", data=form)
    assert response.status_code == 422
    assert problem in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Conversation)) == 0


def test_writing_to_oneself_or_too_many_members_is_refused(client, login, app, member, make_user):
    login(member)
    response = start(client, member.username)
    assert response.status_code == 422 and "name only the other members" in response.get_data(as_text=True)
    others = [make_user().username for _ in range(app.config["MESSAGES_MAX_MEMBERS"])]
    response = start(client, ", ".join(others))
    assert response.status_code == 422 and "at most 10 members" in response.get_data(as_text=True)
    assert start(client, ", ".join(others[:9])).status_code == 302


def test_a_banned_member_cannot_be_written_to(client, login, member, other_member):
    other_member.banned_at = utcnow()
    db.session.commit()
    login(member)
    response = start(client, other_member.username)
    assert response.status_code == 422 and "cannot receive messages" in response.get_data(as_text=True)


def test_new_members_cannot_start_conversations_but_can_answer(client, login, app, member, other_member, moderator):
    app.config.update(MESSAGES_NEW_MEMBER_DAYS=2, MESSAGES_NEW_MEMBER_POSTS=1)
    try:
        login(member)
        page = client.get("/messages/new").get_data(as_text=True)
        assert "New members can start private conversations once they have been a member for 2 days" in page
        response = start(client, other_member.username)
        assert response.status_code == 403
        assert db.session.scalar(select(func.count()).select_from(Conversation)) == 0
        login(moderator)  # staff are never new
        assert start(client, member.username, title="Welcome to the forum").status_code == 302
        login(member)
        conversation = only_conversation()
        assert client.post(f"/messages/{conversation.id}", data={"body": "Thank you!"}).status_code == 302
        member = db.session.get(User, member.id)
        member.created_at = utcnow() - timedelta(days=3)
        member.post_count = 1
        db.session.commit()
        assert start(client, other_member.username).status_code == 302
    finally:
        app.config.update(MESSAGES_NEW_MEMBER_DAYS=0, MESSAGES_NEW_MEMBER_POSTS=0)


def test_a_suspended_member_cannot_write(client, login, member, other_member):
    login(member)
    start(client, other_member.username)
    conversation = only_conversation()
    other_member.suspended_until = utcnow() + timedelta(days=1)
    db.session.commit()
    login(other_member)
    assert client.get(f"/messages/{conversation.id}").status_code == 200  # still reads
    response = client.post(f"/messages/{conversation.id}", data={"body": "Hello"})
    assert response.status_code == 403 and "suspended" in response.get_data(as_text=True)


def test_leaving_a_conversation(client, login, member, other_member):
    login(member)
    start(client, other_member.username)
    conversation = only_conversation()
    login(other_member)
    assert unread(other_member) == 1
    assert client.post(f"/messages/{conversation.id}/leave").status_code == 302
    assert unread(other_member) == 0
    assert client.get(f"/messages/{conversation.id}").status_code == 404
    login(member)
    response = client.post(f"/messages/{conversation.id}", data={"body": "Are you there?"})
    assert response.status_code == 422 and "Everyone else has left" in response.get_data(as_text=True)


def test_images_in_messages_are_the_forums_own_only(client, login, member, other_member):
    login(member)
    start(client, other_member.username, body="![my eyelid](/uploads/abcDEF123.jpg) and ![x](https://evil.example/t.png)")
    html = db.session.scalar(select(Message.body_html))
    assert '<img src="/uploads/abcDEF123.jpg" alt="my eyelid"' in html and "evil.example" not in html


def test_messages_are_sanitized(client, login, member, other_member):
    login(member)
    start(client, other_member.username, body='<script>alert(1)</script><a href="javascript:alert(1)">x</a>')
    html = db.session.scalar(select(Message.body_html))
    assert "<script>" not in html and '<a href="javascript' not in html and "&lt;script&gt;" in html


def test_crisis_language_is_delivered_and_raised_to_moderators(client, login, member, other_member):
    login(member)
    start(client, other_member.username, body="Some days I want to end my life.")
    message = db.session.scalar(select(Message))
    report = db.session.scalar(select(Report).where(Report.target_type == TargetType.MESSAGE))
    assert report.target_id == message.id and report.reason == "at_risk" and report.reporter_id is None
    page = client.get(f"/messages/{message.conversation_id}").get_data(as_text=True)
    assert "end my life" in page
    assert "crisis" in page.lower() or "support" in page.lower()


def test_a_watched_word_that_blocks_refuses_the_message(client, login, member, other_member, admin):
    from forum.services import moderation

    moderation.add_watched_word(admin, "miraclecure", "block")
    db.session.commit()
    login(member)
    response = start(client, other_member.username, body="Buy miraclecure now")
    assert response.status_code == 422 and "miraclecure" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Message)) == 0


def test_messaging_is_rate_limited(client, login, member, other_member, rate_limits_enabled):
    login(member)
    start(client, other_member.username)
    conversation = only_conversation()
    statuses = [client.post(f"/messages/{conversation.id}", data={"body": f"Message {n}"}).status_code for n in range(6)]
    assert statuses[:5] == [302] * 5 and statuses[5] == 429
    assert db.session.scalar(select(func.count()).select_from(Message)) == 6


# --- reports and moderators ----------------------------------------------------------------------


def test_a_reported_message_reaches_the_queue_and_access_is_logged(client, login, member, other_member, moderator):
    login(member)
    start(client, other_member.username, body="You are pathetic.")
    message = db.session.scalar(select(Message))
    login(moderator)
    # Not reported: moderators cannot see it, nor the conversation.
    assert client.get(f"/mod/messages/{message.id}").status_code == 404
    assert client.post(f"/mod/messages/{message.id}/conversation").status_code == 404
    login(member)
    assert client.get(f"/messages/report/{message.id}").status_code == 403  # one's own message
    login(other_member)
    assert client.get(f"/messages/report/{message.id}").status_code == 200
    assert client.post(f"/messages/report/{message.id}", data={"reason": "harassment"}).status_code == 302
    response = client.post(f"/messages/report/{message.id}", data={"reason": "harassment"})
    assert response.status_code == 409
    entry = db.session.scalar(select(ReviewEntry))
    assert entry.target_type is TargetType.MESSAGE and entry.subject_user_id == member.id

    login(moderator)
    assert "A private message" in client.get("/mod").get_data(as_text=True)
    response = client.get(f"/mod/entries/{entry.id}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/mod/messages/{message.id}")
    page = client.get(f"/mod/messages/{message.id}").get_data(as_text=True)
    assert "You are pathetic." in page and "written to the moderation log" in page
    assert db.session.scalar(select(func.count()).select_from(ModerationAction)) == 0
    page = client.post(f"/mod/messages/{message.id}/conversation").get_data(as_text=True)
    assert "Your access is written to the moderation log" in page and "You are pathetic." in page
    log = db.session.scalar(select(ModerationAction).where(ModerationAction.action == "conversation.view"))
    assert log.actor_id == moderator.id and log.target_id == message.conversation_id
    assert "conversation.view" in client.get("/mod/log").get_data(as_text=True)

    assert client.post(f"/mod/messages/{message.id}/hide", data={"entry_id": entry.id, "reason": ""}).status_code == 422
    response = client.post(f"/mod/messages/{message.id}/hide", data={"entry_id": entry.id, "reason": "Insults"})
    assert response.status_code == 302
    assert db.session.get(ReviewEntry, entry.id).status is ReviewStatus.ACTIONED
    assert client.post(f"/mod/messages/{message.id}/hide", data={"entry_id": entry.id, "reason": "Again"}).status_code == 409
    assert client.post(f"/mod/messages/{message.id}/bogus", data={}).status_code == 404
    login(other_member)
    page = client.get(f"/messages/{message.conversation_id}").get_data(as_text=True)
    assert "You are pathetic." not in page and "hidden by a moderator" in page
    login(member)
    page = client.get(f"/messages/{message.conversation_id}").get_data(as_text=True)
    assert "You are pathetic." in page and "Insults" in page
    assert "hid one of your private messages" in db.session.scalar(
        select(Notification.text).where(Notification.user_id == member.id, Notification.kind == "moderation"))
    login(moderator)
    assert client.post(f"/mod/messages/{message.id}/restore", data={}).status_code == 302
    assert db.session.get(Message, message.id).status.value == "published"


def test_members_cannot_use_the_moderators_pages(client, login, member, other_member):
    login(member)
    start(client, other_member.username)
    message = db.session.scalar(select(Message))
    login(other_member)
    client.post(f"/messages/report/{message.id}", data={"reason": "spam"})
    for url in (f"/mod/messages/{message.id}",):
        assert client.get(url).status_code == 403
    assert client.post(f"/mod/messages/{message.id}/conversation").status_code == 403
    assert client.post(f"/mod/messages/{message.id}/hide", data={"reason": "x"}).status_code == 403


def test_dismissing_reports_on_a_message(client, login, member, other_member, moderator):
    login(member)
    start(client, other_member.username)
    message = db.session.scalar(select(Message))
    login(other_member)
    client.post(f"/messages/report/{message.id}", data={"reason": "other", "note": "Not sure"})
    entry = db.session.scalar(select(ReviewEntry))
    login(moderator)
    assert client.post(f"/mod/messages/{message.id}/dismiss", data={"entry_id": entry.id}).status_code == 302
    assert db.session.get(ReviewEntry, entry.id).status is ReviewStatus.DISMISSED
    assert client.post(f"/mod/messages/{message.id}/dismiss", data={"entry_id": "abc"}).status_code == 400


# --- privacy -------------------------------------------------------------------------------------


def test_export_lists_conversations_and_messages_written(client, login, member, other_member):
    login(member)
    start(client, other_member.username, body="Only for you")
    data = privacy.export_account(db.session.get(User, member.id))
    section = data["private_messages"]
    assert section["conversations"][0]["title"] == "Coping with the evenings"
    assert section["messages_written"][0]["body"] == "Only for you"
    theirs = privacy.export_account(db.session.get(User, other_member.id))["private_messages"]
    assert theirs["messages_written"] == [] and len(theirs["conversations"]) == 1


def test_deleting_an_account_erases_its_messages(client, login, member, other_member):
    login(member)
    start(client, other_member.username, body="Something personal")
    conversation = only_conversation()
    privacy.delete_account(db.session.get(User, member.id), keep_posts=False)
    db.session.commit()
    message = db.session.scalar(select(Message))
    assert message.body == "" and message.author_id is None and message.status.value == "deleted"
    login(other_member)
    page = client.get(f"/messages/{conversation.id}").get_data(as_text=True)
    assert "Something personal" not in page and "removed when its author left" in page


# --- cost ----------------------------------------------------------------------------------------


def _queries(client, count_queries, url) -> int:
    with count_queries() as counter:
        assert client.get(url).status_code == 200
    return counter.count


def test_inbox_and_conversation_cost_the_same_whatever_their_size(client, login, count_queries, member, make_user):
    login(member)
    friends = [make_user() for _ in range(3)]
    start(client, friends[0].username)
    conversation = only_conversation()
    client.get(f"/messages/{conversation.id}")
    small = (_queries(client, count_queries, "/messages"), _queries(client, count_queries, f"/messages/{conversation.id}"))
    for n in range(12):
        start(client, ", ".join(f.username for f in friends), title=f"Conversation number {n}")
    for n in range(60):
        messages.send_message(db.session.get(User, member.id), conversation,
                              db.session.get(ConversationMember, (conversation.id, member.id)), f"Message {n}")
    db.session.commit()
    client.get(f"/messages/{conversation.id}")
    large = (_queries(client, count_queries, "/messages"), _queries(client, count_queries, f"/messages/{conversation.id}"))
    assert large == small
    page = client.get(f"/messages/{conversation.id}").get_data(as_text=True)
    assert "Message 59" in page and "Older messages" in page
    older = client.get(f"/messages/{conversation.id}?before=999999999").status_code
    assert older == 200
    assert client.get(f"/messages/{conversation.id}?before=abc").status_code == 400
    assert client.get("/messages?before=abc").status_code == 400


def test_unknown_ids_answer_404(client, login, member, moderator):
    login(member)
    assert client.get("/messages/99999").status_code == 404
    assert client.post("/messages/99999", data={"body": "Hello"}).status_code == 404
    assert client.post("/messages/99999/leave").status_code == 404
    assert client.get("/messages/report/99999").status_code == 404
    assert client.post("/members/nobody_here/unblock").status_code == 404
    login(moderator)
    assert client.get("/mod/messages/99999").status_code == 404
    assert client.post("/mod/messages/99999/conversation").status_code == 404
    assert client.post("/mod/messages/99999/hide", data={"reason": "x"}).status_code == 404


def test_the_blocked_list_costs_the_same_whatever_its_length(client, login, count_queries, member, make_user):
    login(member)
    client.post(f"/members/{make_user().username}/block")
    small = _queries(client, count_queries, "/blocked")
    for _ in range(8):
        client.post(f"/members/{make_user().username}/block")
    assert _queries(client, count_queries, "/blocked") == small


def test_a_subject_of_spaces_is_refused_under_the_subject_field(client, login, member, other_member):
    login(member)
    response = start(client, other_member.username, title="   a     ")
    assert response.status_code == 422
    assert "The subject must be between 5 and 150 characters." in response.get_data(as_text=True)
