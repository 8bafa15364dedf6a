"""The rep dashboard (``/``) and the health check.

All figures come from ``crm.get_crm_dashboard_data`` (one round trip, under
row-level security; services/dashboard.py); ``dashboard/charts.py`` turns them
into Plotly figures. The date-range picker re-fetches the panels as a
fragment from the same URL.
"""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, redirect, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import text

from dashboard.db import db
from dashboard.responses import rep_dashboard

bp = Blueprint("main", __name__)


@bp.get("/")
@login_required
def index():
    """The signed-in user's own dashboard.

    ``?user=<id>`` of someone else is the team drill-down's job: managers and
    admins are redirected there (it checks the team), everyone else gets a 404.
    """
    wanted = request.args.get("user")
    if wanted:
        try:
            wanted_id = uuid.UUID(wanted)
        except ValueError:
            abort(404)
        if wanted_id != current_user.id:
            if current_user.role not in ("manager", "admin"):
                abort(404)
            args = {k: v for k, v in request.args.items() if k != "user"}
            return redirect(url_for("team.rep", id=wanted_id, **args))
    return rep_dashboard(current_user.id, current_user.full_name)


@bp.get("/healthz")
def healthz():
    """Liveness and database reachability, for load balancers."""
    db.session.execute(text("select 1"))
    return {"status": "ok", "database": "ok"}
