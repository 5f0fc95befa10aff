from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from forum.forms import ForumForm, max_length
from forum.services.messages import BODY_MAX, RECIPIENTS_MAX_CHARS
from forum.services.posting import TITLE_MAX, TITLE_MIN


class NewConversationForm(ForumForm):
    recipients = StringField(
        "To", description="Member names, separated by commas, for example “marta, lee_h”.",
        validators=[DataRequired("Please name at least one member to write to."), max_length(RECIPIENTS_MAX_CHARS, "list of members")],
    )
    title = StringField("Subject", validators=[
        DataRequired("Please give the conversation a subject."),
        Length(min=TITLE_MIN, max=TITLE_MAX, message=f"The subject must be between {TITLE_MIN} and {TITLE_MAX} characters."),
    ])
    body = TextAreaField("Message", description="Markdown works as in posts. Only the members you name can read it.",
                         validators=[DataRequired("The message cannot be empty."), max_length(BODY_MAX, "message")])


class MessageForm(ForumForm):
    body = TextAreaField("Your message", description="Markdown works as in posts.",
                         validators=[DataRequired("The message cannot be empty."), max_length(BODY_MAX, "message")])
