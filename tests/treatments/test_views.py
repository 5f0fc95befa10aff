"""Treatment pages: privacy of reports, the summary page, forms and bad input, moderation, queries."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import ContentStatus, ModerationAction, ReviewEntry, TargetType
from forum.models.treatment import TreatmentExperience
from forum.services import privacy, treatments
from tests.treatments.conftest import form


def test_filing_from_the_page_redirects_to_the_report(client, login, member):
    login(member)
    response = client.post("/treatments/new", data=form(treatment="botulinum-toxin"))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your report on Botulinum toxin injections" in page and "Dry or irritated eye" in page
    assert "Private: only you" in page


def test_a_second_report_on_the_same_treatment_is_a_conflict(client, login, member, make_experience):
    make_experience(member, "baclofen")
    login(member)
    response = client.post("/treatments/new", data=form(treatment="baclofen"))
    assert response.status_code == 409
    assert "edit that one instead" in response.get_data(as_text=True)


@pytest.mark.parametrize("changes", [
    {"treatment": "snake-oil"}, {"treatment": ""}, {"condition": "migraine"}, {"rating": "7"}, {"rating": "x"},
    {"weeks_of_relief": "-3"}, {"weeks_of_relief": "lots"}, {"side_effects": ["telepathy"]}, {"dose": "x" * 81},
    {"frequency": "y" * 81}, {"side_effects_other": "z" * 301}, {"story": "s" * 5001}, {"treatment": "other"},
    {"treatment": "other", "other_name": "n" * 81}, {"story": "nul \x00"},
])
def test_bad_input_is_a_422_and_stores_nothing(client, login, member, changes):
    login(member)
    data = form(treatment="gabapentin") | changes
    response = client.post("/treatments/new", data=data)
    assert response.status_code == 422, changes
    assert db.session.scalar(select(TreatmentExperience.id)) is None


def test_private_reports_are_not_shown_to_others(client, login, member, other_member, moderator, make_experience):
    experience = make_experience(member, story="My private story")
    url = f"/treatments/experiences/{experience.id}"
    assert client.get(url).status_code == 404
    login(other_member)
    assert client.get(url).status_code == 404
    assert client.get(f"{url}/history").status_code == 404
    assert "My private story" not in client.get("/treatments/botulinum-toxin").get_data(as_text=True)
    login(moderator)
    assert client.get(url).status_code == 200
    login(member)
    assert "My private story" in client.get(url).get_data(as_text=True)


def test_shared_reports_are_listed_under_the_members_name(client, member, make_experience):
    make_experience(member, story="What helped me", shared=True)
    page = client.get("/treatments/botulinum-toxin").get_data(as_text=True)
    assert "What helped me" in page and f"{member.username}'s report" in page


def test_unknown_ids_and_treatments_are_404(client, login, member):
    login(member)
    for url in ("/treatments/snake-oil", "/treatments/other", "/treatments/experiences/99999",
                "/treatments/experiences/99999/edit", "/treatments/experiences/99999/history",
                "/treatments/experiences/99999/report"):
        assert client.get(url).status_code == 404, url
    assert client.post("/treatments/experiences/99999/delete").status_code == 404
    assert client.get("/treatments/botulinum-toxin?before=abc").status_code == 400


def test_other_members_reports_cannot_be_edited_or_deleted(client, login, member, other_member, make_experience):
    experience = make_experience(member, shared=True)
    login(other_member)
    assert client.post(f"/treatments/experiences/{experience.id}/edit", data=form()).status_code == 403
    assert client.post(f"/treatments/experiences/{experience.id}/delete").status_code == 403
    assert db.session.get(TreatmentExperience, experience.id) is not None


def test_editing_and_history(client, login, member, make_experience):
    experience = make_experience(member, story="Before")
    login(member)
    assert client.get(f"/treatments/experiences/{experience.id}/edit").status_code == 200
    response = client.post(f"/treatments/experiences/{experience.id}/edit", data=form(story="After", rating="2"))
    assert response.status_code == 302
    page = client.get(f"/treatments/experiences/{experience.id}/history").get_data(as_text=True)
    assert "Before" in page and "After" in page and "Version 1" in page
    response = client.post(f"/treatments/experiences/{experience.id}/edit", data=form(story="s" * 5001))
    assert response.status_code == 422


def test_summary_page_shows_figures_from_five_reports(client, reporters):
    reporters(4, weeks=8, effects=("dry_eye",))
    page = client.get("/treatments/botulinum-toxin").get_data(as_text=True)
    assert "Fewer than 5 members" in page and "Median weeks" not in page
    assert "members' own experiences, not medical evidence" in page
    reporters(1, weeks=8, effects=("dry_eye",))
    page = client.get("/treatments/botulinum-toxin").get_data(as_text=True)
    assert "Median weeks of relief" in page and "8 weeks" in page and "Dry or irritated eye: 5 of 5" in page


def test_moderators_link_the_expert_article(client, login, moderator, member, make_user):
    from forum.services import articles, experts

    writer = make_user(username="dr_writer")
    experts.grant(moderator if False else make_user(username="admin_ada", role=__import__("forum.models", fromlist=["Role"]).Role.ADMIN), writer, "Neurologist")
    board = __import__("tests.factories", fromlist=["make_board"]).make_board()
    article = articles.create_article(writer, articles.ArticleInput("Botulinum toxin explained", "A summary long enough for the rules.", "Body.", [], [board.id]))
    articles.submit(article, writer)
    articles.publish(article, moderator)
    db.session.commit()
    login(member)
    assert client.post("/treatments/botulinum-toxin/article", data={"article": str(article.id)}).status_code == 403
    login(moderator)
    assert client.post("/treatments/botulinum-toxin/article", data={"article": "99999"}).status_code == 422
    assert client.post("/treatments/botulinum-toxin/article", data={"article": str(article.id)}).status_code == 302
    page = client.get("/treatments/botulinum-toxin").get_data(as_text=True)
    assert f"/articles/{article.slug}" in page and "Botulinum toxin explained" in page
    assert db.session.scalar(select(ModerationAction.action).where(ModerationAction.action == "treatment.article"))


def test_reporting_and_moderating_a_story(client, login, member, other_member, moderator, make_experience):
    experience = make_experience(member, shared=True)
    login(other_member)
    assert client.get(f"/treatments/experiences/{experience.id}/report").status_code == 200
    assert client.post(f"/treatments/experiences/{experience.id}/report", data={"reason": "nonsense"}).status_code == 422
    assert client.post(f"/treatments/experiences/{experience.id}/report", data={"reason": "spam"}).status_code == 302
    assert client.post(f"/treatments/experiences/{experience.id}/report", data={"reason": "spam"}).status_code == 409
    assert "treatment report" in client.get("/reports/mine").get_data(as_text=True)
    entry = db.session.scalar(select(ReviewEntry).where(ReviewEntry.target_type == TargetType.EXPERIENCE))
    login(moderator)
    assert "A treatment report" in client.get("/mod").get_data(as_text=True)
    response = client.get(f"/mod/entries/{entry.id}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/mod/experiences/{experience.id}")
    assert client.post(f"/mod/experiences/{experience.id}/hide", data={"entry_id": str(entry.id), "reason": ""}).status_code == 422
    assert client.post(f"/mod/experiences/{experience.id}/bogus", data={}).status_code == 404
    response = client.post(f"/mod/experiences/{experience.id}/hide", data={"entry_id": str(entry.id), "reason": "Advertising"})
    assert response.status_code == 302
    assert db.session.get(TreatmentExperience, experience.id).status is ContentStatus.HIDDEN
    assert client.post(f"/mod/experiences/{experience.id}/hide", data={"entry_id": str(entry.id), "reason": "Again"}).status_code == 409
    login(other_member)
    assert client.get(f"/treatments/experiences/{experience.id}").status_code == 404
    login(moderator)
    assert client.post(f"/mod/experiences/{experience.id}/restore", data={}).status_code == 302
    assert db.session.get(TreatmentExperience, experience.id).status is ContentStatus.PUBLISHED
    actions = set(db.session.scalars(select(ModerationAction.action).where(ModerationAction.target_type == "experience")))
    assert actions == {"experience.hide", "experience.restore"}


def test_export_includes_reports_and_deletion_removes_them(member, make_experience):
    from tests import dbscan

    experience = make_experience(member, effects=("nausea",), story="A very particular sentence")
    treatments.edit_experience(member, treatments.load_experience(experience.id),
                               treatments.ExperienceInput(condition="other", rating=3, story="A second particular sentence",
                                                              side_effects=("headache",)))
    db.session.commit()
    exported = privacy.export_account(member)["other"]
    assert exported["treatment_experience"][0]["story"] == "A second particular sentence"
    assert exported["treatment_experience_revision"][0]["story"] == "A very particular sentence"
    assert [row["effect"] for row in exported["treatment_side_effect"]] == ["headache"]
    assert exported["treatment_experience_revision"][0]["answers"]["side_effects"] == ["nausea"]
    user_id = member.id
    privacy.delete_account(member, keep_posts=False)
    db.session.commit()
    assert dbscan.find_values(["particular sentence"], {user_id}) == []


def _count(client, count_queries, url):
    with count_queries() as counter:
        assert client.get(url).status_code == 200
    return counter.count


@pytest.mark.parametrize("signed_in", [False, True])
def test_treatment_pages_cost_the_same_whatever_the_number_of_reports(client, login, count_queries, make_user, reporters, signed_in):
    viewer = make_user()
    if signed_in:
        login(viewer)
    reporters(5, effects=("dry_eye", "nausea"), shared=True)
    few = [_count(client, count_queries, url) for url in ("/treatments", "/treatments/botulinum-toxin")]
    reporters(30, effects=("dry_eye", "headache", "mood"), shared=True)
    reporters(3, "baclofen", shared=True)
    many = [_count(client, count_queries, url) for url in ("/treatments", "/treatments/botulinum-toxin")]
    assert few == many
    assert many[1] <= 12


def test_my_reports_page_costs_the_same_whatever_their_number(client, login, count_queries, member, make_experience):
    login(member)
    make_experience(member, "baclofen", effects=("nausea",))
    few = _count(client, count_queries, "/treatments/mine")
    for name in ("gabapentin", "clonazepam", "carbamazepine", "physical-therapy"):
        make_experience(member, name, effects=("nausea", "dizziness"))
    assert _count(client, count_queries, "/treatments/mine") == few
