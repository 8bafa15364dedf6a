"""Numbers to watch: ``/metrics`` for Prometheus (loopback or the metrics token; dashboard/metrics.py) and the
admins' ``/admin/health`` page (the same figures, the slowest statements, the refusals row-level security
caused; services/health.py)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request
from prometheus_client import CONTENT_TYPE_LATEST

from dashboard import metrics
from dashboard.permissions import admin_required
from dashboard.services import health

bp = Blueprint("operations", __name__)


@bp.get("/metrics")
def metrics_text():
    """Prometheus text format; 404 for remote clients without a token, 403 for a wrong token."""
    allowed = metrics.access(request, str(current_app.config["METRICS_TOKEN"] or ""),
                             int(current_app.config["TRUSTED_PROXIES"]))  # fmt: skip
    if allowed != 200:
        abort(allowed)
    return Response(metrics.exposition(current_app), mimetype=CONTENT_TYPE_LATEST)


@bp.get("/admin/health")
@admin_required
def health_page():
    found = health.samples(current_app)
    statements, statements_note = health.slowest_statements()
    return render_template(
        "operations/health.html",
        endpoints=health.endpoint_figures(found),
        figures=health.plain_figures(found),
        database_up=health.value_of(found, "crm_database_up") == 1,
        not_found=health.value_of(found, "crm_record_not_found_total"),
        violations=health.value_of(found, "crm_rls_violations_total"),
        statements=statements,
        statements_note=statements_note,
    )
