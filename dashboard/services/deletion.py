"""What deleting a record really does, asked of the database rather than written down.

A delete is tried in a savepoint: the record's DELETE runs with every foreign-key cascade and
trigger, ``app.transaction_changes`` reads the audit rows that this transaction wrote since (counts
only), and the savepoint is rolled back. So the confirmation cannot drift from the foreign keys and
triggers: what it lists as deleted is what the database deletes, what it lists as unlinked is what
the database sets to null. When the database refuses (a cascade would reach rows of a record the
user may not write: the guard ``writes_stay_on_writable_records``, docs/security.md), the
confirmation says why instead, and the delete itself is refused the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import delete, text
from sqlalchemy.exc import DBAPIError

from dashboard.db import db

GUARD = "writes_stay_on_writable_records"
INSUFFICIENT_PRIVILEGE = "42501"

# audited table -> (one, several), as the confirmation names them
NOUNS = {
    "activities": ("activity", "activities"),
    "activity_meetings": ("link between an activity and a meeting", "links between activities and meetings"),
    "companies": ("company", "companies"),
    "company_activities": ("link between a company and an activity", "links between companies and activities"),
    "contact_interactions": ("contact interaction", "contact interactions"),
    "contacts": ("contact", "contacts"),
    "deal_meetings": ("link between a deal and a meeting", "links between deals and meetings"),
    "deal_stage_history": ("stage history entry", "stage history entries"),
    "deal_stakeholders": ("stakeholder role", "stakeholder roles"),
    "deals": ("deal", "deals"),
    "meeting_action_items": ("action item", "action items"),
    "meeting_attendees": ("attendee", "attendees"),
    "meeting_sequences": ("meeting sequence entry", "meeting sequence entries"),
    "meetings": ("meeting", "meetings"),
    "tasks": ("task", "tasks"),
}

# the table the guard protected -> what links the record to something the user may not write
BLOCKERS = {
    "activities": "is linked to activities you cannot edit",
    "activity_meetings": "is linked to activities you cannot edit",
    "company_activities": "is linked to activities you cannot edit",
    "contact_interactions": "has interactions that other users recorded",
    "contacts": "is linked to contacts you cannot edit",
    "deal_meetings": "is linked to deals you cannot edit",
    "deal_stakeholders": "is a stakeholder on deals you cannot edit",
    "deals": "is linked to deals you cannot edit",
    "meeting_action_items": "is linked to action items of meetings you cannot edit",
    "meeting_attendees": "is an attendee of meetings you cannot edit",
    "meeting_sequences": "is in the meeting sequence of deals you cannot edit",
    "meetings": "is linked to meetings you cannot edit",
    "tasks": "is linked to tasks you cannot edit",
}


class Refused(Exception):
    """The database refused the write: it would reach rows of a record the user may not write."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def counted(count: int, table: str, what: str) -> str:
    """``count`` rows of ``table`` in words; a task's tasks are its subtasks."""
    one, several = ("subtask", "subtasks") if (what, table) == ("task", "tasks") else NOUNS.get(table, (table, table))
    return f"{count} {one if count == 1 else several}"


@dataclass(frozen=True)
class Preview:
    """What deleting one record does: ``removed`` and ``unlinked`` map a table to its number of rows
    (the record itself not counted); ``blocked`` is why the database refuses, or None."""

    what: str
    removed: dict[str, int] = field(default_factory=dict)
    unlinked: dict[str, int] = field(default_factory=dict)
    blocked: str | None = None

    def listed(self, counts: dict[str, int]) -> str:
        return ", ".join(counted(n, table, self.what) for table, n in sorted(counts.items()))

    def sentences(self) -> list[str]:
        """The confirmation's text: what goes with the record and what stays without the link."""
        if self.blocked:
            return [self.blocked]
        said = []
        if self.removed:
            said.append(f"Deleted with it: {self.listed(self.removed)}.")
        if self.unlinked:
            said.append(f"Kept, without the link to this {self.what}: {self.listed(self.unlinked)}.")
        return said or ["Nothing else is deleted or changed."]


def refusal_message(error: DBAPIError, what: str) -> str | None:
    """The user's message for the guard's refusal (no name of the records it protects), else None."""
    orig = getattr(error, "orig", None)
    diag = getattr(orig, "diag", None)
    if getattr(orig, "sqlstate", None) != INSUFFICIENT_PRIVILEGE or getattr(diag, "constraint_name", None) != GUARD:
        return None
    table = diag.table_name
    reason = "has subtasks you cannot edit" if (what, table) == ("task", "tasks") else BLOCKERS.get(table)
    reason = reason or "is linked to records you cannot edit"
    return f"This {what} {reason}; ask their owner or an admin to remove it first."


def run(write: Callable[[], None], what: str) -> None:
    """Run a write (a delete, or an edit that relinks); the guard's refusal rolls the session back
    and raises :class:`Refused` with the user's message. Other database errors pass unchanged."""
    try:
        write()
    except DBAPIError as error:
        message = refusal_message(error, what)
        if message is None:
            raise
        db.session.rollback()
        raise Refused(message) from None


def changes_since(mark: int) -> list[tuple[str, str, int, int]]:
    """(table, net action, rows, last audit id) this transaction changed after audit row ``mark``."""
    statement = text("select table_name, action, row_count, last_id from app.transaction_changes(:mark)")
    return [tuple(row) for row in db.session.execute(statement, {"mark": mark})]


def preview(record, what: str) -> Preview:
    """Try deleting ``record`` in a savepoint and report what the database removed and unlinked."""
    model = type(record)
    mark = max((last for *_, last in changes_since(0)), default=0)
    savepoint = db.session.begin_nested()
    try:
        statement = delete(model).where(model.id == record.id).execution_options(synchronize_session=False)
        db.session.execute(statement)
        changes = changes_since(mark)
    except DBAPIError as error:
        savepoint.rollback()
        message = refusal_message(error, what)
        if message is None:
            raise
        return Preview(what, blocked=message)
    savepoint.rollback()
    removed, unlinked = {}, {}
    for table, action, rows, _ in changes:
        rows -= 1 if (table, action) == (model.__tablename__, "delete") else 0  # the record itself
        target = removed if action == "delete" else unlinked if action == "update" else None
        if target is not None and rows > 0:
            target[table] = rows
    return Preview(what, removed, unlinked)
