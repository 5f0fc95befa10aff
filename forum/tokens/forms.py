from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from forum.forms import ForumForm
from forum.services.tokens import NAME_MAX

EXPIRY_CHOICES = [("30", "In 30 days"), ("90", "In 90 days"), ("365", "In a year"), ("7", "In 7 days"), ("never", "Never")]


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class TokenForm(ForumForm):
    name = StringField(
        "Name",
        description="What the token is for, e.g. \"phone app\" or \"check-in bot\".",
        validators=[DataRequired("Please give the token a name."), Length(max=NAME_MAX)],
    )
    scopes = CheckboxesField(
        "Scopes",
        description="Read: your notifications and data. Write: post, edit, report and watch as you. "
        "Moderate (moderators only): the review queue and the moderation log.",
    )
    expires = SelectField("Expires", choices=EXPIRY_CHOICES, default="30")

    def validate_scopes(self, field) -> None:
        # Not DataRequired: that would mark every checkbox required in the browser.
        if not field.data:
            raise ValidationError("Choose at least one scope.")
