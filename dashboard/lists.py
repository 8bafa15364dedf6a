"""List-page query arguments: search text, sort keys from an allowlist, filters.

Unknown sort keys and directions fall back to the default, so nothing the
user types reaches SQL except as a bound parameter. Every parser here answers
junk, out-of-range values and over-long text with None (or, for days, a
ValueError the caller turns into a notice): never an exception that becomes a 500.
"""

from __future__ import annotations

import functools
import math
import re
import uuid
from dataclasses import dataclass
from datetime import date

from flask import g, request
from flask_login import current_user
from sqlalchemy import func
from werkzeug.datastructures import ImmutableMultiDict

# the days a date filter accepts: wide enough for any real record, narrow enough that a day's end (the next
# midnight), a period before it and PostgreSQL's timestamps never overflow
EARLIEST_DAY, LATEST_DAY = date(1900, 1, 1), date(2999, 12, 31)
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
DAY_HINT = f"Enter dates as YYYY-MM-DD from {EARLIEST_DAY.year} to {LATEST_DAY.year} (for example 2026-11-25)"
NUMBER_LENGTH = 40  # characters of a numeric argument worth parsing


@dataclass(frozen=True)
class Sorting:
    """Allowed sort keys (name -> column) and the default."""

    columns: dict
    default: str
    default_direction: str = "asc"

    def apply(self, statement, tiebreak):
        key = request.args.get("sort", self.default)
        if key not in self.columns:
            key = self.default
        direction = request.args.get("dir", self.default_direction)
        if direction not in ("asc", "desc"):
            direction = self.default_direction
        column = self.columns[key]
        ordered = column.desc() if direction == "desc" else column.asc()
        # empty values last; a NOT NULL column says nothing, so an index on it can serve the order
        if getattr(column, "nullable", True):
            ordered = ordered.nulls_last()
        return statement.order_by(ordered, tiebreak), key, direction


def search_text(limit: int = 100, args=None) -> str:
    """The ``q`` argument (of ``args``, by default the request's), trimmed and capped."""
    return (request.args if args is None else args).get("q", "").strip()[:limit]


def contains(column, text: str):
    """Case-insensitive substring match that the trigram GIN index on lower(column) serves."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lower(column).like(f"%{escaped}%", escape="\\")


def choice_arg(name: str, allowed, args=None) -> str | None:
    """``args[name]`` (by default the request's) when it is one of ``allowed``, else None."""
    value = (request.args if args is None else args).get(name)
    return value if value in allowed else None


def number_arg(name: str, low: float, high: float, args=None) -> float | None:
    """``args[name]`` (by default the request's) as a number in [low, high], else None."""
    text = (request.args if args is None else args).get(name, "")
    try:
        value = float(text) if len(text) <= NUMBER_LENGTH else math.nan
    except ValueError:
        return None
    return value if low <= value <= high else None  # NaN compares false: None


def list_args(*names: str) -> dict:
    """The current list arguments worth keeping in links (pager, sort headers)."""
    return {n: request.args[n] for n in names if request.args.get(n)}


def uuid_arg(name: str, args=None) -> uuid.UUID | None:
    """``args[name]`` (by default the request's) as an id, or None when absent or not a UUID."""
    try:
        return uuid.UUID((request.args if args is None else args).get(name, ""))
    except ValueError:
        return None


def day_arg(name: str, args=None) -> date | None:
    """``args[name]`` (by default the request's) as a day, or None when absent or empty.

    Raises:
        ValueError: the argument is there but is not a YYYY-MM-DD day from EARLIEST_DAY to LATEST_DAY.
    """
    value = (request.args if args is None else args).get(name, "").strip()
    if not value:
        return None
    if not DAY.fullmatch(value):
        raise ValueError(f"{name}: not a YYYY-MM-DD day")
    day = date.fromisoformat(value)
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ValueError(f"{name}: outside {EARLIEST_DAY}..{LATEST_DAY}")
    return day


def opens_with_default(list_name: str):
    """A list view's decorator (inside ``login_required``): when the request gives no filter (only
    ``page``, ``part``, ``format`` or ``view``, or nothing), the list is the user's default view of it, or
    the built-in one (services/saved_views.py). The default's arguments become the request's, so the
    filters, sort links, pager and CSV export all show and keep them; ``g.default_view`` says which
    applied (the page names it, with a link to the list without it)."""
    from dashboard.services import saved_views

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            pairs, label = saved_views.with_default(list_name, current_user.id, request.args)
            if label is not None:
                request.args = ImmutableMultiDict(pairs)
                g.default_view = label
            return view(*args, **kwargs)

        return wrapper

    return decorate
