"""Companies: list with search, filters and sort; detail with related panels;
create, edit (optimistic concurrency) and delete."""

from __future__ import annotations

import uuid

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from dashboard import csv_export, htmx
from dashboard.db import db
from dashboard.forms.companies import CompanyForm, EditCompanyForm, apply_form
from dashboard.intelligence import explain
from dashboard.lists import list_args, opens_with_default, search_text
from dashboard.models import Company
from dashboard.pagination import page_number, paginate
from dashboard.permissions import get_or_404, listed_owners, writable_or_404
from dashboard.responses import Deletion, answers_stale, done
from dashboard.services import companies as service
from dashboard.services import exports
from dashboard.services.saving import write

bp = Blueprint("companies", __name__, url_prefix="/companies")

SORTING = service.SORTING
LIST_ARGS = ("q", "tier", "target", "min_engagement", "sort", "dir")

DELETION = Deletion("company", "companies.show", "companies.index", "companiesChanged")


@bp.get("")
@login_required
@opens_with_default("companies")
def index():
    """Companies the user may see, searchable and sortable; rows only for htmx."""
    statement = service.filtered_companies(request.args, listed_owners)
    if csv_export.requested():
        return csv_export.download(exports.companies(current_user.ai_features), SORTING.apply(statement, Company.id)[0])
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    statement, sort, direction = SORTING.apply(statement, Company.id)
    page = page_number()
    companies, has_next = paginate(statement, page)
    context = dict(companies=companies, total=total, page=page, has_next=has_next, sort=sort, direction=direction,
                   args=list_args(*LIST_ARGS), q=search_text(), tiers=service.TIERS)  # fmt: skip
    return htmx.render("companies/index.html", "companies/_rows.html", **context)


def rescore(company: Company):
    """What a write runs before its commit: the company's scores."""
    return lambda: service.rescore(company)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Create a company owned by the current user."""
    form, company = CompanyForm(), Company(owner_id=current_user.id)
    if form.validate_on_submit() and write(form, company, apply_form, service.INTEGRITY_MESSAGES, rescore(company)):
        return done(f"Created {company.name}.", url_for("companies.show", id=company.id))
    return render_template("companies/form.html", form=form, company=None)


@bp.get("/<uuid:id>")
@login_required
def show(id: uuid.UUID):
    """A company with its contacts, deals, activity timeline and meetings."""
    company = get_or_404(Company, id)
    why = explain.company(db.session, company) if current_user.ai_features else None
    return render_template("companies/show.html", company=company, why=why, **service.related(id))


@bp.route("/<uuid:id>/edit", methods=["GET", "POST"])
@login_required
@answers_stale("company", "companies.update")
def update(id: uuid.UUID):
    """Edit a company; a stale save is refused with 409."""
    company = writable_or_404(get_or_404(Company, id))
    form = EditCompanyForm(obj=company)
    messages, version = service.INTEGRITY_MESSAGES, form.version.data
    if form.validate_on_submit() and write(form, company, apply_form, messages, rescore(company), version):
        return done(f"Saved {company.name}.", url_for("companies.show", id=id))
    return render_template("companies/form.html", form=form, company=company)


@bp.route("/<uuid:id>/delete", methods=["GET", "POST"])
@bp.route("/<uuid:id>", methods=["DELETE"])
@login_required
def delete(id: uuid.UUID):
    """Ask for confirmation (GET: what the database would delete and unlink), then delete."""
    company = writable_or_404(get_or_404(Company, id))
    return DELETION.answer(company, company.name, lambda: service.delete(company))
