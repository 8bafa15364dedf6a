"""Contacts: the list's filters, the deals a contact is involved in, rescoring and deleting."""

from __future__ import annotations

import uuid

from sqlalchemy import func, or_, select, union
from sqlalchemy.orm import joinedload

from dashboard import vocabulary
from dashboard.db import db
from dashboard.intelligence import thresholds
from dashboard.intelligence.scores import rescore_after_write
from dashboard.lists import Sorting, choice_arg, contains, search_text, uuid_arg
from dashboard.models import Activity, Company, Contact, ContactInteraction, Deal, DealStakeholder
from dashboard.models.contact import FULL_NAME

SENIORITIES = list(vocabulary.SENIORITIES)
CONTACT_METHODS = list(vocabulary.CONTACT_METHODS)
INTEGRITY_MESSAGES = {
    "unique_contacts_lower_email": ("email", "Another contact already uses this email."),
    "check_contacts_email_format": ("email", "Enter an email address like name@example.com."),
    "check_contacts_first_name_not_blank": ("first_name", "Enter the first name."),
    "check_contacts_last_name_length": ("last_name", "Field cannot be longer than 100 characters."),
    "check_contacts_job_seniority": ("job_seniority", "Not a valid choice."),
    "check_contacts_preferred_contact_method": ("preferred_contact_method", "Not a valid choice."),
    "fk_contacts_company_id_companies": ("company_id", "That company no longer exists."),
    # the database's guard (docs/security.md): moving the contact would relink others' activities
    "writes_stay_on_writable_records": (
        "company_id",
        "Other users' activities with this contact are linked to its company; ask them or an admin before changing it.",
    ),
}

# the list's sort keys (the page's and the API's)
SORT_COLUMNS = {
    "name": func.lower(FULL_NAME),
    "company": func.lower(Company.name),
    "engagement": Contact.engagement_score,
    "last_interaction": Contact.last_interaction_date,
    "updated": Contact.updated_at,
}
AI_SORTS = {"engagement"}


def sorting(ai_features: bool) -> Sorting:
    """The allowed sort keys; scores are sort keys only for users who may see them."""
    columns = {k: v for k, v in SORT_COLUMNS.items() if ai_features or k not in AI_SORTS}
    return Sorting(columns=columns, default="name")


def name_matches(q: str):
    """Full name (the trigram-indexed expression) or email contains ``q``, case-insensitively."""
    return or_(contains(FULL_NAME, q), contains(Contact.email, q))


def filtered_contacts(args, listed_owners, ai_features: bool):
    """The list query with the search and filters of ``args``, for the owners ``listed_owners(column)``
    admits; the decision-maker filter only for users with AI features."""
    statement = select(Contact)
    if q := search_text(args=args):
        statement = statement.where(name_matches(q))
    if company_id := uuid_arg("company", args):
        statement = statement.where(Contact.company_id == company_id)
    if seniority := choice_arg("seniority", SENIORITIES, args):
        statement = statement.where(Contact.job_seniority == seniority)
    if args.get("decision_makers") == "1" and ai_features:
        statement = statement.where(Contact.decision_maker_score >= thresholds.current()["decision_maker_score"])
    return statement.where(listed_owners(Contact.owner_id))


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


def related(contact_id: uuid.UUID) -> dict:
    """What a contact page shows: their deals, interactions and recent activities."""
    interactions = db.session.scalars(
        select(ContactInteraction).where(ContactInteraction.contact_id == contact_id)
        .order_by(ContactInteraction.interaction_date.desc(), ContactInteraction.id).limit(25)
    ).all()  # fmt: skip
    activities = db.session.scalars(
        select(Activity).where(Activity.contact_id == contact_id).order_by(Activity.date.desc(), Activity.id).limit(10)
    ).all()
    return {"deals": contact_deals(contact_id), "interactions": interactions, "activities": activities}


def rescore(contact_id, company_ids=(), deal_ids=()) -> None:
    """Recompute what a write to a contact changed, in this transaction: the contact (seniority feeds its
    decision-maker score), the deals it is a stakeholder of (in SQL), its companies before and after (lead
    score, interaction engagement)."""
    rescore_after_write(db.session, contact_ids=[contact_id], company_ids=company_ids, deal_ids=deal_ids)


def delete(contact: Contact) -> None:
    """Delete the contact and rescore what counted them: their stakeholder rows and interactions go with
    them (those deals and the company are rescored); deals and activities stay, unlinked."""
    company_id = contact.company_id
    deal_ids = db.session.scalars(select(DealStakeholder.deal_id).where(DealStakeholder.contact_id == contact.id)).all()
    db.session.delete(contact)
    db.session.flush()
    rescore(None, [company_id], deal_ids)
    db.session.commit()
