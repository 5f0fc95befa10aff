from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length

from forum.forms import ForumForm
from forum.services.community import BOOKMARK_NOTE_MAX


class ReactionForm(ForumForm):
    kind = HiddenField(validators=[DataRequired("Choose a reaction.")])


class BookmarkForm(ForumForm):
    note = StringField(
        "Note (only you can see it)",
        validators=[Length(max=BOOKMARK_NOTE_MAX, message=f"Bookmark notes are at most {BOOKMARK_NOTE_MAX} characters.")],
    )
