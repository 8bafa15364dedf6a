"""A company's, contact's or deal's timeline: one call of crm.record_timeline (sql/functions/timeline.sql),
which merges activities, notes, meetings, tasks and stage changes newest first under row-level
security; paged by keyset (the last entry's time and id), filterable by kind."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import text

from dashboard import vocabulary
from dashboard.db import db

KINDS = vocabulary.TIMELINE_KINDS
LABELS = {"activity": "Activities", "note": "Notes", "meeting": "Meetings", "task": "Tasks",
          "stage_change": "Stage changes"}  # fmt: skip
PAGE_SIZE = 20
RECORDS = ("company", "contact", "deal")
QUERY = text("""select * from crm.record_timeline(:record, :id, cast(:kinds as text[]), :before, :before_id, :limit)""")
# the page each kind of entry opens (a stage change opens its deal)
ENDPOINTS = {"activity": "activities.show", "note": "activities.show", "meeting": "meetings.show",
             "task": "tasks.show", "stage_change": "deals.show"}  # fmt: skip


def page(record: str, record_id: uuid.UUID, kind: str | None = None, before: tuple[datetime, uuid.UUID] | None = None,
         size: int = PAGE_SIZE) -> tuple[list, tuple[datetime, uuid.UUID] | None]:
    """Up to ``size`` entries older than ``before`` (the previous page's last), of ``kind`` (None: every
    kind); and the cursor of the next page, None on the last one."""
    before_at, before_id = before or (None, None)
    params = {"record": record, "id": record_id, "kinds": [kind] if kind in KINDS else None, "before": before_at,
              "before_id": before_id, "limit": size + 1}  # fmt: skip
    rows = db.session.execute(QUERY, params).all()
    more, rows = len(rows) > size, rows[:size]
    return rows, ((rows[-1].happened_at, rows[-1].id) if more and rows else None)
