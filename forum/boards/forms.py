import secrets

from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from forum.forms import ForumForm
from forum.services.posting import BODY_MAX, ERASE_REASON_MAX, TITLE_MAX, TITLE_MIN

def _submission_key() -> str:
    return secrets.token_urlsafe(24)


BODY_HELP = "Write in Markdown: **bold**, *italic*, > quote, - lists, [links](https://example.org)."


class TopicForm(ForumForm):
    title = StringField(
        "Title",
        validators=[DataRequired("Please give your topic a title."), Length(TITLE_MIN, TITLE_MAX, f"Titles are {TITLE_MIN} to {TITLE_MAX} characters.")],
    )
    body = TextAreaField(
        "Message",
        description=BODY_HELP,
        validators=[DataRequired("Please write a message."), Length(1, BODY_MAX, f"Messages are at most {BODY_MAX:,} characters.")],
    )
    # A one-time key: the same form sent twice makes one topic (forum.services.posting.claim_submission).
    submission_key = HiddenField(default=_submission_key)


class ReplyForm(ForumForm):
    body = TextAreaField(
        "Your reply",
        description=BODY_HELP,
        validators=[DataRequired("Please write a reply."), Length(1, BODY_MAX, f"Replies are at most {BODY_MAX:,} characters.")],
    )
    # A one-time key: the same form sent twice makes one reply (forum.services.posting.claim_submission).
    submission_key = HiddenField(default=_submission_key)


class EditPostForm(ForumForm):
    title = StringField("Title", validators=[Length(0, TITLE_MAX, f"Titles are {TITLE_MIN} to {TITLE_MAX} characters.")])
    body = TextAreaField(
        "Message",
        description=BODY_HELP,
        validators=[DataRequired("The message cannot be empty."), Length(1, BODY_MAX, f"Messages are at most {BODY_MAX:,} characters.")],
    )


class ConfirmForm(ForumForm):
    """A form with nothing but its CSRF token, for POST-only buttons."""


class EraseRevisionForm(ForumForm):
    """Erase an earlier version of a post; staff erasing someone's version may say why (audit log)."""

    reason = StringField(
        "Reason (for the audit log)",
        validators=[Optional(), Length(max=ERASE_REASON_MAX, message=f"Reasons are at most {ERASE_REASON_MAX} characters.")],
    )


class DraftForm(ForumForm):
    """The same title and body, sent by "Save draft" or the autosave script: unfinished text is fine."""

    title = StringField("Title", validators=[Optional(), Length(max=TITLE_MAX, message=f"Titles are at most {TITLE_MAX} characters.")])
    body = TextAreaField("Message", validators=[Length(max=BODY_MAX, message=f"Messages are at most {BODY_MAX:,} characters.")])
