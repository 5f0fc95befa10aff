from wtforms import BooleanField, HiddenField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from forum.articles.forms import MultiCheckboxField
from forum.forms import ForumForm, max_length
from forum.models.treatment import RATINGS, SIDE_EFFECTS, Condition, Treatment
from forum.services.treatments import (
    DOSE_MAX,
    FREQUENCY_MAX,
    NAME_MAX,
    SIDE_EFFECTS_OTHER_MAX,
    STORY_MAX,
    WEEKS_MAX,
    ExperienceInput,
)


class ExperienceForm(ForumForm):
    """The answers of a report; the treatment is chosen only when filing (see NewExperienceForm)."""

    condition = RadioField(
        "Which condition was it for?", choices=[(c.value, c.label) for c in Condition],
        validators=[InputRequired("Please choose the condition.")],
    )
    dose = StringField("Dose (optional)", description="For example “25 units each side” or “100 mg twice a day”.",
                       validators=[Optional(), max_length(DOSE_MAX, "dose")])
    frequency = StringField("How often (optional)", description="For example “every 12 weeks” or “daily”.",
                            validators=[Optional(), max_length(FREQUENCY_MAX, "frequency")])
    weeks_of_relief = IntegerField(
        "Weeks of relief (optional)", description="About how many weeks it helped each time (0 if it did not help).",
        validators=[Optional(), NumberRange(0, WEEKS_MAX, f"Weeks of relief must be a whole number from 0 to {WEEKS_MAX}.")],
    )
    side_effects = MultiCheckboxField("Side effects you had", choices=list(SIDE_EFFECTS.items()), validate_choice=True)
    side_effects_other = StringField("Other side effects (optional)", validators=[Optional(), max_length(SIDE_EFFECTS_OTHER_MAX, "description")])
    rating = RadioField(
        "Overall, how was it for you?", choices=list(RATINGS.items()), coerce=int,
        validators=[InputRequired("Please choose an overall rating.")],
    )
    story = TextAreaField(
        "Your story (optional)", description="A few words for others considering it. Markdown: **bold**, *italic*, - lists.",
        validators=[Optional(), max_length(STORY_MAX, "story")],
    )
    shared = BooleanField("Show this report under my name on the treatment's page (otherwise only counted anonymously)")

    def to_input(self, treatment: str | None = None, other_name: str | None = None) -> ExperienceInput:
        return ExperienceInput(
            treatment=treatment, other_name=other_name, condition=self.condition.data, rating=self.rating.data,
            dose=self.dose.data, frequency=self.frequency.data, weeks_of_relief=self.weeks_of_relief.data,
            side_effects=tuple(self.side_effects.data or ()), side_effects_other=self.side_effects_other.data,
            story=self.story.data or "", shared=bool(self.shared.data),
        )


class NewExperienceForm(ExperienceForm):
    treatment = SelectField(
        "Treatment", choices=[("", "Choose a treatment")] + [(t.value, t.label) for t in Treatment],
        validators=[InputRequired("Please choose the treatment.")],
    )
    other_name = StringField("Name of the other treatment (only for “Another treatment”)",
                             validators=[Optional(), max_length(NAME_MAX, "treatment's name")])

    def validate_treatment(self, field) -> None:
        if field.data == "":
            raise ValidationError("Please choose the treatment.")
        if field.data == Treatment.OTHER.value and not (self.other_name.data or "").strip():
            self.other_name.errors = [*self.other_name.errors, "Please give the name of the other treatment."]
            raise ValidationError("Please name the other treatment below.")


class ArticleLinkForm(ForumForm):
    article = SelectField("Expert article on this treatment", coerce=str)


class ModerateForm(ForumForm):
    entry_id = HiddenField()
    reason = TextAreaField("Reason the author will be told", validators=[Optional(), Length(max=500)])
