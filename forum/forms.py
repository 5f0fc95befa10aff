"""The base form: every form of the forum refuses control characters with a clear field error."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from flask_wtf import FlaskForm
from wtforms import Field, FieldList, FormField

from forum.control_chars import control_problem


def _text_fields(fields: Iterable[Field]) -> Iterator[Field]:
    """Every field holding text, those inside lists of sub-forms (an article's references) too."""
    for field in fields:
        if isinstance(field, (FieldList, FormField)):
            yield from _text_fields(field)
        elif isinstance(field.data, str):
            yield field


class ForumForm(FlaskForm):
    def validate(self, extra_validators=None) -> bool:
        # NUL and the other C0 control characters (tab and line breaks aside) are refused before any
        # other check, so none of them reaches the database, a page or a feed (forum/control_chars.py).
        problems = {}
        for top in self:
            for field in _text_fields([top]):
                problem = control_problem(field.data)
                if problem is not None:
                    problems[field] = problem
                    problems.setdefault(top, problem)  # the form's summary lists top-level fields
        if problems:
            for top in self:
                top.errors = [problems[top]] if top in problems else []
            for field, problem in problems.items():
                field.errors = [problem]
            return False
        return super().validate(extra_validators)


def max_length(limit: int, what: str):
    """A Length validator whose message names the field: "The dose must be at most 80 characters."."""
    from wtforms.validators import Length

    return Length(max=limit, message=f"The {what} must be at most {limit:,} characters.")
