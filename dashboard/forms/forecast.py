"""The quota form of the team page: whose quota (a person the acting user may set it for), the month
(a month picker, checked as the targets form checks it) and the amount."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms.validators import InputRequired, NumberRange

from dashboard.forms.admin import TargetForm
from dashboard.forms.common import DecimalField, SelectField
from dashboard.services.deals import MAX_VALUE

QUOTA_RANGE = f"Enter a quota of 0 or more (at most {MAX_VALUE:,.0f})."


class QuotaForm(FlaskForm):
    user_id = SelectField("Rep", choices=[])
    month = TargetForm.month
    amount = DecimalField("Quota", places=2, validators=[InputRequired("Enter the quota (0 or more)."),
                                                         NumberRange(0, MAX_VALUE, QUOTA_RANGE)])  # fmt: skip

    validate_month = TargetForm.validate_month
