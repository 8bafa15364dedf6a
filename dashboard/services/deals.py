"""Deals: the pipeline's stages, the filters the deal list and the pipeline board share, stage changes
(noted on the deal's timeline), rescoring after writes, what a deal page shows, and deleting.

A stage change, from the form or the pipeline board, also writes a ``note``
activity in the same transaction; the database writes ``deal_stage_history``.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

from flask import g
from sqlalchemy import and_, func, select, text, union
from sqlalchemy.orm import joinedload

from dashboard import timezones, vocabulary
from dashboard.db import db
from dashboard.intelligence.scores import rescore_after_write
from dashboard.lists import Sorting, choice_arg, contains, number_arg, search_text
from dashboard.models import (
    Activity,
    Contact,
    Deal,
    DealMeeting,
    DealStage,
    DealStageHistory,
    DealStakeholder,
    DealTotal,
    Meeting,
    Task,
    User,
)

STATUSES = list(vocabulary.DEAL_STATUSES)
FORECAST_CHOICES = [(c, c.replace("_", " ")) for c in vocabulary.FORECAST_VIEWS]
MAX_VALUE = Decimal("999999999999.99")  # numeric(14,2)
INTEGRITY_MESSAGES = {
    "check_deals_name_not_blank": ("name", "Enter the deal's name (up to 200 characters)."),
    "check_deals_value_non_negative": ("value", "The value cannot be negative."),
    "fk_deals_stage_id_deal_stages": ("stage_id", "That stage no longer exists."),
    "fk_deals_company_id_companies": ("company_id", "That company no longer exists."),
    "fk_deals_primary_contact_id_contacts": ("primary_contact_id", "That contact no longer exists."),
    # the database's guard (docs/security.md): moving the deal would relink others' activities
    "writes_stay_on_writable_records": (
        "company_id",
        "Other users' activities on this deal are linked to its company; ask them or an admin before changing it.",
    ),
    # a lost deal has a reason (the form asks first)
    "check_deals_lost_has_reason": ("lost_reason_id", "Choose why the deal was lost."),
    "fk_deals_lost_reason_id_lost_reasons": ("lost_reason_id", "That lost reason no longer exists."),
    # app.may_reassign_owner, checked again by the check_owner_change trigger
    "deal_owner_reassignment": ("owner_id", "You may not hand this deal to that owner."),
}

# the list's sort keys (the page's and the API's); the deal intelligence score only for users with AI features
SORT_COLUMNS = {
    "close": Deal.expected_close_date,
    "value": Deal.value,
    "name": func.lower(Deal.name),
    "stage": DealStage.position,
}
SORTING = Sorting(columns=SORT_COLUMNS, default="close")
AI_SORTING = Sorting(columns=SORT_COLUMNS | {"intelligence": Deal.deal_intelligence_score}, default="close")


def stages() -> list[DealStage]:
    """The pipeline in board order (read once per request: filters, forms and the board all ask)."""
    if "stages" not in g:
        g.stages = db.session.scalars(select(DealStage).order_by(DealStage.position)).all()
    return g.stages


def owner_choices(may_choose: bool) -> list[tuple[str, str]]:
    """The users whose deals may be filtered by owner (``may_choose``: managers and admins; RLS decides
    whom they see); none for reps."""
    if not may_choose:
        return []
    rows = db.session.execute(select(User.id, User.full_name).where(User.is_active).order_by(User.full_name))
    return [(str(user_id), name) for user_id, name in rows]


def grouping_filters(args, owners: list[tuple[str, str]], listed_owners, table=Deal) -> list:
    """The stage, status and owner conditions of ``args``, and whose deals are listed
    (``listed_owners(column)``), on ``table``: the deals, or their totals (DealTotal), which have the
    same three columns."""
    conditions = []
    if args.get("stage") and (stage := choice_arg("stage", [str(s.id) for s in stages()], args)):
        conditions.append(table.stage_id == uuid.UUID(stage))
    if status := choice_arg("status", STATUSES, args):
        conditions.append(table.status == status)
    if owner := choice_arg("owner", [o for o, _ in owners], args):
        conditions.append(table.owner_id == uuid.UUID(owner))
    conditions.append(listed_owners(table.owner_id))
    return conditions


def row_filters(args) -> list:
    """The conditions of ``args`` that only the deal rows can answer: q, forecast category, min/max value, closing
    soon, stale."""
    conditions = []
    if q := search_text(args=args):
        conditions.append(contains(Deal.name, q))
    if (low := number_arg("min_value", 0, float(MAX_VALUE), args)) is not None:
        conditions.append(Deal.value >= low)
    if (high := number_arg("max_value", 0, float(MAX_VALUE), args)) is not None:
        conditions.append(Deal.value <= high)
    if category := choice_arg("forecast", vocabulary.FORECAST_VIEWS, args):
        conditions.append(forecast_condition(category))
    if args.get("closing") == "1":  # open deals expected to close within 30 days of the user's today
        today = timezones.today()
        soon = Deal.expected_close_date.between(today, today + timedelta(days=30))
        conditions.append(and_(Deal.status == "active", soon))
    if args.get("stale") == "1":  # open deals that sat in their stage for more than 30 days
        conditions.append(and_(Deal.status == "active", Deal.stage_changed_at < func.now() - timedelta(days=30)))
    return conditions


def forecast_condition(category: str):
    """Deals forecast as ``category``: an open deal by its stored category, closed won / lost by status."""
    closed = {closed: status for status, closed in vocabulary.FORECAST_CLOSED.items()}
    if category in closed:
        return Deal.status == closed[category]
    return and_(Deal.status == "active", Deal.forecast_category == category)


def deal_filters(args, owners: list[tuple[str, str]], listed_owners) -> list:
    """Conditions from the query string ``args``: q, stage, status, forecast, owner, min/max value, closing soon,
    stale."""
    return grouping_filters(args, owners, listed_owners) + row_filters(args)


def totals_filters(args, owners: list[tuple[str, str]], listed_owners) -> list | None:
    """The conditions of ``args`` on the deal totals (per owner, stage and status, kept by triggers), or
    None when a filter needs the deal rows."""
    return None if row_filters(args) else grouping_filters(args, owners, listed_owners, DealTotal)


def count_and_value(statement, summed: list | None) -> tuple[int, object]:
    """How many deals ``statement`` lists and their total value: summed from the deal totals when
    ``summed`` (totals_filters) can answer, else counted."""
    if summed is not None:
        sums = select(func.coalesce(func.sum(DealTotal.deals), 0), func.coalesce(func.sum(DealTotal.value), 0))
        return tuple(db.session.execute(sums.where(*summed)).one())
    counted = statement.subquery()
    return tuple(db.session.execute(select(func.count(), func.coalesce(func.sum(counted.c.value), 0))).one())


def change_stage(deal: Deal, stage: DealStage, moved_by: str) -> Activity | None:
    """Move ``deal`` to ``stage`` and note it on the deal's timeline, in the caller's transaction.

    The note belongs to the deal's owner (so it shows on their timeline) and
    says who moved it (``moved_by``, a name); the record_stage_change trigger
    writes the history row. Returns the note, or None when the deal is already
    in that stage.
    """
    with db.session.no_autoflush:  # one UPDATE of the deal (one version bump) with the form's other changes
        old = deal.stage
    if stage.id == old.id:
        return None
    deal.stage_id, deal.stage = stage.id, stage
    note = Activity(user_id=deal.owner_id, type="note", subject=f"Stage changed: {old.name} → {stage.name}",
                    details=f"Moved by {moved_by}.", deal_id=deal.id, activity_source="crm")  # fmt: skip
    db.session.add(note)
    return note


def rescore_deal(deal: Deal | None, company_ids=(), contact_ids=(), note: Activity | None = None) -> None:
    """Recompute what a write to a deal changed, in this transaction (after the flush).

    The deal itself (stage, status, close date feed its score, risk factors and
    win probability), its company before and after (whose engagement counts its
    active deals), stakeholder contacts whose roles changed (and, in SQL, their
    other deals) and the stage-change note (its sentiment and quality count as
    deal activity).
    """
    rescore_after_write(
        db.session,
        deal_ids=[deal.id] if deal is not None else [],
        company_ids=[*company_ids, deal.company_id if deal is not None else None],
        contact_ids=contact_ids,
        activity_ids=[note.id] if note is not None else [],
    )


def stakeholder_rows(deal_id) -> list[tuple[DealStakeholder, Contact]]:
    """The deal's stakeholders with their contacts, by name."""
    return db.session.execute(
        select(DealStakeholder, Contact).join(Contact, Contact.id == DealStakeholder.contact_id)
        .where(DealStakeholder.deal_id == deal_id).order_by(Contact.last_name, Contact.first_name)
    ).all()  # fmt: skip


def related(deal: Deal) -> dict:
    """What the detail page shows next to the deal (each list bounded)."""
    deal_id = deal.id
    history = select(DealStageHistory).where(DealStageHistory.deal_id == deal_id).order_by(DealStageHistory.changed_at)
    # the deal's meetings (as primary deal or linked) by id first: a few rows, then ordered
    linked = union(
        select(Meeting.id).where(Meeting.primary_deal_id == deal_id),
        select(DealMeeting.meeting_id).where(DealMeeting.deal_id == deal_id),
    )
    meetings = select(Meeting).where(Meeting.id.in_(linked))
    return {
        "history": db.session.scalars(history.options(joinedload(DealStageHistory.from_stage),
                                                      joinedload(DealStageHistory.to_stage),
                                                      joinedload(DealStageHistory.changed_by_user))).all(),
        "stakeholders": stakeholder_rows(deal_id),
        "meetings": db.session.scalars(meetings.order_by(Meeting.starts_at.desc()).limit(20)).all(),
        "activities": db.session.scalars(select(Activity).where(Activity.deal_id == deal_id)
                                         .order_by(Activity.date.desc()).limit(25)).all(),
        "tasks": db.session.scalars(select(Task).where(Task.deal_id == deal_id)
                                    .order_by(Task.due_date.asc().nulls_last()).limit(25)).all(),
    }  # fmt: skip


def delete(deal: Deal) -> None:
    """Delete the deal; its stakeholder rows go with it, so those contacts' roles (and their other deals)
    and its company are rescored. Its activities, meetings and tasks stay, unlinked."""
    company_id, contact_ids = deal.company_id, [s.contact_id for s, _ in stakeholder_rows(deal.id)]
    db.session.delete(deal)
    db.session.flush()
    rescore_deal(None, [company_id], contact_ids)
    db.session.commit()


# --- owner reassignment: one rule, app.may_reassign_owner (sql/functions/ownership.sql) ----------


class ReassignRefused(Exception):
    """Some deals may not go to that owner; nothing changed.

    ``refused``: (deal id, deal name) of each deal refused; the name is None for an id the acting user
    cannot see (hidden and missing deals are refused alike).
    """

    def __init__(self, refused: list[tuple[uuid.UUID, str | None]]):
        names = ", ".join(name or str(deal_id) for deal_id, name in refused)
        super().__init__(f"You may not hand these deals to that owner: {names}.")
        self.refused = refused


def owner_candidates(from_owner_id=None) -> list[tuple[str, str]]:
    """(id, name) of the active users a deal owned by ``from_owner_id`` (default: the acting user) may be
    handed to by the acting user, by name: everyone for admins, a manager's people and themself, none
    for reps (app.may_reassign_owner's rule, its scope asked once)."""
    cache = g.setdefault("owner_candidates", {})  # a list page asks once per owner
    if from_owner_id not in cache:
        rows = db.session.execute(
            text("""select u.id, u.full_name from crm.users u
                    where u.is_active and app.may_reassign_within((select app.reassign_scope()),
                                                                  coalesce(:from_owner, app.active_user_id()), u.id)
                    order by u.full_name, u.id"""),
            {"from_owner": from_owner_id},
        )
        cache[from_owner_id] = [(str(user_id), name) for user_id, name in rows]
    return list(cache[from_owner_id])


def load_owner_candidates(owner_ids) -> None:
    """Ask for the candidates of every owner in ``owner_ids`` in one query (a list page's deals), so that
    ``owner_candidates`` and ``may_reassign`` answer from memory."""
    cache = g.setdefault("owner_candidates", {})
    wanted = list({uuid.UUID(str(o)) for o in owner_ids} - set(cache))
    if not wanted:
        return
    rows = db.session.execute(
        text("""select o.id, u.id, u.full_name from unnest(cast(:owners as uuid[])) as o(id)
                cross join crm.users u
                where u.is_active and app.may_reassign_within((select app.reassign_scope()), o.id, u.id)
                order by u.full_name, u.id"""),
        {"owners": wanted},
    ).all()
    for owner in wanted:
        cache[owner] = [(str(user_id), name) for o, user_id, name in rows if o == owner]


def may_reassign(deal: Deal) -> bool:
    """Whether the acting user may hand ``deal`` to someone (anyone besides its owner)."""
    return any(user_id != str(deal.owner_id) for user_id, _ in owner_candidates(deal.owner_id))


def reassign_owner(deal_ids, new_owner_id) -> list[Deal]:
    """Hand the deals ``deal_ids`` to ``new_owner_id`` in the caller's transaction (flushed, not committed:
    save it with ``services/saving.save`` or commit), all or none.

    The rule is ``app.may_reassign_owner`` (admins: any deal; managers: theirs and their people's, to
    themself or their people; the new owner active); the database applies it again on the update. The
    deals keep their history: stage history, activities, tasks and meetings stay as they are (the
    audit log records the change). Deals already owned by ``new_owner_id`` are left untouched.

    Raises:
        ReassignRefused: a deal is hidden, missing or may not go to that owner; nothing changed.
    """
    wanted = list(dict.fromkeys(uuid.UUID(str(i)) for i in deal_ids))
    allowed = db.session.execute(
        text("""select d.id, d.name, app.may_reassign_owner(d.owner_id, :new_owner) from crm.deals d
                where d.id = any(:ids)"""),
        {"ids": wanted, "new_owner": uuid.UUID(str(new_owner_id))},
    ).all()
    found = {row[0]: row for row in allowed}
    refused = [(i, found[i][1] if i in found else None) for i in wanted if i not in found or not found[i][2]]
    if refused:
        raise ReassignRefused(refused)
    deals = db.session.scalars(select(Deal).where(Deal.id.in_(wanted)).order_by(Deal.name, Deal.id)).all()
    for deal in deals:
        if deal.owner_id != uuid.UUID(str(new_owner_id)):
            deal.owner_id = uuid.UUID(str(new_owner_id))
    db.session.flush()
    return list(deals)
