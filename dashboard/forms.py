"""Shared form pieces: the optimistic-concurrency version field and the
409 answer when someone else saved first."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import text
from wtforms import HiddenField, StringField
from wtforms.validators import InputRequired, Length, Optional, Regexp, ValidationError

from dashboard.db import db


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
