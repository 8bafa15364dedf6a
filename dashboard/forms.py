"""Shared form pieces: the optimistic-concurrency version field and the
409 answer when someone else saved first."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import text
from wtforms import HiddenField
from wtforms.validators import InputRequired, Regexp

from dashboard.db import db


def version_field() -> HiddenField:
    """The ``version`` the form was loaded with; compared on save."""
    return HiddenField(validators=[InputRequired(), Regexp(r"^\d{1,9}$")])


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
