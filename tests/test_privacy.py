"""Privacy: pseudonyms and private profile facts, email confirmation, password reset,
data export and account deletion."""
from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.extensions import db as _db
from forum.models import Board, ContentStatus, Notification, Post, RecoveryCode, Topic, User
from forum.services import drafts, notifications, privacy, two_factor, uploads
from tests import dbscan
from tests.images import jpeg_with_gps
from tests.factories import PASSWORD


def _link(message, path: str) -> str:
    body = message.get_content()
    return re.search(rf"https?://[^/\s]+({re.escape(path)}[^\s]+)", body).group(1)


# --- Pseudonyms and profile facts -----------------------------------------------------------------


def test_email_is_never_shown_to_other_members(client, login, member, other_member, make_topic):
    topic = make_topic(author=member)
    login(other_member)
    for url in (f"/users/{member.username}", f"/topics/{topic.id}", "/"):
        assert member.email not in client.get(url).get_data(as_text=True)


def test_profile_facts_are_private_until_shown(client, login, member, other_member):
    login(member)
    response = client.post("/settings", data={"bio": "I live with hemifacial spasm since 2019.", "condition": "Hemifacial spasm", "country": "Portugal"})
    assert response.status_code == 302
    own = client.get(f"/users/{member.username}").get_data(as_text=True)
    assert "Portugal" in own and "Only you can see this" in own
    login(other_member)
    page = client.get(f"/users/{member.username}").get_data(as_text=True)
    assert "Portugal" not in page and "Hemifacial spasm" not in page and "since 2019" not in page
    login(member)
    client.post("/settings", data={"bio": "I live with hemifacial spasm since 2019.", "condition": "Hemifacial spasm", "country": "Portugal", "show_country": "y"})
    login(other_member)
    page = client.get(f"/users/{member.username}").get_data(as_text=True)
    assert "Portugal" in page and "Hemifacial spasm" not in page and "since 2019" not in page
    assert client.get(f"/users/{member.username}").status_code == 200


def test_profile_fields_are_checked(client, login, member):
    login(member)
    response = client.post("/settings", data={"country": "x" * 61})
    assert response.status_code == 422


# --- Email confirmation ---------------------------------------------------------------------------


def _sign_up(client, name="new_nora", email="nora@example.org"):
    return client.post("/signup", data={"username": name, "email": email, "password": "a-long-password-1", "confirm": "a-long-password-1"})


def test_sign_up_sends_a_signed_confirmation_link(client, mailbox, db):
    assert _sign_up(client).status_code == 302
    assert len(mailbox) == 1 and mailbox[0]["To"] == "nora@example.org"
    path = _link(mailbox[0], "/confirm-email/")
    user = db.session.scalar(select(User).where(User.username == "new_nora"))
    assert not privacy.is_verified(user)
    assert client.get(path).status_code == 200  # a page with a button: a GET changes nothing
    assert not privacy.is_verified(user)
    assert client.post(path).status_code == 302
    db.session.expire_all()
    assert privacy.is_verified(user)


def test_confirmation_links_are_signed_and_expire(client, mailbox, db):
    _sign_up(client)
    path = _link(mailbox[0], "/confirm-email/")
    assert client.post(path[:-3] + "abc").status_code == 400
    token = path.split("/confirm-email/", 1)[1]
    nearly = privacy.utcnow() + timedelta(seconds=privacy.VERIFY_MAX_AGE - 60)
    later = privacy.utcnow() + timedelta(seconds=privacy.VERIFY_MAX_AGE + 60)
    assert privacy.user_for_email_token(token, now=lambda: nearly) is not None
    assert privacy.user_for_email_token(token, now=lambda: later) is None
    assert client.post(path).status_code == 302  # still good now


# --- Changing the email address --------------------------------------------------------------------


def _ask_to_move(client, email: str, password: str = PASSWORD):
    return client.post("/settings/email", data={"new_email": email, "email_password": password})


def test_a_new_address_is_confirmed_by_a_link_sent_there(client, login, member, mailbox):
    login(member)
    response = _ask_to_move(client, "Mia.New@example.org")
    assert response.status_code == 302
    _db.session.refresh(member)
    assert member.email == "member_mia@example.org"  # nothing changes until the link is opened
    to_new = [m for m in mailbox if m["To"] == "mia.new@example.org"]
    to_old = [m for m in mailbox if m["To"] == "member_mia@example.org"]
    assert len(to_new) == 1 and len(to_old) == 1
    assert "mia.new@example.org" in to_old[0].get_content() and "/settings/email/" not in to_old[0].get_content()
    path = _link(to_new[0], "/settings/email/")
    # Opening the link (a mail scanner may) shows a button; the address changes when it is pressed.
    page = client.get(path)
    assert page.status_code == 200 and "mia.new@example.org" in page.get_data(as_text=True)
    _db.session.refresh(member)
    assert member.email == "member_mia@example.org"
    assert client.post(path).status_code == 302
    _db.session.refresh(member)
    assert member.email == "mia.new@example.org" and privacy.is_verified(member)
    # The link works once.
    assert client.get(path).status_code == 400 and client.post(path).status_code == 400


def test_moving_to_an_address_in_use_says_the_same_and_changes_nothing(client, login, member, other_member, mailbox):
    login(member)
    taken = _ask_to_move(client, other_member.email)
    assert taken.status_code == 302
    flashed = client.get("/settings").get_data(as_text=True)
    assert f"We sent a link to {other_member.email}" in flashed
    to_taken = [m for m in mailbox if m["To"] == other_member.email]
    assert len(to_taken) == 1 and "/settings/email/" not in to_taken[0].get_content()
    # A link made for that address before it was taken is refused when used.
    path = f"/settings/email/{privacy.email_change_token(member, 'late@example.org')}"
    other_member.email = "late@example.org"
    _db.session.commit()
    assert client.post(path).status_code == 409
    _db.session.refresh(member)
    assert member.email == "member_mia@example.org"


@pytest.mark.parametrize(
    "email, password, message",
    [
        ("new@example.org", "not my password", "That is not your password."),
        ("not-an-address", PASSWORD, "valid email"),
        ("MEMBER_MIA@example.org", PASSWORD, "already your email address"),
    ],
)
def test_moving_needs_the_password_and_a_new_valid_address(client, login, member, mailbox, email, password, message):
    login(member)
    response = _ask_to_move(client, email, password)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert mailbox == []


# --- Password reset -------------------------------------------------------------------------------


def test_reset_form_says_the_same_whether_or_not_the_email_exists(client, member, mailbox):
    known = client.post("/password/forgot", data={"email": member.email}, follow_redirects=True)
    unknown = client.post("/password/forgot", data={"email": "nobody@example.org"}, follow_redirects=True)
    assert known.status_code == unknown.status_code == 200

    def main(response):
        return re.sub(r'name="csrf_token"[^>]*', "", response.get_data(as_text=True))

    assert main(known) == main(unknown)
    assert len(mailbox) == 1 and mailbox[0]["To"] == member.email


def test_reset_link_works_once_and_signs_out_everywhere(client, member, mailbox, db):
    client.post("/password/forgot", data={"email": member.email})
    path = _link(mailbox[0], "/password/reset/")
    old_session_id = member.get_id()
    assert client.get(path).status_code == 200
    response = client.post(path, data={"password": "a-brand-new-password", "confirm": "a-brand-new-password"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/signin")
    db.session.expire_all()
    user = db.session.get(User, member.id)
    assert user.check_password("a-brand-new-password")
    assert user.get_id() != old_session_id  # every old session is signed out
    # The same link does not work a second time.
    assert client.post(path, data={"password": "another-password-2", "confirm": "another-password-2"}).status_code == 400


def test_reset_link_expires_after_an_hour(client, member, mailbox):
    client.post("/password/forgot", data={"email": member.email})
    path = _link(mailbox[0], "/password/reset/")
    token = path.split("/password/reset/", 1)[1]
    assert privacy.user_for_reset_token(token, now=lambda: privacy.utcnow() + timedelta(minutes=59)) is not None
    assert privacy.user_for_reset_token(token, now=lambda: privacy.utcnow() + timedelta(minutes=61)) is None
    assert privacy.user_for_reset_token(token, now=lambda: privacy.utcnow() - timedelta(minutes=5)) is None  # not yet signed


# --- Export ---------------------------------------------------------------------------------------


def test_export_holds_everything_in_one_json_file(client, login, member, other_member, make_topic, db):
    topic = make_topic(author=member, title="My first topic here", body="My private story")
    image = uploads.store_image(member, jpeg_with_gps())
    uploads.store_image(other_member, jpeg_with_gps())
    notifications.notify([member.id], "reply", "Someone replied", "/x", actor_id=other_member.id)
    db.session.commit()
    login(member)
    client.post("/settings", data={"condition": "Blepharospasm", "show_condition": "y"})
    client.post(f"/boards/{_db.session.get(Board, topic.board_id).slug}/draft", data={"title": "Unfinished", "body": "My draft"})
    response = client.get("/settings/export")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["profile"]["username"] == member.username and data["profile"]["email"] == member.email
    assert data["profile"]["condition"] == "Blepharospasm" and data["settings"]["show_condition"] is True
    assert data["topics"][0]["title"] == "My first topic here"
    assert data["posts"][0]["body"] == "My private story"
    assert data["notifications"][0]["text"] == "Someone replied"
    assert [(d["board_id"], d["title"], d["body"]) for d in data["drafts"]] == [(topic.board_id, "Unfinished", "My draft")]
    assert [(u["url"], u["content_type"], u["width"]) for u in data["uploads"]] == [(f"/uploads/{image.name}", "image/jpeg", 40)]
    assert "upload" not in data["other"]
    assert "reports" in data
    text = json.dumps(data)
    assert member.password_hash not in text and member.session_token not in text
    assert other_member.username not in text and other_member.email not in text


def test_export_leaves_out_staff_notes_and_open_reviews(client, login, member, other_member, moderator, make_topic, db):
    from forum.services import moderation

    topic = make_topic(author=member, body="My words about my spasms")
    post = db.session.scalar(select(Post).where(Post.topic_id == topic.id))
    moderation.add_staff_note(member, moderator, "Staff only: seems to argue with everyone")
    moderation.file_report(other_member, "post", post.id, "other", "A reporter's private words")
    moderation.warn_member(member, moderator, "Please stay kind in replies")
    db.session.commit()
    login(member)
    data = json.loads(client.get("/settings/export").get_data(as_text=True))
    text = json.dumps(data)
    assert "Staff only" not in text and "A reporter's private words" not in text
    assert "staff_note" not in data["other"] and "review_entry" not in data["other"]
    assert "moderation_action" not in data["other"]
    # What was done to them stays: the warning, with its reason.
    assert [w["reason"] for w in data["other"]["member_warning"]] == ["Please stay kind in replies"]
    assert "moderator_id" not in data["other"]["member_warning"][0]
    assert data["posts"][0]["body"] == "My words about my spasms"


def test_every_table_pointing_at_members_is_classified_for_the_export():
    """A table with a foreign key to user is either exported (with its columns) or left out with a reason."""
    assert privacy.unclassified_tables(_db.metadata) == []
    assert privacy.stale_classifications(_db.metadata) == []
    for name, spec in privacy.EXPORTED_TABLES.items():
        table = _db.metadata.tables[name]
        assert spec.owner in table.columns and any(fk.column.table.name == "user" for fk in table.c[spec.owner].foreign_keys), name
        assert set(spec.columns) <= set(table.columns.keys()), name
        assert not any(word in column for column in spec.columns for word in ("hash", "token", "secret", "password")), name
        assert spec.why
    assert all(reason for reason in privacy.NOT_EXPORTED.values())
    assert all(reason for reason in privacy.OWN_SECTIONS.values())


def test_a_new_table_pointing_at_members_must_be_classified():
    from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table, Text

    metadata = MetaData()
    for table in _db.metadata.sorted_tables:
        table.to_metadata(metadata)
    Table("symptom_diary", metadata, Column("id", Integer, primary_key=True),
          Column("user_id", ForeignKey("user.id")), Column("entry", Text))
    Table("board_colour", metadata, Column("id", Integer, primary_key=True), Column("board_id", ForeignKey("board.id")))
    assert privacy.unclassified_tables(metadata) == ["symptom_diary"]


# --- Deletion -------------------------------------------------------------------------------------


def _busy_member(make_user, make_board, db, other):
    """A member with a profile, topics, replies, edits, notifications and read marks."""
    from forum.services import posting, reading

    user = make_user(username="leaving_lou", email="lou.secret@example.org", bio="Lou's very private bio")
    row = privacy.settings_for(user)
    row.condition, row.country, row.show_condition = "Lou-condition-x", "Lou-country-y", True
    privacy.mark_verified(user)
    board = make_board(slug="stories")
    own = posting.start_topic(board, user, "Lou-title-alone", "Lou-body-alone")
    shared = posting.start_topic(board, user, "Lou-title-shared", "Lou-body-shared")
    shared_topic = _db.session.get(Topic, shared.topic_id)
    posting.reply_to_topic(shared_topic, other, "A reply from someone else")
    reply = posting.reply_to_topic(shared_topic, user, "Lou-reply-1")
    posting.edit_post(reply, user, "Lou-reply-1-edited")
    other_topic = posting.start_topic(board, other, "Someone else's topic", "Hello")
    posting.reply_to_topic(_db.session.get(Topic, other_topic.topic_id), user, "Lou-reply-2")
    notifications.notify([user.id], "reply", "Lou-notification-text", "/x", actor_id=other.id)
    notifications.notify([other.id], "reply", "leaving_lou replied to you", "/y", actor_id=user.id)
    reading.mark_read(user, shared_topic, 2)
    drafts.save_draft(user, "Lou-draft-title", "Lou-draft-body", board=board)
    drafts.save_draft(user, "", "Lou-draft-reply", topic=_db.session.get(Topic, other_topic.topic_id))
    # Two-factor sign-in on, with its secret and recovery codes.
    import pyotp

    secret = two_factor.begin_setup(user).secret
    two_factor.confirm_setup(user, pyotp.TOTP(secret).now())
    # An image for a post.
    uploads.store_image(user, jpeg_with_gps())
    db.session.commit()
    return user, board


def _image_files(user) -> list:
    """The member's stored image files (to check after deletion that they are gone)."""
    return [uploads.folder() / u.name for u in uploads.owned_by(user)]


PERSONAL = ["leaving_lou", "lou.secret@example.org", "Lou's very private bio", "Lou-condition-x", "Lou-country-y"]
WORDS = ["Lou-title-alone", "Lou-body-alone", "Lou-title-shared", "Lou-body-shared", "Lou-reply-1", "Lou-reply-2"]
DRAFTS = ["Lou-draft-title", "Lou-draft-body", "Lou-draft-reply"]


def _delete(client, login, user, choice):
    login(user)
    response = client.post("/settings/delete", data={"posts": choice, "password": PASSWORD})
    assert response.status_code == 302
    return response


def test_deletion_removing_posts_leaves_nothing_personal_in_any_table(client, login, make_user, make_board, other_member, db):
    user, board = _busy_member(make_user, make_board, db, other_member)
    uid, password_hash, token = user.id, user.password_hash, user.session_token
    secrets = [two_factor.state_for(user).secret, *db.session.scalars(select(RecoveryCode.code_hash))]
    files = _image_files(user)
    assert files and all(f.is_file() for f in files)
    _delete(client, login, user, "remove")
    survivors = dbscan.find_values(PERSONAL + WORDS + DRAFTS + secrets + [password_hash, token] + [f.name for f in files], {uid})
    assert survivors == []
    assert not any(f.exists() for f in files)
    # Other members' content is untouched, and the shared topic still reads.
    assert db.session.scalar(select(func.count()).select_from(Post).where(Post.body == "A reply from someone else")) == 1
    page = client.get(f"/boards/{board.slug}").get_data(as_text=True)
    assert "Someone else" in page
    db.session.expire_all()
    from forum.models import Board

    fresh = db.session.get(Board, board.id)
    published = db.session.scalar(select(func.count()).select_from(Post).where(Post.status == ContentStatus.PUBLISHED))
    assert fresh.post_count == published


def test_deletion_keeping_posts_shows_them_under_former_member(client, login, make_user, make_board, other_member, db):
    user, board = _busy_member(make_user, make_board, db, other_member)
    uid, password_hash = user.id, user.password_hash
    files = _image_files(user)
    _delete(client, login, user, "keep")
    assert dbscan.find_values(PERSONAL + DRAFTS + [password_hash] + [f.name for f in files], {uid}) == []
    assert not any(f.exists() for f in files)
    kept = db.session.scalar(select(Post).where(Post.body == "Lou-body-alone"))
    assert kept.author_id is None and kept.status is ContentStatus.PUBLISHED
    page = client.get(f"/topics/{kept.topic_id}").get_data(as_text=True)
    assert "former member" in page and "Lou-body-alone" in page
    assert client.get("/users/leaving_lou").status_code == 404


def test_deletion_signs_out_and_needs_the_password(client, login, member, db):
    uid = member.id
    login(member)
    assert client.post("/settings/delete", data={"posts": "keep", "password": "wrong-password"}).status_code == 422
    assert db.session.scalar(select(func.count()).select_from(User).where(User.id == uid)) == 1
    response = client.post("/settings/delete", data={"posts": "keep", "password": PASSWORD}, follow_redirects=True)
    assert "has been deleted" in response.get_data(as_text=True)
    assert client.get("/settings").status_code == 302  # signed out
    assert db.session.scalar(select(func.count()).select_from(User).where(User.id == uid)) == 0
