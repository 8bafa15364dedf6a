"""/api/v1/activities: the activity list's filters and sorts, the activity form, rescoring as the pages do."""

from __future__ import annotations

import uuid
from typing import Annotated

from flask import request
from flask_login import current_user
from pydantic import Field

from dashboard import vocabulary
from dashboard.api import formdata
from dashboard.api.problems import Problem, field_error
from dashboard.api.resource import Resource
from dashboard.api.schemas import (
    Body,
    Days,
    Flag,
    Instant,
    Money,
    Unit,
    choice,
    list_query,
    patch_of,
    record_of,
    search,
    text,
)
from dashboard.forms.activities import ActivityForm, EditActivityForm, apply_form
from dashboard.forms.common import prepare_records
from dashboard.models import Activity
from dashboard.permissions import listed_owners
from dashboard.services import activities as service


class ActivityCreate(Body):
    type: choice(vocabulary.ACTIVITY_TYPES) = "call"
    status: choice(vocabulary.ACTIVITY_STATUSES) = "completed"
    subject: text(300, required=True)
    details: text(20000) = None
    date: Instant = Field(None, description="when it happened; now when left out")
    amount: Money | None = Field(None, description="sales only")
    quantity: Annotated[int, Field(ge=1, le=1_000_000)] = 1
    company_id: uuid.UUID | None = None
    contact_id: uuid.UUID | None = None
    deal_id: uuid.UUID | None = None


ActivityRecord = record_of("Activity", {
    "type": choice(vocabulary.ACTIVITY_TYPES), "status": choice(vocabulary.ACTIVITY_STATUSES), "subject": str,
    "details": str, "date": Instant, "amount": float, "quantity": int, "company_id": uuid.UUID,
    "contact_id": uuid.UUID, "deal_id": uuid.UUID, "user_id": uuid.UUID,
    "activity_source": choice(vocabulary.ACTIVITY_SOURCES), "sentiment_score": Annotated[float, Field(ge=-1, le=1)],
    "urgency_score": Unit, "engagement_quality": choice(vocabulary.ENGAGEMENT_QUALITIES),
    "outcome_prediction": choice(vocabulary.OUTCOME_PREDICTIONS), "created_at": Instant, "updated_at": Instant,
    "version": int, "etag": str,
})  # fmt: skip

QUERY = list_query("ActivityList", service.SORTING, {
    "q": search("subject or details contain"),
    "type": (choice(vocabulary.ACTIVITY_TYPES) | None, None),
    "status": (choice(vocabulary.ACTIVITY_STATUSES) | None, None),
    "from": (Days, None),
    "to": (Days, None),
    "company": (uuid.UUID | None, None),
    "contact": (uuid.UUID | None, None),
    "deal": (uuid.UUID | None, None),
    "mine": (Flag, None),
})  # fmt: skip


def listing():
    statement, _, range_error = service.filtered_activities(request.args, listed_owners)
    if range_error:
        raise Problem(400, range_error, [field_error("from", range_error)])
    return statement


def written(form, activity: Activity, version=None, finish=None) -> Activity:
    before = service.linked_ids(activity)
    return formdata.written(form, activity, apply_form, service.INTEGRITY_MESSAGES,
                            lambda: service.rescore(before, activity), version, finish)  # fmt: skip


def create(values: dict, finish) -> Activity:
    form = prepare_records(formdata.fill(ActivityForm, values), current_user.id)
    formdata.validated(form)
    return written(form, Activity(user_id=current_user.id), finish=finish)


def update(activity: Activity, values: dict, version: int) -> None:
    form = formdata.edited(EditActivityForm, activity, values, version,
                           lambda f: prepare_records(f, activity.user_id, activity))  # fmt: skip
    written(form, activity, version)


RESOURCE = Resource(
    name="activities", what="activity", model=Activity, record=ActivityRecord, query=QUERY, listing=listing,
    sorting=service.SORTING, create_model=ActivityCreate, patch_model=patch_of(ActivityCreate), create=create,
    update=update, delete=service.delete,
    ai_fields=frozenset({"sentiment_score", "urgency_score", "engagement_quality", "outcome_prediction"}),
)  # fmt: skip
