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

from dashboard import charts, htmx
from dashboard.lists import uuid_arg
from dashboard.permissions import is_manager
from dashboard.responses import rep_dashboard
from dashboard.services import dashboard as service
from dashboard.services import stages

bp = Blueprint("team", __name__, url_prefix="/team")


def chosen_manager() -> tuple[uuid.UUID | None, list]:
    """Whose team: a manager's own; for admins the ``?manager=`` one (else the first), with the choices."""
    if current_user.role != "admin":
        return current_user.id, []
    choices = service.managers()
    wanted = uuid_arg("manager")
    ids = {m.id for m in choices}
    return (wanted if wanted in ids else (choices[0].id if choices else None)), choices


def team_figures(data: dict, date_range: service.DateRange) -> dict:
    """The reps (with target percentages and drill-down links), totals, leaderboards and charts."""
    reps = data["reps"]
    service.add_target_percentages(reps)
    for rep in reps:
        rep["url"] = url_for("team.rep", id=rep["id"], **date_range.args)
    names = {rep["id"]: rep["full_name"] for rep in reps}
    return {
        "reps": reps,
        "totals": data["totals"],
        "leaderboards": service.leaderboards(reps),
        "forecast_figure": charts.forecast_by_month(data["forecast"], names),
        "trend_figure": charts.activity_series(data["activity_series"], data["bucket"]),
    }


@bp.get("")
@login_required
def index():
    if not is_manager():
        abort(404)
    manager_id, manager_choices = chosen_manager()
    date_range = service.parse_range(request.args)
    data, error = None, date_range.error
    if manager_id:
        try:
            data, error = service.fetch_dashboard(manager_id, date_range, team=True)
        except service.DashboardRefused:
            abort(404)
    context = {
        "date_range": date_range, "presets": service.PRESETS, "base_url": request.path, "error": error,
        "data": data, "manager_id": manager_id, "manager_choices": manager_choices, "oob": htmx.wants_fragment(),
        "extra_args": {"manager": manager_id} if manager_choices else {},
    }  # fmt: skip
    if data:
        context |= team_figures(data, date_range)
        context["lost_reasons"] = stages.lost_report(manager_id, date_range.start, date_range.end)
    status = 400 if error and not htmx.wants_fragment() else 200
    return htmx.render("team/index.html", "team/_panels.html", **context), status


@bp.get("/reps/<uuid:id>")
@login_required
def rep(id: uuid.UUID):
    """A team member's dashboard, read-only. 404 unless the database lets the acting user read it."""
    if not is_manager():
        abort(404)
    name = service.readable_user_name(id)
    if name is None:
        abort(404)
    return rep_dashboard(id, name, readonly=True)
