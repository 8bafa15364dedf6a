"""What a record's timeline section shows (templates/timeline/_timeline.html): a page of entries from
services/timeline.py for the request's ``kind`` and ``before``/``before_id`` cursor, the kind filter and
the next page's URL. Used by the timeline routes and, through the ``timeline_of`` template global, by the
company, contact and deal pages (their first page)."""

from __future__ import annotations

import uuid
from datetime import datetime

from flask import request, url_for

from dashboard.lists import choice_arg, uuid_arg
from dashboard.services import timeline as service

ENDPOINTS = {"company": "timeline.company", "contact": "timeline.contact", "deal": "timeline.deal"}


def cursor_arg() -> tuple[datetime, uuid.UUID] | None:
    """The ``before`` (ISO time) and ``before_id`` arguments as a page cursor, or None when absent or junk."""
    try:
        before = datetime.fromisoformat(request.args.get("before", "")[:40])
    except ValueError:
        return None
    before_id = uuid_arg("before_id")
    return (before, before_id) if before.tzinfo is not None and before_id is not None else None


def context(record: str, record_id: uuid.UUID, first: bool = False) -> dict:
    """The section's context; ``first``: the first page of every kind (a record page), whatever the request asks."""
    kind = None if first else choice_arg("kind", service.KINDS)
    cursor = None if first else cursor_arg()
    entries, following = service.page(record, record_id, kind, cursor)
    endpoint, args = ENDPOINTS[record], {"id": record_id} | ({"kind": kind} if kind else {})
    older = url_for(endpoint, **args, before=following[0].isoformat(), before_id=following[1]) if following else None
    return {"entries": entries, "older_url": older, "kind": kind, "timeline_url": url_for(endpoint, id=record_id),
            "kinds": service.LABELS, "endpoints": service.ENDPOINTS, "first_page": cursor is None}  # fmt: skip


def timeline_of(record: str, record_id: uuid.UUID) -> dict:
    """The template global: a record page's timeline section."""
    return context(record, record_id, first=True)
