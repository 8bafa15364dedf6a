"""Companies: the list's filters, what a company page shows, and rescoring after a write."""

from __future__ import annotations

from sqlalchemy import func, select

from dashboard import vocabulary
from dashboard.db import db
from dashboard.intelligence.scores import rescore_after_write
from dashboard.lists import Sorting, choice_arg, contains, number_arg, search_text
from dashboard.models import Company, Contact, Deal, Meeting

SIZES = list(vocabulary.COMPANY_SIZES)
TIERS = list(vocabulary.ACCOUNT_TIERS)
INTEGRITY_MESSAGES = {
    "unique_companies_domain": ("domain", "Another company already uses this domain."),
    "check_companies_domain_format": ("domain", "Enter a domain like example.com."),
    "check_companies_website_http": ("website", "Enter a web address starting with http:// or https://."),
    "check_companies_name_not_blank": ("name", "Enter the company's name."),
}
# the list's sort keys (the page's and the API's)
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


def rescore(company: Company) -> None:
    """Recompute the company's scores in this transaction (tier and target account feed its lead score).

    Deleting a company changes no other score: its contacts and deals stay, and theirs do not depend on it.
    """
    rescore_after_write(db.session, company_ids=[company.id])


def filtered_companies(args, listed_owners):
    """The list query with the search and filters of ``args`` (a query string), for the owners
    ``listed_owners(column)`` admits."""
    statement = select(Company)
    if q := search_text(args=args):
        statement = statement.where(contains(Company.name, q) | contains(func.coalesce(Company.domain, ""), q))
    if tier := choice_arg("tier", TIERS, args):
        statement = statement.where(Company.account_tier == tier)
    if args.get("target") == "1":
        statement = statement.where(Company.is_target_account)
    if (minimum := number_arg("min_engagement", 0, 100, args)) is not None:
        statement = statement.where(Company.engagement_score >= minimum)
    return statement.where(listed_owners(Company.owner_id))


def related(company_id) -> dict:
    """What a company page shows next to it: contacts, deals, meetings (each bounded); the timeline is
    crm.record_timeline's (services/timeline.py)."""
    contacts = select(Contact).where(Contact.company_id == company_id).order_by(Contact.last_name, Contact.first_name)
    deals = select(Deal).where(Deal.company_id == company_id).order_by(Deal.status, Deal.expected_close_date)
    meetings = select(Meeting).where(Meeting.company_id == company_id).order_by(Meeting.starts_at.desc()).limit(10)
    return {
        "contacts": db.session.scalars(contacts.limit(50)).all(),
        "deals": db.session.scalars(deals.limit(50)).all(),
        "meetings": db.session.scalars(meetings).all(),
    }


def delete(company: Company) -> None:
    """Delete the company; its contacts and deals stay, unlinked."""
    db.session.delete(company)
    db.session.commit()
