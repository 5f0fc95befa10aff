from wtforms import BooleanField, HiddenField, RadioField, SelectField
from wtforms.fields import SelectChoice
from wtforms.validators import AnyOf, InputRequired

from forum.forms import ForumForm
from forum.models.notification import EmailPreference

EMAIL_CHOICES = [
    SelectChoice(EmailPreference.NONE.value, "No email: I check the bell myself"),
    SelectChoice(EmailPreference.IMMEDIATE.value, "An email for each notification"),
    SelectChoice(EmailPreference.DAILY.value, "One summary email a day"),
]

WATCH_CHOICES = [
    SelectChoice("watching", "Watching: tell me about every new post"),
    SelectChoice("normal", "Normal: only replies to my topics, quotes and mentions"),
    SelectChoice("muted", "Muted: tell me nothing"),
]


class NotificationSettingsForm(ForumForm):
    email = RadioField("Email", choices=EMAIL_CHOICES, validators=[InputRequired()], default=EmailPreference.NONE.value)
    watch_participated = BooleanField("Watch topics I start or reply to", default=True)


class WatchForm(ForumForm):
    level = SelectField("Notifications", choices=WATCH_CHOICES, validators=[InputRequired()])


class ConfirmForm(ForumForm):
    """A button alone (the CSRF token is the only field)."""


class UnsubscribeForm(ForumForm):
    """The one-click unsubscribe button: the signed link authenticates it, so no CSRF token."""

    class Meta:
        csrf = False

    confirm = HiddenField(default="1", validators=[AnyOf(["1"])])
