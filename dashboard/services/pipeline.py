"""The pipeline board: a column per stage (in position order) with its top deals as cards (each with its
health marks: stalled, next step; services/deal_health.py), and per column the count, total value and
weighted value (total x the stage's default probability), all from one GROUP BY; and moving a deal to
another stage."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import and_, func, select, true
from sqlalchemy.orm import joinedload, load_only

from dashboard.db import db
from dashboard.models import Company, Deal, DealStage, DealTotal, User
from dashboard.services import deal_health
from dashboard.services.deals import change_stage, rescore_deal
from dashboard.services.saving import is_stale, save, stale

CARD_LIMIT = 25  # cards per column (the highest values); the header still counts and sums them all


def column_summary(conditions: list, summed: list | None) -> list:
    """(stage, count, total, weighted) per stage: from the deal totals when ``summed`` (the totals'
    conditions) can answer, else from the deals that pass ``conditions``."""
    if summed is not None:
        table, count, value = DealTotal, func.sum(DealTotal.deals), DealTotal.value
        joined = and_(DealTotal.stage_id == DealStage.id, *summed)
    else:
        table, count, value = Deal, func.count(Deal.id), Deal.value
        joined = and_(Deal.stage_id == DealStage.id, *conditions)
    total = func.coalesce(func.sum(value), 0)
    return db.session.execute(
        select(DealStage, func.coalesce(count, 0), total, func.round(total * DealStage.default_probability / 100, 2))
        .outerjoin(table, joined).group_by(DealStage.id).order_by(DealStage.position)
    ).all()  # fmt: skip


def top_cards(conditions: list) -> list[Deal]:
    """Each column's top cards: per stage, the first deals of the (stage, value) index that pass the filters."""
    top = (
        select(Deal.id).where(Deal.stage_id == DealStage.id, *conditions)
        .order_by(Deal.value.desc(), Deal.id).limit(CARD_LIMIT).lateral()
    )  # fmt: skip
    top_ids = db.session.scalars(select(top.c.id).select_from(DealStage).join(top, true())).all()
    return db.session.scalars(
        select(Deal).where(Deal.id.in_(top_ids))
        .order_by(Deal.value.desc(), Deal.id).options(
            # what a card shows (not the deal's JSON analysis columns), its company's and owner's names
            load_only(Deal.name, Deal.value, Deal.stage_id, Deal.owner_id, Deal.company_id, Deal.expected_close_date,
                      Deal.version, Deal.stage_changed_at),
            joinedload(Deal.company).load_only(Company.name),
            joinedload(Deal.owner).load_only(User.full_name),
        )
    ).all()  # fmt: skip


def columns(conditions: list, summed: list | None) -> list[dict]:
    """The board's columns (stage, count, total, weighted, top cards) for the deal filters ``conditions``
    (and ``summed``, the same on the deal totals, or None)."""
    by_stage = defaultdict(list)
    cards = top_cards(conditions)
    for deal in cards:
        by_stage[deal.stage_id].append(deal)
    summary = column_summary(conditions, summed)
    marks = deal_health.health(cards, {s.id: s for s, *_ in summary})
    return [dict(stage=s, count=n, total=t, weighted=w, deals=by_stage[s.id], health=marks)
            for s, n, t, w in summary]  # fmt: skip


def move(deal: Deal, stage: DealStage, version, moved_by: str, lost_reason_id=None) -> bool:
    """Move ``deal`` to ``stage`` (noted on its timeline, rescored: the card shows the new stage's score,
    risk and win probability now) with ``lost_reason_id`` for a lost stage, and commit; False when it was
    already there.

    Raises:
        StaleRecord: the deal changed since ``version`` was read; nothing moved.
    """
    if is_stale(deal, version):
        raise stale(deal)
    note = change_stage(deal, stage, moved_by)
    if note is None:
        return False
    deal.lost_reason_id = lost_reason_id if stage.is_lost else None
    save(None, {}, deal, version, before_commit=lambda: rescore_deal(deal, note=note))
    return True
