"""/api/v1/meetings: the meeting list's filters and sorts, the meeting form, the primary deal's link and
rescoring, as the meeting pages do (attendees, action items and outcomes stay on the pages)."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from flask import request
from flask_login import current_user
from pydantic import Field

from dashboard import vocabulary
from dashboard.api import formdata
from dashboard.api.problems import Problem, field_error
from dashboard.api.resource import Resource
from dashboard.api.schemas import Body, Days, Flag, Instant, Unit, choice, list_query, patch_of, record_of, search, text
from dashboard.db import db
from dashboard.forms.common import prepare_records
from dashboard.forms.meetings import EditMeetingForm, MeetingForm, apply_form
from dashboard.models import Meeting
from dashboard.permissions import listed_owners, may_write
from dashboard.services import meetings as service


class MeetingCreate(Body):
    title: text(300, required=True)
    starts_at: Instant
    ends_at: Instant | None = Field(None, description="after starts_at")
    meeting_type: choice(vocabulary.MEETING_TYPES) = "other"
    company_id: uuid.UUID | None = None
    primary_contact_id: uuid.UUID | None = None
    primary_deal_id: uuid.UUID | None = None
    summary: text(20000) = None
    next_steps: text(5000) = None


MeetingRecord = record_of("Meeting", {
    "title": str, "starts_at": Instant, "ends_at": Instant, "meeting_type": choice(vocabulary.MEETING_TYPES),
    "meeting_outcome": choice(vocabulary.MEETING_OUTCOMES), "company_id": uuid.UUID, "primary_contact_id": uuid.UUID,
    "primary_deal_id": uuid.UUID, "summary": str, "next_steps": str, "owner_id": uuid.UUID,
    "follow_up_required": bool, "follow_up_created": bool, "sentiment_score": Annotated[float, Field(ge=-1, le=1)],
    "meeting_quality_score": Unit, "created_at": Instant, "updated_at": Instant, "version": int, "etag": str,
})  # fmt: skip

QUERY = list_query("MeetingList", service.SORTING, {
    "q": search("title or summary contains"),
    "type": (choice(vocabulary.MEETING_TYPES) | None, None),
    "outcome": (choice(vocabulary.MEETING_OUTCOMES) | None, None),
    "when": (Literal["upcoming", "past"] | None, None),
    "from": (Days, None),
    "to": (Days, None),
    "mine": (Flag, None),
})  # fmt: skip


def listing():
    statement, notice = service.filtered_meetings(request.args, listed_owners)
    if notice:
        raise Problem(400, notice, [field_error("from", notice)])
    return statement


def written(form, meeting: Meeting, version=None, finish=None) -> Meeting:
    before = service.linked_ids(meeting) if version is not None else None

    def rescore():  # as the meeting pages: link the primary deal, then rescore before and after
        db.session.flush()
        service.link_primary_deal(meeting, may_write)
        service.rescore(meeting, before)

    return formdata.written(form, meeting, apply_form, service.INTEGRITY_MESSAGES, rescore, version, finish)


def create(values: dict, finish) -> Meeting:
    form = prepare_records(formdata.fill(MeetingForm, values), current_user.id)
    formdata.validated(form)
    return written(form, Meeting(owner_id=current_user.id), finish=finish)


def update(meeting: Meeting, values: dict, version: int) -> None:
    form = formdata.edited(EditMeetingForm, meeting, values, version,
                           lambda f: prepare_records(f, meeting.owner_id, meeting))  # fmt: skip
    written(form, meeting, version)


RESOURCE = Resource(
    name="meetings", what="meeting", model=Meeting, record=MeetingRecord, query=QUERY, listing=listing,
    sorting=service.SORTING, create_model=MeetingCreate, patch_model=patch_of(MeetingCreate), create=create,
    update=update, delete=service.delete,
    ai_fields=frozenset({"sentiment_score", "meeting_quality_score"}),
)  # fmt: skip
