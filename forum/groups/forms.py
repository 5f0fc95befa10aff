from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from forum.forms import ForumForm, max_length
from forum.models.groups import MeetingFormat
from forum.services.groups import (
    CITY_MAX,
    CONTACT_MAX,
    COUNTRY_MAX,
    DESCRIPTION_MAX,
    NAME_MAX,
    NAME_MIN,
    NOTE_MAX,
    SCHEDULE_MAX,
    GroupInput,
)


class GroupForm(ForumForm):
    name = StringField("Group name", validators=[
        DataRequired("Please give the group's name."),
        Length(min=NAME_MIN, max=NAME_MAX, message=f"The name must be {NAME_MIN} to {NAME_MAX} characters."),
    ])
    format = RadioField("How does the group meet?", choices=[(m.value, m.label) for m in MeetingFormat],
                        validators=[InputRequired("Please choose in person, online, or both.")])
    country = StringField("Country", description="Needed for groups that meet in person.",
                          validators=[Optional(), max_length(COUNTRY_MAX, "country")])
    city = StringField("City or town", description="Needed for groups that meet in person.", validators=[Optional(), max_length(CITY_MAX, "city")])
    schedule = StringField("When it meets, in words", description="For example “first Tuesday of the month, 7 pm”.",
                           validators=[DataRequired("Please say when the group meets."), max_length(SCHEDULE_MAX, "schedule")])
    description = TextAreaField(
        "About the group", description="Who it is for and what a meeting is like. Markdown: **bold**, *italic*, - lists. "
        "No email addresses or phone numbers: members contact you through the forum.",
        validators=[DataRequired("Please describe the group."), max_length(DESCRIPTION_MAX, "description")],
    )

    def to_input(self) -> GroupInput:
        return GroupInput(name=self.name.data or "", format=self.format.data, schedule=self.schedule.data or "",
                          description=self.description.data or "", country=self.country.data, city=self.city.data)


class ContactForm(ForumForm):
    body = TextAreaField("Your message to the organiser", description="The organiser sees your forum name, never your email address.",
                         validators=[DataRequired("Please write a message."), max_length(CONTACT_MAX, "message")])


class ReviewForm(ForumForm):
    reason = TextAreaField("Note (the reason the organiser will be told when not listing)",
                           validators=[Optional(), max_length(NOTE_MAX, "note")])


