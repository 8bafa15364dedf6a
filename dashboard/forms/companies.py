"""The company form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional, Regexp

from dashboard.forms.common import SelectField, no_nul, text_field, version_field
from dashboard.services.companies import SIZES, TIERS


class CompanyForm(FlaskForm):
    name = text_field("Name", 200, required=True)
    domain = text_field("Domain", 253)
    industry = text_field("Industry", 100)
    size = SelectField("Size", choices=[("", "—")] + [(s, s.title()) for s in SIZES], validators=[Optional()])
    account_tier = SelectField("Account tier", choices=[(t, t) for t in TIERS], default="smb")
    website = text_field("Website", 2048)
    phone = text_field("Phone", 50)
    address = text_field("Address", 500)
    annual_revenue = IntegerField("Annual revenue", validators=[Optional(), NumberRange(0, 10**15)])
    employee_count = IntegerField("Employees", validators=[Optional(), NumberRange(0, 10_000_000)])
    is_target_account = BooleanField("Target account")
    description = TextAreaField("Description", validators=[Optional(), Length(max=5000), no_nul])

    def validate_domain(self, field):
        if field.data:
            field.data = field.data.lower().removeprefix("https://").removeprefix("http://").removeprefix("www.")
            field.data = field.data.split("/")[0]
            Regexp(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$",
                   message="Enter a domain like example.com.")(self, field)  # fmt: skip

    def validate_website(self, field):
        if field.data:
            Regexp(r"^https?://\S+$", flags=0, message="Enter a web address starting with http:// or https://.")(
                self, field
            )


class EditCompanyForm(CompanyForm):
    version = version_field()


FIELDS = ("name", "domain", "industry", "size", "account_tier", "website", "phone", "address",
          "annual_revenue", "employee_count", "is_target_account", "description")  # fmt: skip


def apply_form(form: CompanyForm, company) -> None:
    """Copy only the declared fields; empty text becomes NULL."""
    for name in FIELDS:
        value = getattr(form, name).data
        setattr(company, name, value if value not in ("",) else None)
    company.is_target_account = bool(form.is_target_account.data)
