"""The legacy import's forms: the CSV upload (checked before anything is written), the run options,
and the answer to a review item."""

from __future__ import annotations

import uuid

from flask import current_app, request
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import func, or_, select
from wtforms import BooleanField, RadioField, StringField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from dashboard.db import db
from dashboard.forms.common import no_nul
from dashboard.legacy import normalize as n
from dashboard.legacy.importer import ACTIVITY_COLUMNS, DEAL_COLUMNS, LegacyFileError, check_file_header
from dashboard.models import Company, Contact, Deal, LegacyReviewItem

UPLOAD_MAX_BYTES = 20 * 1024 * 1024  # per file; CRM_LEGACY_UPLOAD_MAX_BYTES overrides


def upload_limit() -> int:
    return int(current_app.config.get("LEGACY_UPLOAD_MAX_BYTES", UPLOAD_MAX_BYTES))


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:g} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"


def _read_upload(storage, columns: list[str], default_name: str) -> tuple[str, str]:
    """(file name, text) of an uploaded CSV, or a ValidationError that says what is wrong with it."""
    limit = upload_limit()
    raw = storage.stream.read(limit + 1)
    if len(raw) > limit:
        raise ValidationError(f"The file is larger than {megabytes(limit)}. Split it, or import it with "
                              "crm import-legacy on the server.")  # fmt: skip
    if not raw.strip():
        raise ValidationError("The file is empty.")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationError(f"The file is not UTF-8 text (byte {exc.start + 1} is not valid UTF-8). "
                              "Save it as “CSV UTF-8” and upload it again.") from None  # fmt: skip
    if "\x00" in text:
        raise ValidationError("The file contains NUL bytes: it is not a text CSV (UTF-16?). "
                              "Save it as “CSV UTF-8” and upload it again.")  # fmt: skip
    name = "".join(ch for ch in (storage.filename or "") if ch.isprintable()).replace("\\", "/").rsplit("/", 1)[-1]
    name = name.strip()[:255] or default_name
    try:
        check_file_header(text, columns, name)
    except LegacyFileError as exc:
        raise ValidationError(str(exc)) from None
    return name, text


class UploadForm(FlaskForm):
    deals = FileField("Deals CSV", validators=[FileRequired("Choose the legacy deals CSV file.")])
    activities = FileField("Activities CSV (optional)")
    dry_run = BooleanField("Dry run: validate, resolve and report, but write nothing", default=True)
    skip_invalid = BooleanField("Skip invalid rows (otherwise one invalid row stops the whole import)")

    def validate_deals(self, field):
        self.deals_file = _read_upload(field.data, DEAL_COLUMNS, "deals.csv")

    def validate_activities(self, field):
        self.activities_file = (None, None)
        if field.data:
            self.activities_file = _read_upload(field.data, ACTIVITY_COLUMNS, "activities.csv")


class OptionsForm(FlaskForm):
    """Dry run / skip invalid for a re-run or the staged rows (hidden fields on buttons)."""

    dry_run = BooleanField("Dry run: validate, resolve and report, but write nothing", default=True)
    skip_invalid = BooleanField("Skip invalid rows")


class ResolveForm(FlaskForm):
    company = RadioField("Company", choices=[], validators=[InputRequired("Pick a company, or create a new one.")])
    new_company_name = StringField("Name of the new company", validators=[Optional(), Length(max=200), no_nul])
    other_company = StringField(
        "Name or domain of an existing company", validators=[Optional(), Length(max=200), no_nul]
    )
    contact = RadioField("Contact", choices=[], validators=[InputRequired("Pick a contact, or none.")])

    def validate_new_company_name(self, field):
        if self.company.data == "new" and not n.clean(field.data):
            raise ValidationError("Enter a name for the new company.")

    def validate_other_company(self, field):
        if self.company.data != "other" or field.errors:  # e.g. a NUL byte: never sent to the database
            return
        value = n.clean(field.data).lower()
        if not value:
            raise ValidationError("Enter the name or domain of the company.")
        found = db.session.scalars(
            select(Company.id).where(or_(func.lower(Company.name) == value, Company.domain == value)).limit(2)
        ).all()
        if not found:
            raise ValidationError(f"No company is named {field.data[:100]!r} or uses that domain.")
        if len(found) > 1:
            raise ValidationError("More than one company has that name: use its domain.")
        self.other_company_id = found[0]


def fill_choices(form: ResolveForm, item: LegacyReviewItem, deal: Deal | None) -> dict:
    """The answers this item offers: suggested companies (as they are now), a new or another company;
    the deal's own contact, suggested contacts, a new one from the row, or none."""
    legacy = item.legacy_deal
    suggested = item.suggestions.get("companies", [])
    score = {s.get("id"): s.get("score") for s in suggested}
    ids = [uuid.UUID(s["id"]) for s in suggested if is_uuid(s.get("id"))]
    companies = {c.id: c for c in db.session.scalars(select(Company).where(Company.id.in_(ids)))} if ids else {}
    form.company.choices = [(str(c), f"{companies[c].name}" + (f" (match {score.get(str(c))})" if score.get(str(c))
                             else "")) for c in ids if c in companies]  # fmt: skip
    form.company.choices += [("new", "A new company"), ("other", "Another existing company")]
    current = deal.primary_contact if deal is not None else None
    contact_ids = [uuid.UUID(s["id"]) for s in item.suggestions.get("contacts", []) if is_uuid(s.get("id"))]
    people = db.session.scalars(select(Contact).where(Contact.id.in_(contact_ids))).all() if contact_ids else []
    choices = [("keep", f"Keep {current.first_name} {current.last_name}".strip())] if current else []
    choices += [(str(p.id), f"{p.first_name} {p.last_name}".strip() + (f" <{p.email}>" if p.email else ""))
                for p in people if current is None or p.id != current.id]  # fmt: skip
    if n.person_name(legacy.contact_name)[0]:
        choices.append(("new", f"A new contact: {n.clean(legacy.contact_name)[:100]}"))
    form.contact.choices = choices + [("none", "No contact")]
    if request.method == "GET":
        form.contact.data = "keep" if current else "none"
        form.new_company_name.data = n.display_company(legacy.company) or None
    return companies


def is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
