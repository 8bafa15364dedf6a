"""Companies: list with search, filters and sort; detail with related panels;
create, edit (optimistic concurrency) and delete."""

from __future__ import annotations

import uuid

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import BooleanField, IntegerField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional, Regexp

from dashboard import htmx
from dashboard.db import db
from dashboard.forms import (
    SelectField,
    commit_or_field_error,
    is_stale,
    no_nul,
    stale_response,
    text_field,
    version_field,
)
from dashboard.intelligence import explain
from dashboard.intelligence.scores import rescore_after_write
from dashboard.lists import Sorting, choice_arg, contains, list_args, number_arg, search_text
from dashboard.models import Activity, Company, CompanyActivity, Contact, Deal, Meeting
from dashboard.pagination import page_number, paginate
from dashboard.permissions import get_or_404, listed_owners, owned_or_404

bp = Blueprint("companies", __name__, url_prefix="/companies")

SIZES = ["startup", "small", "medium", "large", "enterprise"]
TIERS = ["enterprise", "mid-market", "smb", "startup"]
SORTING = Sorting(
    columns={
        "name": func.lower(Company.name),
        "engagement": Company.engagement_score,
        "lead_score": Company.lead_score,
        "updated": Company.updated_at,
        "last_engaged": Company.last_engagement_date,
    },
    default="name",
)
LIST_ARGS = ("q", "tier", "target", "min_engagement", "sort", "dir")
INTEGRITY_MESSAGES = {
    "unique_companies_domain": ("domain", "Another company already uses this domain."),
    "check_companies_domain_format": ("domain", "Enter a domain like example.com."),
    "check_companies_website_http": ("website", "Enter a web address starting with http:// or https://."),
    "check_companies_name_not_blank": ("name", "Enter the company's name."),
}


class CompanyForm(FlaskForm):
    name = text_field("Name", 200, required=True)
    domain = text_field("Domain", 253)
    industry = text_field("Industry", 100)
    size = SelectField("Size", choices=[("", "—")] + [(s, s.title()) for s in SIZES], validators=[Optional()])
    account_tier = SelectField("Account tier", choices=[(t, t) for t in TIERS], default="smb")
    website = text_field("Website", 2048)
    phone = text_field("Phone", 50)
    address = text_field("Address", 500)
    annual_revenue = IntegerField("Annual revenue", validators=[Optional(), NumberRange(0, 10**15)])
    employee_count = IntegerField("Employees", validators=[Optional(), NumberRange(0, 10_000_000)])
    is_target_account = BooleanField("Target account")
    description = TextAreaField("Description", validators=[Optional(), Length(max=5000), no_nul])

    def validate_domain(self, field):
        if field.data:
            field.data = field.data.lower().removeprefix("https://").removeprefix("http://").removeprefix("www.")
            field.data = field.data.split("/")[0]
            Regexp(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$",
                   message="Enter a domain like example.com.")(self, field)  # fmt: skip

    def validate_website(self, field):
        if field.data:
            Regexp(r"^https?://\S+$", flags=0, message="Enter a web address starting with http:// or https://.")(
                self, field
            )


class EditCompanyForm(CompanyForm):
    version = version_field()


FIELDS = ("name", "domain", "industry", "size", "account_tier", "website", "phone", "address",
          "annual_revenue", "employee_count", "is_target_account", "description")  # fmt: skip


def apply_form(form: CompanyForm, company: Company) -> None:
    """Copy only the declared fields; empty text becomes NULL."""
    for name in FIELDS:
        value = getattr(form, name).data
        setattr(company, name, value if value not in ("",) else None)
    company.is_target_account = bool(form.is_target_account.data)


def rescore(company: Company) -> None:
    """Recompute the company's scores in this transaction (tier and target account feed its lead score).

    Deleting a company changes no other score: its contacts and deals stay, and theirs do not depend on it.
    """
    rescore_after_write(db.session, company_ids=[company.id])


def filtered_companies():
    """The list query with the request's search, filters and sort applied."""
    statement = select(Company)
    q = search_text()
    if q:
        statement = statement.where(contains(Company.name, q) | contains(func.coalesce(Company.domain, ""), q))
    if tier := choice_arg("tier", TIERS):
        statement = statement.where(Company.account_tier == tier)
    if request.args.get("target") == "1":
        statement = statement.where(Company.is_target_account)
    if (minimum := number_arg("min_engagement", 0, 100)) is not None:
        statement = statement.where(Company.engagement_score >= minimum)
    return statement.where(listed_owners(Company.owner_id))


@bp.get("")
@login_required
def index():
    """Companies the user may see, searchable and sortable; rows only for htmx."""
    statement = filtered_companies()
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    statement, sort, direction = SORTING.apply(statement, Company.id)
    page = page_number()
    companies, has_next = paginate(statement, page)
    context = dict(companies=companies, total=total, page=page, has_next=has_next, sort=sort, direction=direction,
                   args=list_args(*LIST_ARGS), q=search_text(), tiers=TIERS)  # fmt: skip
    return htmx.render("companies/index.html", "companies/_rows.html", **context)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Create a company owned by the current user."""
    form = CompanyForm()
    if form.validate_on_submit():
        company = Company(owner_id=current_user.id)
        apply_form(form, company)
        db.session.add(company)
        if commit_or_field_error(form, INTEGRITY_MESSAGES, before_commit=lambda: rescore(company)):
            flash(f"Created {company.name}.", "success")
            return redirect(url_for("companies.show", id=company.id))
    return render_template("companies/form.html", form=form, company=None)


@bp.get("/<uuid:id>")
@login_required
def show(id: uuid.UUID):
    """A company with its contacts, deals, activity timeline and meetings."""
    company = get_or_404(Company, id)
    contacts = db.session.scalars(
        select(Contact).where(Contact.company_id == id).order_by(Contact.last_name, Contact.first_name).limit(50)
    ).all()
    deals = db.session.scalars(
        select(Deal).where(Deal.company_id == id).order_by(Deal.status, Deal.expected_close_date).limit(50)
    ).all()
    timeline = db.session.execute(
        select(Activity, CompanyActivity.link_source)
        .join(CompanyActivity, CompanyActivity.activity_id == Activity.id)
        .where(CompanyActivity.company_id == id)
        .order_by(Activity.date.desc())
        .limit(25)
    ).all()
    meetings = db.session.scalars(
        select(Meeting).where(Meeting.company_id == id).order_by(Meeting.starts_at.desc()).limit(10)
    ).all()
    why = explain.company(db.session, company) if current_user.ai_features else None
    return render_template("companies/show.html", company=company, contacts=contacts, deals=deals, timeline=timeline,
                           meetings=meetings, why=why)  # fmt: skip


@bp.route("/<uuid:id>/edit", methods=["GET", "POST"])
@login_required
def update(id: uuid.UUID):
    """Edit a company; a stale save is refused with 409."""
    company = owned_or_404(get_or_404(Company, id))
    form = EditCompanyForm(obj=company)
    if form.validate_on_submit():
        if is_stale(company, form.version.data):
            return stale_response(company, "company", url_for("companies.update", id=id))
        apply_form(form, company)
        if commit_or_field_error(form, INTEGRITY_MESSAGES, before_commit=lambda: rescore(company)):
            flash(f"Saved {company.name}.", "success")
            return redirect(url_for("companies.show", id=id))
    return render_template("companies/form.html", form=form, company=company)


@bp.route("/<uuid:id>/delete", methods=["GET", "POST"])
@bp.route("/<uuid:id>", methods=["DELETE"])
@login_required
def delete(id: uuid.UUID):
    """Ask for confirmation (GET), then delete; its contacts and deals stay, unlinked."""
    company = owned_or_404(get_or_404(Company, id))
    name = company.name
    if request.method == "GET":
        return render_template(
            "confirm_delete.html", what="company", name=name, consequence="Its contacts and deals are kept, "
            "without the link to it; its meetings and activity links go.", cancel_url=url_for("companies.show", id=id),
        )  # fmt: skip
    db.session.delete(company)
    db.session.commit()
    flash(f"Deleted {name}.", "success")
    if htmx.wants_fragment():
        return htmx.redirect_to(url_for("companies.index"), "companiesChanged")
    return redirect(url_for("companies.index"))
