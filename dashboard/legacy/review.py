"""The review queue: an admin's answer for a legacy deal the importer would not link by guessing.

``resolve`` and ``dismiss`` write in the caller's transaction (the page commits
once, so a resolution is all or nothing, SECURITY.md T21). Each first claims
the item with ``update ... where status = 'pending'``: a second answer (a
double submit, or two admins at once -- the row lock makes the later one wait
and then find nothing pending) raises ``AlreadyResolved`` and writes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from dashboard.legacy import normalize as n
from dashboard.models import Activity, Company, Contact, Deal, DealStakeholder, LegacyDeal, LegacyReviewItem

REASONS = {
    "two_candidates": "Two companies match the row's company name equally well.",
    "fuzzy_uncertain": "The closest company name is similar, but not close enough to be sure.",
    "no_email_no_company": "The row has neither an email address nor a company name.",
    "no_company": "The row has no company name and its email is at a personal mail provider.",
}


class AlreadyResolved(Exception):
    """The item is no longer pending (someone answered it already): nothing was written."""


class ResolutionError(Exception):
    """The answer cannot be applied (e.g. the chosen company is gone): a message for the admin."""


def _claim(session: Session, item_id, actor_id, status: str, resolution: dict) -> LegacyReviewItem:
    claimed = session.execute(
        update(LegacyReviewItem)
        .where(LegacyReviewItem.id == item_id, LegacyReviewItem.status == "pending")
        .values(status=status, resolution=resolution, resolved_by=actor_id, resolved_at=func.now())
        .returning(LegacyReviewItem.id)
    ).first()
    if claimed is None:
        raise AlreadyResolved
    item = session.get(LegacyReviewItem, item_id, populate_existing=True)
    assert item is not None
    return item


def dismiss(session: Session, item_id, actor_id) -> None:
    """Leave the row's deal without a company: the item is closed as dismissed."""
    _claim(session, item_id, actor_id, "dismissed", {"action": "skip"})


def resolve(
    session: Session,
    item_id,
    actor_id,
    *,
    company: uuid.UUID | str,
    new_company_name: str | None = None,
    contact: uuid.UUID | str = "none",
    fail_after: Callable[[str], None] | None = None,
) -> dict:
    """Link the item's deal to ``company`` (an id, or ``"new"`` with ``new_company_name``) and its
    contact (an id, ``"keep"``, ``"new"`` from the row's name, or ``"none"``). Returns the resolution.

    Also links the deal's imported activities that have no company, adds the contact as the deal's
    decision maker, and records the link as ``manual`` on the legacy row. ``fail_after`` is a test hook.
    Raises AlreadyResolved, ResolutionError.
    """
    hook = fail_after or (lambda _: None)
    item = _claim(session, item_id, actor_id, "resolved", {"action": "link"})
    hook("claim")
    legacy: LegacyDeal = item.legacy_deal
    deal = session.get(Deal, legacy.deal_id) if legacy.deal_id else None
    if deal is None:
        raise ResolutionError("The deal of this row no longer exists: skip the row instead.")

    created_company = company == "new"
    target = _company_for(session, deal, company, new_company_name)
    if created_company:
        hook("company")
    person, created_contact = _contact_for(session, legacy, deal, target, contact)
    if created_contact:
        hook("contact")
    deal.company_id = target.id
    if person is not None and deal.primary_contact_id is None:
        deal.primary_contact_id = person.id
    session.flush()
    hook("deal")
    if person is not None:
        _add_decision_maker(session, deal, person)
    _link_activities(session, deal.id, target.id)
    legacy.company_link = "manual"
    if person is not None:
        legacy.contact_link = "manual" if contact != "keep" else legacy.contact_link
    session.flush()
    hook("links")
    item.resolution = {
        "action": "link", "company_id": str(target.id), "company_created": created_company,
        "contact_id": str(person.id) if person else None, "contact_created": created_contact,
    }  # fmt: skip
    session.flush()
    return item.resolution


def _company_for(session: Session, deal: Deal, choice, new_company_name: str | None) -> Company:
    """The company the answer names: a new one (owned by the deal's owner) or an existing one."""
    if choice == "new":
        name = n.clean(new_company_name)[:200]
        if not name:
            raise ResolutionError("Enter a name for the new company.")
        created = Company(name=name, owner_id=deal.owner_id)
        session.add(created)
        session.flush()
        return created
    target = session.get(Company, choice)
    if target is None:
        raise ResolutionError("That company no longer exists. Pick another one.")
    return target


def _add_decision_maker(session: Session, deal: Deal, person: Contact) -> None:
    """The contact becomes a decision maker on the deal, unless already one of its stakeholders."""
    already = session.scalar(
        select(DealStakeholder.id).where(DealStakeholder.deal_id == deal.id, DealStakeholder.contact_id == person.id)
    )
    if already is None:
        session.add(DealStakeholder(deal_id=deal.id, contact_id=person.id, role="decision_maker",
                                    influence_level="high", relationship_strength=Decimal("0.80"),
                                    notes="legacy review: primary contact (manual)"))  # fmt: skip


def _contact_for(session: Session, legacy: LegacyDeal, deal: Deal, company: Company, choice):
    """(contact, created) for the answer: the deal's own contact, a suggested one, a new one or none."""
    if choice == "none":
        return None, False
    if choice == "keep":
        person = session.get(Contact, deal.primary_contact_id) if deal.primary_contact_id else None
        if person is None:
            raise ResolutionError("The deal has no contact to keep. Pick another answer.")
        if person.company_id is None:
            person.company_id = company.id  # the row's person works at the company the admin chose
        return person, False
    if choice == "new":
        first, last = n.person_name(legacy.contact_name)
        if not first:
            raise ResolutionError("The row has no contact name to create a contact from.")
        address = n.email(legacy.contact_email)
        if address and session.scalar(select(Contact.id).where(func.lower(Contact.email) == address)) is not None:
            address = None  # that address belongs to someone already: never two contacts for one email
        person = Contact(
            first_name=first[:100], last_name=last[:100], email=address, phone=n.phone(legacy.contact_phone),
            company_id=company.id, owner_id=deal.owner_id,
        )  # fmt: skip
        session.add(person)
        session.flush()
        return person, True
    person = session.get(Contact, choice)
    if person is None:
        raise ResolutionError("That contact no longer exists. Pick another one.")
    return person, False


def _link_activities(session: Session, deal_id, company_id) -> None:
    """The deal's activities without a company get the chosen one (their links follow by trigger)."""
    session.execute(
        update(Activity)
        .where(Activity.deal_id == deal_id, Activity.company_id.is_(None))
        .values(company_id=company_id, version=Activity.version + 1)
        .execution_options(synchronize_session=False)
    )
