"""Admin pages of webhooks: register an endpoint (its secret is shown once, on the answer to the registration),
the endpoints with their delivery counts, an endpoint's recent deliveries with every attempt, replay a
delivery, send a test event, deactivate or delete an endpoint (services/webhooks.py). Admins only; everyone
else gets the 404 of a missing page, and the database refuses their writes (RLS)."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from dashboard.db import db
from dashboard.forms.webhooks import EndpointForm
from dashboard.permissions import admin_required
from dashboard.services import webhooks

bp = Blueprint("webhooks", __name__, url_prefix="/admin/webhooks")


def endpoint_or_404(endpoint_id: uuid.UUID):
    endpoint = webhooks.get_endpoint(db.session, endpoint_id)
    if endpoint is None:
        abort(404)
    return endpoint


@bp.get("/")
@admin_required
def index():
    """The endpoints, newest first, and the registration form."""
    return render_template("webhooks/index.html", endpoints=webhooks.list_endpoints(db.session), form=EndpointForm())


@bp.post("/")
@admin_required
def create():
    """Register an endpoint; the page that answers shows its secret, once (never put in a redirect or a flash)."""
    form = EndpointForm()
    if not form.validate_on_submit():
        return render_template("webhooks/index.html", endpoints=webhooks.list_endpoints(db.session), form=form), 400
    created = webhooks.create_endpoint(db.session, form.url.data, form.events.data, form.description.data or "",
                                       current_user.id)  # fmt: skip
    db.session.commit()
    response = render_template("webhooks/created.html", endpoint=webhooks.get_endpoint(db.session, created.id),
                               secret=created.secret)  # fmt: skip
    return response, 201, {"Cache-Control": "no-store"}


@bp.get("/<uuid:id>")
@admin_required
def show(id: uuid.UUID):
    """One endpoint: its settings, its latest deliveries and each delivery's attempts."""
    endpoint = endpoint_or_404(id)
    return render_template("webhooks/show.html", endpoint=endpoint,
                           deliveries=webhooks.recent_deliveries(db.session, id))  # fmt: skip


@bp.post("/<uuid:id>/active")
@admin_required
def set_active(id: uuid.UUID):
    """Deactivate (``active=0``) or activate (``active=1``) an endpoint."""
    endpoint_or_404(id)
    active = request.form.get("active") == "1"
    webhooks.set_active(db.session, id, active)
    db.session.commit()
    flash("Endpoint activated: due deliveries go out again." if active else
          "Endpoint deactivated: nothing is sent to it until it is activated.", "success")  # fmt: skip
    return redirect(url_for("webhooks.show", id=id))


@bp.route("/<uuid:id>/delete", methods=["GET", "POST"])
@admin_required
def delete(id: uuid.UUID):
    """GET: ask first; POST: delete the endpoint with its deliveries and their attempts."""
    endpoint = endpoint_or_404(id)
    if request.method == "GET":
        return render_template("webhooks/delete.html", endpoint=endpoint)
    webhooks.delete_endpoint(db.session, id)
    db.session.commit()
    flash(f"Deleted the webhook endpoint {endpoint.url}.", "success")
    return redirect(url_for("webhooks.index"))


@bp.post("/<uuid:id>/test")
@admin_required
def send_test(id: uuid.UUID):
    """Queue a webhook.test event for this endpoint (a worker sends it at once)."""
    endpoint_or_404(id)
    webhooks.send_test(db.session, id)
    db.session.commit()
    flash("Test event queued: it appears below once a worker has sent it (reload).", "success")
    return redirect(url_for("webhooks.show", id=id))


@bp.post("/deliveries/<uuid:id>/replay")
@admin_required
def replay(id: uuid.UUID):
    """Send a delivery again, with the same webhook-id (receivers may de-duplicate on it)."""
    endpoint_id = webhooks.replay(db.session, id)
    if endpoint_id is None:
        abort(404)
    db.session.commit()
    flash("Delivery queued again.", "success")
    return redirect(url_for("webhooks.show", id=endpoint_id))
