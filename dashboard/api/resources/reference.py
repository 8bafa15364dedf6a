"""Read-only resources: /api/v1/stages (the pipeline), /api/v1/users (whom the token's user may see, as
row-level security decides) and /api/v1/stakeholders (the stakeholder maps of the deals the user sees;
an admin edits a map on its page)."""

from __future__ import annotations

import uuid
from typing import Annotated

from flask import request
from pydantic import Field
from sqlalchemy import func, select

from dashboard import vocabulary
from dashboard.api.resource import Resource
from dashboard.api.schemas import Flag, Instant, Unit, choice, list_query, record_of, search
from dashboard.lists import Sorting, choice_arg, contains, search_text, uuid_arg
from dashboard.models import DealStage, DealStakeholder, User

STAGE_SORTING = Sorting(columns={"position": DealStage.position, "name": func.lower(DealStage.name)},
                        default="position")
StageRecord = record_of("Stage", {
    "name": str, "color": str, "position": int, "default_probability": Annotated[int, Field(ge=0, le=100)],
    "is_won": bool, "is_lost": bool, "rotting_days": int, "created_at": Instant, "updated_at": Instant, "version": int,
    "etag": str,
})  # fmt: skip
STAGES = Resource(name="stages", what="stage", model=DealStage, record=StageRecord,
                  query=list_query("StageList", STAGE_SORTING), listing=lambda: select(DealStage),
                  sorting=STAGE_SORTING)  # fmt: skip


USER_SORTING = Sorting(columns={"name": func.lower(User.full_name), "email": func.lower(User.email)}, default="name")
UserRecord = record_of("User", {
    "email": str, "full_name": str, "role": choice(vocabulary.USER_ROLES), "team_id": uuid.UUID,
    "manager_id": uuid.UUID, "is_active": bool, "time_zone": str, "created_at": Instant, "updated_at": Instant,
    "version": int, "etag": str,
})  # fmt: skip


def users():
    statement = select(User)
    if q := search_text(args=request.args):
        statement = statement.where(contains(User.full_name, q) | contains(User.email, q))
    if role := choice_arg("role", vocabulary.USER_ROLES, request.args):
        statement = statement.where(User.role == role)
    if request.args.get("active") == "1":
        statement = statement.where(User.is_active)
    return statement


USERS = Resource(name="users", what="user", model=User, record=UserRecord, listing=users, sorting=USER_SORTING,
                 query=list_query("UserList", USER_SORTING, {
                     "q": search("name or email contains"), "role": (choice(vocabulary.USER_ROLES) | None, None),
                     "active": (Flag, None)}))  # fmt: skip


STAKEHOLDER_SORTING = Sorting(columns={"created": DealStakeholder.created_at}, default="created")
StakeholderRecord = record_of("Stakeholder", {
    "deal_id": uuid.UUID, "contact_id": uuid.UUID, "role": choice(vocabulary.STAKEHOLDER_ROLES),
    "influence_level": choice(vocabulary.INFLUENCE_LEVELS), "relationship_strength": Unit, "is_champion": bool,
    "notes": str, "created_at": Instant, "updated_at": Instant, "version": int, "etag": str,
})  # fmt: skip


def stakeholders():
    statement = select(DealStakeholder)
    for name, column in (("deal", DealStakeholder.deal_id), ("contact", DealStakeholder.contact_id)):
        if (wanted := uuid_arg(name, request.args)) is not None:
            statement = statement.where(column == wanted)
    return statement


STAKEHOLDERS = Resource(name="stakeholders", what="stakeholder", model=DealStakeholder, record=StakeholderRecord,
                        listing=stakeholders, sorting=STAKEHOLDER_SORTING,
                        query=list_query("StakeholderList", STAKEHOLDER_SORTING, {
                            "deal": (uuid.UUID | None, None), "contact": (uuid.UUID | None, None)}))  # fmt: skip
