"""Treatment experience reports: filing, editing with history, the community summary, moderation.

Plain functions that add and flush; the caller commits. A report's structured answers are the
member's health details: they are shown under the member's name only when the member chose to
share the report, and the summary of a treatment is anonymous and shown from SUMMARY_MINIMUM
reports on, computed by the database (never by loading every report).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import and_, case, delete, func, select, update
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from forum.errors import Conflict, InvalidInput, NotAllowed, NotFound
from forum.markup import render_markdown
from forum.models import Article, ArticleStatus, ContentStatus, ReviewEntry, TargetType, User, utcnow
from forum.models.base import db
from forum.models.moderation import Report
from forum.models.treatment import (
    HELPFUL_RATING,
    RATINGS,
    SIDE_EFFECTS,
    Condition,
    Treatment,
    TreatmentArticle,
    TreatmentExperience,
    TreatmentExperienceRevision,
    TreatmentSideEffect,
)
from forum.permissions import (
    can_delete_experience,
    can_edit_experience,
    can_file_experience,
    can_link_treatment_article,
    can_report_experience,
    can_view_queue,
    require,
    why_cannot_participate,
)
from forum.services import moderation, screening
from forum.services.audit import log_action
from forum.services.notifications import notify

SUMMARY_MINIMUM = 5
TOP_SIDE_EFFECTS = 5
STORY_MAX = 5000
NAME_MAX = 80
DOSE_MAX = FREQUENCY_MAX = 80
SIDE_EFFECTS_OTHER_MAX = 300
WEEKS_MAX = 520
STORIES_PER_PAGE = 20
HIDDEN_BY_REPORTS_NOTE = moderation.HIDDEN_BY_REPORTS_NOTE

# The treatments that have a community page (reports on "another treatment" stay with their author).
SUMMARISED = [t for t in Treatment if t is not Treatment.OTHER]


def treatment_for(slug: str) -> Treatment:
    """The treatment whose page this is, or NotFound."""
    try:
        treatment = Treatment(slug)
    except ValueError:
        raise NotFound("There is no page for that treatment.") from None
    if treatment is Treatment.OTHER:
        raise NotFound("Reports on other treatments are kept with their authors; there is no summary page for them.")
    return treatment


# --- input ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExperienceInput:
    """What a member fills in; checked by clean_input()."""

    condition: str
    rating: int | None
    treatment: str | None = None
    other_name: str | None = None
    dose: str | None = None
    frequency: str | None = None
    weeks_of_relief: int | None = None
    side_effects: tuple[str, ...] = ()
    side_effects_other: str | None = None
    story: str = ""
    shared: bool = False


def _line(value: str | None, limit: int, label: str) -> str | None:
    value = " ".join((value or "").split())
    if "\x00" in value:
        raise InvalidInput(f"The {label} contains a NUL character, which is not allowed.")
    if len(value) > limit:
        raise InvalidInput(f"The {label} must be at most {limit} characters.")
    return value or None


@dataclass(frozen=True)
class CleanInput:
    condition: Condition
    rating: int
    dose: str | None
    frequency: str | None
    weeks_of_relief: int | None
    side_effects: tuple[str, ...]
    side_effects_other: str | None
    story: str
    shared: bool


def clean_input(data: ExperienceInput) -> CleanInput:
    """Check every answer; InvalidInput (422) names the first problem."""
    try:
        condition = Condition(data.condition)
    except ValueError:
        raise InvalidInput("Please choose one of the listed conditions.") from None
    if data.rating not in RATINGS:
        raise InvalidInput("Please choose an overall rating from the list.")
    weeks = data.weeks_of_relief
    if weeks is not None and (not isinstance(weeks, int) or not 0 <= weeks <= WEEKS_MAX):
        raise InvalidInput(f"Weeks of relief must be a whole number from 0 to {WEEKS_MAX}.")
    unknown = [e for e in data.side_effects if e not in SIDE_EFFECTS]
    if unknown:
        raise InvalidInput("Please choose side effects from the list (or describe others in words).")
    story = (data.story or "").strip()
    if "\x00" in story:
        raise InvalidInput("The story contains a NUL character, which is not allowed.")
    if len(story) > STORY_MAX:
        raise InvalidInput(f"The story must be at most {STORY_MAX:,} characters.")
    return CleanInput(
        condition=condition,
        rating=data.rating,
        dose=_line(data.dose, DOSE_MAX, "dose"),
        frequency=_line(data.frequency, FREQUENCY_MAX, "frequency"),
        weeks_of_relief=weeks,
        side_effects=tuple(sorted(set(data.side_effects))),
        side_effects_other=_line(data.side_effects_other, SIDE_EFFECTS_OTHER_MAX, "description of other side effects"),
        story=story,
        shared=bool(data.shared),
    )


def _chosen_treatment(data: ExperienceInput) -> tuple[Treatment, str | None, str]:
    try:
        treatment = Treatment(data.treatment)
    except ValueError:
        raise InvalidInput("Please choose one of the listed treatments.") from None
    if treatment is not Treatment.OTHER:
        return treatment, None, ""
    name = _line(data.other_name, NAME_MAX, "treatment's name")
    if not name:
        raise InvalidInput("Please give the name of the other treatment.")
    return treatment, name, name.lower()


# --- filing and editing --------------------------------------------------------------------------


def _apply(experience: TreatmentExperience, clean: CleanInput, author: User) -> screening.Screening:
    """Copy the answers onto the report, cook the story once and screen it."""
    verdict = screening.screen_text(author, clean.story) if clean.story else screening.Screening()
    experience.condition = clean.condition
    experience.rating = clean.rating
    experience.dose = clean.dose
    experience.frequency = clean.frequency
    experience.weeks_of_relief = clean.weeks_of_relief
    experience.side_effects_other = clean.side_effects_other
    experience.story = clean.story
    experience.story_html = render_markdown(clean.story) if clean.story else ""
    experience.shared = clean.shared
    experience.updated_at = utcnow()
    if verdict.status is ContentStatus.HELD:
        experience.status = ContentStatus.HELD
    return verdict


def _set_side_effects(experience: TreatmentExperience, effects: tuple[str, ...]) -> None:
    db.session.execute(delete(TreatmentSideEffect).where(TreatmentSideEffect.experience_id == experience.id))
    if effects:
        db.session.add_all(
            TreatmentSideEffect(experience_id=experience.id, effect=e, user_id=experience.user_id) for e in effects
        )
    db.session.flush()


def file_experience(author: User, data: ExperienceInput) -> TreatmentExperience:
    """A member files a report on a treatment they tried (one per treatment); caller commits."""
    require(can_file_experience(author), why_cannot_participate(author))
    treatment, other_name, other_key = _chosen_treatment(data)
    clean = clean_input(data)
    existing = db.session.scalar(
        select(TreatmentExperience.id).where(
            TreatmentExperience.user_id == author.id,
            TreatmentExperience.treatment == treatment,
            TreatmentExperience.other_key == other_key,
        )
    )
    if existing is not None:
        raise Conflict(f"You already have a report on {other_name or treatment.label}. Please edit that one instead.")
    now = utcnow()
    experience = TreatmentExperience(
        user_id=author.id, treatment=treatment, other_name=other_name, other_key=other_key,
        status=ContentStatus.PUBLISHED, created_at=now, revision_count=0,
    )
    verdict = _apply(experience, clean, author)
    db.session.add(experience)
    db.session.flush()
    _set_side_effects(experience, clean.side_effects)
    _after_screening(experience, verdict)
    experience.screening = verdict  # read by offer_support() on the next page
    return experience


def _answers(experience: TreatmentExperience, effects: list[str]) -> dict:
    return {
        "condition": experience.condition.value, "dose": experience.dose, "frequency": experience.frequency,
        "weeks_of_relief": experience.weeks_of_relief, "side_effects": effects,
        "side_effects_other": experience.side_effects_other, "rating": experience.rating, "shared": experience.shared,
    }


def edit_experience(author: User, experience: TreatmentExperience, data: ExperienceInput) -> TreatmentExperience:
    """The member changes their report; the version before is kept in its history."""
    require(can_edit_experience(author, experience), "You can only edit your own report while it is shown.")
    clean = clean_input(data)
    effects = [e.effect for e in experience.side_effects]
    number = experience.revision_count + 1
    db.session.add(TreatmentExperienceRevision(
        experience_id=experience.id, user_id=experience.user_id, number=number,
        answers=_answers(experience, effects), story=experience.story, story_html=experience.story_html,
        created_at=experience.updated_at,
    ))
    experience.revision_count = number
    story_changed = clean.story != experience.story
    verdict = _apply(experience, clean, author)
    _set_side_effects(experience, clean.side_effects)
    if story_changed:
        _after_screening(experience, verdict)
    experience.screening = verdict
    db.session.expire(experience, ["side_effects"])
    return experience


def delete_experience(author: User, experience: TreatmentExperience) -> None:
    """The member removes their report and its history for good."""
    require(can_delete_experience(author, experience), "You can only delete your own report.")
    for model in (TreatmentSideEffect, TreatmentExperienceRevision):
        db.session.execute(delete(model).where(model.experience_id == experience.id))
    db.session.execute(delete(TreatmentExperience).where(TreatmentExperience.id == experience.id))
    db.session.flush()


def _after_screening(experience: TreatmentExperience, verdict: screening.Screening) -> None:
    """A held story, and every flag raised by screening, open system reports for the moderators."""
    if experience.status is not ContentStatus.HELD and not verdict.flags:
        return
    entry = _entry(experience)
    if experience.status is ContentStatus.HELD:
        moderation._add_report(entry, None, "held", "; ".join(verdict.hold_reasons)[: moderation.NOTE_MAX] or "Waiting for approval")
    for reason, note in verdict.flags:
        moderation._add_report(entry, None, (reason or "other")[:30], (note or "")[: moderation.NOTE_MAX] or None)


def _entry(experience: TreatmentExperience) -> ReviewEntry:
    return moderation._entry_for(TargetType.EXPERIENCE, experience.id, topic_id=None, subject_user_id=experience.user_id)


# --- reading -------------------------------------------------------------------------------------


def load_experience(experience_id: int) -> TreatmentExperience:
    experience = db.session.scalars(
        select(TreatmentExperience)
        .options(joinedload(TreatmentExperience.user), selectinload(TreatmentExperience.side_effects))
        .where(TreatmentExperience.id == experience_id)
    ).first()
    if experience is None:
        raise NotFound("There is no such treatment report. It may have been deleted.")
    return experience


def my_experiences(user: User) -> list[TreatmentExperience]:
    """The member's own reports (one per treatment they tried), newest first."""
    return list(db.session.scalars(
        select(TreatmentExperience)
        .options(selectinload(TreatmentExperience.side_effects))
        .where(TreatmentExperience.user_id == user.id)
        .order_by(TreatmentExperience.updated_at.desc(), TreatmentExperience.id.desc())
        .limit(200)
    ))


def history(experience: TreatmentExperience) -> list[TreatmentExperienceRevision]:
    return list(db.session.scalars(
        select(TreatmentExperienceRevision)
        .where(TreatmentExperienceRevision.experience_id == experience.id)
        .order_by(TreatmentExperienceRevision.number)
    ))


def shared_stories(treatment: Treatment, before_id: int | None = None) -> tuple[list[TreatmentExperience], int | None]:
    """Reports their authors chose to share, newest first, paged by key; returns the page and the next key."""
    query = (
        select(TreatmentExperience)
        .options(joinedload(TreatmentExperience.user), selectinload(TreatmentExperience.side_effects))
        .where(
            TreatmentExperience.treatment == treatment,
            TreatmentExperience.shared.is_(True),
            TreatmentExperience.status == ContentStatus.PUBLISHED,
        )
        .order_by(TreatmentExperience.id.desc())
        .limit(STORIES_PER_PAGE + 1)
    )
    if before_id is not None:
        query = query.where(TreatmentExperience.id < before_id)
    rows = list(db.session.scalars(query))
    next_key = rows[STORIES_PER_PAGE - 1].id if len(rows) > STORIES_PER_PAGE else None
    return rows[:STORIES_PER_PAGE], next_key


@dataclass
class Summary:
    """What the community's reports on one treatment add up to (anonymous)."""

    reports: int
    helpful: int = 0
    median_weeks: float | None = None
    weeks_answers: int = 0
    side_effects: list[tuple[str, int]] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return self.reports >= SUMMARY_MINIMUM

    @property
    def helpful_percent(self) -> int:
        return round(100 * self.helpful / self.reports) if self.reports else 0


def _published(treatment: Treatment):
    return and_(TreatmentExperience.treatment == treatment, TreatmentExperience.status == ContentStatus.PUBLISHED)


def median_weeks(treatment: Treatment) -> tuple[float | None, int]:
    """The median weeks of relief and how many reports answered it, in one query on any database.

    Each answer is numbered in order and counted with window functions; the median is the mean of
    the middle row (odd count) or the two middle rows (even count), as percentile_cont(0.5) gives.
    """
    weeks = TreatmentExperience.weeks_of_relief
    ranked = (
        select(
            weeks.label("weeks"),
            func.row_number().over(order_by=weeks).label("position"),
            func.count().over().label("total"),
        )
        .where(_published(treatment), weeks.is_not(None))
        .subquery()
    )
    middle = (ranked.c.total + 1) // 2, (ranked.c.total + 2) // 2
    row = db.session.execute(
        select(func.avg(ranked.c.weeks * 1.0), func.max(ranked.c.total)).where(ranked.c.position.in_(middle))
    ).one()
    return (float(row[0]) if row[0] is not None else None), int(row[1] or 0)


def summary(treatment: Treatment) -> Summary:
    """Counts, the share rating it helpful, the median weeks of relief and the commonest side effects.

    Three aggregate queries whatever the number of reports; below SUMMARY_MINIMUM reports only the
    count is computed, and the page shows nothing else, so that no one is identifiable.
    """
    reports, helpful = db.session.execute(
        select(func.count(), func.coalesce(func.sum(case((TreatmentExperience.rating >= HELPFUL_RATING, 1), else_=0)), 0))
        .where(_published(treatment))
    ).one()
    result = Summary(reports=int(reports or 0), helpful=int(helpful or 0))
    if not result.shown:
        return Summary(reports=result.reports)
    result.median_weeks, result.weeks_answers = median_weeks(treatment)
    result.side_effects = [
        (SIDE_EFFECTS.get(effect, effect), int(count))
        for effect, count in db.session.execute(
            select(TreatmentSideEffect.effect, func.count().label("n"))
            .join(TreatmentExperience, TreatmentExperience.id == TreatmentSideEffect.experience_id)
            .where(_published(treatment))
            .group_by(TreatmentSideEffect.effect)
            .order_by(func.count().desc(), TreatmentSideEffect.effect)
            .limit(TOP_SIDE_EFFECTS)
        )
    ]
    return result


def report_counts() -> dict[Treatment, int]:
    """Published reports per treatment, in one query (the index page)."""
    rows = db.session.execute(
        select(TreatmentExperience.treatment, func.count())
        .where(TreatmentExperience.status == ContentStatus.PUBLISHED, TreatmentExperience.treatment != Treatment.OTHER)
        .group_by(TreatmentExperience.treatment)
    ).all()
    return {t: 0 for t in SUMMARISED} | {t: int(n) for t, n in rows}


# --- the expert article on a treatment -----------------------------------------------------------


def treatment_article(treatment: Treatment) -> Article | None:
    """The published expert article linked to the treatment, with its published revision."""
    return db.session.scalars(
        select(Article)
        .options(joinedload(Article.published_revision))
        .join(TreatmentArticle, TreatmentArticle.article_id == Article.id)
        .where(TreatmentArticle.treatment == treatment, Article.status == ArticleStatus.PUBLISHED)
    ).first()


def published_articles() -> list[tuple[int, str]]:
    """(id, title) of every published article, for the moderators' choice."""
    from forum.models import ArticleRevision

    return [
        (row.id, row.title)
        for row in db.session.execute(
            select(Article.id, ArticleRevision.title)
            .join(ArticleRevision, ArticleRevision.id == Article.published_revision_id)
            .where(Article.status == ArticleStatus.PUBLISHED)
            .order_by(ArticleRevision.title)
        )
    ]


def link_article(moderator: User, treatment: Treatment, article_id: int | None) -> None:
    """Point the treatment's page to an expert article (or to none); audited."""
    require(can_link_treatment_article(moderator), "Only moderators and admins choose the article for a treatment.")
    row = db.session.get(TreatmentArticle, treatment)
    before = {"article_id": row.article_id} if row else None
    if article_id is None:
        if row is not None:
            db.session.delete(row)
    else:
        article = db.session.get(Article, article_id)
        if article is None or article.status is not ArticleStatus.PUBLISHED:
            raise InvalidInput("Please choose a published article.")
        if row is None:
            db.session.add(TreatmentArticle(treatment=treatment, article_id=article_id, updated_at=utcnow()))
        else:
            row.article_id, row.updated_at = article_id, utcnow()
    log_action(moderator, "treatment.article", "treatment", 0, reason=treatment.value, before=before,
               after={"article_id": article_id} if article_id else None)
    db.session.flush()


# --- moderation ----------------------------------------------------------------------------------


def report_experience(reporter: User, experience: TreatmentExperience, reason: str | None, note: str | None) -> Report:
    """A member reports the story of someone's shared report; caller commits."""
    why = why_cannot_participate(reporter)
    if why:
        raise NotAllowed(why)
    require(can_report_experience(reporter, experience),
            "You cannot report your own treatment report." if experience.user_id == reporter.id else "This report cannot be reported.")
    entry, report = moderation.report_item(reporter, TargetType.EXPERIENCE, experience.id, reason, note,
                                           lambda: _entry(experience))
    _hide_if_threshold(entry, experience)
    return report


def _hide_if_threshold(entry: ReviewEntry, experience: TreatmentExperience) -> None:
    threshold = current_app.config.get("MODERATION_HIDE_THRESHOLD", 3)
    if threshold <= 0 or experience.status is not ContentStatus.PUBLISHED:
        return
    reporters = moderation.open_reporters(entry)
    if reporters < threshold or not _move(experience, ContentStatus.PUBLISHED, ContentStatus.HIDDEN):
        return
    experience.moderation_note = HIDDEN_BY_REPORTS_NOTE
    entry.hidden_by_reports = True
    log_action(None, "experience.hide_by_reports", "experience", experience.id, subject_user_id=experience.user_id,
               reason=f"{reporters} members reported it", before={"status": "published"}, after={"status": "hidden"})
    notify([experience.user_id], "moderation",
           f"Your report on {experience.treatment_label} is hidden after reports from several members, until a moderator reviews it.",
           f"/treatments/experiences/{experience.id}")
    db.session.flush()


def _move(experience: TreatmentExperience, source: ContentStatus, target: ContentStatus) -> bool:
    result = db.session.execute(
        update(TreatmentExperience)
        .where(TreatmentExperience.id == experience.id, TreatmentExperience.status == source)
        .values(status=target)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    set_committed_value(experience, "status", target)
    return True


def _settle(entry: ReviewEntry | None, experience_id: int, moderator: User, status, resolution: str, note: str | None) -> None:
    moderation._settle(entry, TargetType.EXPERIENCE, experience_id, moderator, status, resolution, note)


def hide_experience(experience: TreatmentExperience, moderator: User, reason: str | None, *, entry: ReviewEntry | None = None) -> None:
    """Hide a report (its story and its answers leave the summary); the author is told why."""
    from forum.models import ReviewStatus

    require(can_view_queue(moderator), "Only moderators and admins can do that.")
    reason = moderation._clean_text(reason, limit=moderation.REASON_MAX, required="Please give the reason the author will be told.")
    _settle(entry, experience.id, moderator, ReviewStatus.ACTIONED, "experience.hide", reason)
    if not _move(experience, ContentStatus.PUBLISHED, ContentStatus.HIDDEN) and not _move(experience, ContentStatus.HELD, ContentStatus.HIDDEN):
        raise Conflict("This report is already hidden.")
    experience.moderation_note = reason
    log_action(moderator, "experience.hide", "experience", experience.id, subject_user_id=experience.user_id, reason=reason,
               after={"status": "hidden"})
    notify([experience.user_id], "moderation",
           f"A moderator hid your report on {experience.treatment_label}. Reason: {reason}",
           f"/treatments/experiences/{experience.id}", actor_id=moderator.id)
    db.session.flush()


def restore_experience(experience: TreatmentExperience, moderator: User, *, entry: ReviewEntry | None = None) -> None:
    """Show a hidden or held report again."""
    from forum.models import ReviewStatus

    require(can_view_queue(moderator), "Only moderators and admins can do that.")
    before = experience.status
    _settle(entry, experience.id, moderator, ReviewStatus.DISMISSED if before is ContentStatus.HIDDEN else ReviewStatus.APPROVED,
            "experience.restore", None)
    if before not in (ContentStatus.HIDDEN, ContentStatus.HELD) or not _move(experience, before, ContentStatus.PUBLISHED):
        raise Conflict("This report is not hidden or held, so there is nothing to restore.")
    experience.moderation_note = None
    log_action(moderator, "experience.restore", "experience", experience.id, subject_user_id=experience.user_id,
               before={"status": before.value}, after={"status": "published"})
    notify([experience.user_id], "moderation", f"A moderator restored your report on {experience.treatment_label}.",
           f"/treatments/experiences/{experience.id}", actor_id=moderator.id)
    db.session.flush()


def dismiss_reports(experience: TreatmentExperience, moderator: User, entry: ReviewEntry | None, note: str | None) -> None:
    """No violation: close the entry, and show again what reports had hidden."""
    if entry is None or entry.target_type is not TargetType.EXPERIENCE or entry.target_id != experience.id:
        raise NotFound("There is no open queue entry on this report to dismiss.")
    moderation.dismiss(entry, moderator, note)
    if experience.status is ContentStatus.HIDDEN and experience.moderation_note == HIDDEN_BY_REPORTS_NOTE:
        if _move(experience, ContentStatus.HIDDEN, ContentStatus.PUBLISHED):
            experience.moderation_note = None
            log_action(moderator, "experience.restore", "experience", experience.id, subject_user_id=experience.user_id,
                       reason="Reports dismissed", before={"status": "hidden"}, after={"status": "published"})
    db.session.flush()


def entry_reports(experience_id: int) -> tuple[ReviewEntry | None, list[Report]]:
    """The report's pending queue entry (if any) and every report filed on it."""
    entry = moderation.pending_entry(TargetType.EXPERIENCE, experience_id)
    reports = list(db.session.scalars(
        select(Report).options(joinedload(Report.reporter))
        .where(Report.target_type == TargetType.EXPERIENCE, Report.target_id == experience_id)
        .order_by(Report.id)
    ))
    return entry, reports
