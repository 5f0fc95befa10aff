from wtforms import HiddenField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from forum.forms import ForumForm
from forum.models import WatchedWordAction
from forum.models.moderation import REPORT_REASONS
from forum.services.moderation import NOTE_MAX, REASON_MAX, SUSPEND_MAX_DAYS
from forum.services.posting import BODY_MAX, TITLE_MAX, TITLE_MIN


class ReportForm(ForumForm):
    reason = RadioField(
        "Why are you reporting this?",
        choices=list(REPORT_REASONS.items()),
        validators=[InputRequired("Please choose a reason.")],
    )
    note = TextAreaField(
        "Anything the moderators should know (optional; required for “Other”)",
        validators=[Optional(), Length(max=NOTE_MAX, message=f"Please keep it to {NOTE_MAX:,} characters.")],
    )


class _EntryForm(ForumForm):
    """Every moderator action form carries the queue entry it settles, if any."""

    entry_id = HiddenField()


class PlainActionForm(_EntryForm):
    """Dismiss, approve, restore, lock, pin, lift...: an optional note for the log."""

    reason = TextAreaField("Note for the log (optional)", validators=[Optional(), Length(max=REASON_MAX)])


class ReasonActionForm(_EntryForm):
    """Hide, delete, reject: the author is told the reason."""

    reason = TextAreaField(
        "Reason the author will be told",
        validators=[DataRequired("Please give the reason the author will be told."), Length(max=REASON_MAX)],
    )


class MoveForm(_EntryForm):
    board = SelectField("Move to board", coerce=int, validators=[InputRequired("Please choose a board.")])
    reason = TextAreaField("Note for the log (optional)", validators=[Optional(), Length(max=REASON_MAX)])


class WarnForm(_EntryForm):
    reason = TextAreaField(
        "Warning the member will read and must acknowledge",
        validators=[DataRequired("Please write the warning."), Length(max=NOTE_MAX)],
    )


class SuspendForm(_EntryForm):
    days = IntegerField(
        "Days",
        default=7,
        validators=[
            InputRequired("Please give a number of days."),
            NumberRange(1, SUSPEND_MAX_DAYS, f"Between 1 and {SUSPEND_MAX_DAYS} days."),
        ],
    )
    reason = TextAreaField(
        "Reason the member will see",
        validators=[DataRequired("Please give the reason the member will see."), Length(max=REASON_MAX)],
    )


class BanForm(_EntryForm):
    reason = TextAreaField(
        "Reason for the ban (the member sees it)",
        validators=[DataRequired("Please give the reason for the ban."), Length(max=REASON_MAX)],
    )


class StaffNoteForm(ForumForm):
    body = TextAreaField(
        "Private note (staff only)",
        validators=[DataRequired("The note cannot be empty."), Length(max=2000)],
    )


class ModEditForm(_EntryForm):
    title = StringField("Title", validators=[Optional(), Length(TITLE_MIN, TITLE_MAX)])
    body = TextAreaField("Message", validators=[DataRequired("The message cannot be empty."), Length(1, BODY_MAX)])
    note = StringField(
        "Note to the author: why you edited it",
        validators=[DataRequired("Please say why you edited the post."), Length(max=REASON_MAX)],
    )


class WatchedWordForm(ForumForm):
    word = StringField(
        "Word or phrase",
        description="Matched as whole words, ignoring case; * stands for any letters (e.g. cure*).",
        validators=[DataRequired("Please enter a word or phrase."), Length(max=100)],
    )
    action = SelectField(
        "What happens to a post that contains it",
        choices=[(a.value, a.label) for a in WatchedWordAction],
        validators=[InputRequired()],
    )
