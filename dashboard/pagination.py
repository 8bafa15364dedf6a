"""One pagination helper for every list (no copy-pasted offset arithmetic)."""

from __future__ import annotations

from flask import current_app, request

from dashboard.db import db

MAX_PAGE = 10_000


def page_number() -> int:
    """The ``page`` query argument, clamped to 1..MAX_PAGE (junk gives 1)."""
    try:
        return min(max(int(request.args.get("page", 1)), 1), MAX_PAGE)
    except ValueError:
        return 1


def paginate(statement, page: int, per_page: int | None = None) -> tuple[list, bool]:
    """Rows of ``page`` and whether a next page exists (fetches one row extra)."""
    size = per_page or current_app.config["PAGE_SIZE"]
    rows = db.session.scalars(statement.limit(size + 1).offset((page - 1) * size)).all()
    return rows[:size], len(rows) > size
