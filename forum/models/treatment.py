"""Treatment experience reports: what a member tried, how long it helped, what it cost them.

A member keeps one current TreatmentExperience per treatment (per name, for "other"); every edit
keeps the earlier version as a TreatmentExperienceRevision. Side effects are rows of their own so
that the community summary counts them in SQL. Every row carries the member's id: the account
export and the deletion find them all.
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.models.base import db, str_enum, utcnow
from forum.models.board import ContentStatus
from forum.models.user import User


class Treatment(enum.Enum):
    """The treatments members report on; the value is also the page's address."""

    BOTULINUM_TOXIN = "botulinum-toxin"
    CARBAMAZEPINE = "carbamazepine"
    CLONAZEPAM = "clonazepam"
    BACLOFEN = "baclofen"
    GABAPENTIN = "gabapentin"
    PHYSICAL_THERAPY = "physical-therapy"
    MICROVASCULAR_DECOMPRESSION = "microvascular-decompression"
    DEEP_BRAIN_STIMULATION = "deep-brain-stimulation"
    OTHER = "other"

    @property
    def label(self) -> str:
        return TREATMENT_LABELS[self]


TREATMENT_LABELS = {
    Treatment.BOTULINUM_TOXIN: "Botulinum toxin injections",
    Treatment.CARBAMAZEPINE: "Carbamazepine",
    Treatment.CLONAZEPAM: "Clonazepam",
    Treatment.BACLOFEN: "Baclofen",
    Treatment.GABAPENTIN: "Gabapentin",
    Treatment.PHYSICAL_THERAPY: "Physical therapy",
    Treatment.MICROVASCULAR_DECOMPRESSION: "Microvascular decompression",
    Treatment.DEEP_BRAIN_STIMULATION: "Deep brain stimulation",
    Treatment.OTHER: "Another treatment",
}


class Condition(enum.Enum):
    HEMIFACIAL_SPASM = "hemifacial_spasm"
    BLEPHAROSPASM = "blepharospasm"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"hemifacial_spasm": "Hemifacial spasm", "blepharospasm": "Blepharospasm", "other": "Another condition"}[self.value]


# Overall rating, best first; 4 and 5 count as "helpful" in the community summary.
RATINGS: dict[int, str] = {
    5: "Very helpful",
    4: "Helpful",
    3: "A little helpful",
    2: "Not helpful",
    1: "Made things worse",
}
HELPFUL_RATING = 4

# Side effects members choose from (key -> words shown), in the order shown.
SIDE_EFFECTS: dict[str, str] = {
    "drooping_eyelid": "Drooping eyelid",
    "dry_eye": "Dry or irritated eye",
    "double_vision": "Double or blurred vision",
    "facial_weakness": "Facial weakness or drooping mouth",
    "eye_closing": "Difficulty closing the eye",
    "injection_site": "Pain or bruising where injected",
    "drowsiness": "Drowsiness or tiredness",
    "dizziness": "Dizziness or unsteadiness",
    "nausea": "Nausea",
    "headache": "Headache",
    "concentration": "Memory or concentration problems",
    "mood": "Low mood or mood changes",
    "hearing": "Hearing changes",
}


class TreatmentExperience(db.Model):
    """One member's current report on one treatment."""

    __table_args__ = (
        # One current report per member and treatment ("other" ones per name, lower-cased).
        UniqueConstraint("user_id", "treatment", "other_key", name="uq_treatment_experience_user_treatment"),
        # The treatment page: counts and medians of published reports, and the shared stories by key.
        Index("ix_treatment_experience_summary", "treatment", "status", "weeks_of_relief"),
        Index("ix_treatment_experience_shared", "treatment", "shared", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    treatment: Mapped[Treatment] = mapped_column(str_enum(Treatment, 30))
    other_name: Mapped[str | None] = mapped_column(String(80))
    other_key: Mapped[str] = mapped_column(String(80), default="")
    condition: Mapped[Condition] = mapped_column(str_enum(Condition))
    dose: Mapped[str | None] = mapped_column(String(80))
    frequency: Mapped[str | None] = mapped_column(String(80))
    weeks_of_relief: Mapped[int | None]
    side_effects_other: Mapped[str | None] = mapped_column(String(300))
    rating: Mapped[int]
    story: Mapped[str] = mapped_column(Text, default="")
    story_html: Mapped[str] = mapped_column(Text, default="")
    # Shown under the member's name only when they choose; summaries are always anonymous.
    shared: Mapped[bool] = mapped_column(default=False)
    # PUBLISHED counts in summaries; HELD waits for a moderator; HIDDEN was hidden by moderation.
    status: Mapped[ContentStatus] = mapped_column(str_enum(ContentStatus), default=ContentStatus.PUBLISHED)
    moderation_note: Mapped[str | None] = mapped_column(String(500))
    revision_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    is_demo: Mapped[bool] = mapped_column(default=False)

    user: Mapped[User] = relationship(lazy="raise")
    side_effects: Mapped[list["TreatmentSideEffect"]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="TreatmentSideEffect.effect"
    )

    @property
    def treatment_label(self) -> str:
        if self.treatment is Treatment.OTHER and self.other_name:
            return self.other_name
        return self.treatment.label

    @property
    def rating_label(self) -> str:
        return RATINGS.get(self.rating, str(self.rating))


class TreatmentSideEffect(db.Model):
    """One side effect a member reported with one report."""

    __table_args__ = (Index("ix_treatment_side_effect_effect", "effect"),)

    experience_id: Mapped[int] = mapped_column(ForeignKey("treatment_experience.id"), primary_key=True)
    effect: Mapped[str] = mapped_column(String(30), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)

    @property
    def label(self) -> str:
        return SIDE_EFFECTS.get(self.effect, self.effect)


class TreatmentExperienceRevision(db.Model):
    """An earlier version of a report, kept on every edit."""

    __table_args__ = (
        UniqueConstraint("experience_id", "number", name="uq_treatment_experience_revision_experience_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    experience_id: Mapped[int] = mapped_column(ForeignKey("treatment_experience.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    number: Mapped[int]
    # The structured answers of that version (condition, dose, frequency, weeks, side effects, rating).
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    story: Mapped[str] = mapped_column(Text, default="")
    story_html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TreatmentArticle(db.Model):
    """The expert article a treatment's page points to (chosen by moderators)."""

    treatment: Mapped[Treatment] = mapped_column(str_enum(Treatment, 30), primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id"), index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
