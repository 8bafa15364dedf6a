"""Bulk actions on the deal, task, company and contact lists: ``POST /<entity>/bulk`` answers the one
confirmation page (what will change, counted; for a delete what the database would delete and unlink; or,
when some row may not be changed, which rows refuse the whole action), ``POST /<entity>/bulk/apply`` makes
the change to exactly the rows confirmed, in one transaction."""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from werkzeug.datastructures import MultiDict

from dashboard.forms.bulk import BulkForm
from dashboard.services import bulk as service

bp = Blueprint("bulk", __name__)

SHOWN_ROWS = 50  # rows the confirmation names (all are counted)


def list_url(entity: str, query: str) -> str:
    return url_for(f"{entity}.index") + (f"?{query}" if query else "")


def value_of(form: BulkForm, action: str):
    """The action's value (a user, a stage, a day), or None when it needs one that is missing or wrong."""
    if action == "reassign":
        return service.owner_choice(form.owner_id.data or "")
    if action == "stage":
        return service.stage_choice(form.stage_id.data or "", form.lost_reason_id.data or "")
    if action == "close_date":
        return service.parse_day(form.close_date.data or "")
    return True


def selection(entity: str, form: BulkForm):
    """(action, value, rows, list query) of a valid form; BulkRefused when it cannot go ahead."""
    action = form.action.data
    if action not in service.ENTITIES[entity].actions:
        raise service.BulkRefused("Choose what to do with the selected rows.")
    value = value_of(form, action)
    if value is None and action == "reassign" and form.owner_id.data:
        raise service.BulkRefused("You may not hand deals to that owner; nothing was changed.")
    if value is None:
        raise service.BulkRefused({"reassign": "Choose the new owner.", "stage": "Choose the stage.",
                                   "close_date": "Enter the close date as YYYY-MM-DD."}[action])  # fmt: skip
    query = form.query.data or ""
    scope = MultiDict(_pairs(query)) if form.scope.data == "filter" else None
    ids = service.chosen_ids(entity, request.form.getlist("ids"), scope)
    return action, value, service.load(entity, ids), query


def _pairs(query: str):
    return [(k, v) for k, v in parse_qsl(query, keep_blank_values=False) if k not in ("page", "format", "part")]


def refused(entity: str, problem: service.BulkRefused, query: str):
    return render_template("bulk/refused.html", entity=entity, problem=problem, back_url=list_url(entity, query),
                           spec=service.ENTITIES[entity]), 409  # fmt: skip


def confirm(entity: str):
    """The confirmation: what the action will change (nothing is changed here)."""
    form = BulkForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        action, value, rows, query = selection(entity, form)
        sentences = service.describe(entity, action, rows, value)
    except service.BulkRefused as problem:
        return refused(entity, problem, form.query.data or "")
    spec = service.ENTITIES[entity]
    return render_template("bulk/confirm.html", entity=entity, spec=spec, action=action, rows=rows[:SHOWN_ROWS],
                           count=len(rows), ids=[row.id for row in rows], sentences=sentences, form=form,
                           label=service.ACTION_LABELS[action], back_url=list_url(entity, query),
                           names=[spec.name_of(row) for row in rows[:SHOWN_ROWS]])  # fmt: skip


def apply(entity: str):
    """Change exactly the confirmed rows, in one transaction; a row that may not be changed refuses all."""
    form = BulkForm()
    if not form.validate_on_submit():
        abort(400)
    form.scope.data = "selected"  # the confirmation lists the ids it showed
    try:
        action, value, rows, query = selection(entity, form)
        changed = service.apply(entity, action, rows, value)
    except service.BulkRefused as problem:
        return refused(entity, problem, form.query.data or "")
    except service.deletion.Refused as problem:
        return refused(entity, service.BulkRefused(problem.message), form.query.data or "")
    spec = service.ENTITIES[entity]
    flash(f"{service.ACTION_LABELS[action]}: {changed} {spec.what if changed == 1 else spec.several} changed.",
          "success")  # fmt: skip
    return redirect(list_url(entity, query), 303)


for _entity in service.ENTITIES:
    bp.add_url_rule(f"/{_entity}/bulk", f"confirm_{_entity}", login_required(confirm), methods=["POST"],
                    defaults={"entity": _entity})  # fmt: skip
    bp.add_url_rule(f"/{_entity}/bulk/apply", f"apply_{_entity}", login_required(apply), methods=["POST"],
                    defaults={"entity": _entity})  # fmt: skip

