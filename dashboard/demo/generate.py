"""Deterministic synthetic CRM data, generated entity by entity.

Why it is built this way:

* **Deterministic.** Every random draw comes from one ``random.Random(seed)``
  (and Faker seeded with the same seed), drawn in a fixed order, and every time
  derives from ``as_of``, so a seed and a date give byte-identical tables.
  Never iterate over a ``set`` here: string hashing is randomised per process.
* **Consistent without triggers.** The loader disables triggers (audit,
  updated_at, stage history, status sync) and with them the foreign-key checks,
  so this module writes what they would have: a deal's status and closed_at
  follow its stage, every deal has its stage history, task depth follows the
  parent, completed tasks have completed_at, and every foreign key points at a
  row written here.
* **Learnable.** Each deal has a hidden quality ``q ~ N(0, 1)``. Stakeholder
  coverage, champion and decision-maker presence, the mood of notes and meeting
  summaries, meeting outcomes and activity volume all follow ``q`` plus noise,
  and the outcome is ``P(won) = logistic(1.8 q + noise)``; so a model over
  those signals can learn the outcome well but not perfectly. The signals
  happen before the close: nothing the win model may read is written at or
  after ``closed_at`` (the ``sale`` activity of a won deal comes just after it).
* **Fast.** Rows are COPY text built from pre-formatted strings; text comes
  from the phrase pools in :mod:`dashboard.demo.phrases`, not from Faker per row.
"""

from __future__ import annotations

from dashboard.demo.accounts import AccountPhases
from dashboard.demo.activities import ActivityPhases
from dashboard.demo.basics import DEMO_PASSWORD, SCALES, TABLES, Scale, password_hash
from dashboard.demo.deals import DealPhases
from dashboard.demo.meetings import MeetingPhases
from dashboard.demo.tasks import TaskPhases

__all__ = ["DEMO_PASSWORD", "SCALES", "TABLES", "DemoGenerator", "Scale", "password_hash"]


class DemoGenerator(AccountPhases, DealPhases, MeetingPhases, ActivityPhases, TaskPhases):
    """Generates every demo table into sinks, phase by phase (see :meth:`run`).

    Each phase is a method of one of the bases; they share the state of
    :class:`.base.GeneratorBase` (the seeded random source, the clock, the sinks)
    and what earlier phases left on ``self`` (companies, contacts, deals).
    """

    def run(self) -> dict[str, int]:
        """Generate everything; returns rows written per table.

        A table's sink is closed as soon as no later phase adds to it, so the
        loader can finish it while the next phases are generated.
        """
        self.people()
        self.finish("teams", "users")
        self.companies_and_contacts()
        self.finish("companies", "contacts")
        self.deals()
        self.finish("deals", "deal_stage_history", "deal_stakeholders", "legacy_deals")
        self.meetings()
        self.finish("meetings", "meeting_attendees", "meeting_action_items", "deal_meetings", "meeting_sequences")
        self.activities()
        self.finish("activities", "activity_meetings", "company_activities")
        self.direct_interactions()
        self.finish("contact_interactions")
        self.tasks()
        self.finish("tasks")
        self.legacy_activities()
        self.finish("legacy_activities")
        self.targets()
        self.finish("targets")
        return {table: self.out[table].rows for table in TABLES}

    def finish(self, *tables: str) -> None:
        """No later phase writes to ``tables``: let the loader finish them."""
        for table in tables:
            self.out[table].close()
