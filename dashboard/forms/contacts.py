"""The contact form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms.validators import Optional, ValidationError

from dashboard.forms.common import SelectField, record_field, text_field, version_field
from dashboard.models import Company
from dashboard.services.contacts import CONTACT_METHODS, SENIORITIES
from dashboard.users import EMAIL


class ContactForm(FlaskForm):
    first_name = text_field("First name", 100, required=True)
    last_name = text_field("Last name", 100)
    email = text_field("Email", 254)
    phone = text_field("Phone", 50)
    title = text_field("Title", 200)
    company_id = record_field("Company", Company, "Not a valid choice.")
    job_seniority = SelectField(
        "Seniority", choices=[("", "—")] + [(s, s.title()) for s in SENIORITIES], validators=[Optional()]
    )
    preferred_contact_method = SelectField(
        "Preferred contact method", choices=[(m, m.title()) for m in CONTACT_METHODS], default="email"
    )

    def validate_email(self, field):
        if field.data:
            field.data = field.data.lower()
            if not EMAIL.match(field.data):
                raise ValidationError("Enter an email address like name@example.com.")


class EditContactForm(ContactForm):
    version = version_field()


FIELDS = ("first_name", "last_name", "email", "phone", "title", "job_seniority", "preferred_contact_method")


def apply_form(form: ContactForm, contact) -> None:
    """Copy only the declared fields; empty text becomes NULL (last name: empty)."""
    for name in FIELDS:
        value = getattr(form, name).data
        setattr(contact, name, value if value != "" else None)
    contact.last_name = form.last_name.data or ""
    contact.company_id = form.company_id.data  # a UUID or None (OwnedRecord)
