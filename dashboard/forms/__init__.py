"""The app's forms: shared pieces in ``common`` (re-exported here), one module per entity or area
with its FlaskForm classes, validators and the copy from a form to its record."""

from dashboard.forms.common import (
    CHOICE_LIMIT,
    OwnedRecord,
    QuickSelect,
    SelectField,
    finite,
    first_error,
    no_nul,
    option_tags,
    prepare_records,
    record_choices,
    record_field,
    text_field,
    version_field,
)

__all__ = [
    "CHOICE_LIMIT", "OwnedRecord", "QuickSelect", "SelectField", "finite", "first_error", "no_nul", "option_tags",
    "prepare_records", "record_choices", "record_field", "text_field", "version_field",
]  # fmt: skip
