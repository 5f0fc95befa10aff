from wtforms import DateField, SearchField, SelectField, StringField
from wtforms.fields import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from forum.control_chars import CONTROL
from forum.forms import ForumForm
from forum.services.search import MAX_QUERY_LENGTH


def _controls_as_spaces(value):
    """Search text may contain anything; control characters (NUL among them) are read as spaces."""
    return CONTROL.sub(" ", value) if isinstance(value, str) else value


class SearchForm(ForumForm):
    """The search page's form, read from the query string (GET, so no CSRF token)."""

    class Meta:
        csrf = False

    q = SearchField("Search for", filters=[_controls_as_spaces], description='Tips: "exact phrase", inject* for word starts, -word to leave out, OR for either.')
    kind = SelectField("Show", choices=[SelectChoice(v, l) for v, l in (("", "Everything"), ("topic", "Topics"), ("post", "Replies"), ("article", "Articles"))], default="")
    board = SelectField("Board", choices=[SelectChoice("", "All boards")], default="")
    author = StringField("Written by", validators=[Optional(), Length(max=30)], description="A member's name.")
    since = DateField("From", validators=[Optional()], description="A date like 2026-01-31.")
    until = DateField("To", validators=[Optional()])
    order = SelectField("Order", choices=[SelectChoice("relevance", "Best match"), SelectChoice("newest", "Newest first")], default="relevance")

    def validate_q(self, field) -> None:
        if field.data and len(field.data) > MAX_QUERY_LENGTH * 10:
            raise ValidationError(f"Please search for at most {MAX_QUERY_LENGTH:,} characters.")

    def validate_until(self, field) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError("The end date must be on or after the start date.")
