"""Bulk actions on lists: the rows chosen (ticked ids, or every row the list's filter matches), what the
action will change (counts; for a delete, what the database would delete and unlink), and the change itself
in ONE transaction. Rows the user may not change refuse the whole action, named.

The filter of "every row matching" is the list's own: the same service filters, with the list's query
string (``args``) instead of the request's. Owner reassignment is ``services/deals.reassign_owner`` (the
one rule, ``app.may_reassign_owner``).
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass
from datetime import date

from flask_login import current_user
from sqlalchemy import delete, func, select
from sqlalchemy.exc import DBAPIError
from werkzeug.datastructures import MultiDict

from dashboard.db import db
from dashboard.intelligence.scores import rescore_after_write
from dashboard.models import Company, Contact, Deal, DealStage, DealStakeholder, LostReason, Task
from dashboard.permissions import is_manager, listed_owners, may_write, owned_by_readable
from dashboard.services import companies, contacts, deals, deletion, stages, tasks

MAX_ROWS = 2000  # rows one bulk action may change
RESCORE_CHUNK = 1000  # app.rescore_after_write takes at most 1000 ids per kind


@dataclass(frozen=True)
class Entity:
    model: type
    what: str  # one
    several: str
    actions: tuple[str, ...]

    def name_of(self, row) -> str:
        if self.model is Contact:
            return f"{row.first_name} {row.last_name}".strip()
        return row.title if self.model is Task else row.name


ENTITIES = {
    "deals": Entity(Deal, "deal", "deals", ("reassign", "stage", "close_date", "delete")),
    "tasks": Entity(Task, "task", "tasks", ("complete", "delete")),
    "companies": Entity(Company, "company", "companies", ("delete",)),
    "contacts": Entity(Contact, "contact", "contacts", ("delete",)),
}
ACTION_LABELS = {"reassign": "Reassign owner", "stage": "Change stage", "close_date": "Set close date",
                 "complete": "Complete", "delete": "Delete"}  # fmt: skip


class BulkRefused(Exception):
    """The action may not run: ``message`` says why, ``rows`` names the rows (id, name) that refused it."""

    def __init__(self, message: str, rows: list[tuple] = ()):
        super().__init__(message)
        self.message, self.rows = message, list(rows)


# --- which rows ------------------------------------------------------------------------------------


def matching(entity: str, args: MultiDict):
    """The list's own statement for the query string ``args`` (its filters; whose rows as on the list)."""
    owners = functools.partial(listed_owners, args=args)
    if entity == "companies":
        return companies.filtered_companies(args, owners)
    if entity == "contacts":
        return contacts.filtered_contacts(args, owners, current_user.ai_features)
    if entity == "deals":
        conditions = deals.deal_filters(args, deals.owner_choices(is_manager()), owners)
        return select(Deal).join(DealStage, Deal.stage_id == DealStage.id).where(*conditions)
    team = args.get("view") == "team" and is_manager()  # the task list's views: mine, or (managers) the team's
    whose = owned_by_readable if team else (lambda assignee: assignee == current_user.id)
    return tasks.filtered_tasks(args, whose)


def chosen_ids(entity: str, ids: list[str], scope_args: MultiDict | None) -> list[uuid.UUID]:
    """The ids ticked, or (``scope_args``: the list's query string) every id the list's filter matches."""
    if scope_args is not None:
        model = ENTITIES[entity].model
        statement = matching(entity, scope_args).with_only_columns(model.id).limit(MAX_ROWS + 1)
        return list(db.session.scalars(statement))
    parsed = []
    for text in ids:
        try:
            parsed.append(uuid.UUID(text))
        except ValueError:
            continue
    return list(dict.fromkeys(parsed))


def load(entity: str, ids: list[uuid.UUID]) -> list:
    """The rows, checked: some, not too many, every one visible and changeable by the user (else refused,
    naming the rows)."""
    spec = ENTITIES[entity]
    if not ids:
        raise BulkRefused(f"Select the {spec.several} to change.")
    if len(ids) > MAX_ROWS:
        raise BulkRefused(f"At most {MAX_ROWS:,} {spec.several} at a time: narrow the filter.")
    rows = db.session.scalars(select(spec.model).where(spec.model.id.in_(ids))).all()
    found = {row.id for row in rows}
    hidden = [(i, None) for i in ids if i not in found]
    if hidden:
        raise BulkRefused(f"{len(hidden)} of the selected {spec.several} no longer exist or are not yours to see.",
                          hidden)  # fmt: skip
    return sorted(rows, key=lambda row: (spec.name_of(row).lower(), str(row.id)))


def refuse_unwritable(entity: str, rows: list) -> None:
    spec = ENTITIES[entity]
    locked = [(row.id, spec.name_of(row)) for row in rows if not may_write(row)]
    if locked:
        raise BulkRefused(f"You may not change {len(locked)} of the selected {spec.several}; nothing was changed.",
                          locked)  # fmt: skip


# --- what will change ----------------------------------------------------------------------------------


def sentence(entity: str, changing: int, count: int, happens: str, already: str) -> str:
    """"3 deals will move to Won; 1 already is there." (``already`` for the rows the action leaves alone)."""
    spec = ENTITIES[entity]
    rest = f"; {count - changing} {already}." if count > changing else "."
    return f"{changing} {spec.what if changing == 1 else spec.several} {happens}{rest}"


def describe(entity: str, action: str, rows: list, value) -> list[str]:
    """The confirmation's sentences: what the action will change, counted. Raises BulkRefused when a row
    may not be changed (the whole action is refused)."""
    count = len(rows)
    if action == "reassign":
        check_reassign(rows, value.id)
        moving = sum(1 for row in rows if row.owner_id != value.id)
        return [sentence(entity, moving, count, f"will go to {value.full_name}", "already belong to them")]
    refuse_unwritable(entity, rows)
    if action == "stage":
        moving = [row for row in rows if row.stage_id != value.id]
        by_stage: dict[str, int] = {}
        for row in moving:
            by_stage[row.stage.name] = by_stage.get(row.stage.name, 0) + 1
        froms = ", ".join(f"{n} from {name}" for name, n in sorted(by_stage.items()))
        happens = f"will move to {value.name}" + (f" ({froms})" if froms else "")
        lost = [f"Lost because: {value.reason.name}."] if value.reason is not None else []
        return [sentence(entity, len(moving), count, happens, "already are there"), *lost,
                "Each move is noted on the deal's timeline."]  # fmt: skip
    if action == "close_date":
        changing = sum(1 for row in rows if row.expected_close_date != value)
        return [sentence(entity, changing, count, f"will close on {value.isoformat()}", "already do")]
    if action == "complete":
        changing = sum(1 for row in rows if row.status != "completed")
        return [sentence(entity, changing, count, "will be completed", "already are")]
    return [sentence(entity, count, count, "will be deleted", ""), *delete_preview(entity, rows)]


def check_reassign(rows: list, owner_id) -> None:
    """The reassignment rule (services/deals.reassign_owner) tried in a savepoint: refused rows are named."""
    savepoint = db.session.begin_nested()
    try:
        deals.reassign_owner([row.id for row in rows], owner_id)
    except deals.ReassignRefused as refused:
        raise BulkRefused(f"You may not hand {len(refused.refused)} of the selected deals to that owner; "
                          "nothing was changed.", refused.refused) from None  # fmt: skip
    finally:
        savepoint.rollback()


def delete_preview(entity: str, rows: list) -> list[str]:
    """What deleting all the rows does, asked of the database (one delete in a savepoint, rolled back); when
    the database refuses, each row is tried alone to name the ones that block it."""
    spec = ENTITIES[entity]
    mark = max((last for *_, last in deletion.changes_since(0)), default=0)
    savepoint = db.session.begin_nested()
    try:
        db.session.execute(delete(spec.model).where(spec.model.id.in_([r.id for r in rows]))
                           .execution_options(synchronize_session=False))  # fmt: skip
        changes = deletion.changes_since(mark)
    except DBAPIError as error:
        savepoint.rollback()
        if deletion.refusal_message(error, spec.what) is None:
            raise
        blocked = [(row.id, spec.name_of(row), preview.blocked) for row in rows
                   if (preview := deletion.preview(row, spec.what)).blocked]  # fmt: skip
        raise BulkRefused(f"{len(blocked)} of the selected {spec.several} cannot be deleted; nothing was deleted.",
                          [(i, f"{name}: {why}") for i, name, why in blocked]) from None  # fmt: skip
    savepoint.rollback()
    removed, unlinked = {}, {}
    for table, action, count, _ in changes:
        count -= len(rows) if (table, action) == (spec.model.__tablename__, "delete") else 0
        target = removed if action == "delete" else unlinked if action == "update" else None
        if target is not None and count > 0:
            target[table] = count
    said = deletion.Preview(spec.what, removed, unlinked).sentences()  # "a task's tasks" are its subtasks
    return [s.replace("with it:", "with them:").replace(f"this {spec.what}", f"these {spec.several}") for s in said]


# --- the change --------------------------------------------------------------------------------------


def apply(entity: str, action: str, rows: list, value) -> int:
    """Make the change to every row in one transaction (committed); returns how many rows changed.
    Raises BulkRefused (nothing changed) when a row may not be changed."""
    if action == "delete":
        refuse_unwritable(entity, rows)
    else:
        describe(entity, action, rows, value)  # the same checks as the confirmation's
    ids = [row.id for row in rows]
    if action == "reassign":
        changed = sum(1 for row in rows if row.owner_id != value.id)
        deals.reassign_owner(ids, value.id)
    elif action == "stage":
        notes = [note for row in rows if (note := deals.change_stage(row, value.stage, current_user.full_name))]
        for row in rows:  # a lost deal has its reason (check_deals_lost_has_reason)
            if value.reason is not None and row.lost_reason_id != value.reason.id:
                row.lost_reason_id = value.reason.id
        db.session.flush()
        changed = len(notes)
        rescore(deal_ids=ids, company_ids=[row.company_id for row in rows], activity_ids=[n.id for n in notes])
    elif action == "close_date":
        changed = sum(1 for row in rows if row.expected_close_date != value)
        for row in rows:
            row.expected_close_date = value
        db.session.flush()
        rescore(deal_ids=ids)
    elif action == "complete":
        changed = sum(1 for row in rows if row.status != "completed")
        for row in rows:
            row.status = "completed"  # completed_at follows in the database
    else:
        changed = len(rows)
        deletion.run(lambda: delete_rows(entity, rows), ENTITIES[entity].several)
        return changed
    db.session.commit()
    return changed


def delete_rows(entity: str, rows: list) -> None:
    """Delete the rows in one statement and rescore what counted them (as each list's own delete does)."""
    spec, ids = ENTITIES[entity], [row.id for row in rows]
    company_ids = [row.company_id for row in rows if getattr(row, "company_id", None)]
    stakeholders = select(DealStakeholder.contact_id if entity == "deals" else DealStakeholder.deal_id)
    linked = db.session.scalars(stakeholders.where(
        (DealStakeholder.deal_id if entity == "deals" else DealStakeholder.contact_id).in_(ids))).all()  # fmt: skip
    db.session.execute(delete(spec.model).where(spec.model.id.in_(ids)).execution_options(synchronize_session=False))
    if entity == "deals":
        rescore(company_ids=company_ids, contact_ids=linked)
    elif entity == "contacts":
        rescore(company_ids=company_ids, deal_ids=linked)
    db.session.commit()


def rescore(deal_ids=(), company_ids=(), contact_ids=(), activity_ids=()) -> None:
    """rescore_after_write in chunks of RESCORE_CHUNK ids per kind."""
    kinds = [list(dict.fromkeys(i for i in ids if i)) for ids in (deal_ids, company_ids, contact_ids, activity_ids)]
    for start in range(0, max(len(k) for k in kinds), RESCORE_CHUNK):
        part = [k[start : start + RESCORE_CHUNK] for k in kinds]
        rescore_after_write(db.session, deal_ids=part[0], company_ids=part[1], contact_ids=part[2],
                            activity_ids=part[3])  # fmt: skip


def parse_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def owner_choice(owner_id: str):
    from dashboard.models import User

    try:
        return db.session.get(User, uuid.UUID(owner_id))
    except ValueError:
        return None


@dataclass(frozen=True)
class StageMove:
    """Where a stage change takes the deals, and why they were lost when it is a lost stage."""

    stage: DealStage
    reason: LostReason | None = None

    @property
    def id(self):
        return self.stage.id

    @property
    def name(self) -> str:
        return self.stage.name


class NeedsReason(BulkRefused):
    def __init__(self):
        super().__init__("Choose why the deals were lost.")


def stage_choice(stage_id: str, reason_id: str = "") -> StageMove | None:
    """The stage (None when there is none of that id); for a lost stage also the reason (NeedsReason if none)."""
    try:
        stage = db.session.get(DealStage, uuid.UUID(stage_id))
    except ValueError:
        return None
    if stage is None or not stage.is_lost:
        return stage and StageMove(stage)
    try:
        reason = db.session.get(LostReason, uuid.UUID(reason_id))
    except ValueError:
        reason = None
    if reason is None or not reason.is_active:
        raise NeedsReason
    return StageMove(stage, reason)


def total(entity: str, args: MultiDict) -> int:
    """How many rows the list's filter matches (the "all N matching" offer)."""
    return db.session.scalar(select(func.count()).select_from(matching(entity, args).subquery()))


def options(entity: str) -> dict:
    """What a list's bulk bar offers the acting user: the actions, the owners deals may go to (none: no
    reassignment), the stages."""
    keys = list(ENTITIES[entity].actions)
    owners = deals.owner_candidates() if entity == "deals" else []
    if not owners and "reassign" in keys:
        keys.remove("reassign")
    is_deals = entity == "deals"
    return {"names": keys, "actions": [(key, ACTION_LABELS[key]) for key in keys], "owners": owners,
            "stages": deals.stages() if is_deals else [],
            "reasons": stages.reason_choices() if is_deals else []}  # fmt: skip
