"""The merge form: which kind, which record is kept and which removed, and per differing field whose value
the kept record gets (``take_<field>`` = ``removed``). Ids are checked here (well-formed, two different ones);
whether the records exist is the merge's to say."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import UUID, InputRequired, ValidationError

from dashboard import vocabulary
from dashboard.forms.common import SelectField
from dashboard.services.merging import FIELDS

CHOOSE = "Choose two records to merge."


class MergeForm(FlaskForm):
    kind = SelectField("Kind", choices=[(k, k.capitalize()) for k in vocabulary.DUPLICATE_KINDS])
    survivor = StringField("Keep", validators=[InputRequired(CHOOSE), UUID(CHOOSE)])
    loser = StringField("Remove", validators=[InputRequired(CHOOSE), UUID(CHOOSE)])
    confirm = HiddenField()

    def validate_loser(self, field):
        if (field.data or "").lower() == (self.survivor.data or "").lower():
            raise ValidationError("Choose two different records: a record cannot be merged with itself.")


def taken_fields(form_data, kind: str) -> list[str]:
    """The fields whose removed record's value the admin chose (``take_<field>`` = ``removed``)."""
    return [name for name in FIELDS.get(kind, ()) if form_data.get(f"take_{name}") == "removed"]
