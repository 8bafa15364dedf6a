"""The meeting form and the forms of the panels on a meeting's page (outcome, attendees, action items,
linked deals)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from dashboard.forms.common import OwnedRecord, SelectField, no_nul, record_field, text_field, version_field
from dashboard.forms.time_fields import LocalDateTimeField
from dashboard.models import Company, Contact, Deal
from dashboard.services.meetings import OUTCOMES, PRIORITIES, TYPES


class MeetingForm(FlaskForm):
    title = text_field("Title", 300, required=True)
    # in the user's zone (the template names it), stored as UTC
    starts_at = LocalDateTimeField("Starts", invalid_value_message="Enter a date and time.",
                                   validators=[InputRequired("Enter when the meeting starts.")])  # fmt: skip
    ends_at = LocalDateTimeField("Ends", invalid_value_message="Enter a date and time.", validators=[Optional()])
    meeting_type = SelectField("Type", choices=[(t, t.replace("_", " ")) for t in TYPES], default="other")
    company_id = record_field("Company", Company)
    primary_contact_id = record_field("Primary contact", Contact)
    primary_deal_id = record_field("Primary deal", Deal)
    summary = TextAreaField("Summary", validators=[Optional(), Length(max=20000), no_nul])
    next_steps = TextAreaField("Next steps", validators=[Optional(), Length(max=5000), no_nul])

    def validate_ends_at(self, field):
        if field.data and self.starts_at.data and field.data < self.starts_at.data:
            raise ValidationError("The meeting must end after it starts.")


class EditMeetingForm(MeetingForm):
    version = version_field()


FIELDS = ("title", "starts_at", "ends_at", "meeting_type", "company_id", "primary_contact_id",
          "primary_deal_id", "summary", "next_steps")  # fmt: skip


def apply_form(form: MeetingForm, meeting) -> None:
    """Copy only the declared fields; empty text becomes NULL."""
    for name in FIELDS:
        value = form[name].data
        setattr(meeting, name, value if value != "" else None)


class OutcomeForm(FlaskForm):
    meeting_outcome = SelectField("Outcome", choices=[("", "Choose…")] + [(o, o.replace("_", " ")) for o in OUTCOMES],
                                  validators=[DataRequired("Choose an outcome.")])  # fmt: skip


class AttendeeForm(FlaskForm):
    contact_id = SelectField("Contact", choices=[], validate_choice=False,
                             validators=[DataRequired("Choose a contact."), OwnedRecord(Contact)])  # fmt: skip


class ActionItemForm(FlaskForm):
    description = text_field("Action item", 2000, required=True)
    priority = SelectField("Priority", choices=[(p, p) for p in PRIORITIES], default="medium")
    deadline = DateField("Deadline", validators=[Optional()])


class DealLinkForm(FlaskForm):
    deal_id = SelectField(
        "Deal", choices=[], validate_choice=False,
        validators=[DataRequired("Choose a deal."), OwnedRecord(Deal, "Choose one of your deals.")],
    )  # fmt: skip
