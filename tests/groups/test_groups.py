"""Local support groups: proposing, verification, the directory, contact and the announcements thread."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import ModerationAction, Notification, Topic, utcnow
from forum.models.groups import GroupStatus, SupportGroup, SupportGroupContact
from forum.services import groups, privacy
from tests.groups.conftest import group_form


def test_a_proposed_group_waits_for_a_moderator(client, login, member, other_member, moderator):
    login(member)
    response = client.post("/groups/new", data=group_form())
    assert response.status_code == 302
    group = db.session.scalar(select(SupportGroup))
    assert group.status is GroupStatus.PENDING and group.organiser_id == member.id
    assert "Lisbon facial spasm circle" not in client.get("/groups").get_data(as_text=True)
    assert client.get(f"/groups/{group.id}").status_code == 200  # its organiser sees it
    login(other_member)
    assert client.get(f"/groups/{group.id}").status_code == 404
    assert client.post(f"/mod/groups/{group.id}/verify", data={}).status_code == 403
    login(moderator)
    assert "Lisbon facial spasm circle" in client.get("/mod/groups").get_data(as_text=True)
    assert client.post(f"/mod/groups/{group.id}/verify", data={}).status_code == 302
    assert db.session.get(SupportGroup, group.id).status is GroupStatus.LISTED
    action = db.session.scalar(select(ModerationAction).where(ModerationAction.action == "group.verify"))
    assert action.target_id == group.id and action.actor_id == moderator.id
    assert client.post(f"/mod/groups/{group.id}/verify", data={}).status_code == 409
    login(other_member)
    assert "Lisbon facial spasm circle" in client.get("/groups").get_data(as_text=True)


def test_rejecting_needs_a_reason_and_tells_the_organiser(client, login, member, moderator, make_group):
    group = make_group(member, listed=False)
    login(moderator)
    assert client.post(f"/mod/groups/{group.id}/reject", data={"reason": ""}).status_code == 422
    assert client.post(f"/mod/groups/{group.id}/reject", data={"reason": "Please remove the phone number"}).status_code == 302
    assert db.session.get(SupportGroup, group.id).status is GroupStatus.REJECTED
    assert db.session.scalar(select(Notification.text).where(Notification.user_id == member.id)).endswith("phone number")
    assert client.post(f"/mod/groups/{group.id}/bogus", data={}).status_code == 404


def test_editing_a_listed_group_sends_it_back_for_verification(client, login, member, other_member, make_group):
    group = make_group(member)
    login(other_member)
    assert client.post(f"/groups/{group.id}/edit", data=group_form(name="Hijacked")).status_code == 403
    assert client.post(f"/groups/{group.id}/delete").status_code == 403
    login(member)
    assert client.post(f"/groups/{group.id}/edit", data=group_form(name="Lisbon circle")).status_code == 302
    group = db.session.get(SupportGroup, group.id)
    assert group.name == "Lisbon circle" and group.status is GroupStatus.PENDING


@pytest.mark.parametrize("changes", [
    {"name": ""}, {"name": "ab"}, {"name": "n" * 121}, {"format": "telepathic"}, {"country": "c" * 61},
    {"city": "c" * 81}, {"schedule": ""}, {"schedule": "s" * 201}, {"description": ""}, {"description": "d" * 3001},
    {"format": "in_person", "city": ""}, {"name": "nul\x00"},
])
def test_bad_input_is_a_422_and_stores_nothing(client, login, member, changes):
    login(member)
    assert client.post("/groups/new", data=group_form(**changes)).status_code == 422, changes
    assert db.session.scalar(select(SupportGroup.id)) is None


def test_online_groups_need_no_city(client, login, member):
    login(member)
    response = client.post("/groups/new", data=group_form(format="online", country="", city="", name="Evening video circle"))
    assert response.status_code == 302


def test_unknown_ids_and_bad_query_strings(client, login, member):
    login(member)
    for url in ("/groups/99999", "/groups/99999/edit", "/groups/99999/contact", "/groups/99999/messages"):
        assert client.get(url).status_code == 404, url
    assert client.post("/groups/99999/confirm").status_code == 404
    assert client.get("/groups?after=abc").status_code == 400
    assert client.get("/groups?after=99999").status_code == 404
    assert client.get("/groups?q=" + "x" * 101).status_code == 400


def test_search_by_name_and_filter_by_country(client, member, make_group):
    make_group(member, name="Lisbon circle", country="Portugal")
    make_group(member, name="Porto 100% welcome", country="portugal", city="Porto")
    make_group(member, name="Leeds blepharospasm group", country="United Kingdom", city="Leeds")
    page = client.get("/groups?q=circle").get_data(as_text=True)
    assert "Lisbon circle" in page and "Leeds" not in page
    assert "Porto 100% welcome" in client.get("/groups?q=100%25").get_data(as_text=True)
    assert "Lisbon circle" not in client.get("/groups?q=100%25").get_data(as_text=True)  # % is literal
    page = client.get("/groups?country=portugal").get_data(as_text=True)
    assert "Lisbon circle" in page and "Porto 100% welcome" in page and "Leeds blepharospasm" not in page
    assert "Portugal (2)" in client.get("/groups").get_data(as_text=True)


def test_directory_pages_by_key(member, make_group):
    for n in range(groups.GROUPS_PER_PAGE + 3):
        make_group(member, name=f"Group {n:03d}")
    first, next_key = groups.directory()
    second, last = groups.directory(after_id=next_key)
    assert len(first) == groups.GROUPS_PER_PAGE and len(second) == 3 and last is None
    assert [g.name for g in first + second] == sorted(g.name for g in first + second)


def test_groups_not_reconfirmed_for_a_year_are_marked(client, login, member, moderator, make_group):
    group = make_group(member)
    group.confirmed_at = utcnow() - timedelta(days=400)
    db.session.commit()
    assert "Not re-confirmed for over a year" in client.get("/groups").get_data(as_text=True)
    login(member)
    assert client.post(f"/groups/{group.id}/confirm").status_code == 302
    assert "Not re-confirmed" not in client.get("/groups").get_data(as_text=True)


def test_contacting_the_organiser_never_shows_an_address(client, login, member, other_member, make_group):
    group = make_group(member)
    login(other_member)
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert member.email not in page and "Contact the organiser" in page
    assert client.post(f"/groups/{group.id}/contact", data={"body": ""}).status_code == 422
    assert client.post(f"/groups/{group.id}/contact", data={"body": "m" * 1001}).status_code == 422
    assert client.post(f"/groups/{group.id}/contact", data={"body": "Is it wheelchair accessible?"}).status_code == 302
    assert client.get(f"/groups/{group.id}/messages").status_code == 403
    note = db.session.scalar(select(Notification).where(Notification.user_id == member.id, Notification.kind == "group_contact"))
    assert note.url == f"/groups/{group.id}/messages"
    login(member)
    page = client.get(f"/groups/{group.id}/messages").get_data(as_text=True)
    assert "wheelchair accessible" in page and other_member.username in page
    assert client.get(f"/groups/{group.id}/contact").status_code == 403  # not to oneself


def test_the_announcements_thread_opens_in_the_local_groups_board(client, login, member, other_member, make_board, make_group):
    make_board(slug="local-groups", name="Local support groups")
    group = make_group(member)
    login(other_member)
    assert client.post(f"/groups/{group.id}/thread").status_code == 403
    login(member)
    response = client.post(f"/groups/{group.id}/thread")
    assert response.status_code == 302
    topic = db.session.scalar(select(Topic))
    assert db.session.get(SupportGroup, group.id).topic_id == topic.id and "announcements" in topic.title
    assert client.post(f"/groups/{group.id}/thread").status_code == 403  # only one


def test_export_and_deletion(member, other_member, make_group):
    from tests import dbscan

    group = make_group(member, description="A group described in very particular words")
    groups.contact_organiser(other_member, group, "A very particular question")
    db.session.commit()
    assert privacy.export_account(member)["other"]["support_group"][0]["name"] == group.name
    assert privacy.export_account(other_member)["other"]["support_group_contact"][0]["body"] == "A very particular question"
    other_id = other_member.id
    privacy.delete_account(other_member, keep_posts=False)
    db.session.commit()
    assert dbscan.find_values(["very particular question"], {other_id}) == []
    assert db.session.scalar(select(SupportGroupContact.id)) is None
    member_id = member.id
    privacy.delete_account(member, keep_posts=False)
    db.session.commit()
    assert dbscan.find_values([], {member_id}) == []
    assert db.session.get(SupportGroup, group.id).organiser_id is None  # the group stays, without its organiser


def _count(client, count_queries, url):
    with count_queries() as counter:
        assert client.get(url).status_code == 200
    return counter.count


@pytest.mark.parametrize("signed_in", [False, True])
def test_group_pages_cost_the_same_whatever_their_number(client, login, count_queries, member, other_member, moderator, make_group, signed_in):
    if signed_in:
        login(moderator)
    make_group(member, name="Alpha group")
    make_group(member, name="Beta group", listed=False)
    urls = ["/groups", "/groups?country=portugal&q=group"] + (["/mod/groups"] if signed_in else [])
    few = [_count(client, count_queries, url) for url in urls]
    for n in range(30):
        make_group(member, name=f"Group {n:02d}", country=f"Country {n % 7}", listed=n % 3 != 0)
    many = [_count(client, count_queries, url) for url in urls]
    assert few == many
