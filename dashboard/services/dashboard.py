"""The dashboards' data: the date range from a query string, one round trip to
``crm.get_crm_dashboard_data`` (a rep) or ``crm.get_team_dashboard_data`` (a manager's team) under
row-level security, and the figures the pages derive from it (KPI cards, team percentages, leaderboards)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from dashboard import timezones
from dashboard.db import db
from dashboard.lists import EARLIEST_DAY, LATEST_DAY, day_arg

PRESETS = [("month", "This month"), ("30", "Last 30 days"), ("90", "Last 90 days"), ("custom", "Custom range")]
KPI_CARDS = [
    ("new_business", "New business", True),
    ("outbound", "Outbound", False),
    ("meetings", "Meetings", False),
    ("proposals", "Proposals", False),
]
LEADERBOARDS = [
    ("new_business", "New business", True),
    ("weighted", "Weighted pipeline", True),
    ("outbound", "Outbound", False),
    ("mean_engagement", "Mean engagement", False),
]
INVALID_PARAMETER = "22023"
INSUFFICIENT_PRIVILEGE = "42501"


@dataclass
class DateRange:
    preset: str
    start: dt.date | None
    end: dt.date | None
    error: str | None = None

    @property
    def args(self) -> dict:
        if self.preset == "custom":
            return {
                "range": "custom",
                "from": self.start.isoformat() if self.start else "",
                "to": self.end.isoformat() if self.end else "",
            }
        return {"range": self.preset}


def preset_dates(preset: str, today: dt.date) -> tuple[dt.date, dt.date]:
    if preset == "30":
        return today - dt.timedelta(days=29), today
    if preset == "90":
        return today - dt.timedelta(days=89), today
    first = today.replace(day=1)
    return first, today.replace(day=calendar.monthrange(today.year, today.month)[1])


def parse_range(args, today: dt.date | None = None) -> DateRange:
    """The range from the query string: a preset, or custom from/to dates.

    Dates that differ from the preset's own count as a custom range (the form
    always sends both). Reversed and over-long ranges are left for the SQL
    function to refuse, so its message is the one users see.
    """
    today = today or timezones.today()  # the user's today
    preset = args.get("range", "month")
    if preset not in dict(PRESETS):
        preset = "month"
    raw_from, raw_to = args.get("from", "").strip(), args.get("to", "").strip()
    if preset != "custom" and (raw_from or raw_to):
        defaults = preset_dates(preset, today)
        if (raw_from, raw_to) != (defaults[0].isoformat(), defaults[1].isoformat()):
            preset = "custom"
    if preset != "custom":
        return DateRange(preset, *preset_dates(preset, today))
    try:
        start, end = day_arg("from", args), day_arg("to", args)
    except ValueError:
        start = end = None
    if start is None or end is None:
        years = f"{EARLIEST_DAY.year} to {LATEST_DAY.year}"
        return DateRange("custom", start, end, f"Enter both dates of the custom range as YYYY-MM-DD, from {years}.")
    return DateRange("custom", start, end)


class DashboardRefused(Exception):
    """The database refused: the acting user may not read this dashboard."""


def fetch_dashboard(user_id, date_range: DateRange, team: bool = False) -> tuple[dict | None, str | None]:
    """(data, None), or (None, the database's message) for a bad range; DashboardRefused if not allowed.

    ``user_id``'s dashboard, or with ``team`` the team dashboard of that manager.
    """
    if date_range.error:
        return None, date_range.error
    query = "select crm.get_team_dashboard_data(:user_id, :start, :end)" if team else \
            "select crm.get_crm_dashboard_data(:user_id, :start, :end)"  # fmt: skip
    try:
        data = db.session.scalar(
            text(query), {"user_id": str(user_id), "start": date_range.start, "end": date_range.end}
        )
    except DBAPIError as error:
        db.session.rollback()
        code = getattr(error.orig, "sqlstate", None)
        if code == INVALID_PARAMETER:
            message = error.orig.diag.message_primary or "That date range cannot be shown."
            return None, message[:1].upper() + message[1:] + "."
        if code == INSUFFICIENT_PRIVILEGE:
            raise DashboardRefused from error
        raise
    return data, None


def largest_open_deals(user_id) -> list:
    """The user's ten largest open deals (the function returns them too; this is for error pages)."""
    rows = db.session.execute(
        text(
            """select d.id, d.name, s.name as stage, d.value, d.expected_close_date
               from crm.deals d join crm.deal_stages s on s.id = d.stage_id
               where d.owner_id = :owner and d.status = 'active'
               order by d.value desc, d.id limit 10"""
        ),
        {"owner": str(user_id)},
    ).mappings()
    return [dict(row) for row in rows]


def percent(actual, target) -> int | None:
    return round(float(actual) / float(target) * 100) if target and float(target) else None


def kpi_cards(kpis: dict) -> list[dict]:
    cards = []
    for key, label, money in KPI_CARDS:
        figure = kpis[key]
        actual, target = float(figure["actual"]), float(figure["target"])
        cards.append(
            {
                "key": key,
                "label": label,
                "money": money,
                "actual": actual,
                "target": target,
                "previous": float(figure["previous"]),
                "trend": figure["trend"],
                "percent": round(actual / target * 100) if target else None,
                "bar": min(100, round(actual / target * 100)) if target else 0,
            }
        )
    return cards


def add_target_percentages(reps: list[dict]) -> None:
    """Each rep's share of their targets (new business, outbound, meetings, proposals), in percent."""
    for rep in reps:
        for key in ("new_business", "outbound", "meetings", "proposals"):
            rep[f"{key}_pct"] = percent(rep[key], rep[f"{key}_target"])


def leaderboards(reps: list[dict]) -> list:
    """(label, money, top five reps, key) per LEADERBOARDS figure, best first (ties by name)."""
    return [
        (label, money, sorted(reps, key=lambda r, k=key: (-float(r[k]), r["full_name"]))[:5], key)
        for key, label, money in LEADERBOARDS
    ]


def readable_user_name(user_id) -> str | None:
    """The user's name if row-level security lets the acting user read them."""
    return db.session.scalar(text("select full_name from crm.users where id = :id"), {"id": str(user_id)})


def managers() -> list:
    """The active managers (id, full name), by name."""
    return db.session.execute(
        text("select id, full_name from crm.users where role = 'manager' and is_active order by full_name, id")
    ).all()
