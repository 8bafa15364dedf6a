"""Shared form pieces: the optimistic-concurrency version field, trimmed text fields, quick selects,
and the selects of related records (a company, contact or deal) that only offer and accept the records'
owner's own. Saving a form (constraint errors, stale versions) is services/saving.py's."""

from __future__ import annotations

import uuid

import wtforms
from flask import g, url_for
from markupsafe import Markup, escape
from sqlalchemy import func, or_, select
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp, StopValidation, ValidationError
from wtforms.widgets import Select, html_params

from dashboard.db import db
from dashboard.models import Company, Contact, Deal
from dashboard.models.contact import FULL_NAME

CHOICE_LIMIT = 500  # options in a related-record select; other owned ids still validate


class QuickSelect(Select):
    """WTForms' select widget, quicker for plain (value, label) choices; the same markup.

    A meeting page offers about 1,000 records in its selects. The stock widget
    turns every choice into an object twice (once to look for option groups)
    and builds each option through ``html_params``: about 50 µs an option,
    50 ms a page. Plain string choices are written by ``option_tags`` instead;
    anything else (groups, extra attributes, other value types) takes the
    stock path.
    """

    def __call__(self, field, **kwargs):
        choices = field.choices
        plain = (
            not self.multiple
            and isinstance(choices, list)
            and all(type(c) is tuple and len(c) == 2 and type(c[0]) is str for c in choices)
        )
        if not plain:
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for key in dir(flags):
            if key in self.validation_attrs and key not in kwargs:
                kwargs[key] = getattr(flags, key)
        # selected as the stock widget decides it: the coerced value equals the field's data
        selected = next((value for value, _ in choices if field.coerce(value) == field.data), None)
        return Markup(f"<select {html_params(name=field.name, **kwargs)}>{option_tags(choices, selected)}</select>")


def option_tags(choices, selected: str | None = None) -> Markup:
    """``<option>`` tags for (value, label) pairs, ``selected`` marked, as WTForms' Select writes them
    (html_params sorts: "selected" before "value"; an empty label shows the value). QuickSelect draws
    with it, and templates write long filter selects with it (a contact list offers up to 500 companies)."""
    return Markup("".join(
        f'<option {"selected " if value == selected else ""}value="{escape(value)}">{escape(label or value)}</option>'
        for value, label in choices
    ))  # fmt: skip


class SelectField(wtforms.SelectField):
    """A select field drawn by ``QuickSelect``."""

    widget = QuickSelect()


def version_field() -> HiddenField:
    """The ``version`` the form was loaded with; compared on save."""
    return HiddenField(validators=[InputRequired(), Regexp(r"^\d{1,9}$")])


def no_nul(form, field):
    """NUL bytes cannot be stored in PostgreSQL text: refuse them with a message."""
    if isinstance(field.data, str) and "\x00" in field.data:
        raise ValidationError("This field contains a character that cannot be stored.")


def text_field(label: str, max_length: int, required: bool = False, **kwargs) -> StringField:
    """A trimmed text field with a length limit that names itself in the message."""
    validators = [DataRequired() if required else Optional(), Length(max=max_length), no_nul]
    return StringField(label, validators=validators, filters=[_strip], **kwargs)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class DecimalField(wtforms.DecimalField):
    """WTForms' decimal field that refuses what parses as a Decimal but is no amount: "NaN", "sNaN" (which
    WTForms' NumberRange cannot even compare: a ValueError, a 500) and "Infinity". Checked before the
    field's validators, so they only ever see a finite number or nothing."""

    def pre_validate(self, form):
        if self.data is not None and not self.data.is_finite():
            raise StopValidation("Enter a number.")


def first_error(form) -> str:
    """The form's first error message, for a panel that shows one line."""
    return next((e for errors in form.errors.values() for e in errors), "Check the form and try again.")


def record_label(model):
    """How a record is named in a select: a contact by full name, anything else by its name."""
    return FULL_NAME if model is Contact else model.name


def record_choices(model, owner_id, current=None) -> list[tuple[str, str]]:
    """Select options: "—", the owner's records by name, and the current value even when the owner no
    longer has it (or the user may not see it), so an edit never silently drops a link.

    Read once per request for the same arguments: a page with several forms (a meeting's attendees,
    links and action items) asks for the same owner's contacts more than once."""
    cache = g.setdefault("record_choices", {})
    key = (model.__name__, str(owner_id), str(current) if current else None)
    if key not in cache:
        cache[key] = _record_choices(model, owner_id, current)
    return list(cache[key])


def _record_choices(model, owner_id, current=None) -> list[tuple[str, str]]:
    label = record_label(model)
    wanted = model.owner_id == owner_id if current is None else or_(model.owner_id == owner_id, model.id == current)
    rows = db.session.execute(
        select(model.id, label).where(wanted).order_by(func.lower(label), model.id).limit(CHOICE_LIMIT)
    ).all()
    choices = [(str(record_id), name) for record_id, name in rows]
    if current and str(current) not in dict(choices):
        choices.append((str(current), "(current, not visible to you)"))
    return [("", "—")] + choices


class OwnedRecord:
    """Validator: the id of one of ``form.owner_id``'s records, or the value the form started with
    (``form.initial``).

    Anything else (another user's id, junk) is refused: ids cannot be used to
    attach other people's records. The field's data becomes a UUID or None.
    """

    def __init__(self, model, message: str = "Choose one from the list."):
        self.model, self.message = model, message

    def __call__(self, form, field):
        if not field.data:
            field.data = None
            return
        try:
            record_id = uuid.UUID(str(field.data))
        except ValueError:
            raise ValidationError(self.message) from None
        started_with = getattr(form, "initial", {}).get(field.name)
        owned = record_id == started_with or db.session.scalar(
            select(self.model.id).where(self.model.id == record_id, self.model.owner_id == form.owner_id)
        )
        if not owned:
            raise ValidationError(self.message)
        field.data = record_id


# a form's related-record selects, by field name
RECORD_MODELS = {"company_id": Company, "contact_id": Contact, "deal_id": Deal,
                 "primary_contact_id": Contact, "primary_deal_id": Deal}  # fmt: skip


PICKER_CHOICES = 20  # options of a picker's select without JavaScript (as many as /pick/<kind> offers)
PICKER_KINDS = {Company: "companies", Contact: "contacts", Deal: "deals"}


class PickerWidget:
    """A record picker that scales to any number of records: a text box (a combobox) whose typing asks
    ``/pick/<kind>`` for at most 20 matches (htmx active search), a listbox of them, and a hidden input
    carrying the chosen id; static/palette.js chooses with the arrow keys, Enter or a click. Without
    JavaScript the combobox stays hidden (its inputs disabled) and a plain select of the current record
    and the owner's first records by name submits instead. A contact picker in a form with a company
    picker offers the contacts at the chosen company."""

    def __call__(self, field, **kwargs):
        selected = str(field.data) if field.data else ""
        label = dict(field.choices).get(selected) or (_owned_label(field, selected) if selected else "")
        url = url_for("search.pick", kind=PICKER_KINDS[field.model], field=field.id, owner=field.owner_id)
        include = f' hx-include="#{field.company_field}-value"' if field.company_field else ""
        select = f'<select {html_params(id=field.id + "-select", name=field.name, aria_label=field.label.text)}>'
        text = html_params(
            type="text", id=field.id, name="q", value=label or "", role="combobox", autocomplete="off",
            aria_autocomplete="list", aria_expanded="false", aria_controls=f"{field.id}-options",
            placeholder="Type to search…", **{"hx-get": url, "hx-trigger": "input changed delay:200ms, focus",
            "hx-target": f"#{field.id}-options", "hx-sync": "this:replace"}, **kwargs,
        )  # fmt: skip
        return Markup(
            f'<div class="picker" data-picker id="picker-{field.id}">{select}{option_tags(field.choices, selected)}'
            f'</select><div class="picker-combo" hidden>'
            f'<input {html_params(type="hidden", id=field.id + "-value", name=field.name, value=selected)} disabled>'
            f"<input {text}{include}>"
            f'<ul {html_params(id=field.id + "-options", role="listbox", aria_label=field.label.text)} hidden></ul>'
            f"</div></div>"
        )


def _owned_label(field, record_id: str) -> str:
    """The name of a record the form was sent with but the select does not list (not among the first)."""
    try:
        wanted = uuid.UUID(record_id)
    except ValueError:
        return ""
    label = record_label(field.model)
    found = select(label).where(field.model.id == wanted, field.model.owner_id == field.owner_id)
    return db.session.scalar(found) or ""


class RecordPicker(SelectField):
    """A related-record field drawn as a picker (``PickerWidget``); ``prepare_records`` sets its owner."""

    widget = PickerWidget()

    def __init__(self, label, model, **kwargs):
        super().__init__(label, choices=[], validate_choice=False, **kwargs)
        self.model, self.owner_id, self.company_field = model, None, None


def record_field(label: str, model, message: str = "Choose one from the list.", **kwargs) -> RecordPicker:
    """A picker of the form owner's ``model`` records (set up by ``prepare_records``); only their ids (or
    the one the form started with) are accepted."""
    return RecordPicker(label, model, validators=[OwnedRecord(model, message)], **kwargs)


def picker_choices(model, owner_id, current=None) -> list[tuple[str, str]]:
    """A picker's select without JavaScript: "—", the current record, the owner's first records by name."""
    label = record_label(model)
    rows = db.session.execute(
        select(model.id, label).where(model.owner_id == owner_id).order_by(func.lower(label), model.id)
        .limit(PICKER_CHOICES)
    ).all()  # fmt: skip
    choices = [(str(record_id), name) for record_id, name in rows]
    if current and str(current) not in dict(choices):
        name = db.session.scalar(select(label).where(model.id == current))
        choices.insert(0, (str(current), name or "(current, not visible to you)"))
    return [("", "—")] + choices


def prepare_records(form, owner_id, obj=None):
    """Set up the form's record pickers (and fill plain record selects) with the owner's records;
    remember the starting values."""
    form.owner_id, form.initial = owner_id, {}
    for name, model in RECORD_MODELS.items():
        if name in form:
            form.initial[name] = current = getattr(obj, name, None)
            field = form[name]
            if isinstance(field, RecordPicker):
                field.owner_id = owner_id
                field.choices = picker_choices(model, owner_id, current)
                if model is Contact and "company_id" in form:
                    field.company_field = form["company_id"].id
            else:
                field.choices = record_choices(model, owner_id, current)
    return form
