"""/api/v1/companies: the company list's filters and sorts, the company form and service."""

from __future__ import annotations

import uuid
from typing import Annotated

from flask import request
from flask_login import current_user
from pydantic import Field

from dashboard import vocabulary
from dashboard.api import formdata
from dashboard.api.resource import Resource
from dashboard.api.schemas import Body, Day, Instant, Score, choice, list_query, patch_of, record_of, text
from dashboard.forms.companies import CompanyForm, EditCompanyForm, apply_form
from dashboard.models import Company
from dashboard.permissions import listed_owners
from dashboard.services import companies as service


class CompanyCreate(Body):
    name: text(200, required=True)
    domain: text(253) = None
    industry: text(100) = None
    size: choice(vocabulary.COMPANY_SIZES) | None = None
    account_tier: choice(vocabulary.ACCOUNT_TIERS) = "smb"
    website: text(2048) = None
    phone: text(50) = None
    address: text(500) = None
    annual_revenue: Annotated[int | None, Field(ge=0, le=10**15)] = None
    employee_count: Annotated[int | None, Field(ge=0, le=10_000_000)] = None
    is_target_account: bool = False
    description: text(5000) = None


CompanyRecord = record_of("Company", {
    "name": str, "domain": str, "industry": str, "size": choice(vocabulary.COMPANY_SIZES),
    "account_tier": choice(vocabulary.ACCOUNT_TIERS), "website": str, "phone": str, "address": str,
    "annual_revenue": int, "employee_count": int, "is_target_account": bool, "description": str,
    "owner_id": uuid.UUID, "engagement_score": Score, "lead_score": Score, "last_engagement_date": Day,
    "created_at": Instant, "updated_at": Instant, "version": int, "etag": str,
})  # fmt: skip


QUERY = list_query("CompanyList", service.SORTING, {
    "q": (Annotated[str | None, Field(max_length=100, description="name or domain contains")], None),
    "tier": (choice(vocabulary.ACCOUNT_TIERS) | None, None),
    "target": (Annotated[str | None, Field(pattern="^[01]$", description="1: target accounts only")], None),
    "min_engagement": (Annotated[float | None, Field(ge=0, le=100)], None),
    "mine": (Annotated[str | None, Field(pattern="^[01]$", description="1: only the user's own")], None),
})  # fmt: skip


def listing():
    return service.filtered_companies(request.args, listed_owners)


def saved(form, company, version=None, finish=None) -> Company:
    return formdata.written(form, company, apply_form, service.INTEGRITY_MESSAGES, lambda: service.rescore(company),
                            version, finish)  # fmt: skip


def create(values: dict, finish) -> Company:
    form = formdata.fill(CompanyForm, values)
    formdata.validated(form)
    return saved(form, Company(owner_id=current_user.id), finish=finish)


def update(company: Company, values: dict, version: int) -> None:
    form = formdata.edited(EditCompanyForm, company, values, version)
    saved(form, company, version)


RESOURCE = Resource(
    name="companies", what="company", model=Company, record=CompanyRecord, query=QUERY, listing=listing,
    sorting=service.SORTING, create_model=CompanyCreate, patch_model=patch_of(CompanyCreate), create=create,
    update=update, delete=service.delete, ai_fields=frozenset({"engagement_score", "lead_score"}),
)  # fmt: skip
