"""Team analytics for managers and admins: per-rep KPIs against targets,
pipeline and weighted forecast, leaderboards, team trends, and a read-only
drill-down into each rep's dashboard. Reps get the 404 of a missing page.

A manager sees their own team; an admin sees the team of the manager named in
``?manager=<id>`` (by default the first manager), all through
``crm.get_team_dashboard_data`` under row-level security.
"""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import text

from dashboard import charts, htmx
from dashboard.db import db
from dashboard.permissions import is_manager
from dashboard.views.main import (
    PRESETS,
    DashboardRefused,
    fetch_dashboard,
    parse_range,
    readable_user_name,
    render_dashboard,
)

bp = Blueprint("team", __name__, url_prefix="/team")

LEADERBOARDS = [
    ("new_business", "New business", True),
    ("weighted", "Weighted pipeline", True),
    ("outbound", "Outbound", False),
    ("mean_engagement", "Mean engagement", False),
]


def managers() -> list:
    return db.session.execute(
        text("select id, full_name from crm.users where role = 'manager' and is_active order by full_name, id")
    ).all()


def percent(actual, target) -> int | None:
    return round(float(actual) / float(target) * 100) if target and float(target) else None


@bp.get("")
@login_required
def index():
    if not is_manager():
        abort(404)
    manager_id, manager_choices = current_user.id, []
    if current_user.role == "admin":
        manager_choices = managers()
        try:
            wanted = uuid.UUID(request.args.get("manager", ""))
        except ValueError:
            wanted = None
        ids = {m.id for m in manager_choices}
        manager_id = wanted if wanted in ids else (manager_choices[0].id if manager_choices else None)

    date_range = parse_range(request.args)
    data, error = None, date_range.error
    if manager_id:
        try:
            data, error = fetch_dashboard(manager_id, date_range, team=True)
        except DashboardRefused:
            abort(404)

    context = {
        "date_range": date_range,
        "presets": PRESETS,
        "base_url": request.path,
        "error": error,
        "data": data,
        "manager_id": manager_id,
        "manager_choices": manager_choices,
        "oob": htmx.wants_fragment(),
        "extra_args": {"manager": manager_id} if manager_choices else {},
    }
    if data:
        reps = data["reps"]
        for rep in reps:
            rep["new_business_pct"] = percent(rep["new_business"], rep["new_business_target"])
            rep["outbound_pct"] = percent(rep["outbound"], rep["outbound_target"])
            rep["meetings_pct"] = percent(rep["meetings"], rep["meetings_target"])
            rep["proposals_pct"] = percent(rep["proposals"], rep["proposals_target"])
            rep["url"] = url_for("team.rep", id=rep["id"], **date_range.args)
        names = {rep["id"]: rep["full_name"] for rep in reps}
        context |= {
            "reps": reps,
            "totals": data["totals"],
            "leaderboards": [
                (label, money, sorted(reps, key=lambda r, k=key: (-float(r[k]), r["full_name"]))[:5], key)
                for key, label, money in LEADERBOARDS
            ],
            "forecast_figure": charts.forecast_by_month(data["forecast"], names),
            "trend_figure": charts.activity_series(data["activity_series"], data["bucket"]),
        }
    status = 400 if error and not htmx.wants_fragment() else 200
    return htmx.render("team/index.html", "team/_panels.html", **context), status


@bp.get("/reps/<uuid:id>")
@login_required
def rep(id: uuid.UUID):
    """A team member's dashboard, read-only. 404 unless the database lets the acting user read it."""
    if not is_manager():
        abort(404)
    name = readable_user_name(id)
    if name is None:
        abort(404)
    return render_dashboard(id, name, request.path, readonly=True)
