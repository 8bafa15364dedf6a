"""Answers the views share (views never import each other): after a write, the 409 page when a save
found the record changed meanwhile, the confirmation page before a delete, and a rep's dashboard
(their own, or a manager's drill-down)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for

from dashboard import charts, htmx, timezones
from dashboard.services import dashboard as dashboard_data
from dashboard.services import deletion
from dashboard.services.saving import StaleRecord


def back_to(default: str) -> str:
    """The ``next`` argument when it is a path on this site (the record page an action came from: the
    form returns there after a save or on cancel), else ``default``. Never another site's address."""
    target = request.args.get("next", "")
    safe = target.startswith("/") and not target.startswith("//") and "\\" not in target and len(target) <= 500
    return target if safe else default


def done(message: str, url: str, *events: str):
    """After a successful write: flash, then a redirect (for htmx an HX-Redirect with ``events`` for
    listening widgets)."""
    flash(message, "success")
    if htmx.wants_fragment():
        return htmx.redirect_to(url, *events)
    return redirect(url)


def confirm_delete(what: str, name: str, preview: deletion.Preview, cancel_url: str) -> str:
    """The page that asks before a delete, saying what the database will delete with the record and
    what it keeps unlinked; or, when the database refuses the delete, why (and no delete button)."""
    return render_template("confirm_delete.html", what=what, name=name, preview=preview, cancel_url=cancel_url)


@dataclass(frozen=True)
class Deletion:
    """How an area deletes a record: what it is called, where the confirmation's cancel link goes
    (``show_endpoint``), where to go after, and the event that tells listening widgets. What goes with
    the record is asked of the database each time (``services/deletion.preview``)."""

    what: str
    show_endpoint: str
    index_endpoint: str
    event: str

    def answer(self, record, name: str, delete, after_url: str | None = None):
        """GET: the confirmation page; otherwise ``delete()`` and go to ``after_url`` (default: the
        area's list). A delete the database refuses is a 409 with the reason, and nothing changes."""
        cancel_url = url_for(self.show_endpoint, id=record.id)
        if request.method == "GET":
            return confirm_delete(self.what, name, deletion.preview(record, self.what), cancel_url)
        try:
            deletion.run(delete, self.what)
        except deletion.Refused as refused:
            flash(refused.message, "error")
            blocked = deletion.Preview(self.what, blocked=refused.message)
            return confirm_delete(self.what, name, blocked, cancel_url), 409
        return done(f"Deleted {name}.", after_url or url_for(self.index_endpoint), self.event)


def answers_stale(what: str, back_endpoint: str):
    """View decorator: a save that raised StaleRecord answers 409 with the stale page, which links back
    to ``back_endpoint`` (with the view's URL arguments); nothing was overwritten."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(**kwargs):
            try:
                return view(**kwargs)
            except StaleRecord as stale:
                when = stale.when and timezones.local(stale.when)  # shown in the user's zone
                body = render_template("errors/stale.html", what=what, who=stale.who, when=when,
                                       back_url=url_for(back_endpoint, **kwargs))  # fmt: skip
                return body, 409

        return wrapper

    return decorate


def rep_dashboard(user_id, full_name: str, readonly: bool = False):
    """A rep's dashboard page (their own, or read-only in a manager's drill-down) for the request's date
    range; a bad range is a 400 page (for an htmx swap, 200: the message must be swapped in); 404 when
    the database refuses."""
    date_range = dashboard_data.parse_range(request.args)
    try:
        data, error = dashboard_data.fetch_dashboard(user_id, date_range)
    except dashboard_data.DashboardRefused:
        abort(404)
    context = {
        "owner_name": full_name, "readonly": readonly, "date_range": date_range, "presets": dashboard_data.PRESETS,
        "base_url": request.path, "error": error, "data": data, "oob": htmx.wants_fragment(), "extra_args": {},
        "top_deals": data["largest_deals"] if data else dashboard_data.largest_open_deals(user_id),
    }  # fmt: skip
    if data:
        context |= {
            "cards": dashboard_data.kpi_cards(data["kpis"]),
            "engagement_figure": charts.engagement_trend(data["engagement_trend"], data["bucket"]),
            "pipeline_figure": charts.pipeline_by_stage(data["pipeline"]),
            "activity_figure": charts.activity_series(data["activity_series"], data["bucket"]),
            "weighted_total": sum(float(s["weighted"]) for s in data["pipeline"]),
        }
    status = 400 if error and not htmx.wants_fragment() else 200
    return htmx.render("main/index.html", "main/_panels.html", **context), status
