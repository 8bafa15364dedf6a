"""What the duplicates pages read and do besides the scan and the merge: the list of pairs, dismissing one,
the two records side by side for the merge form, and the merge history."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import text

from dashboard.db import db
from dashboard.services import merging
from dashboard.services.duplicates import LIKELY_SCORE, LISTED_SCORE

# one line per record on the list: what tells two records apart at a glance
SUMMARIES = {
    "companies": """select c.id, c.name, concat_ws(' · ', c.domain, c.phone, u.full_name), c.created_at
                    from crm.companies c left join crm.users u on u.id = c.owner_id""",
    "contacts": """select c.id, c.first_name || ' ' || c.last_name,
                          concat_ws(' · ', c.email, co.name, c.phone, u.full_name), c.created_at
                   from crm.contacts c left join crm.companies co on co.id = c.company_id
                   left join crm.users u on u.id = c.owner_id""",
}
PAGE = """
with records as ({summaries})
select p.id, p.score, p.reasons, a.id, a.name, a.detail, b.id, b.name, b.detail, a.created_at <= b.created_at
from crm.duplicate_pairs p
join records a (id, name, detail, created_at) on a.id = p.first_id
join records b (id, name, detail, created_at) on b.id = p.second_id
where p.kind = :kind and p.status = 'open' and p.score >= :min_score
order by p.score desc, p.id
limit :limit offset :offset
"""
# one statement per kind, put together here from this module's constants (never from input)
PAGES = {kind: PAGE.format(summaries=summary) for kind, summary in SUMMARIES.items()}
NAME_OF = "select {column} from crm.{table} where id = cast(:id as uuid)"
COUNTS = """select kind, count(*) filter (where score >= :likely), count(*)
            from crm.duplicate_pairs where status = 'open' group by kind"""


@dataclass(frozen=True)
class Side:
    id: uuid.UUID
    name: str
    detail: str


@dataclass(frozen=True)
class Pair:
    id: uuid.UUID
    score: float
    reasons: list
    first: Side
    second: Side
    first_is_older: bool = True

    @property
    def keep(self) -> Side:
        """The record the merge form offers to keep: the older one (the other was entered again)."""
        return self.first if self.first_is_older else self.second

    @property
    def remove(self) -> Side:
        return self.second if self.first_is_older else self.first


def pairs_page(kind: str, possible: bool, page: int) -> tuple[list[Pair], bool]:
    """One page of open pairs of ``kind``, best first: likely ones, or with ``possible`` also the possible ones."""
    size = current_app.config["PAGE_SIZE"]
    statement = text(PAGES[kind])
    params = {"kind": kind, "min_score": LISTED_SCORE if possible else LIKELY_SCORE, "limit": size + 1,
              "offset": (page - 1) * size}  # fmt: skip
    rows = db.session.execute(statement, params).all()
    pairs = [Pair(r[0], float(r[1]), r[2], Side(*r[3:6]), Side(*r[6:9]), r[9]) for r in rows[:size]]
    return pairs, len(rows) > size


def counts() -> dict[str, tuple[int, int]]:
    """kind -> (likely, all open) pairs."""
    rows = db.session.execute(text(COUNTS), {"likely": LIKELY_SCORE}).all()
    found = {kind: (likely, total) for kind, likely, total in rows}
    return {kind: found.get(kind, (0, 0)) for kind in merging.REFERENCES}


def scan_pending() -> str | None:
    """'waiting' or 'running' while a duplicate scan job is queued or running (its policy lets admins see
    them), else None."""
    statement = text("""select status::text from crm_jobs.procrastinate_jobs
                        where task_name = 'duplicate_scan' and status in ('todo', 'doing')
                        order by status::text limit 1""")
    status = db.session.execute(statement).scalar()
    return {"todo": "waiting", "doing": "running"}.get(status)


def dismiss(pair_id: uuid.UUID, actor_id) -> bool:
    """Mark a pair "not a duplicate" (it stays so across scans); False when there is no such open pair."""
    statement = text("""update crm.duplicate_pairs set status = 'dismissed', dismissed_by = :by, dismissed_at = now()
                        where id = :id and status = 'open'""")
    return db.session.execute(statement, {"id": pair_id, "by": actor_id}).rowcount == 1


def reference_counts(kind: str, record_id) -> list[str]:
    """What refers to the record (what its merge would move), in words: ["2 deals", "1 task"]."""
    found = {}
    for reference in merging.REFERENCES[kind]:
        statement = merging.sql("select count(*) from crm.{table} where {column} = cast(:id as uuid)",
                                table=reference.table, column=reference.column)  # fmt: skip
        count = db.session.execute(statement, {"id": str(record_id)}).scalar()
        found[reference.table] = found.get(reference.table, 0) + count
    return [merging.counted(count, table) for table, count in found.items() if count]


def shown(value) -> str:
    """A field's value as the merge form shows it."""
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def labelled(kind: str, field: str, value) -> str:
    """The value with the name behind an id (a company, an owner)."""
    if value and field in ("company_id", "owner_id"):
        table, column = ("companies", "name") if field == "company_id" else ("users", "full_name")
        statement = merging.sql(NAME_OF, table=table, column=column)
        return db.session.execute(statement, {"id": value}).scalar() or "—"
    return shown(value)


def field_rows(kind: str, survivor: dict, loser: dict) -> list[tuple[str, str, str, bool]]:
    """(field, kept record's value, removed record's value, take the removed one by default) for each field
    the two records differ in; the removed record's value is preselected where the kept one has none."""
    rows = []
    for name in merging.differing(kind, survivor, loser):
        empty = survivor.get(name) in (None, "", [], {})
        rows.append((name, labelled(kind, name, survivor.get(name)), labelled(kind, name, loser.get(name)), empty))
    return rows


def history(page: int) -> tuple[list, bool]:
    """The merges, newest first: id, kind, survivor id and name (None once gone), the removed row, when and
    by whom merged, undone, the snapshot."""
    size = current_app.config["PAGE_SIZE"]
    statement = text("""select m.id, m.kind, m.survivor_id, coalesce(co.name, ct.first_name || ' ' || ct.last_name),
                               m.snapshot -> 'loser', m.merged_at, mu.full_name, m.undone_at, uu.full_name, m.snapshot
                        from crm.record_merges m left join crm.users mu on mu.id = m.merged_by
                        left join crm.users uu on uu.id = m.undone_by
                        left join crm.companies co on m.kind = 'companies' and co.id = m.survivor_id
                        left join crm.contacts ct on m.kind = 'contacts' and ct.id = m.survivor_id
                        order by m.merged_at desc, m.id limit :limit offset :offset""")
    rows = db.session.execute(statement, {"limit": size + 1, "offset": (page - 1) * size}).all()
    return rows[:size], len(rows) > size


def record_name(kind: str, row: dict | None) -> str:
    """A company's name, a contact's full name (from its row as JSON)."""
    if not row:
        return "(gone)"
    if kind == "companies":
        return row.get("name") or "(no name)"
    return f"{row.get('first_name', '')} {row.get('last_name', '')}".strip()
