"""Team analytics for managers and admins: per-rep KPIs against targets,
pipeline and weighted forecast, leaderboards, team trends, and a read-only
drill-down into each rep's dashboard, and the forecast per month (quota, closed won, commit, best case,
pipeline, AI-weighted; last months' snapshots against what closed) with the quota form. Reps get the 404
of a missing page.

A manager sees their own team; an admin sees the team of the manager named in
``?manager=<id>`` (by default the first manager), all through
``crm.get_team_dashboard_data`` under row-level security.
"""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user, login_required

from dashboard import charts, htmx
from dashboard.forms.forecast import QuotaForm
from dashboard.lists import uuid_arg
from dashboard.permissions import is_admin, is_manager
from dashboard.responses import rep_dashboard
from dashboard.services import dashboard as service
from dashboard.services import forecast, stages
from dashboard.services.saving import save

bp = Blueprint("team", __name__, url_prefix="/team")
QUOTA_MESSAGES = {
    "check_quotas_amount_non_negative": ("amount", "The quota cannot be negative."),
    # two saves of the same new quota at once: the second finds the first's row
    "unique_quotas_user_id_and_month": ("month", "This quota was just set by someone else: save again to replace it."),
}
PAGE_ARGS = ("manager", "range", "from", "to", "months_from", "months_to", "scope")


def page_args() -> dict:
    """The page's own query arguments (what a quota saved from it returns to), nothing else."""
    return {name: request.args[name] for name in PAGE_ARGS if request.args.get(name)}


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


def forecast_figures(manager_id, quota_form: QuotaForm | None = None) -> dict:
    """The forecast section: the chosen months (``months_from``, ``months_to``), the team's (an admin's
    ``scope=all``: everyone's) months and snapshot history, and the quota form."""
    months = forecast.parse_months(request.args)
    everyone = is_admin() and request.args.get("scope") == "all"
    data = None
    if manager_id or everyone:
        try:
            data = forecast.fetch(None if everyone else manager_id, months)
        except forecast.ForecastRefused:
            abort(404)
    form = quota_form or QuotaForm(month=f"{months.first:%Y-%m}", formdata=None)
    form.user_id.choices = forecast.quota_candidates()
    return {
        "months": months, "everyone": everyone, "quota_form": form, "page_args": page_args(),
        "forecast_months": forecast.months_view(data) if data else [],
        "forecast_history": forecast.history_view(data) if data else [],
    }  # fmt: skip


def page(quota_form: QuotaForm | None = None):
    """The team page (or its panels for htmx); ``quota_form``: a refused quota with its errors."""
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
        "date_range": date_range, "presets": service.PRESETS, "base_url": url_for("team.index"), "error": error,
        "data": data, "manager_id": manager_id, "manager_choices": manager_choices, "oob": htmx.wants_fragment(),
        "extra_args": {"manager": manager_id} if manager_choices else {},
    }  # fmt: skip
    if data:
        context |= team_figures(data, date_range)
        context["lost_reasons"] = stages.lost_report(manager_id, date_range.start, date_range.end)
    if not htmx.wants_fragment():
        context |= forecast_figures(manager_id, quota_form)
    status = 400 if (error or quota_form) and not htmx.wants_fragment() else 200
    return htmx.render("team/index.html", "team/_panels.html", **context), status


@bp.get("")
@login_required
def index():
    """The team's figures for the period, and the forecast per month."""
    return page()


@bp.post("/quotas")
@login_required
def set_quota():
    """Set a person's quota for a month (admins: anyone but admins; managers: the people they manage)."""
    if not is_manager():
        abort(404)
    form = QuotaForm()
    form.user_id.choices = forecast.quota_candidates()
    if form.validate_on_submit():
        forecast.set_quota(uuid.UUID(form.user_id.data), form.first_day, form.amount.data)
        if save(form, QUOTA_MESSAGES):
            name = dict(form.user_id.choices)[form.user_id.data]
            flash(f"Saved {name}'s quota for {form.first_day:%B %Y}.", "success")
            return redirect(url_for("team.index", **page_args()) + "#forecast")
    return page(form)


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
