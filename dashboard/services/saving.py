"""Saving a form, the one way every page does: commit the session; a known database constraint
violation becomes an error next to the field it concerns; a record someone else saved since the form
was loaded (optimistic concurrency: the ``version`` column) raises ``StaleRecord``, and nothing is
overwritten."""

from __future__ import annotations

from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError, ProgrammingError
from sqlalchemy.orm.exc import StaleDataError

from dashboard.db import db


class StaleRecord(Exception):
    """The record moved on since the form was loaded; the session is rolled back.

    ``who`` and ``when`` tell the last change the user may read (audit log), or None.
    """

    def __init__(self, table: str, row_id, who: str | None, when):
        super().__init__(f"{table} {row_id} was changed meanwhile")
        self.table, self.row_id, self.who, self.when = table, row_id, who, when


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


def stale(record) -> StaleRecord:
    """Roll back what this request changed, then read who changed ``record`` last."""
    table, row_id = record.__tablename__, inspect(record).identity[0]  # the key: no load in a failed transaction
    db.session.rollback()
    return StaleRecord(table, row_id, *last_change(table, row_id))


def is_stale(record, submitted_version) -> bool:
    """The version the form was loaded with is not the record's."""
    return str(record.version) != str(submitted_version or "")


def field_error_from_integrity(form, error, messages: dict[str, tuple[str, str]]) -> bool:
    """Put a database constraint violation next to the field it concerns.

    ``messages`` maps constraint name -> (field name, message). The message
    never repeats values from the conflicting row (which may be hidden from
    the user by row-level security). Returns False for an unknown constraint. The database's guard
    against writes reaching others' records (42501, ``writes_stay_on_writable_records``) names a
    constraint too and is mapped the same way.
    """
    constraint = getattr(getattr(error.orig, "diag", None), "constraint_name", None)
    if constraint not in messages:
        return False
    field_name, message = messages[constraint]
    getattr(form, field_name).errors.append(message)
    return True


def write(form, record, apply_form, messages: dict[str, tuple[str, str]], rescore=None, version=None) -> bool:
    """Copy a validated form onto ``record`` (a new one, or one being edited at ``version``) and save it
    as :func:`save` does, with ``rescore`` run before the commit."""
    apply_form(form, record)
    db.session.add(record)
    return save(form, messages, None if version is None else record, version, rescore)


def save(form, messages: dict[str, tuple[str, str]], record=None, version=None, before_commit=None) -> bool:
    """Commit the session's changes; True when saved, False with a field error for a known violation.

    ``record`` and ``version``: the record the form edits and the version it was loaded with; a
    mismatch, or an UPDATE that finds the version moved on (someone saved between our read and our
    write), raises StaleRecord. ``before_commit`` runs after the flush, in the same transaction
    (e.g. rescoring). An unknown violation is re-raised (the error handler answers 500).

    Raises:
        StaleRecord: the record changed since the form was loaded; nothing was written.
    """
    if record is not None and is_stale(record, version):
        raise stale(record)
    try:
        db.session.flush()
        if before_commit is not None:
            before_commit()
        db.session.commit()
    except StaleDataError:
        raise stale(record) from None
    except (IntegrityError, ProgrammingError) as error:  # a constraint, or the guard's refusal (42501)
        db.session.rollback()
        if not field_error_from_integrity(form, error, messages):
            raise
        return False
    return True
