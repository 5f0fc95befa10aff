from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import AnyOf

from forum.forms import ForumForm
from forum.services.comfort import TEXT_SIZES, THEMES


class ReadingForm(ForumForm):
    """The Reading control (its radio buttons are drawn by templates/_partials/reading_control.html).

    Visitors post it without a CSRF token: for them it only sets their own cookie.
    """

    size = StringField("Text size", default="100", validators=[AnyOf([str(size) for size in TEXT_SIZES])])
    theme = StringField("Colours", default="system", validators=[AnyOf(list(THEMES))])
    reduce_motion = BooleanField("Reduce motion")
    wide_spacing = BooleanField("Wider line spacing")
    next = HiddenField()
