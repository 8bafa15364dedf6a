"""What cards and deal lists say about a deal's health: stalled (longer in its stage than the stage's
rotting days) and its next step (the earliest pending activity or open task with a due date on the deal,
as far as the user may see them): none, upcoming, or overdue.

Days in a stage are whole days since ``stage_changed_at`` (the sync_status_from_stage trigger moves it
on every stage change); a deal is stalled when they exceed ``deal_stages.rotting_days`` (null: never).
Only open deals are judged.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import text

from dashboard import timezones
from dashboard.db import db

NEXT_STEPS = text(
    """select distinct on (deal_id) deal_id, at, kind, title, id from (
         select a.deal_id, a.date as at, 'activity' as kind, coalesce(nullif(a.subject, ''), a.type) as title, a.id
         from crm.activities a where a.deal_id = any(:ids) and a.status = 'pending'
         union all
         select t.deal_id, t.due_date, 'task', t.title, t.id
         from crm.tasks t where t.deal_id = any(:ids) and t.status in ('pending', 'in_progress')
           and t.due_date is not null
       ) steps
       order by deal_id, at, id"""
)


@dataclass(frozen=True)
class NextStep:
    kind: str  # "activity" or "task"
    id: uuid.UUID
    title: str
    at: dt.datetime
    overdue: bool


@dataclass(frozen=True)
class Health:
    """A deal's marks: days in its stage, whether that is over the rotting days, and its next step."""

    days_in_stage: int
    rotting_days: int | None
    next_step: NextStep | None
    is_open: bool

    @property
    def stalled(self) -> bool:
        return self.is_open and self.rotting_days is not None and self.days_in_stage > self.rotting_days

    @property
    def no_next_step(self) -> bool:
        return self.is_open and self.next_step is None

    @property
    def overdue(self) -> bool:
        return self.is_open and self.next_step is not None and self.next_step.overdue


def next_steps(deal_ids, now: dt.datetime) -> dict[uuid.UUID, NextStep]:
    """Each deal's earliest pending activity or open task with a due date: overdue when an activity is before
    ``now``, or a task's due day (stored at 00:00 UTC) before the user's today, as the task list says."""
    ids = list({uuid.UUID(str(i)) for i in deal_ids})
    if not ids:
        return {}
    rows = db.session.execute(NEXT_STEPS, {"ids": ids}).all()
    today = timezones.due_instant(timezones.today())
    return {deal_id: NextStep(kind, step_id, title, at, at < (today if kind == "task" else now))
            for deal_id, at, kind, title, step_id in rows}  # fmt: skip


def days_in_stage(deal, now: dt.datetime) -> int:
    return max((now - deal.stage_changed_at).days, 0)


def health(deals, stages_by_id=None, now: dt.datetime | None = None) -> dict[uuid.UUID, Health]:
    """The marks of ``deals`` (their stage from ``stages_by_id``, else ``deal.stage``), in one query."""
    now = now or db.session.scalar(text("select now()"))
    steps = next_steps([d.id for d in deals], now)
    marks = {}
    for deal in deals:
        stage = stages_by_id[deal.stage_id] if stages_by_id else deal.stage
        marks[deal.id] = Health(days_in_stage(deal, now), stage.rotting_days, steps.get(deal.id),
                                not (stage.is_won or stage.is_lost))  # fmt: skip
    return marks
