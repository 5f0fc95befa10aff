"""Treatment experience reports: filing, history, the anonymous summary and its median."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.errors import Conflict, InvalidInput, NotAllowed
from forum.extensions import db
from forum.models import ContentStatus, Report, ReviewEntry, TargetType
from forum.models.treatment import Treatment, TreatmentExperienceRevision, TreatmentSideEffect
from forum.services import treatments
from forum.services.treatments import ExperienceInput


def test_filing_stores_the_answers_and_cooks_the_story_once(member, make_experience):
    experience = make_experience(member, effects=("dry_eye", "drooping_eyelid"), story="**Two** weeks to work")
    assert experience.status is ContentStatus.PUBLISHED and not experience.shared
    assert experience.story_html.strip() == "<p><strong>Two</strong> weeks to work</p>"
    assert sorted(db.session.scalars(select(TreatmentSideEffect.effect))) == ["drooping_eyelid", "dry_eye"]


def test_one_current_report_per_treatment(member, make_experience):
    make_experience(member, "baclofen")
    with pytest.raises(Conflict):
        make_experience(member, "baclofen")
    make_experience(member, "other", other_name="Acupuncture")
    with pytest.raises(Conflict):
        make_experience(member, "other", other_name="  ACUPUNCTURE ")
    make_experience(member, "other", other_name="Magnesium")


@pytest.mark.parametrize("changes, message", [
    ({"condition": "migraine"}, "conditions"),
    ({"rating": 9}, "rating"),
    ({"rating": None}, "rating"),
    ({"weeks_of_relief": -1}, "Weeks"),
    ({"weeks_of_relief": 100000}, "Weeks"),
    ({"side_effects": ("telepathy",)}, "side effects"),
    ({"dose": "x" * 81}, "dose"),
    ({"frequency": "x" * 81}, "frequency"),
    ({"side_effects_other": "x" * 301}, "other side effects"),
    ({"story": "x" * 5001}, "story"),
    ({"story": "nul\x00"}, "NUL"),
    ({"treatment": "snake-oil"}, "treatments"),
    ({"treatment": "other"}, "name of the other"),
    ({"treatment": "other", "other_name": "x" * 81}, "name"),
])
def test_bad_answers_are_refused(member, changes, message):
    data = {"condition": "blepharospasm", "rating": 4, "treatment": "clonazepam"} | changes
    with pytest.raises(InvalidInput, match=message):
        treatments.file_experience(member, ExperienceInput(**data))


def test_suspended_members_cannot_file(make_user):
    from datetime import timedelta

    from forum.models import utcnow

    suspended = make_user(suspended_until=utcnow() + timedelta(days=2))
    with pytest.raises(NotAllowed):
        treatments.file_experience(suspended, ExperienceInput(condition="other", rating=3, treatment="baclofen"))


def test_editing_keeps_the_earlier_version(member, make_experience):
    experience = make_experience(member, effects=("dry_eye",), story="First words")
    experience = treatments.load_experience(experience.id)
    treatments.edit_experience(member, experience, ExperienceInput(condition="blepharospasm", rating=2, weeks_of_relief=3, story="Second words"))
    db.session.commit()
    revisions = treatments.history(experience)
    assert [r.number for r in revisions] == [1]
    assert revisions[0].story == "First words" and revisions[0].answers["side_effects"] == ["dry_eye"]
    assert revisions[0].answers["rating"] == 4
    current = treatments.load_experience(experience.id)
    assert current.story == "Second words" and current.rating == 2 and current.side_effects == []
    assert current.revision_count == 1


def test_others_cannot_edit_or_delete(member, other_member, make_experience):
    experience = treatments.load_experience(make_experience(member).id)
    with pytest.raises(NotAllowed):
        treatments.edit_experience(other_member, experience, ExperienceInput(condition="other", rating=1))
    with pytest.raises(NotAllowed):
        treatments.delete_experience(other_member, experience)


def test_deleting_removes_the_history_and_side_effects(member, make_experience):
    experience = treatments.load_experience(make_experience(member, effects=("nausea",)).id)
    treatments.edit_experience(member, experience, ExperienceInput(condition="other", rating=1, side_effects=("headache",)))
    treatments.delete_experience(member, experience)
    db.session.commit()
    for model in (TreatmentSideEffect, TreatmentExperienceRevision):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0


def test_summary_shows_nothing_below_five_reports(reporters):
    reporters(4, weeks=10, effects=("dry_eye",))
    summary = treatments.summary(Treatment.BOTULINUM_TOXIN)
    assert summary.reports == 4 and not summary.shown
    assert summary.median_weeks is None and summary.side_effects == [] and summary.helpful == 0


def test_summary_counts_helpful_share_median_and_side_effects(reporters, make_user, make_experience):
    for rating, weeks, effects in [(5, 12, ("dry_eye", "drooping_eyelid")), (4, 10, ("dry_eye",)), (2, 2, ()),
                                   (1, None, ("dry_eye", "double_vision")), (4, 14, ("drooping_eyelid",))]:
        make_experience(make_user(), rating=rating, weeks=weeks, effects=effects)
    make_experience(make_user(), "baclofen", rating=5, weeks=99, effects=("drowsiness",))  # another treatment
    summary = treatments.summary(Treatment.BOTULINUM_TOXIN)
    assert summary.shown and summary.reports == 5
    assert summary.helpful == 3 and summary.helpful_percent == 60
    assert summary.median_weeks == 11.0 and summary.weeks_answers == 4  # (10 + 12) / 2 of 2, 10, 12, 14
    assert summary.side_effects == [("Dry or irritated eye", 3), ("Drooping eyelid", 2), ("Double or blurred vision", 1)]


def test_median_of_an_odd_count_is_the_middle_answer(reporters):
    for weeks in (1, 30, 8, 9, 12):
        reporters(1, weeks=weeks)
    assert treatments.median_weeks(Treatment.BOTULINUM_TOXIN) == (9.0, 5)


def test_hidden_reports_leave_the_summary(reporters, moderator):
    reports = reporters(5)
    treatments.hide_experience(reports[0], moderator, "Spam")
    db.session.commit()
    assert treatments.summary(Treatment.BOTULINUM_TOXIN).reports == 4


def test_crisis_language_in_a_story_opens_an_urgent_entry(member, make_experience):
    experience = make_experience(member, story="Some days I want to end my life.")
    entry = db.session.scalar(select(ReviewEntry).where(ReviewEntry.target_type == TargetType.EXPERIENCE))
    assert entry.target_id == experience.id and entry.is_urgent
    assert db.session.scalar(select(Report.reason).where(Report.entry_id == entry.id)) == "at_risk"


def test_reports_from_several_members_hide_a_shared_report(member, make_user, make_experience):
    experience = make_experience(member, shared=True)
    for _ in range(3):
        treatments.report_experience(make_user(), experience, "spam", None)
    db.session.commit()
    assert treatments.load_experience(experience.id).status is ContentStatus.HIDDEN


def test_members_cannot_report_their_own_or_private_reports(member, other_member, make_experience):
    private = make_experience(member, "baclofen")
    with pytest.raises(NotAllowed):
        treatments.report_experience(other_member, private, "spam", None)
    shared = make_experience(member, shared=True)
    with pytest.raises(NotAllowed):
        treatments.report_experience(member, shared, "spam", None)
    treatments.report_experience(other_member, shared, "spam", None)
    with pytest.raises(Conflict):
        treatments.report_experience(other_member, shared, "spam", None)
