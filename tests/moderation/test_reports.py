"""Reporting: reasons, one open report per member and item, threshold hiding, urgent reports."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Board, ContentStatus, Report, ReportStatus, ReviewEntry, ReviewStatus, TargetType, User, utcnow
from forum.services import moderation, posting
from tests.moderation.conftest import actions, count, notifications_for


def test_member_reports_a_post_and_sees_thanks(client, login, member, reply):
    login(member)
    page = client.get(f"/report/post/{reply.id}")
    assert page.status_code == 200
    assert b"Medical misinformation" in page.data and b"Someone may be at risk" in page.data
    response = client.post(f"/report/post/{reply.id}", data={"reason": "misinformation", "note": "Says botox cures it"})
    assert response.status_code == 302
    followed = client.get(response.headers["Location"], follow_redirects=True)
    assert b"Reported, thank you" in followed.data
    report = db.session.scalar(select(Report))
    assert (report.reporter_id, report.reason, report.note, report.status) == (member.id, "misinformation", "Says botox cures it", ReportStatus.OPEN)
    entry = db.session.get(ReviewEntry, report.entry_id)
    assert (entry.target_type, entry.target_id, entry.status, entry.subject_user_id) == (TargetType.POST, reply.id, ReviewStatus.PENDING, reply.author_id)
    mine = client.get("/reports/mine")
    assert b"Living with spasms" in mine.data and b"Waiting for a moderator" in mine.data


def test_reporting_again_says_so_and_stores_nothing(client, login, member, reply):
    login(member)
    client.post(f"/report/post/{reply.id}", data={"reason": "spam"})
    again = client.post(f"/report/post/{reply.id}", data={"reason": "harassment"})
    assert again.status_code == 409
    assert b"already reported" in again.data
    assert count(Report) == 1
    assert b"already reported" in client.get(f"/report/post/{reply.id}").data


def test_service_refuses_a_second_open_report(member, reply):
    moderation.file_report(member, "post", reply.id, "spam")
    db.session.commit()
    with pytest.raises(moderation.Conflict):
        moderation.file_report(member, "post", reply.id, "other", "again")


@pytest.mark.parametrize("reason", ["", "nonsense", "held", "watched_word", "AT_RISK"])
def test_reasons_outside_the_list_are_422(client, login, member, reply, reason):
    login(member)
    response = client.post(f"/report/post/{reply.id}", data={"reason": reason})
    assert response.status_code == 422
    assert count(Report) == 0


def test_reason_outside_the_list_in_the_service_is_invalid_input(member, reply):
    with pytest.raises(moderation.InvalidInput):
        moderation.file_report(member, "post", reply.id, "held")


def test_other_needs_a_note(client, login, member, reply):
    login(member)
    response = client.post(f"/report/post/{reply.id}", data={"reason": "other", "note": "  "})
    assert response.status_code == 422
    assert b"tell the moderators what is wrong" in response.data
    assert count(Report) == 0
    assert client.post(f"/report/post/{reply.id}", data={"reason": "other", "note": "Selling pills"}).status_code == 302


def test_reports_on_unknown_or_deleted_items_are_404(client, login, member, reply, author, topic):
    login(member)
    assert client.post("/report/post/999999", data={"reason": "spam"}).status_code == 404
    assert client.post("/report/topic/999999", data={"reason": "spam"}).status_code == 404
    assert client.post("/report/user/999999", data={"reason": "spam"}).status_code == 404
    assert client.post(f"/report/widget/{reply.id}", data={"reason": "spam"}).status_code == 404
    posting.delete_post(reply, author)
    db.session.commit()
    assert client.get(f"/report/post/{reply.id}").status_code == 404
    assert client.post(f"/report/post/{reply.id}", data={"reason": "spam"}).status_code == 404
    assert count(Report) == 0


def test_held_post_of_someone_else_is_404(client, login, member, reply, moderator):
    moderation.hide_post(reply, moderator, "Off topic")
    db.session.commit()
    login(member)
    assert client.post(f"/report/post/{reply.id}", data={"reason": "spam"}).status_code == 404


def test_cannot_report_own_post_or_self(client, login, author, reply):
    login(author)
    assert client.post(f"/report/post/{reply.id}", data={"reason": "spam"}).status_code == 403
    assert client.post(f"/report/user/{author.id}", data={"reason": "spam"}).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, reply):
    response = client.get(f"/report/post/{reply.id}")
    assert response.status_code == 302 and "/signin" in response.headers["Location"]


def test_topic_report_lands_on_its_opening_post(client, login, member, topic):
    login(member)
    assert client.post(f"/report/topic/{topic.id}", data={"reason": "spam"}).status_code == 302
    first = db.session.scalar(select(Report))
    entry = db.session.get(ReviewEntry, first.entry_id)
    assert entry.topic_id == topic.id and entry.target_type is TargetType.POST


def test_member_report(client, login, member, author):
    login(member)
    assert client.post(f"/report/user/{author.id}", data={"reason": "harassment", "note": "Rude messages"}).status_code == 302
    entry = db.session.scalar(select(ReviewEntry))
    assert (entry.target_type, entry.target_id, entry.subject_user_id) == (TargetType.USER, author.id, author.id)


def test_one_entry_per_item_gathers_every_report(make_user, reply):
    for reason in ("spam", "misinformation"):
        moderation.file_report(make_user(), "post", reply.id, reason)
        db.session.commit()
    entries = list(db.session.scalars(select(ReviewEntry)))
    assert len(entries) == 1 and entries[0].report_count == 2


def test_three_distinct_reporters_hide_the_post(make_user, reply, topic, board, author):
    db.session.refresh(board)
    posts_before = board.post_count
    for n in range(2):
        moderation.file_report(make_user(), "post", reply.id, "spam")
        db.session.commit()
    db.session.refresh(reply)
    assert reply.status is ContentStatus.PUBLISHED
    moderation.file_report(make_user(), "post", reply.id, "harassment")
    db.session.commit()
    db.session.refresh(reply)
    db.session.refresh(board)
    assert reply.status is ContentStatus.HIDDEN
    assert reply.moderation_note == moderation.HIDDEN_BY_REPORTS_NOTE
    assert board.post_count == posts_before - 1
    assert [a.actor_id for a in actions("post.hide_by_reports")] == [None]
    assert any("hidden after reports" in n.text for n in notifications_for(author.id))
    entry = db.session.scalar(select(ReviewEntry))
    assert entry.hidden_by_reports and entry.status is ReviewStatus.PENDING


def test_threshold_is_configurable(make_user, reply, threshold):
    threshold(1)
    moderation.file_report(make_user(), "post", reply.id, "spam")
    db.session.commit()
    db.session.refresh(reply)
    assert reply.status is ContentStatus.HIDDEN


def test_hidden_post_tells_others_it_is_under_review(client, login, make_user, reply, topic, threshold, author):
    threshold(1)
    moderation.file_report(make_user(), "post", reply.id, "spam")
    db.session.commit()
    assert b"hidden while moderators review it" in client.get(f"/topics/{topic.id}").data
    login(author)
    page = client.get(f"/topics/{topic.id}").data
    assert b"Hidden by a moderator" in page and b"A reply that someone may report." in page


def test_at_risk_goes_to_the_top_and_alerts_staff(make_user, make_post, topic, moderator, admin):
    older = make_post(topic=topic, body="An older post")
    newer = make_post(topic=topic, body="A newer post")
    moderation.file_report(make_user(), "post", older.id, "at_risk", "They wrote they want to end it")
    db.session.commit()
    moderation.file_report(make_user(), "post", newer.id, "spam")
    db.session.commit()
    listing = moderation.queue_page()
    assert [e.target_id for e in listing.entries] == [older.id, newer.id]
    assert listing.entries[0].is_urgent
    assert any("may be at risk" in n.text for n in notifications_for(moderator.id))
    assert any("may be at risk" in n.text for n in notifications_for(admin.id))


@pytest.mark.parametrize("sanction", ["suspended", "banned"])
def test_suspended_and_banned_members_cannot_report(client, login, member, reply, sanction):
    if sanction == "suspended":
        member.suspended_until = utcnow().replace(year=utcnow().year + 1)
        member.suspension_reason = "Cooling off"
    else:
        member.banned_at = utcnow()
    db.session.commit()
    login(member)
    response = client.post(f"/report/post/{reply.id}", data={"reason": "spam"})
    assert response.status_code == 403
    assert (b"suspended until" in response.data) if sanction == "suspended" else (b"banned" in response.data)
    assert count(Report) == 0


def test_report_links_on_topic_page(client, login, member, reply, topic, author):
    login(member)
    page = client.get(f"/topics/{topic.id}").data
    assert f"/report/post/{reply.id}".encode() in page
    assert b"/mod/posts/" not in page
    login(author)
    assert f"/report/post/{reply.id}".encode() not in client.get(f"/topics/{topic.id}").data
