"""The base form: every form of the forum refuses NUL characters with a clear field error."""
from __future__ import annotations

from flask_wtf import FlaskForm

NUL_MESSAGE = "This contains a NUL character, which is not allowed."


class ForumForm(FlaskForm):
    def validate(self, extra_validators=None) -> bool:
        # NUL characters are refused before any other check, so none of them reaches the database.
        with_nul = [field for field in self if isinstance(field.data, str) and "\x00" in field.data]
        if with_nul:
            for field in self:
                field.errors = [NUL_MESSAGE] if field in with_nul else []
            return False
        return super().validate(extra_validators)


def max_length(limit: int, what: str):
    """A Length validator whose message names the field: "The dose must be at most 80 characters."."""
    from wtforms.validators import Length

    return Length(max=limit, message=f"The {what} must be at most {limit:,} characters.")
