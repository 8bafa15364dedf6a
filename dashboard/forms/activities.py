"""The activity form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from dashboard import timezones
from dashboard.forms.common import DecimalField, SelectField, no_nul, record_field, text_field, version_field
from dashboard.forms.time_fields import LocalDateTimeField
from dashboard.models import Company, Contact, Deal
from dashboard.services.activities import STATUSES, TYPES

NOT_A_CHOICE = "Not a valid choice."  # someone else's record, or no id
NO_LINK = "Choose what the activity is about: a company, a contact or a deal (at least one)."


class ActivityForm(FlaskForm):
    type = SelectField("Type", choices=[(t, t.title()) for t in TYPES], default="call")
    status = SelectField("Status", choices=[(s, s.replace("_", " ").title()) for s in STATUSES], default="completed")
    subject = text_field("Subject", 300, required=True)
    details = TextAreaField("Details", validators=[Optional(), Length(max=20000), no_nul])
    # in the user's zone (the template names it), stored as UTC; this minute by default
    date = LocalDateTimeField("Date", validators=[InputRequired()], default=timezones.now_local)
    amount = DecimalField("Amount", places=2, validators=[Optional(), NumberRange(0, 999_999_999_999)])
    quantity = IntegerField("Quantity", default=1, validators=[InputRequired(), NumberRange(1, 1_000_000)])
    company_id = record_field("Company", Company, NOT_A_CHOICE)
    contact_id = record_field("Contact", Contact, NOT_A_CHOICE)
    deal_id = record_field("Deal", Deal, NOT_A_CHOICE)

    def validate(self, extra_validators=None) -> bool:
        """The fields, then: an activity is about something, a company, a contact or a deal (at least one).
        (The links' Optional() ends their own validation when empty, so the rule is checked here.)"""
        valid = super().validate(extra_validators)
        if not (self.company_id.data or self.contact_id.data or self.deal_id.data):
            self.company_id.errors = [*self.company_id.errors, NO_LINK]
            return False
        return valid

    def validate_amount(self, field):
        if field.data is not None and self.type.data != "sale":
            raise ValidationError("Only sales have an amount: clear it or choose the type Sale.")


class EditActivityForm(ActivityForm):
    version = version_field()


FIELDS = ("type", "status", "subject", "details", "date", "amount", "quantity")
LINKS = ("company_id", "contact_id", "deal_id")  # pickers set up by prepare_records


def apply_form(form: ActivityForm, activity) -> None:
    """Copy only the declared fields; empty text becomes NULL."""
    for name in FIELDS:
        value = getattr(form, name).data
        setattr(activity, name, value if value != "" else None)
    for name in LINKS:
        value = getattr(form, name).data
        setattr(activity, name, value or None)  # a UUID or None (OwnedRecord)
