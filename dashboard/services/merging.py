"""Merging two companies or two contacts, and undoing a merge.

A merge runs in the caller's transaction as the acting admin, under row-level security: every row that
names the removed record (the *loser*) is moved to the one kept (the *survivor*), the fields the admin chose
from the loser are written on the survivor, the loser is deleted, and a ``crm.record_merges`` row keeps
what the undo needs (the audit trigger logs it, beside the audit rows of every moved row).

Where a unique key would be broken by the move (both records are stakeholders of one deal, attendees of
one meeting, linked to one activity), the loser's row is removed instead and kept in the snapshot, so
that the undo puts it back. ``REFERENCES`` lists every foreign key to ``companies`` and ``contacts``;
``tests/test_merging.py`` fails when the catalog has one that is not listed here.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from psycopg import sql as pgsql
from sqlalchemy import TextClause, text

from dashboard.db import db
from dashboard.models import RecordMerge
from dashboard.services import bulk


class MergeRefused(Exception):
    """A merge or an undo that cannot be done; ``message`` says why, for the admin."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Reference:
    """A column of ``table`` naming the record. ``key`` identifies a row for the undo (its id, or the other
    half of a link table's key); ``unique_with``: the column that, with this one, is unique."""

    table: str
    column: str
    key: str = "id"
    unique_with: str | None = None

    @property
    def name(self) -> str:
        return f"{self.table}.{self.column}"


# In the order a merge moves them: activities first (their trigger rewrites company_activities and
# contact_interactions), the link tables last (what the triggers left on the loser).
REFERENCES = {
    "companies": (
        Reference("deals", "company_id"),
        Reference("contacts", "company_id"),
        Reference("activities", "company_id"),
        Reference("meetings", "company_id"),
        Reference("tasks", "company_id"),
        Reference("company_activities", "company_id", key="activity_id", unique_with="activity_id"),
    ),
    "contacts": (
        Reference("deals", "primary_contact_id"),
        Reference("activities", "contact_id"),
        Reference("meetings", "primary_contact_id"),
        Reference("tasks", "contact_id"),
        Reference("deal_stakeholders", "contact_id", unique_with="deal_id"),
        Reference("meeting_attendees", "contact_id", unique_with="meeting_id"),
        Reference("contact_interactions", "contact_id", unique_with="activity_id"),
    ),
}
# rows left to the foreign key's own action when the loser is deleted: its score history (deleted; the next
# rescoring writes the survivor's), and a mailbox sync's bookkeeping, which is its user's own and which the
# merging admin may not write (the message log's contact link is set null -- the activity itself moves --;
# a suggested contact at the removed company is deleted, one naming the removed contact unlinked)
DROPPED = {
    "companies": ("company_score_history.company_id", "mail_contact_suggestions.company_id"),
    "contacts": ("mail_messages.contact_id", "mail_contact_suggestions.contact_id"),
}

# the fields a merge offers to take from the loser
FIELDS = {
    "companies": ("name", "domain", "industry", "size", "website", "address", "phone", "description", "owner_id",
                  "annual_revenue", "employee_count", "technology_stack", "is_target_account", "account_tier",
                  "industry_confidence_score", "social_media_urls"),
    "contacts": ("first_name", "last_name", "email", "phone", "title", "company_id", "owner_id", "job_seniority",
                 "preferred_contact_method", "skills", "social_media_urls"),
}  # fmt: skip
NOUNS = {
    "deals": ("deal", "deals"), "contacts": ("contact", "contacts"), "activities": ("activity", "activities"),
    "meetings": ("meeting", "meetings"), "tasks": ("task", "tasks"),
    "company_activities": ("activity link", "activity links"),
    "deal_stakeholders": ("stakeholder role", "stakeholder roles"),
    "meeting_attendees": ("meeting attendee", "meeting attendees"),
    "contact_interactions": ("interaction", "interactions"),
}  # fmt: skip
WHAT = {"companies": "company", "contacts": "contact"}

# statements over a table and columns named by REFERENCES and FIELDS (identifiers of this module, never input)
ROW = "select to_jsonb(t) from crm.{table} t where t.id = cast(:id as uuid)"
LOCK_TWO = "select to_jsonb(t) from crm.{table} t where t.id = any(cast(:ids as uuid[])) for update"
REMOVE_CLASHES = """delete from crm.{table} l where l.{column} = cast(:source as uuid)
    and exists (select from crm.{table} s where s.{column} = cast(:target as uuid) and s.{other} = l.{other})
    returning to_jsonb(l)"""
MOVE = """update crm.{table} set {column} = cast(:target as uuid) where {column} = cast(:source as uuid)
    returning {key}::text"""
WRITE_FIELDS = """update crm.{table} t set ({names}, version) = (select {names}, t.version + 1
    from jsonb_populate_record(null::crm.{table}, cast(:values as jsonb))) where t.id = cast(:id as uuid)"""
DELETE = "delete from crm.{table} where id = cast(:id as uuid)"
SET_MAPPING = "update crm.deals set stakeholder_mapping = cast(:m as jsonb) where id = cast(:id as uuid)"


def sql(template: str, **names: str) -> TextClause:
    """``template`` with its table and column names filled in, each quoted as an identifier by psycopg
    (a name may be a ``", "``-separated list of columns)."""
    parts = {key: pgsql.SQL(", ").join(map(pgsql.Identifier, value.split(", "))) for key, value in names.items()}
    statement = pgsql.SQL(template).format(**parts)
    return text(statement.as_string(db.session.connection().connection.driver_connection))


def record(kind: str, record_id) -> dict | None:
    """The row of a company or contact as JSON (to_jsonb), or None when it does not exist or is hidden."""
    return db.session.execute(sql(ROW, table=kind), {"id": str(record_id)}).scalar()


def differing(kind: str, survivor: dict, loser: dict) -> list[str]:
    """The mergeable fields whose values differ between the two records."""
    return [name for name in FIELDS[kind] if survivor.get(name) != loser.get(name)]


def two_records(kind: str, survivor_id, loser_id) -> tuple[dict, dict]:
    """Both rows, locked for the merge; refused when they are one, or one does not exist."""
    if kind not in REFERENCES:
        raise MergeRefused("Choose companies or contacts.")
    if str(survivor_id) == str(loser_id):
        raise MergeRefused(f"A {WHAT[kind]} cannot be merged with itself: choose two different records.")
    found = db.session.execute(sql(LOCK_TWO, table=kind), {"ids": [str(survivor_id), str(loser_id)]}).scalars()
    rows = {row["id"]: row for row in found}
    if len(rows) < 2:
        raise MergeRefused(f"One of the two {kind} does not exist (any more): nothing was merged.")
    return rows[str(survivor_id)], rows[str(loser_id)]


def move(reference: Reference, source: str, target: str) -> tuple[list, list]:
    """Point ``reference`` at ``target`` instead of ``source``: (keys of the moved rows, removed rows)."""
    table, column, params = reference.table, reference.column, {"source": source, "target": target}
    removed = []
    if reference.unique_with:
        clashes = sql(REMOVE_CLASHES, table=table, column=column, other=reference.unique_with)
        removed = db.session.execute(clashes, params).scalars().all()
    moved = db.session.execute(sql(MOVE, table=table, column=column, key=reference.key), params).scalars().all()
    return moved, removed


def remap(mapping: dict, loser: str, survivor: str) -> dict:
    """A deal's stakeholder map with the loser read as the survivor (a link of the two to each other goes)."""
    links = {}
    for below, above in (mapping.get("reports_to") or {}).items():
        below, above = (survivor if v == loser else v for v in (below, above))
        if below != above:
            links.setdefault(below, above)
    return {**mapping, "reports_to": links}


def move_mappings(loser: str, survivor: str) -> dict:
    """Rewrite the stakeholder maps naming the loser: {deal id: {before, after}}."""
    changed = {}
    naming = text("select id::text, stakeholder_mapping from crm.deals where stakeholder_mapping::text like :p")
    for deal_id, mapping in db.session.execute(naming, {"p": f"%{loser}%"}).all():
        after = remap(mapping, loser, survivor)
        db.session.execute(text(SET_MAPPING), {"m": json.dumps(after), "id": deal_id})
        changed[deal_id] = {"before": mapping, "after": after}
    return changed


def write_fields(kind: str, record_id: str, values: dict) -> None:
    """Set ``values`` (field -> JSON value) on the record, typed by the table's own row type."""
    if not values:
        return
    statement = sql(WRITE_FIELDS, table=kind, names=", ".join(values))  # FIELDS only: checked by the caller
    db.session.execute(statement, {"values": json.dumps(values), "id": record_id})


def chosen_values(kind: str, survivor: dict, loser: dict, take_from_loser) -> dict:
    """{field: (survivor's value, loser's value)} for the fields taken from the loser that differ."""
    unknown = set(take_from_loser) - set(FIELDS[kind])
    if unknown:
        raise MergeRefused(f"Unknown field: {sorted(unknown)[0]}.")
    chosen = [f for f in FIELDS[kind] if f in take_from_loser and survivor.get(f) != loser.get(f)]
    return {f: (survivor.get(f), loser.get(f)) for f in chosen}


def merge(kind: str, survivor_id, loser_id, take_from_loser=(), actor_id=None) -> RecordMerge:
    """Merge the loser into the survivor (see the module); ``take_from_loser``: fields whose loser value wins.
    Does not commit. Raises MergeRefused."""
    survivor, loser = two_records(kind, survivor_id, loser_id)
    survivor_id, loser_id = survivor["id"], loser["id"]
    fields = chosen_values(kind, survivor, loser, take_from_loser)
    moved, removed = {}, {}
    for reference in REFERENCES[kind]:
        keys, gone = move(reference, loser_id, survivor_id)
        if keys:
            moved[reference.name] = keys
        if gone:
            removed.setdefault(reference.table, []).extend(gone)
    mappings = move_mappings(loser_id, survivor_id) if kind == "contacts" else {}
    pairs = "delete from crm.duplicate_pairs where kind = :k and cast(:id as uuid) in (first_id, second_id)"
    db.session.execute(text(pairs), {"k": kind, "id": loser_id})
    db.session.execute(sql(DELETE, table=kind), {"id": loser_id})
    # after the delete: the survivor may take the loser's email or domain (unique)
    write_fields(kind, survivor_id, {f: new for f, (_, new) in fields.items()})
    snapshot = {"loser": loser, "survivor": {"before": {f: old for f, (old, _) in fields.items()},
                                             "after": {f: new for f, (_, new) in fields.items()}},
                "moved": moved, "removed": removed, "mappings": mappings}  # fmt: skip
    done = RecordMerge(kind=kind, survivor_id=uuid.UUID(survivor_id), loser_id=uuid.UUID(loser_id),
                       merged_by=actor_id, snapshot=snapshot)  # fmt: skip
    db.session.add(done)
    db.session.flush()
    rescore_after(kind, survivor_id, moved)
    return done


def rescore_after(kind: str, survivor_id: str, moved: dict) -> None:
    """Recompute the survivor's scores and those of the deals that now name it."""
    deals = moved.get("deals.company_id", []) + moved.get("deals.primary_contact_id", [])
    if kind == "companies":
        bulk.rescore(company_ids=[survivor_id], deal_ids=deals)
    else:
        bulk.rescore(contact_ids=[survivor_id], deal_ids=deals)


def counted(count: int, table: str) -> str:
    """``count`` rows of ``table`` in words: "1 deal", "3 stakeholder roles"."""
    one, several = NOUNS.get(table, (table, table))
    return f"{count} {one if count == 1 else several}"


def summary(kind: str, snapshot: dict) -> list[str]:
    """What a merge moved and removed, in words: "3 deals moved", "1 stakeholder role removed (both had one)"."""
    said = [f"{counted(len(keys), name.split('.')[0])} moved" for name, keys in snapshot.get("moved", {}).items()]
    removed = snapshot.get("removed", {})
    said += [f"{counted(len(rows), table)} removed (both records had one)" for table, rows in removed.items()]
    if snapshot.get("mappings"):
        said.append(f"{len(snapshot['mappings'])} stakeholder maps rewritten")
    return said or ["nothing referred to the removed record"]
