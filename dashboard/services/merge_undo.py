"""Undoing a merge: the removed record comes back with its fields, exactly the rows the merge moved go back
to it, the rows it removed are restored and the survivor gets its own field values again.

It is refused, with a message, when that can no longer be done cleanly: the survivor is gone or one of the
fields the merge wrote was edited since, a moved row was deleted or moved again, a stakeholder map changed,
or the database refuses the restored rows (another record took the email or domain, a linked record is gone).
"""

from __future__ import annotations

import json

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from dashboard.db import db
from dashboard.models import RecordMerge
from dashboard.services.merging import (
    NOUNS,
    REFERENCES,
    SET_MAPPING,
    WHAT,
    MergeRefused,
    record,
    rescore_after,
    sql,
    write_fields,
)

STILL_MOVED = """select count(*) from crm.{table}
    where {key} = any(cast(:keys as uuid[])) and {column} = cast(:s as uuid)"""
MOVE_BACK = """update crm.{table} set {column} = cast(:l as uuid)
    where {key} = any(cast(:keys as uuid[])) and {column} = cast(:s as uuid)"""
RESTORE = "insert into crm.{table} select * from jsonb_populate_record(null::crm.{table}, cast(:row as jsonb))"

# link tables whose rows the activities' trigger may already have put back when the activities moved
REBUILT_BY_TRIGGERS = {"company_activities", "contact_interactions"}


def check_survivor(merge: RecordMerge, after: dict) -> None:
    """The survivor exists and still has the values the merge gave it."""
    survivor = record(merge.kind, merge.survivor_id)
    if survivor is None:
        raise MergeRefused(f"The {WHAT[merge.kind]} kept by this merge was deleted since: it cannot be undone.")
    edited = sorted(f for f, value in after.items() if survivor.get(f) != value)
    if edited:
        raise MergeRefused(f"This merge cannot be undone: the kept {WHAT[merge.kind]}'s "
                           f"{', '.join(f.replace('_', ' ') for f in edited)} changed since.")  # fmt: skip


def check_moved(merge: RecordMerge, moved: dict) -> None:
    """Every moved row still exists and still names the survivor."""
    for reference in REFERENCES[merge.kind]:
        keys = moved.get(reference.name, [])
        if not keys:
            continue
        statement = sql(STILL_MOVED, table=reference.table, key=reference.key, column=reference.column)
        found = db.session.execute(statement, {"keys": keys, "s": str(merge.survivor_id)}).scalar()
        if found != len(keys):
            missing = len(keys) - found
            raise MergeRefused(f"This merge cannot be undone: {missing} of the {len(keys)} {NOUNS[reference.table][1]} "
                               "it moved were deleted or changed since.")  # fmt: skip


def check_mappings(mappings: dict) -> None:
    for deal_id, change in mappings.items():
        now = db.session.execute(text("select stakeholder_mapping from crm.deals where id = cast(:id as uuid)"),
                                 {"id": deal_id}).scalar()  # fmt: skip
        if now != change["after"]:
            raise MergeRefused("This merge cannot be undone: a stakeholder map it rewrote changed since.")


def restore_row(table: str, row: dict) -> None:
    """Insert a row as it was (to_jsonb of it), typed by the table's row type."""
    conflict = " on conflict do nothing" if table in REBUILT_BY_TRIGGERS else ""
    db.session.execute(sql(RESTORE + conflict, table=table), {"row": json.dumps(row)})


def put_back(merge: RecordMerge, snapshot: dict) -> None:
    """The writes of the undo, in the merge's order reversed where it matters (the loser exists first)."""
    survivor_id, loser_id = str(merge.survivor_id), str(merge.loser_id)
    write_fields(merge.kind, survivor_id, snapshot["survivor"]["before"])  # frees the email or domain first
    restore_row(merge.kind, snapshot["loser"])
    for reference in REFERENCES[merge.kind]:
        keys = snapshot["moved"].get(reference.name, [])
        if keys:
            back = sql(MOVE_BACK, table=reference.table, key=reference.key, column=reference.column)
            db.session.execute(back, {"l": loser_id, "s": survivor_id, "keys": keys})
    for table in dict.fromkeys(r.table for r in REFERENCES[merge.kind] if r.unique_with):  # only these tables
        for row in snapshot["removed"].get(table, []):
            restore_row(table, row)
    for deal_id, change in snapshot.get("mappings", {}).items():
        db.session.execute(text(SET_MAPPING), {"m": json.dumps(change["before"]), "id": deal_id})


def undo(merge_id, actor_id=None) -> RecordMerge:
    """Undo a merge in the caller's transaction (committed by the caller). Raises MergeRefused; after a
    refusal from the database the session is rolled back."""
    merge = db.session.get(RecordMerge, merge_id, with_for_update=True)
    if merge is None:
        raise MergeRefused("This merge does not exist.")
    if merge.undone_at is not None:
        raise MergeRefused("This merge was already undone.")
    snapshot = merge.snapshot
    if not all(isinstance(snapshot.get(k), dict) for k in ("loser", "survivor", "moved", "removed")):
        raise MergeRefused("This merge has no record of what it changed: it cannot be undone.")
    check_survivor(merge, snapshot["survivor"]["after"])
    check_moved(merge, snapshot["moved"])
    check_mappings(snapshot.get("mappings", {}))
    savepoint = db.session.begin_nested()
    try:
        put_back(merge, snapshot)
        savepoint.commit()
    except IntegrityError as error:
        savepoint.rollback()
        raise MergeRefused(f"This merge cannot be undone cleanly: {explain(error)}") from None
    merge.undone_at, merge.undone_by = db.session.execute(text("select now()")).scalar(), actor_id
    db.session.flush()
    rescore_after(merge.kind, str(merge.survivor_id), snapshot["moved"])
    return merge


def explain(error: IntegrityError) -> str:
    """The database's refusal in words (the constraint it names)."""
    constraint = getattr(getattr(error.orig, "diag", None), "constraint_name", None) or ""
    if "email" in constraint:
        return "another contact has the removed contact's email now."
    if "domain" in constraint:
        return "another company has the removed company's domain now."
    if constraint.startswith("fk_"):
        return "a record it was linked to was deleted since."
    return f"the database refused it ({constraint or 'a constraint'})."
