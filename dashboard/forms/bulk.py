"""The bulk action form of the lists: the action and its value, and which rows (the ticked ``ids``, read
from the request, or every row the list's filter ``query`` matches)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import Length, Optional

from dashboard.forms.common import no_nul


class BulkForm(FlaskForm):
    action = SelectField("Action", choices=[], validate_choice=False)
    scope = HiddenField(default="selected")  # "filter": every row the list's query matches
    query = HiddenField(validators=[Optional(), Length(max=4000), no_nul])  # the list's query string
    owner_id = StringField("New owner", validators=[Optional(), Length(max=40)])
    stage_id = StringField("Stage", validators=[Optional(), Length(max=40)])
    close_date = StringField("Close date", validators=[Optional(), Length(max=10)])
    lost_reason_id = StringField("Lost reason", validators=[Optional(), Length(max=40)])
