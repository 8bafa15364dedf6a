"""Deals: list with search, filters and sort; detail with stage history,
stakeholders, meetings, activities and tasks; create, edit (optimistic
concurrency) and delete; and the stakeholder map (an org chart everyone who
sees the deal may read, and admins edit in one transaction)."""

from __future__ import annotations

import uuid

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, selectinload

from dashboard import csv_export, htmx, inline_edit
from dashboard.db import db
from dashboard.forms.deals import DealForm, EditDealForm, apply_form, map_form, prepare, validated_map
from dashboard.intelligence import explain
from dashboard.lists import list_args, opens_with_default, search_text
from dashboard.models import Deal, DealStage
from dashboard.pagination import page_number, paginate
from dashboard.permissions import admin_required, get_or_404, is_admin, is_manager, listed_owners, writable_or_404
from dashboard.responses import Deletion, answers_stale, back_to, done
from dashboard.services import deal_health, exports
from dashboard.services import deals as service
from dashboard.services import stakeholders as maps
from dashboard.services.saving import is_stale, save, stale, write

bp = Blueprint("deals", __name__, url_prefix="/deals")

SORTING, AI_SORTING = service.SORTING, service.AI_SORTING
LIST_ARGS = ("q", "stage", "status", "forecast", "owner", "mine", "min_value", "max_value", "closing", "stale", "sort",
             "dir")

DELETION = Deletion("deal", "deals.show", "deals.index", "dealsChanged")


@bp.get("")
@login_required
@opens_with_default("deals")
def index():
    """Deals the user may see, searchable, filterable and sortable; rows only for htmx."""
    owners = service.owner_choices(is_manager())
    conditions = service.deal_filters(request.args, owners, listed_owners)
    statement = select(Deal).join(DealStage, Deal.stage_id == DealStage.id).where(*conditions)
    sorting = AI_SORTING if current_user.ai_features else SORTING
    if csv_export.requested():
        return csv_export.download(exports.deals(current_user.ai_features), sorting.apply(statement, Deal.id)[0])
    summed = service.totals_filters(request.args, owners, listed_owners)
    total, total_value = service.count_and_value(statement, summed)
    statement, sort, direction = sorting.apply(statement, Deal.id)
    page = page_number()
    # the page's companies and owners by id after the limit (joined, a sort by value would join every deal)
    loads = (contains_eager(Deal.stage), selectinload(Deal.company), selectinload(Deal.owner))
    deals, has_next = paginate(statement.options(*loads), page)
    health = deal_health.health(deals)
    service.load_owner_candidates({d.owner_id for d in deals} if owners else ())  # the owner cells, in one query
    context = dict(deals=deals, total=total, total_value=total_value, page=page, has_next=has_next, sort=sort,
                   direction=direction, args=list_args(*LIST_ARGS), q=search_text(), stages=service.stages(),
                   statuses=service.STATUSES, owners=owners, health=health,
                   forecast_choices=service.FORECAST_CHOICES)  # fmt: skip
    return htmx.render("deals/index.html", "deals/_rows.html", **context)


@bp.get("/<uuid:id>")
@login_required
def show(id: uuid.UUID):
    """A deal with its company, contact, stage history, stakeholders, meetings, activities and tasks."""
    deal = get_or_404(Deal, id)
    why = explain.deal(db.session, deal) if current_user.ai_features else None
    return render_template("deals/show.html", deal=deal, why=why, **service.related(deal))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Create a deal owned by the current user (``?company=``, ``?contact=`` preselect them; ``?next=`` is
    where to go after saving)."""
    form = prepare(DealForm(company_id=request.args.get("company"), primary_contact_id=request.args.get("contact")),
                   current_user.id)  # fmt: skip
    if form.validate_on_submit():
        deal = Deal(owner_id=current_user.id, stage_id=uuid.UUID(form.stage_id.data))
        if write(form, deal, apply_form, service.INTEGRITY_MESSAGES, lambda: service.rescore_deal(deal)):
            return done(f"Created {deal.name}.", back_to(url_for("deals.show", id=deal.id)))
    return render_template("deals/form.html", form=form, deal=None)


@bp.route("/<uuid:id>/edit", methods=["GET", "POST"])
@login_required
@answers_stale("deal", "deals.update")
def update(id: uuid.UUID):
    """Edit a deal; a stale save is refused with 409; a stage change is noted on the timeline."""
    deal = writable_or_404(get_or_404(Deal, id))
    form = prepare(EditDealForm(obj=deal), deal.owner_id, deal)
    if form.validate_on_submit():
        stage = db.session.get(DealStage, uuid.UUID(form.stage_id.data))
        company_before = deal.company_id
        apply_form(form, deal)
        note = service.change_stage(deal, stage, current_user.full_name)
        rescore = lambda: service.rescore_deal(deal, [company_before], note=note)  # noqa: E731
        if save(form, service.INTEGRITY_MESSAGES, deal, form.version.data, rescore):
            return done(f"Saved {deal.name}.", url_for("deals.show", id=id))
    return render_template("deals/form.html", form=form, deal=deal)


@bp.route("/<uuid:id>/delete", methods=["GET", "POST"])
@bp.route("/<uuid:id>", methods=["DELETE"])
@login_required
def delete(id: uuid.UUID):
    """Ask for confirmation (GET: what the database would delete and unlink), then delete."""
    deal = writable_or_404(get_or_404(Deal, id))
    return DELETION.answer(deal, deal.name, lambda: service.delete(deal))


@bp.route("/<uuid:id>/inline", methods=["GET", "POST"])
@login_required
def inline(id: uuid.UUID):
    """Edit one field in place: ``field=stage|close|value|forecast|owner`` (dashboard/inline_edit.py)."""
    return inline_edit.answer(get_or_404(Deal, id))


# --- the stakeholder map ------------------------------------------------------------


def map_page(deal: Deal, rows, form=None):
    """The map page: the org chart, then the admin's form or a read-only table."""
    return render_template("deals/stakeholders.html", deal=deal, rows=rows, form=form, **maps.map_view(deal, rows))


@bp.get("/<uuid:id>/stakeholders")
@login_required
def stakeholders(id: uuid.UUID):
    """The stakeholder map as an org chart; admins also get the form that edits it."""
    deal = get_or_404(Deal, id)
    rows = service.stakeholder_rows(id)
    return map_page(deal, rows, map_form(deal, rows) if is_admin() else None)


@bp.post("/<uuid:id>/stakeholders")
@admin_required
@answers_stale("stakeholder map", "deals.stakeholders")
def save_stakeholders(id: uuid.UUID):
    """Save the whole map (rows and "reports to" links) in one transaction; bad input writes nothing."""
    deal = get_or_404(Deal, id)
    rows = service.stakeholder_rows(id)
    form = map_form(deal, rows, request.form)
    valid = form.validate_on_submit()
    if valid and is_stale(deal, form.version.data):
        raise stale(deal)
    planned = validated_map(form, deal, rows, valid)
    if planned is None:
        return map_page(deal, rows, form)
    save(form, {}, deal, form.version.data, before_commit=lambda: maps.write_map(deal, *planned))
    flash("Saved the stakeholder map.", "success")
    return redirect(url_for("deals.stakeholders", id=id))
