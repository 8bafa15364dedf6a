"""The sales forecast: a deal's forecast category, the team page's months (``crm.get_team_forecast`` in one
round trip under row-level security), quotas, and the monthly snapshot.

A deal counts in exactly one place (the rules are in ``sql/functions/forecast.sql``): an open deal in its
forecast category in the calendar month of its expected close date, a won deal as closed won in the month
it was won (in the reader's zone), a lost deal nowhere. The categories are exclusive: "commit" is the open
deals committed, not closed won plus commit; the page shows won + commit against the quota as coverage.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from dashboard import timezones, vocabulary
from dashboard.db import db
from dashboard.models import Quota, User
from dashboard.permissions import is_admin

LABELS = {"pipeline": "Pipeline", "best_case": "Best case", "commit": "Commit", "closed_won": "Closed won",
          "closed_lost": "Closed lost"}  # fmt: skip
FIGURES = ("quota", "closed_won", "commit", "best_case", "pipeline", "weighted", "deals")
SNAPSHOT_FIGURES = ("quota", "closed_won", "commit", "best_case", "pipeline", "weighted", "actual")
MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")
FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_MONTHS = 24
INVALID_PARAMETER = "22023"
INSUFFICIENT_PRIVILEGE = "42501"


def category_of(deal) -> str:
    """What a deal is forecast as: its stored category while open, closed won / closed lost once closed."""
    return vocabulary.FORECAST_CLOSED.get(deal.status, deal.forecast_category)


def category_label(deal) -> str:
    return LABELS[category_of(deal)]


def category_choices() -> list[tuple[str, str]]:
    """The categories an owner may choose (the closed ones follow the stage)."""
    return [(c, LABELS[c]) for c in vocabulary.FORECAST_CATEGORIES]


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def parse_month(value: str) -> dt.date | None:
    """``YYYY-MM`` (2000-01 to 2100-12) as the month's first day, else None."""
    value = (value or "").strip()
    if not MONTH.fullmatch(value):
        return None
    year, month = int(value[:4]), int(value[5:])
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        return None
    return dt.date(year, month, 1)


@dataclass
class MonthRange:
    first: dt.date
    last: dt.date
    error: str | None = None

    @property
    def args(self) -> dict:
        return {"months_from": f"{self.first:%Y-%m}", "months_to": f"{self.last:%Y-%m}"}


def default_months(today: dt.date) -> tuple[dt.date, dt.date]:
    """The months of the current quarter and the next one."""
    quarter = dt.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    return quarter, add_months(quarter, 5)


def parse_months(args, today: dt.date | None = None) -> MonthRange:
    """``months_from`` / ``months_to`` (YYYY-MM) or, when absent, the current quarter and the next (the
    reader's today); a bad, reversed or too long range keeps the default with an error to show."""
    first, last = default_months(today or timezones.today())
    raw_from, raw_to = args.get("months_from", "").strip(), args.get("months_to", "").strip()
    if not raw_from and not raw_to:
        return MonthRange(first, last)
    wanted_first, wanted_last = parse_month(raw_from or f"{first:%Y-%m}"), parse_month(raw_to or f"{last:%Y-%m}")
    if wanted_first is None or wanted_last is None:
        return MonthRange(first, last, f"Enter months as YYYY-MM, from {FIRST_YEAR}-01 to {LAST_YEAR}-12.")
    if wanted_first > wanted_last:
        return MonthRange(first, last, "The first month is after the last one.")
    if add_months(wanted_first, MAX_MONTHS) <= wanted_last:
        return MonthRange(first, last, f"Choose at most {MAX_MONTHS} months.")
    return MonthRange(wanted_first, wanted_last)


class ForecastRefused(Exception):
    """The database refused: the acting user may not read this forecast."""


def fetch(manager_id: uuid.UUID | None, months: MonthRange) -> dict:
    """``crm.get_team_forecast`` for a manager's team (None: everyone, admins only)."""
    try:
        return db.session.scalar(
            text("select crm.get_team_forecast(:manager, :first, :last)"),
            {"manager": str(manager_id) if manager_id else None, "first": months.first, "last": months.last},
        )
    except DBAPIError as error:
        db.session.rollback()
        if getattr(error.orig, "sqlstate", None) == INSUFFICIENT_PRIVILEGE:
            raise ForecastRefused from error
        raise


def _number(value) -> Decimal:
    return Decimal(str(value)) if value is not None else Decimal(0)


def _total(rows: list[dict], keys) -> dict:
    """The sums of ``keys`` over ``rows``; a quota is None only when no row has one."""
    total = {key: sum((_number(r[key]) for r in rows), Decimal(0)) for key in keys}
    if "quota" in total and all(r["quota"] is None for r in rows):
        total["quota"] = None
    return total


def coverage(row: dict) -> int | None:
    """Closed won plus commit as a percentage of the quota (None without a quota)."""
    quota = row.get("quota")
    if not quota:
        return None
    return round((_number(row["closed_won"]) + _number(row["commit"])) / _number(quota) * 100)


def months_view(data: dict) -> list[dict]:
    """Per month: the team's totals and one row per rep (by name), each with its coverage."""
    names = {rep["id"]: rep["full_name"] for rep in data["reps"]}
    order = {rep["id"]: i for i, rep in enumerate(data["reps"])}
    by_month: dict[str, list[dict]] = {}
    for figure in data["figures"]:
        row = dict(figure, full_name=names.get(figure["user_id"], ""))
        row["coverage"] = coverage(row)
        by_month.setdefault(figure["month"], []).append(row)
    months = []
    for month, rows in sorted(by_month.items()):
        rows.sort(key=lambda r: order.get(r["user_id"], 0))
        total = _total(rows, FIGURES)
        total["coverage"] = coverage(total)
        months.append({"month": dt.date.fromisoformat(month), "reps": rows, "total": total})
    return months


def history_view(data: dict) -> list[dict]:
    """Per snapshot month, newest first: the team's snapshot (forecast then) against what closed won since,
    and the reps' rows."""
    names = {rep["id"]: rep["full_name"] for rep in data["reps"]}
    by_month: dict[str, list[dict]] = {}
    for row in data["history"]:
        by_month.setdefault(row["month"], []).append(dict(row, full_name=names.get(row["user_id"], "")))
    months = []
    for month, rows in sorted(by_month.items(), reverse=True):
        rows.sort(key=lambda r: (r["full_name"], r["user_id"]))
        total = _total(rows, SNAPSHOT_FIGURES)
        for row in [*rows, total]:
            row["forecast"] = _number(row["closed_won"]) + _number(row["commit"])
            row["accuracy"] = round(_number(row["actual"]) / row["forecast"] * 100) if row["forecast"] else None
        months.append({"month": dt.date.fromisoformat(month), "reps": rows, "total": total,
                       "taken_at": dt.datetime.fromisoformat(min(r["taken_at"] for r in rows))})  # fmt: skip
    return months


# --- quotas -------------------------------------------------------------------------


def quota_candidates() -> list[tuple[str, str]]:
    """Whose quota the acting user may set: an admin anyone active but admins; a manager the active people
    they manage (app.managed_user_ids, the quota policies' rule)."""
    query = select(User.id, User.full_name).where(User.is_active, User.role != "admin")
    if not is_admin():
        managed = text("id = any (app.managed_user_ids())")
        query = query.where(managed)
    return [(str(user_id), name) for user_id, name in db.session.execute(query.order_by(User.full_name, User.id))]


def set_quota(user_id: uuid.UUID, month: dt.date, amount: Decimal) -> Quota:
    """The user's quota for the month, created or replaced (in the session; the caller saves)."""
    quota = db.session.scalar(select(Quota).where(Quota.user_id == user_id, Quota.month == month))
    if quota is None:
        quota = Quota(user_id=user_id, month=month)
        db.session.add(quota)
    quota.amount = amount
    return quota


# --- snapshots ----------------------------------------------------------------------


def take_forecast_snapshot(conn, month: dt.date | None = None) -> int:
    """Store every active rep's and manager's forecast for ``month`` (default: this month, UTC) unless the month
    already has a snapshot: one per user and month, so running it again writes nothing. Returns the rows
    written. ``conn``: a psycopg connection as the owner (``crm score``, ``crm forecast snapshot``, a job)
    or acting as an admin; the caller commits."""
    month = (month or dt.datetime.now(dt.UTC).date()).replace(day=1)
    return conn.execute("select crm.take_forecast_snapshot(%s)", (month,)).fetchone()[0]
