"""/api/v1/contacts: the contact list's filters and sorts, the contact form, rescoring as the pages do."""

from __future__ import annotations

import uuid

from flask import request
from flask_login import current_user
from sqlalchemy.orm import contains_eager

from dashboard import vocabulary
from dashboard.api import formdata
from dashboard.api.resource import Resource
from dashboard.api.schemas import (
    Body,
    Flag,
    Instant,
    Score,
    Unit,
    choice,
    list_query,
    patch_of,
    record_of,
    search,
    text,
)
from dashboard.forms.common import prepare_records
from dashboard.forms.contacts import ContactForm, EditContactForm, apply_form
from dashboard.models import Company, Contact
from dashboard.permissions import listed_owners
from dashboard.services import contacts as service


class ContactCreate(Body):
    first_name: text(100, required=True)
    last_name: text(100) = None
    email: text(254) = None
    phone: text(50) = None
    title: text(200) = None
    company_id: uuid.UUID | None = None
    job_seniority: choice(vocabulary.SENIORITIES) | None = None
    preferred_contact_method: choice(vocabulary.CONTACT_METHODS) = "email"


ContactRecord = record_of("Contact", {
    "first_name": str, "last_name": str, "email": str, "phone": str, "title": str, "company_id": uuid.UUID,
    "job_seniority": choice(vocabulary.SENIORITIES), "preferred_contact_method": choice(vocabulary.CONTACT_METHODS),
    "owner_id": uuid.UUID, "engagement_score": Score, "decision_maker_score": Unit, "interaction_count": int,
    "last_interaction_date": Instant, "created_at": Instant, "updated_at": Instant, "version": int, "etag": str,
})  # fmt: skip

QUERY = list_query("ContactList", service.sorting(True), {
    "q": search("name or email contains"),
    "company": (uuid.UUID | None, None),
    "seniority": (choice(vocabulary.SENIORITIES) | None, None),
    "decision_makers": (Flag, None),
    "mine": (Flag, None),
})  # fmt: skip


def listing():
    statement = service.filtered_contacts(request.args, listed_owners, current_user.ai_features)
    if request.args.get("sort") == "company":  # the sort key is the company's name
        statement = statement.outerjoin(Company, Contact.company_id == Company.id)
        statement = statement.options(contains_eager(Contact.company))
    return statement


def written(form, contact: Contact, version=None, finish=None) -> Contact:
    company_before = contact.company_id
    return formdata.written(form, contact, apply_form, service.INTEGRITY_MESSAGES,
                            lambda: service.rescore(contact.id, [company_before, contact.company_id]), version,
                            finish)  # fmt: skip


def create(values: dict, finish) -> Contact:
    form = prepare_records(formdata.fill(ContactForm, values), current_user.id)
    formdata.validated(form)
    return written(form, Contact(owner_id=current_user.id), finish=finish)


def update(contact: Contact, values: dict, version: int) -> None:
    form = formdata.edited(EditContactForm, contact, values, version,
                           lambda f: prepare_records(f, contact.owner_id, contact))  # fmt: skip
    written(form, contact, version)


RESOURCE = Resource(
    name="contacts", what="contact", model=Contact, record=ContactRecord, query=QUERY, listing=listing,
    sorting=lambda: service.sorting(current_user.ai_features), create_model=ContactCreate,
    patch_model=patch_of(ContactCreate), create=create, update=update, delete=service.delete,
    ai_fields=frozenset({"engagement_score", "decision_maker_score"}),
)  # fmt: skip
