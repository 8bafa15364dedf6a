"""Contacts: list with search, filters and sort; detail with company, deals,
interactions and activity; create, edit (optimistic concurrency) and delete."""

from __future__ import annotations

import uuid

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, selectinload

from dashboard import csv_export, htmx
from dashboard.db import db
from dashboard.forms.common import prepare_records, record_choices
from dashboard.forms.contacts import ContactForm, EditContactForm, apply_form
from dashboard.lists import list_args, opens_with_default, search_text, uuid_arg
from dashboard.models import Company, Contact
from dashboard.pagination import page_number, paginate
from dashboard.permissions import get_or_404, listed_owners, writable_or_404
from dashboard.responses import Deletion, answers_stale, back_to, done
from dashboard.services import contacts as service
from dashboard.services import exports, saving

bp = Blueprint("contacts", __name__, url_prefix="/contacts")

LIST_ARGS = ("q", "company", "seniority", "decision_makers", "sort", "dir")


def sorting():
    """The allowed sort keys; scores are sort keys only for users who may see them."""
    return service.sorting(current_user.ai_features)


DELETION = Deletion("contact", "contacts.show", "contacts.index", "contactsChanged")


@bp.get("")
@login_required
@opens_with_default("contacts")
def index():
    """Contacts the user may see, searchable, filterable and sortable; rows only for htmx."""
    statement = service.filtered_contacts(request.args, listed_owners, current_user.ai_features)
    if csv_export.requested():
        ordered, sort, _ = sorting().apply(statement, Contact.id)
        if sort == "company":
            ordered = ordered.outerjoin(Company, Contact.company_id == Company.id)
        return csv_export.download(exports.contacts(current_user.ai_features), ordered)
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    statement, sort, direction = sorting().apply(statement, Contact.id)
    if sort == "company":
        # ordered by the company name: joined (a rep's companies are few next to their contacts)
        statement = statement.outerjoin(Company, Contact.company_id == Company.id)
        statement = statement.options(contains_eager(Contact.company))
    else:
        # otherwise only the page's companies are read, after the page is chosen
        statement = statement.options(selectinload(Contact.company))
    page = page_number()
    contacts, has_next = paginate(statement, page)
    company = uuid_arg("company")
    filter_companies = [] if htmx.wants_fragment() else record_choices(Company, current_user.id, company)
    context = dict(contacts=contacts, total=total, page=page, has_next=has_next, sort=sort, direction=direction,
                   args=list_args(*LIST_ARGS), q=search_text(), seniorities=service.SENIORITIES,
                   companies=filter_companies)  # fmt: skip
    return htmx.render("contacts/index.html", "contacts/_rows.html", **context)


def write(form: ContactForm, contact: Contact, version=None) -> bool:
    """Write the form to the contact and rescore it and its companies before and after; a constraint
    violation becomes a field error (False)."""
    company_before = contact.company_id
    rescore = lambda: service.rescore(contact.id, [company_before, contact.company_id])  # noqa: E731
    return saving.write(form, contact, apply_form, service.INTEGRITY_MESSAGES, rescore, version)


def render_form(form: ContactForm, contact: Contact | None):
    return htmx.render("contacts/form.html", "contacts/_form.html", form=form, contact=contact)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Create a contact owned by the current user (``?company=`` preselects it; ``?next=`` is where to go after
    saving)."""
    form = prepare_records(ContactForm(company_id=request.args.get("company")), current_user.id)
    if form.validate_on_submit():
        contact = Contact(owner_id=current_user.id)
        if write(form, contact):
            shown = back_to(url_for("contacts.show", id=contact.id))
            return done(f"Created {contact.first_name} {contact.last_name}.", shown, "contactsChanged")
    return render_form(form, None)


@bp.get("/<uuid:id>")
@login_required
def show(id: uuid.UUID):
    """A contact with their company, deals, interactions and recent activities."""
    contact = get_or_404(Contact, id)
    return render_template("contacts/show.html", contact=contact, **service.related(id))


@bp.route("/<uuid:id>/edit", methods=["GET", "POST"])
@login_required
@answers_stale("contact", "contacts.update")
def update(id: uuid.UUID):
    """Edit a contact; a stale save is refused with 409."""
    contact = writable_or_404(get_or_404(Contact, id))
    form = prepare_records(EditContactForm(obj=contact), contact.owner_id, contact)
    if form.validate_on_submit() and write(form, contact, form.version.data):
        return done(f"Saved {contact.first_name} {contact.last_name}.", url_for("contacts.show", id=id),
                    "contactsChanged")  # fmt: skip
    return render_form(form, contact)


@bp.route("/<uuid:id>/delete", methods=["GET", "POST"])
@bp.route("/<uuid:id>", methods=["DELETE"])
@login_required
def delete(id: uuid.UUID):
    """Ask for confirmation (GET: what the database would delete and unlink), then delete; refused (409) when
    the contact is linked to records the user cannot edit."""
    contact = writable_or_404(get_or_404(Contact, id))
    name = f"{contact.first_name} {contact.last_name}".strip()
    return DELETION.answer(contact, name, lambda: service.delete(contact))
