"""Contacts: list with search, filters and sort; detail with company, deals,
interactions and activity; create, edit (optimistic concurrency) and delete."""

from __future__ import annotations

import uuid

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import func, or_, select, union
from sqlalchemy.orm import contains_eager, joinedload, selectinload
from wtforms.validators import Optional, ValidationError

from dashboard import htmx
from dashboard.db import db
from dashboard.forms import (
    SelectField,
    commit_or_field_error,
    is_stale,
    record_choices,
    stale_response,
    text_field,
    version_field,
)
from dashboard.intelligence.scores import rescore_after_write
from dashboard.lists import Sorting, choice_arg, contains, list_args, search_text
from dashboard.models import Activity, Company, Contact, ContactInteraction, Deal, DealStakeholder
from dashboard.models.contact import FULL_NAME
from dashboard.pagination import page_number, paginate
from dashboard.permissions import get_or_404, listed_owners, owned_or_404
from dashboard.users import EMAIL

bp = Blueprint("contacts", __name__, url_prefix="/contacts")

SENIORITIES = ["entry", "mid", "senior", "executive", "c-level"]
CONTACT_METHODS = ["email", "phone", "linkedin", "text"]
DECISION_MAKER = 0.7  # decision_maker_score (0-1) from which a contact counts as a decision maker
SORT_COLUMNS = {
    "name": func.lower(FULL_NAME),
    "company": func.lower(Company.name),
    "engagement": Contact.engagement_score,
    "last_interaction": Contact.last_interaction_date,
    "updated": Contact.updated_at,
}
AI_SORTS = {"engagement"}
LIST_ARGS = ("q", "company", "seniority", "decision_makers", "sort", "dir")
INTEGRITY_MESSAGES = {
    "unique_contacts_lower_email": ("email", "Another contact already uses this email."),
    "check_contacts_email_format": ("email", "Enter an email address like name@example.com."),
    "check_contacts_first_name_not_blank": ("first_name", "Enter the first name."),
    "check_contacts_last_name_length": ("last_name", "Field cannot be longer than 100 characters."),
    "check_contacts_job_seniority": ("job_seniority", "Not a valid choice."),
    "check_contacts_preferred_contact_method": ("preferred_contact_method", "Not a valid choice."),
    "fk_contacts_company_id_companies": ("company_id", "That company no longer exists."),
}


class ContactForm(FlaskForm):
    first_name = text_field("First name", 100, required=True)
    last_name = text_field("Last name", 100)
    email = text_field("Email", 254)
    phone = text_field("Phone", 50)
    title = text_field("Title", 200)
    company_id = SelectField("Company", choices=[], validators=[Optional()])
    job_seniority = SelectField(
        "Seniority", choices=[("", "—")] + [(s, s.title()) for s in SENIORITIES], validators=[Optional()]
    )
    preferred_contact_method = SelectField(
        "Preferred contact method", choices=[(m, m.title()) for m in CONTACT_METHODS], default="email"
    )

    def validate_email(self, field):
        if field.data:
            field.data = field.data.lower()
            if not EMAIL.match(field.data):
                raise ValidationError("Enter an email address like name@example.com.")


class EditContactForm(ContactForm):
    version = version_field()


FIELDS = ("first_name", "last_name", "email", "phone", "title", "job_seniority", "preferred_contact_method")


def apply_form(form: ContactForm, contact: Contact) -> None:
    """Copy only the declared fields; empty text becomes NULL (last name: empty)."""
    for name in FIELDS:
        value = getattr(form, name).data
        setattr(contact, name, value if value != "" else None)
    contact.last_name = form.last_name.data or ""
    contact.company_id = uuid.UUID(form.company_id.data) if form.company_id.data else None


def company_choices(owner_id, current_id=None) -> list[tuple[str, str]]:
    """The owner's companies (plus the current one) as select options."""
    return record_choices(Company, owner_id, current_id)


def uuid_arg(name: str) -> uuid.UUID | None:
    """A query-string id, or None when absent or not a UUID."""
    try:
        return uuid.UUID(request.args.get(name, ""))
    except ValueError:
        return None


def link_to(endpoint: str, **values) -> str | None:
    """A link into another area, or None while that area's blueprint is not installed."""
    return url_for(endpoint, **values) if endpoint in current_app.view_functions else None


def sorting() -> Sorting:
    """The allowed sort keys; scores are sort keys only for users who may see them."""
    columns = {k: v for k, v in SORT_COLUMNS.items() if current_user.ai_features or k not in AI_SORTS}
    return Sorting(columns=columns, default="name")


def name_matches(q: str):
    """Full name (the trigram-indexed expression) or email contains ``q``, case-insensitively."""
    return or_(contains(FULL_NAME, q), contains(Contact.email, q))


def filtered_contacts():
    """The list query with the request's search and filters applied."""
    statement = select(Contact)
    if q := search_text():
        statement = statement.where(name_matches(q))
    if company_id := uuid_arg("company"):
        statement = statement.where(Contact.company_id == company_id)
    if seniority := choice_arg("seniority", SENIORITIES):
        statement = statement.where(Contact.job_seniority == seniority)
    if request.args.get("decision_makers") == "1" and current_user.ai_features:
        statement = statement.where(Contact.decision_maker_score >= DECISION_MAKER)
    return statement.where(listed_owners(Contact.owner_id))


@bp.get("")
@login_required
def index():
    """Contacts the user may see, searchable, filterable and sortable; rows only for htmx."""
    statement = filtered_contacts()
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
    filter_companies = [] if htmx.wants_fragment() else company_choices(current_user.id, uuid_arg("company"))
    context = dict(contacts=contacts, total=total, page=page, has_next=has_next, sort=sort, direction=direction,
                   args=list_args(*LIST_ARGS), q=search_text(), seniorities=SENIORITIES,
                   companies=filter_companies, decision_maker=DECISION_MAKER)  # fmt: skip
    return htmx.render("contacts/index.html", "contacts/_rows.html", **context)


def done(message: str, url: str):
    """After a successful write: flash, then a redirect (HX-Redirect and contactsChanged for htmx)."""
    flash(message, "success")
    if htmx.wants_fragment():
        return htmx.redirect_to(url, "contactsChanged")
    return redirect(url)


def rescore(contact_id, company_ids=(), deal_ids=()) -> None:
    """Recompute what a write to a contact changed, in this transaction: the contact (seniority feeds its
    decision-maker score), the deals it is a stakeholder of (in SQL), its companies before and after (lead
    score, interaction engagement)."""
    rescore_after_write(db.session, contact_ids=[contact_id], company_ids=company_ids, deal_ids=deal_ids)


def save(form: ContactForm, contact: Contact) -> bool:
    """Write the form to the contact and rescore; a constraint violation becomes a field error (False)."""
    company_before = contact.company_id
    apply_form(form, contact)
    db.session.add(contact)
    return commit_or_field_error(
        form, INTEGRITY_MESSAGES, before_commit=lambda: rescore(contact.id, [company_before, contact.company_id])
    )


def render_form(form: ContactForm, contact: Contact | None):
    return htmx.render("contacts/form.html", "contacts/_form.html", form=form, contact=contact)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Create a contact owned by the current user."""
    form = ContactForm()
    form.company_id.choices = company_choices(current_user.id)
    if form.validate_on_submit():
        contact = Contact(owner_id=current_user.id)
        if save(form, contact):
            return done(f"Created {contact.first_name} {contact.last_name}.", url_for("contacts.show", id=contact.id))
    return render_form(form, None)


def contact_deals(contact_id: uuid.UUID) -> list:
    """(deal, stakeholder row or None) for deals where the contact is primary contact or a stakeholder."""
    stakeholder = (DealStakeholder.deal_id == Deal.id) & (DealStakeholder.contact_id == contact_id)
    # the deal ids first (two index lookups), so no deal is read that does not involve the contact
    involved = union(
        select(Deal.id).where(Deal.primary_contact_id == contact_id),
        select(DealStakeholder.deal_id).where(DealStakeholder.contact_id == contact_id),
    )
    return db.session.execute(
        select(Deal, DealStakeholder).outerjoin(DealStakeholder, stakeholder).options(joinedload(Deal.stage))
        .where(Deal.id.in_(involved))
        .order_by(Deal.status, Deal.expected_close_date.asc().nulls_last(), Deal.id).limit(50)
    ).all()  # fmt: skip


@bp.get("/<uuid:id>")
@login_required
def show(id: uuid.UUID):
    """A contact with their company, deals, interactions and recent activities."""
    contact = get_or_404(Contact, id)
    interactions = db.session.scalars(
        select(ContactInteraction).where(ContactInteraction.contact_id == id)
        .order_by(ContactInteraction.interaction_date.desc(), ContactInteraction.id).limit(25)
    ).all()  # fmt: skip
    activities = db.session.scalars(
        select(Activity).where(Activity.contact_id == id).order_by(Activity.date.desc(), Activity.id).limit(10)
    ).all()
    deals = contact_deals(id)
    return render_template("contacts/show.html", contact=contact, deals=deals, interactions=interactions,
                           activities=activities, link_to=link_to, decision_maker=DECISION_MAKER)  # fmt: skip


@bp.route("/<uuid:id>/edit", methods=["GET", "POST"])
@login_required
def update(id: uuid.UUID):
    """Edit a contact; a stale save is refused with 409."""
    contact = owned_or_404(get_or_404(Contact, id))
    form = EditContactForm(obj=contact)
    form.company_id.choices = company_choices(contact.owner_id, contact.company_id)
    if form.validate_on_submit():
        if is_stale(contact, form.version.data):
            return stale_response(contact, "contact", url_for("contacts.update", id=id))
        if save(form, contact):
            return done(f"Saved {contact.first_name} {contact.last_name}.", url_for("contacts.show", id=id))
    return render_form(form, contact)


@bp.route("/<uuid:id>/delete", methods=["GET", "POST"])
@bp.route("/<uuid:id>", methods=["DELETE"])
@login_required
def delete(id: uuid.UUID):
    """Ask for confirmation (GET), then delete; deals and activities stay, unlinked."""
    contact = owned_or_404(get_or_404(Contact, id))
    name = f"{contact.first_name} {contact.last_name}".strip()
    if request.method == "GET":
        return render_template(
            "confirm_delete.html", what="contact", name=name,
            consequence="Their deals and activities are kept, without the link to them; their interactions "
            "and stakeholder roles go.", cancel_url=url_for("contacts.show", id=id),
        )  # fmt: skip
    company_id = contact.company_id
    deal_ids = db.session.scalars(select(DealStakeholder.deal_id).where(DealStakeholder.contact_id == id)).all()
    db.session.delete(contact)
    db.session.flush()
    # their stakeholder rows and interactions went with them: those deals and the company
    rescore(None, [company_id], deal_ids)
    db.session.commit()
    return done(f"Deleted {name}.", url_for("contacts.index"))
