"""List-page query arguments: search text, sort keys from an allowlist, filters.

Unknown sort keys and directions fall back to the default, so nothing the
user types reaches SQL except as a bound parameter.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import request
from sqlalchemy import func


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


def search_text(limit: int = 100) -> str:
    """The ``q`` argument, trimmed and capped."""
    return request.args.get("q", "").strip()[:limit]


def contains(column, text: str):
    """Case-insensitive substring match that the trigram GIN index on lower(column) serves."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lower(column).like(f"%{escaped}%", escape="\\")


def choice_arg(name: str, allowed) -> str | None:
    value = request.args.get(name)
    return value if value in allowed else None


def number_arg(name: str, low: float, high: float) -> float | None:
    try:
        value = float(request.args.get(name, ""))
    except ValueError:
        return None
    return value if low <= value <= high else None


def list_args(*names: str) -> dict:
    """The current list arguments worth keeping in links (pager, sort headers)."""
    return {n: request.args[n] for n in names if request.args.get(n)}
