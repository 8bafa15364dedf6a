"""The saved-view form: a name for the list's current filters, shared with the team or not, default or not."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField
from wtforms.validators import InputRequired, Length

from dashboard.forms.common import SelectField, no_nul, text_field
from dashboard.services.saved_views import LISTS, QUERY_LENGTH


class SavedViewForm(FlaskForm):
    list = SelectField("List", choices=[(name, name) for name in LISTS], validators=[InputRequired()])
    name = text_field("Name", 80, required=True)
    query = HiddenField("Filters", validators=[Length(max=QUERY_LENGTH, message="These filters are too long to save."),
                                               no_nul])  # fmt: skip
    shared = BooleanField("Share with my team")
    is_default = BooleanField("Open the list with it")
