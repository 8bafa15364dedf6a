"""Inline edits: the fields people change most, edited in place with htmx (deal stage, close date, value,
forecast category and owner; task due date and status), with the same validation, rules and optimistic
locking as the full forms.

A field shows as a button with its value (``inline(record, name)`` in templates); clicking it GETs
``/<area>/<id>/inline?field=<name>``: a one-field form with the record's ``version``. Its POST saves through
the area's service (``services/saving.save``); the answer is the field shown again, with the area's
``HX-Trigger`` event. A save that finds the record changed meanwhile answers 409 with the current value and
says who changed it (static/inline.js lets htmx swap it in); nothing is overwritten. Who may edit a field
is the rule of its service: the record's writers, and for a deal's owner ``services/deals.may_reassign``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from flask import abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm.exc import StaleDataError

from dashboard import htmx, templating, timezones
from dashboard.db import db
from dashboard.forms import inline as forms
from dashboard.forms.deals import reason_choices, reason_of, stage_choices
from dashboard.models import Deal, DealStage, Task
from dashboard.permissions import may_write
from dashboard.services import deals as deal_rules
from dashboard.services import forecast
from dashboard.services import pipeline as board
from dashboard.services import tasks as task_rules
from dashboard.services.saving import StaleRecord, is_stale, save, stale


@dataclass(frozen=True)
class Field:
    """One editable field: its label, form, what it shows, who may edit it, how the form is filled and
    how it is saved (False: field errors on the form)."""

    label: str
    form: type
    shown: Callable[[object], str]
    allowed: Callable[[object], bool]
    fill: Callable[[object, object], None]
    write: Callable[[object, object], bool]


def own_messages(form) -> dict:
    """The deal's constraint messages for the fields this form has."""
    return {k: v for k, v in deal_rules.INTEGRITY_MESSAGES.items() if v[0] in form._fields}


def write_deal_column(name: str):
    def write(form, deal) -> bool:
        setattr(deal, name, form[name].data)
        return save(form, own_messages(form), deal, form.version.data, lambda: deal_rules.rescore_deal(deal))

    return write


def fill_stage(form, deal) -> None:
    form.stage_id.choices, form.lost_reason_id.choices = stage_choices(), reason_choices(deal.lost_reason_id)
    if request.method == "GET":
        form.stage_id.data, form.lost_reason_id.data = str(deal.stage_id), str(deal.lost_reason_id or "")


def write_stage(form, deal) -> bool:
    stage = db.session.get(DealStage, uuid.UUID(form.stage_id.data))
    board.move(deal, stage, form.version.data, current_user.full_name, reason_of(form))
    return True


def fill_owner(form, deal) -> None:
    form.owner_id.choices = deal_rules.owner_candidates(deal.owner_id)
    if str(deal.owner_id) not in dict(form.owner_id.choices):
        form.owner_id.choices.insert(0, (str(deal.owner_id), deal.owner.full_name))
    if request.method == "GET":
        form.owner_id.data = str(deal.owner_id)


def write_owner(form, deal) -> bool:
    """Hand the deal on (services/deals.reassign_owner: the one rule) at the version the form was loaded."""
    if is_stale(deal, form.version.data):
        raise stale(deal)
    try:
        deal_rules.reassign_owner([deal.id], form.owner_id.data)
    except deal_rules.ReassignRefused:
        db.session.rollback()
        form.owner_id.errors.append("You may not hand this deal to that owner.")
        return False
    except StaleDataError:
        raise stale(deal) from None
    return save(form, own_messages(form))


def write_task_due(form, task) -> bool:
    task.due_date = task_rules.as_due(form.due_date.data)
    return save(form, {}, task, form.version.data)


def write_task_status(form, task) -> bool:
    task.status = form.status.data  # completed_at follows in the database
    return save(form, {}, task, form.version.data)


def fill_nothing(form, record) -> None:
    return None


DEALS = {
    "close": Field("close date", forms.DealCloseForm,
                   lambda d: d.expected_close_date.isoformat() if d.expected_close_date else "—",
                   may_write, fill_nothing, write_deal_column("expected_close_date")),
    "value": Field("value", forms.DealValueForm, lambda d: templating.money(d.value), may_write, fill_nothing,
                   write_deal_column("value")),
    "stage": Field("stage", forms.DealStageForm, lambda d: d.stage.name, may_write, fill_stage, write_stage),
    # open deals only: a won or lost deal is closed won / closed lost by its stage
    "forecast": Field("forecast category", forms.DealForecastForm, forecast.category_label,
                      lambda d: d.status == "active" and may_write(d), fill_nothing,
                      write_deal_column("forecast_category")),
    "owner": Field("owner", forms.DealOwnerForm, lambda d: d.owner.full_name, lambda d: deal_rules.may_reassign(d),
                   fill_owner, write_owner),
}  # fmt: skip
TASKS = {
    "due": Field("due date", forms.TaskDueForm, lambda t: str(timezones.due_day(t.due_date) or "—"), may_write,
                 fill_nothing, write_task_due),
    "status": Field("status", forms.TaskStatusForm, lambda t: t.status.replace("_", " "), may_write, fill_nothing,
                    write_task_status),
}  # fmt: skip
AREAS = {"deals": (DEALS, "close", "dealsChanged"), "tasks": (TASKS, "due", "tasksChanged")}


def inline(record, name: str, editable: bool = True) -> Markup:
    """The field ``name`` of ``record`` as shown in a list or on its page: a button that opens its inline
    form when the acting user may edit it, else the plain value."""
    fields = AREAS[record.__tablename__][0]
    field = fields[name]
    return cell(record, name, field, editable and field.allowed(record))


def cell(record, name: str, field: Field, editable: bool, conflict: StaleRecord | None = None) -> Markup:
    """The macro of _inline.html, called straight: a list shows up to five of these a row, and a template
    render per cell (render_template runs the context processors, and a new context copies every global)
    cost more than the rest of the row."""
    return Markup(current_app.jinja_env.get_template("_inline.html").module.cell(record, name, field, editable,
                                                                                 conflict))


def answer(record):
    """GET: the field's form (``view=1``: the field shown); POST: save it. 404 for a field the user may not
    edit, as for a missing record."""
    area = record.__tablename__
    fields, default, event = AREAS[area]
    name = request.values.get("field") or default
    field = fields.get(name)
    if field is None or not field.allowed(record):
        abort(404)
    if request.method == "GET" and request.args.get("view") == "1":
        return inline(record, name)
    form = field.form(obj=record) if request.method == "GET" else field.form()
    if request.method == "GET":
        form.version.data = str(record.version)
    field.fill(form, record)
    if request.method == "POST" and form.validate_on_submit():
        try:
            saved = field.write(form, record)
        except StaleRecord as conflict:
            return conflict_answer(area, record.id, name, conflict)
        if saved:
            return saved_answer(record, name, field, event)
    return render_template("_inline_form.html", record=record, name=name, field=field, form=form)


def saved_answer(record, name: str, field: Field, event: str):
    if not htmx.wants_fragment():
        flash(f"Saved the {field.label}.", "success")
        return redirect(url_for(f"{record.__tablename__}.show", id=record.id))
    return htmx.trigger(make_response(inline(record, name)), event)


def conflict_answer(area: str, record_id, name: str, conflict: StaleRecord):
    """409: the field as it is now, and who changed the record since the form was opened."""
    current = db.session.get(Deal if area == "deals" else Task, record_id)
    if current is None:
        abort(404)
    field = AREAS[area][0][name]
    return make_response(cell(current, name, field, field.allowed(current), conflict), 409)

