"""The pipeline admins manage: stages (name, colour, order, default probability, rotting days, open/won/lost)
and the lost reasons a deal must be given when it is lost.

A stage that deals are in cannot be removed (the database refuses too: the refuse_removing_a_used_stage
trigger names how many); its stage history stays, with the stage removed. A stage with deals does not
change between open, won and lost (their status follows the stage). Reordering swaps two neighbours in
one transaction (the position's uniqueness is checked at commit).
"""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from dashboard.db import db
from dashboard.models import Deal, DealStage, LostReason

KINDS = [("open", "Open"), ("won", "Won (closes the deal as won)"), ("lost", "Lost (closes the deal as lost)")]
STAGE_MESSAGES = {
    "unique_deal_stages_lower_name": ("name", "A stage with this name already exists."),
    "check_deal_stages_name_not_blank": ("name", "Enter a name of up to 60 characters."),
    "check_deal_stages_color_hex": ("color", "Choose a colour like #3b82f6."),
    "check_deal_stages_probability_range": ("default_probability", "Enter a probability from 0 to 100."),
    "check_deal_stages_rotting_days_range": ("rotting_days", "Enter 1 to 365 days, or leave it empty."),
}
REASON_MESSAGES = {
    "unique_lost_reasons_lower_name": ("name", "A lost reason with this name already exists."),
    "check_lost_reasons_name_not_blank": ("name", "Enter a name of up to 80 characters."),
}


class StageInUse(Exception):
    """The stage has deals (or lost deals have the reason): it stays; ``message`` says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def deals_in_stages() -> dict:
    """Deals per stage id (all of them: only admins manage stages, and they read every deal)."""
    return dict(db.session.execute(select(Deal.stage_id, func.count()).group_by(Deal.stage_id)).all())


def stage_rows() -> list[tuple[DealStage, int]]:
    """Every stage in board order with how many deals are in it."""
    counts = deals_in_stages()
    stages = db.session.scalars(select(DealStage).order_by(DealStage.position)).all()
    return [(stage, counts.get(stage.id, 0)) for stage in stages]


def kind_of(stage: DealStage) -> str:
    return "won" if stage.is_won else "lost" if stage.is_lost else "open"


def deal_count_words(count: int) -> str:
    return f"{count} deal{'' if count == 1 else 's'}"


def apply_stage(form, stage: DealStage) -> None:
    """Copy the form onto ``stage``; a stage with deals keeps its kind (their status follows it).

    Raises:
        StageInUse: the kind would change while deals are in the stage; nothing was copied.
    """
    kind = form.kind.data
    if stage.id is not None and kind != kind_of(stage):
        count = deals_in_stages().get(stage.id, 0)
        if count:
            raise StageInUse(f"{stage.name} has {deal_count_words(count)}; move them to another stage before "
                             "changing whether it is open, won or lost.")  # fmt: skip
    stage.name = form.name.data
    stage.color = form.color.data.lower()
    stage.default_probability = form.default_probability.data
    stage.rotting_days = form.rotting_days.data
    stage.is_won, stage.is_lost = kind == "won", kind == "lost"


def next_position(model) -> int:
    """After the last one, in steps of 10 (room to insert between)."""
    return (db.session.scalar(select(func.max(model.position))) or 0) + 10


def move(stage: DealStage, direction: str) -> bool:
    """Swap ``stage`` with its neighbour before (``up``) or after (``down``) it and commit; False at an end."""
    before = direction == "up"
    neighbour = db.session.scalar(
        select(DealStage).where(DealStage.position < stage.position if before else DealStage.position > stage.position)
        .order_by(DealStage.position.desc() if before else DealStage.position).limit(1)
    )  # fmt: skip
    if neighbour is None:
        return False
    stage.position, neighbour.position = neighbour.position, stage.position
    db.session.commit()  # unique_deal_stages_position is deferred: checked here, after both moved
    return True


def removal_refusal(stage: DealStage) -> str | None:
    """Why ``stage`` cannot be removed now (the deals in it), or None."""
    count = deals_in_stages().get(stage.id, 0)
    if count:
        return f"{stage.name} has {deal_count_words(count)}; move them to another stage first, then remove it."
    return None


def remove(stage: DealStage) -> None:
    """Remove ``stage`` and commit; its stage history stays (the stage shown as removed).

    Raises:
        StageInUse: deals are in it (checked here, and by the database if a deal moved in meanwhile).
    """
    if (refusal := removal_refusal(stage)) is not None:
        raise StageInUse(refusal)
    name = stage.name
    try:
        db.session.delete(stage)
        db.session.commit()
    except IntegrityError as error:  # stage_has_deals, or the foreign key: a deal moved in meanwhile
        db.session.rollback()
        raise StageInUse(f"{name} has deals now; move them to another stage first.") from error


# --- lost reasons -------------------------------------------------------------------------


def reason_rows() -> list[tuple[LostReason, int]]:
    """Every lost reason (active first, in order) with how many deals have it."""
    counts = dict(db.session.execute(select(Deal.lost_reason_id, func.count()).where(Deal.lost_reason_id.is_not(None))
                                     .group_by(Deal.lost_reason_id)).all())  # fmt: skip
    reasons = db.session.scalars(
        select(LostReason).order_by(LostReason.is_active.desc(), LostReason.position, LostReason.name)
    ).all()
    return [(reason, counts.get(reason.id, 0)) for reason in reasons]


def reason_choices(current=None) -> list[tuple[str, str]]:
    """The active reasons in order (plus ``current``, a deal's reason even if retired since)."""
    reasons = db.session.scalars(
        select(LostReason).where((LostReason.is_active) | (LostReason.id == current))
        .order_by(LostReason.position, LostReason.name)
    ).all()  # fmt: skip
    return [(str(r.id), r.name) for r in reasons]


def reason_refusal(reason: LostReason, deals: int) -> str | None:
    """Why ``reason`` cannot be removed (the built-in one, or deals have it), or None."""
    if reason.id == LostReason.NOT_RECORDED:
        return f"{reason.name} is built in: deals lost without a recorded reason have it."
    if deals:
        return f"{deal_count_words(deals)} lost for {reason.name}; it stays with them. Make it inactive instead."
    return None


def lost_report(manager_id, start, end) -> list:
    """(reason, deals, value) lost by the manager's team between ``start`` and ``end``, largest value first
    (``crm.get_lost_reasons_report``: the manager themself or an admin; the range checked as the team
    dashboard's)."""
    return db.session.execute(
        text("select reason, deals, value from crm.get_lost_reasons_report(:manager, :start, :end)"),
        {"manager": str(manager_id), "start": start, "end": end},
    ).all()
