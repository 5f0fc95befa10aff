from wtforms import Form, FieldList, FormField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from forum.forms import ForumForm
from forum.services.articles import (
    BODY_MAX,
    CITATION_MAX,
    COMMENT_MAX,
    LINK_MAX,
    ORDERS,
    PIN_MAX,
    PIN_MIN,
    REFERENCES_MAX,
    SUMMARY_MAX,
    SUMMARY_MIN,
    TITLE_MAX,
    TITLE_MIN,
    normalise_doi,
)
from forum.services.experts import CREDENTIAL_MAX, CREDENTIAL_MIN, INSTITUTION_MAX

try:
    from wtforms.fields.choices import SelectChoice as _choice
except ImportError:  # WTForms before 3.3 takes (value, label) tuples

    def _choice(value, label):
        return (value, label)


BODY_HELP = "Markdown: ## headings, **bold**, *italic*, - lists, [links](https://example.org). Headings start at level 2."
EMPTY_REFERENCE_ROWS = 3


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _web_address(form, field) -> None:
    value = (field.data or "").strip()
    if value and not value.lower().startswith(("https://", "http://")):
        raise ValidationError("A web address starts with https:// (or http://).")


def _doi(form, field) -> None:
    value = (field.data or "").strip()
    if value and normalise_doi(value) is None:
        raise ValidationError("A DOI looks like 10.1212/WNL.0000000000002560.")


class ReferenceForm(Form):
    """One reference: a citation with an optional web address and DOI (no CSRF of its own)."""

    citation = TextAreaField("Citation", validators=[Length(0, CITATION_MAX, f"Citations are at most {CITATION_MAX} characters.")])
    url = StringField("Web address (optional)", validators=[Optional(), Length(0, LINK_MAX), _web_address])
    doi = StringField("DOI (optional)", validators=[Optional(), Length(0, LINK_MAX), _doi])

    def validate_citation(self, field) -> None:
        if not (field.data or "").strip() and ((self.url.data or "").strip() or (self.doi.data or "").strip()):
            raise ValidationError("Please give the citation for this web address or DOI.")


class ArticleForm(ForumForm):
    title = StringField(
        "Title",
        validators=[DataRequired("Please give the article a title."), Length(TITLE_MIN, TITLE_MAX, f"Titles are {TITLE_MIN} to {TITLE_MAX} characters.")],
    )
    summary = TextAreaField(
        "Summary",
        description="One paragraph that tells readers what the article covers. Shown in lists and the feed.",
        validators=[DataRequired("Please write a one-paragraph summary."), Length(SUMMARY_MIN, SUMMARY_MAX, f"Summaries are {SUMMARY_MIN} to {SUMMARY_MAX} characters.")],
    )
    body = TextAreaField(
        "Article",
        description=BODY_HELP,
        validators=[DataRequired("Please write the article."), Length(1, BODY_MAX, f"Articles are at most {BODY_MAX:,} characters.")],
    )
    main_board = SelectField("Main board", coerce=int, description="Where “Discuss this article” opens once it is published.",
                             validators=[DataRequired("Choose the board this article belongs to.")])
    other_boards = MultiCheckboxField("Other related boards (optional)", coerce=int)
    references = FieldList(FormField(ReferenceForm), min_entries=EMPTY_REFERENCE_ROWS, max_entries=REFERENCES_MAX)

    def set_board_choices(self, boards) -> None:
        self.main_board.choices = [_choice(0, "Choose a board")] + [_choice(b.id, b.name) for b in boards]
        self.other_boards.choices = [_choice(b.id, b.name) for b in boards]

    def validate_main_board(self, field) -> None:
        if not field.data:
            raise ValidationError("Choose the board this article belongs to.")

    def board_ids(self) -> list[int]:
        return [self.main_board.data] + [b for b in (self.other_boards.data or []) if b != self.main_board.data]

    def reference_rows(self) -> list[dict]:
        return [dict(entry.data) for entry in self.references]

    def load_references(self, references: list[dict]) -> None:
        while len(self.references):
            self.references.pop_entry()
        for ref in references:
            self.references.append_entry({"citation": ref.get("citation") or "", "url": ref.get("url") or "", "doi": ref.get("doi") or ""})
        for _ in range(EMPTY_REFERENCE_ROWS):
            if len(self.references) < REFERENCES_MAX:
                self.references.append_entry()


class ReturnForm(ForumForm):
    comment = TextAreaField(
        "Comment for the author",
        description="What should the author change before this can be published? The author sees this comment.",
        validators=[DataRequired("Tell the author what to change."), Length(1, COMMENT_MAX, f"Comments are at most {COMMENT_MAX:,} characters.")],
    )


class PinForm(ForumForm):
    position = IntegerField(
        "Position",
        description="1 comes first.",
        validators=[InputRequired("Give a position, such as 1."), NumberRange(PIN_MIN, PIN_MAX, f"Positions are whole numbers from {PIN_MIN} to {PIN_MAX}.")],
    )


class ArchiveForm(ForumForm):
    reason = StringField("Reason (optional, recorded in the audit log)", validators=[Length(0, 1000)])


class ListFilterForm(Form):
    """The /articles filters (a GET form: no CSRF)."""

    board = SelectField("Board", default="")
    order = SelectField("Order", choices=[_choice(k, v) for k, v in ORDERS.items()], default="newest")

    def set_board_choices(self, boards) -> None:
        self.board.choices = [_choice("", "All boards")] + [_choice(b.slug, b.name) for b in boards]


class ExpertForm(ForumForm):
    username = StringField("Member's username", validators=[DataRequired("Which member is this?"), Length(1, 30)])
    credential = StringField(
        "Credential",
        description="Shown with the badge, e.g. “Neurologist, movement disorders”.",
        validators=[DataRequired("Please give the credential you verified."), Length(CREDENTIAL_MIN, CREDENTIAL_MAX, f"Credentials are {CREDENTIAL_MIN} to {CREDENTIAL_MAX} characters.")],
    )
    institution = StringField("Institution (optional)", validators=[Length(0, INSTITUTION_MAX, f"Institutions are at most {INSTITUTION_MAX} characters.")])


class RevokeForm(ForumForm):
    reason = StringField("Reason (optional, recorded in the audit log)", validators=[Length(0, 1000)])
