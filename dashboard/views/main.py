"""The home page (the rep dashboard grows here) and the health check."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required
from sqlalchemy import func, select, text

from dashboard.db import db
from dashboard.models import Activity, Company, Deal

bp = Blueprint("main", __name__)


@bp.get("/")
@login_required
def index():
    """A first dashboard: how much of the CRM the user owns."""
    owner = current_user.id
    counts = {
        "Companies": db.session.scalar(select(func.count(Company.id)).where(Company.owner_id == owner)),
        "Open deals": db.session.scalar(
            select(func.count(Deal.id)).where(Deal.owner_id == owner, Deal.status == "active")
        ),
        "Activities": db.session.scalar(select(func.count(Activity.id)).where(Activity.user_id == owner)),
    }
    top_deals = db.session.scalars(
        select(Deal)
        .where(Deal.owner_id == owner, Deal.status == "active")
        .order_by(Deal.value.desc(), Deal.id)
        .limit(10)
    ).all()
    return render_template("main/index.html", counts=counts, top_deals=top_deals)


@bp.get("/healthz")
def healthz():
    """Liveness and database reachability, for load balancers."""
    db.session.execute(text("select 1"))
    return {"status": "ok", "database": "ok"}
