"""The deal form, the pipeline's move form, and the stakeholder map form (a row per stakeholder, one
blank row to add someone) with its checks."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from dashboard.forms import common
from dashboard.forms.common import DecimalField, no_nul, prepare_records, record_field, text_field, version_field
from dashboard.models import Company, Contact
from dashboard.services import deals as deal_rules
from dashboard.services import forecast
from dashboard.services import stages as stages_service
from dashboard.services import stakeholders as maps


class DealForm(FlaskForm):
    name = text_field("Name", 200, required=True)
    value = DecimalField("Value", places=2, validators=[InputRequired("Enter the deal's value (0 or more)."),
                                                         NumberRange(0, deal_rules.MAX_VALUE)])  # fmt: skip
    stage_id = SelectField("Stage", choices=[])
    expected_close_date = DateField("Expected close date", validators=[Optional()])
    company_id = record_field("Company", Company)
    primary_contact_id = record_field("Primary contact", Contact)
    budget_confirmed = BooleanField("Budget confirmed")
    forecast_category = SelectField("Forecast category", choices=forecast.category_choices(), default="pipeline")
    lost_reason_id = SelectField("Lost reason (when the stage is a lost one)", choices=[], default="")

    def validate_lost_reason_id(self, field):
        """A deal moved to a lost stage needs a reason (the database refuses it without one too)."""
        if lost_stage(self.stage_id.data) and not field.data:
            raise ValidationError("Choose why the deal was lost.")


class EditDealForm(DealForm):
    version = version_field()


class MoveForm(FlaskForm):
    """The pipeline board's stage select on a card (and the reason, when the stage is a lost one)."""

    stage_id = common.SelectField("Stage", choices=[])
    lost_reason_id = common.SelectField("Lost reason", choices=[], default="")
    version = version_field()

    def validate_lost_reason_id(self, field):
        if lost_stage(self.stage_id.data) and not field.data:
            raise ValidationError("Choose why the deal was lost.")


def lost_stage(stage_id) -> bool:
    """Whether ``stage_id`` (a string from a form) names a lost stage."""
    return any(str(s.id) == stage_id and getattr(s, "is_lost", False) for s in deal_rules.stages())


def reason_choices(current=None) -> list[tuple[str, str]]:
    """"—" then the offered lost reasons (and ``current``, even if no longer offered)."""
    return [("", "—")] + stages_service.reason_choices(current)


def reason_of(form) -> uuid.UUID | None:
    """The lost reason to store: the chosen one for a lost stage, else none."""
    return uuid.UUID(form.lost_reason_id.data) if lost_stage(form.stage_id.data) and form.lost_reason_id.data else None


def stage_choices() -> list[tuple[str, str]]:
    return [(str(s.id), s.name) for s in deal_rules.stages()]


def prepare(form: DealForm, owner_id, deal=None) -> DealForm:
    """Fill the selects: stages by position, lost reasons, the owner's companies and contacts (plus the current
    ones)."""
    form.stage_id.choices = stage_choices()
    form.lost_reason_id.choices = reason_choices(deal.lost_reason_id if deal is not None else None)
    if deal is not None and form.lost_reason_id.data is None:
        form.lost_reason_id.data = str(deal.lost_reason_id or "")
    return prepare_records(form, owner_id, deal)


FIELDS = ("name", "value", "expected_close_date", "company_id", "primary_contact_id", "budget_confirmed",
          "forecast_category")


def apply_form(form: DealForm, deal) -> None:
    """Copy only the declared fields and the lost reason (the stage goes through change_stage)."""
    for name in FIELDS:
        setattr(deal, name, form[name].data)
    deal.budget_confirmed = bool(form.budget_confirmed.data)
    deal.lost_reason_id = reason_of(form)


# --- the stakeholder map ------------------------------------------------------------


class StakeholderRow(Form):
    """One stakeholder in the map form (a plain Form: the page's one CSRF token covers the rows)."""

    contact_id = HiddenField()
    role = SelectField("Role", choices=[(r, r.replace("_", " ")) for r in maps.ROLES], default="other")
    influence_level = SelectField("Influence", choices=[(i, i) for i in maps.INFLUENCE], default="medium")
    relationship_strength = DecimalField("Strength (0–1)", places=2,
                                         validators=[Optional(), NumberRange(0, 1)])  # fmt: skip
    is_champion = BooleanField("Champion")
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=5000), no_nul])
    reports_to = SelectField("Reports to", choices=[], validate_choice=False)
    remove = BooleanField("Remove")


class NewStakeholderRow(StakeholderRow):
    contact_id = SelectField("Contact", choices=[], validate_choice=False)


class StakeholderMapForm(FlaskForm):
    version = version_field()
    rows = FieldList(FormField(StakeholderRow))
    new = FormField(NewStakeholderRow)


def map_form(deal, rows, formdata=None) -> StakeholderMapForm:
    """The admin's form: a row per stakeholder, one blank row to add someone, "reports to" selects."""
    links = maps.reports_to(deal)
    existing = [SimpleNamespace(contact_id=str(s.contact_id), reports_to=links.get(str(s.contact_id), ""), remove=False,
                                **{f: getattr(s, f) for f in maps.ROW_FIELDS}) for s, _ in rows]  # fmt: skip
    form = StakeholderMapForm(formdata=formdata, version=deal.version, rows=existing)
    people = [("", "—")] + [(str(s.contact_id), maps.full_name(c)) for s, c in rows]
    for row in [*form.rows, form.new]:
        row.reports_to.choices = [p for p in people if not p[0] or p[0] != row.contact_id.data]
    form.new.contact_id.choices = [("", "Choose a contact…")] + maps.candidate_contacts(deal, {p[0] for p in people})
    return form


def row_values(row) -> dict:
    """What the service writes for a row: its contact, whether to remove it, and its fields."""
    return {"contact_id": row.contact_id.data, "remove": bool(row.remove.data)} | {
        name: row[name].data for name in maps.ROW_FIELDS
    }


def new_row_ok(new: NewStakeholderRow, deal, existing: dict) -> bool:
    """The contact to add is not on the map yet and may join it (a field error otherwise)."""
    if new.contact_id.data in existing:
        new.contact_id.errors.append("This contact is already on the map.")
        return False
    if not maps.may_add(deal, new.contact_id.data):
        new.contact_id.errors.append("Choose a contact at this deal's company or of its owner.")
        return False
    return True


def validated_map(form: StakeholderMapForm, deal, rows, ok: bool) -> tuple[list, dict] | None:
    """What to write: (row changes, reports-to links), or None with errors on the form.

    Links must point to someone who stays on this deal's map, never to
    oneself, and never round in a circle. ``ok``: whether the fields validated.
    """
    existing = {str(s.contact_id): s for s, _ in rows}
    names = {str(s.contact_id): maps.full_name(c) for s, c in rows}
    changes, kept, seen = [], {}, set()
    for row in form.rows:
        cid = row.contact_id.data
        if cid not in existing or cid in seen:
            row.reports_to.errors.append("This stakeholder was removed meanwhile; reload the map.")
            ok = False
            continue
        seen.add(cid)
        changes.append((existing[cid], row))
        if not row.remove.data:
            kept[cid] = row
    new = form.new
    if new.contact_id.data:
        if not new_row_ok(new, deal, existing):
            ok = False
        else:
            changes.append((None, new))
            kept[new.contact_id.data] = new
            names[new.contact_id.data] = dict(new.contact_id.choices).get(new.contact_id.data, "")
    links = {cid: row.reports_to.data for cid, row in kept.items() if row.reports_to.data}
    for cid, message in maps.link_problems(set(kept), links, names):
        kept[cid].reports_to.errors.append(message)
        ok = False
    return ([(stakeholder, row_values(row)) for stakeholder, row in changes], links) if ok else None
