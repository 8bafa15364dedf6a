"""Shared form pieces: the optimistic-concurrency version field and the
409 answer when someone else saved first, trimmed text fields, and the
selects of related records (a company, contact or deal) that only offer and
accept the records' owner's own."""

from __future__ import annotations

import uuid

import wtforms
from flask import g, render_template
from markupsafe import Markup, escape
from sqlalchemy import func, or_, select, text
from wtforms import HiddenField, StringField
from wtforms.validators import InputRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import Select, html_params

from dashboard.db import db
from dashboard.models import Contact
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
        plain = not self.multiple and isinstance(choices, list) and all(
            type(c) is tuple and len(c) == 2 and type(c[0]) is str for c in choices
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
    from wtforms.validators import DataRequired

    validators = [DataRequired() if required else Optional(), Length(max=max_length), no_nul]
    return StringField(label, validators=validators, filters=[_strip], **kwargs)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def last_change(table: str, row_id) -> tuple[str | None, object | None]:
    """Who changed a row last and when, from the audit log (as far as the user may read it)."""
    row = db.session.execute(
        text(
            """select u.full_name, a.occurred_at from crm.audit_log a
               left join crm.users u on u.id = a.actor_id
               where a.table_name = :table and a.row_id = :row_id order by a.id desc limit 1"""
        ),
        {"table": table, "row_id": row_id},
    ).first()
    return (row[0], row[1]) if row else (None, None)


def stale_response(obj, what: str, back_url: str):
    """409: the row moved on since the form was loaded; nothing is overwritten."""
    who, when = last_change(obj.__tablename__, obj.id)
    db.session.rollback()
    body = render_template("errors/stale.html", what=what, who=who, when=when, back_url=back_url)
    return body, 409


def is_stale(obj, submitted_version: str | None) -> bool:
    return str(obj.version) != str(submitted_version or "")


def field_error_from_integrity(form, error, messages: dict[str, tuple[str, str]]) -> bool:
    """Put a database constraint violation next to the field it concerns.

    ``messages`` maps constraint name -> (field name, message). The message
    never repeats values from the conflicting row (which may be hidden from
    the user by row-level security). Returns False for an unknown constraint.
    """
    constraint = getattr(getattr(error.orig, "diag", None), "constraint_name", None)
    if constraint not in messages:
        return False
    field_name, message = messages[constraint]
    getattr(form, field_name).errors.append(message)
    return True


def commit_or_field_error(form, messages: dict[str, tuple[str, str]], before_commit=None) -> bool:
    """Commit the session; a known constraint violation becomes a field error (False).

    ``before_commit`` runs after the flush, in the same transaction (e.g. rescoring).
    An unknown violation is re-raised (the error handler answers 500).
    """
    from sqlalchemy.exc import IntegrityError

    try:
        db.session.flush()
        if before_commit is not None:
            before_commit()
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        if not field_error_from_integrity(form, error, messages):
            raise
        return False
    return True


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
