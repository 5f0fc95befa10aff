"""The base form: every form of the forum refuses NUL characters with a clear field error."""
from __future__ import annotations

from flask_wtf import FlaskForm


class ForumForm(FlaskForm):
    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            data = field.data
            if isinstance(data, str) and "\x00" in data:
                field.errors = [*field.errors, "This contains a NUL character, which is not allowed."]
                valid = False
        return valid
