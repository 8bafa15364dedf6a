"""/api/v1/deals: the deal list's filters and sorts, the deal form, stage changes noted on the timeline
and rescoring, as the deal pages do."""

from __future__ import annotations

import uuid
from typing import Annotated

from flask import request
from flask_login import current_user
from pydantic import Field
from sqlalchemy import select

from dashboard import vocabulary
from dashboard.api import formdata
from dashboard.api.resource import Resource
from dashboard.api.schemas import Body, Day, Instant, Money, Score, choice, list_query, patch_of, record_of, text
from dashboard.db import db
from dashboard.forms.deals import DealForm, EditDealForm, apply_form, prepare
from dashboard.models import Deal, DealStage
from dashboard.permissions import is_manager, listed_owners
from dashboard.services import deals as service
from dashboard.services.saving import save

FLAG = Annotated[str | None, Field(pattern="^[01]$")]


class DealCreate(Body):
    name: text(200, required=True)
    value: Money
    stage_id: uuid.UUID
    expected_close_date: Day | None = None
    company_id: uuid.UUID | None = None
    primary_contact_id: uuid.UUID | None = None
    budget_confirmed: bool = False
    forecast_category: choice(vocabulary.FORECAST_CATEGORIES) = "pipeline"
    lost_reason_id: uuid.UUID | None = None


DealRecord = record_of("Deal", {
    "name": str, "value": float, "stage_id": uuid.UUID, "status": choice(vocabulary.DEAL_STATUSES),
    "expected_close_date": Day, "closed_at": Instant, "stage_changed_at": Instant, "company_id": uuid.UUID,
    "primary_contact_id": uuid.UUID, "budget_confirmed": bool,
    "forecast_category": choice(vocabulary.FORECAST_CATEGORIES), "lost_reason_id": uuid.UUID, "owner_id": uuid.UUID,
    "deal_intelligence_score": Score,
    "win_probability_ai": Annotated[float, Field(ge=0, le=1)], "opportunity_score": Score, "risk_factors": list[str],
    "created_at": Instant, "updated_at": Instant, "version": int, "etag": str,
})  # fmt: skip

QUERY = list_query("DealList", service.AI_SORTING, {
    "q": (Annotated[str | None, Field(max_length=100, description="name contains")], None),
    "stage": (uuid.UUID | None, None),
    "status": (choice(vocabulary.DEAL_STATUSES) | None, None),
    "forecast": (choice(vocabulary.FORECAST_VIEWS) | None, None),
    "owner": (Annotated[uuid.UUID | None, Field(description="managers and admins")], None),
    "mine": (FLAG, None),
    "min_value": (Annotated[float | None, Field(ge=0, le=999999999999.99)], None),
    "max_value": (Annotated[float | None, Field(ge=0, le=999999999999.99)], None),
    "closing": (Annotated[str | None, Field(pattern="^[01]$", description="1: open, closing within 30 days")], None),
    "stale": (Annotated[str | None, Field(pattern="^[01]$", description="1: open, stage unchanged 30 days")], None),
})  # fmt: skip


def listing():
    owners = service.owner_choices(is_manager())
    conditions = service.deal_filters(request.args, owners, listed_owners)
    return select(Deal).join(DealStage, Deal.stage_id == DealStage.id).where(*conditions)


def sorting():
    return service.AI_SORTING if current_user.ai_features else service.SORTING


def create(values: dict, finish) -> Deal:
    form = prepare(formdata.fill(DealForm, values), current_user.id)
    formdata.validated(form)
    deal = Deal(owner_id=current_user.id, stage_id=uuid.UUID(form.stage_id.data))
    return formdata.written(form, deal, apply_form, service.INTEGRITY_MESSAGES, lambda: service.rescore_deal(deal),
                            finish=finish)  # fmt: skip


def update(deal: Deal, values: dict, version: int) -> None:
    form = formdata.edited(EditDealForm, deal, values, version, lambda f: prepare(f, deal.owner_id, deal))
    stage = db.session.get(DealStage, uuid.UUID(form.stage_id.data))
    company_before = deal.company_id
    apply_form(form, deal)
    note = service.change_stage(deal, stage, current_user.full_name)
    if not save(form, service.INTEGRITY_MESSAGES, deal, version, lambda: service.rescore_deal(deal, [company_before],
                                                                                              note=note)):
        formdata.refuse(form)


RESOURCE = Resource(
    name="deals", what="deal", model=Deal, record=DealRecord, query=QUERY, listing=listing, sorting=sorting,
    create_model=DealCreate, patch_model=patch_of(DealCreate), create=create, update=update, delete=service.delete,
    ai_fields=frozenset({"deal_intelligence_score", "win_probability_ai", "opportunity_score", "risk_factors"}),
)  # fmt: skip
