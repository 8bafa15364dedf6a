"""One generic resource layer: a ``Resource`` declares a table's schemas, its list (the web list's
service filters and ``lists.Sorting``) and how the web app's forms and services create, change and
delete it; ``handlers`` answers list, read, create, update and delete alike for every resource."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pydantic
from flask import current_app, json, request
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from dashboard.api import idempotency, inputs, paging
from dashboard.api.problems import Problem
from dashboard.api.records import chosen_fields, etag, shown
from dashboard.db import db
from dashboard.lists import Sorting
from dashboard.permissions import may_write
from dashboard.services import deletion
from dashboard.services.saving import StaleRecord


@dataclass
class Resource:
    """What the API serves for one table."""

    name: str  # the URL segment: /api/v1/<name>
    what: str  # one record in words ("company")
    model: type
    record: type[pydantic.BaseModel]  # what a record looks like (responses)
    query: type[pydantic.BaseModel]  # the list's parameters
    listing: Callable  # () -> the list's select with the request's filters (the web list's service)
    sorting: Sorting | Callable  # or () -> the Sorting for the acting user
    create_model: type[pydantic.BaseModel] | None = None
    patch_model: type[pydantic.BaseModel] | None = None
    create: Callable | None = None  # (values, finish) -> new record, committed; finish(record) before the commit
    update: Callable | None = None  # (record, values, version) -> None, committed
    delete: Callable | None = None  # (record) -> None, committed
    writable: Callable = may_write
    getters: dict = field(default_factory=dict)
    ai_fields: frozenset = frozenset()

    def visible_fields(self, ai_features: bool) -> list[str]:
        return [name for name in self.record.model_fields if ai_features or name not in self.ai_fields]


def one(resource: Resource, record_id: uuid.UUID, for_write: bool = False):
    """The record if the token's user may see it (and, ``for_write``, change it).

    Raises:
        Problem: 404, the same for a missing id and a hidden or unwritable one.
    """
    row = db.session.get(resource.model, record_id)
    if row is None or (for_write and not resource.writable(row)):
        raise Problem(404, f"No {resource.what} with this id, or not visible to this token's user.")
    return row


def json_response(body, status: int = 200, headers: dict | None = None):
    response = current_app.response_class(json.dumps(body), status=status, mimetype="application/json")
    for name, value in (headers or {}).items():
        if value is not None:
            response.headers[name] = value
    return response


def list_records(resource: Resource):
    """A page of the list: the web list's filters and sorts, a cursor to the next page."""
    args = inputs.query(resource.query)
    fields = chosen_fields(resource, args.fields)
    sorting = resource.sorting if isinstance(resource.sorting, Sorting) else resource.sorting()
    statement, key, direction = sorting.apply(resource.listing(), resource.model.id)
    column = sorting.columns[key]
    if args.cursor:
        value, last_id = paging.decode(args.cursor, key, direction)
        statement = statement.where(paging.after(column, resource.model.id, direction, value, last_id))
    rows = db.session.execute(statement.add_columns(column).limit(args.limit + 1)).all()
    page, more = rows[: args.limit], len(rows) > args.limit
    following = None
    if more:
        last, value = page[-1]
        query = {k: v for k, v in request.args.items() if k != "cursor"}
        following = f"{request.path}?{urlencode(query | {'cursor': paging.encode(key, direction, value, last.id)})}"
    body = {"data": [shown(resource, row, fields) for row, _ in page], "next": following}
    return json_response(body, headers={"Link": following and f'<{following}>; rel="next"'})


def read(resource: Resource, id: uuid.UUID):
    args = inputs.query(resource.query.single)
    row = one(resource, id)
    return json_response(shown(resource, row, chosen_fields(resource, args.fields)), headers={"ETag": etag(row)})


def guarded(write: Callable):
    """Run a write; a stale version is a 412, a refused delete or a concurrent repeat of a key a 409.

    Raises:
        Problem: 409 or 412; nothing was written.
    """
    try:
        return write()
    except (StaleRecord, StaleDataError):
        db.session.rollback()
        raise Problem(412, "The record changed since this ETag; GET it again and retry.") from None
    except deletion.Refused as refused:
        raise Problem(409, refused.message) from None
    except IntegrityError as error:
        db.session.rollback()
        if getattr(getattr(error.orig, "diag", None), "constraint_name", None) == "pk_api_idempotency_keys":
            raise Problem(409, "A request with this Idempotency-Key is being answered; retry it shortly.") from None
        raise


def create(resource: Resource):
    """POST: a new record through the web form and service; with an Idempotency-Key, once."""
    payload = inputs.body(resource.create_model)
    values = payload.model_dump(exclude_unset=True)
    used_key = idempotency.key()
    digest = idempotency.fingerprint() if used_key else None
    if used_key and (stored := idempotency.replay(used_key, digest)):
        status, body, location = stored
        return json_response(body, status, {"Location": location, "ETag": body.get("etag")})
    fields = chosen_fields(resource, None)
    answered = {}

    def finish(row):  # before the commit: the answer is stored with the change
        if used_key:
            db.session.flush()
            db.session.refresh(row)
            answered["body"] = shown(resource, row, fields)
            location = f"{request.path}/{row.id}"
            idempotency.remember(used_key, digest, 201, answered["body"], location)

    row = guarded(lambda: resource.create(values, finish))
    body = answered.get("body") or shown(resource, row, fields)
    return json_response(body, 201, {"Location": f"{request.path}/{row.id}", "ETag": body.get("etag")})


def update(resource: Resource, id: uuid.UUID):
    """PATCH with If-Match: the sent fields over the record's current ones, through the web form."""
    row = one(resource, id, for_write=True)
    version = inputs.if_match()
    if version != row.version:
        raise Problem(412, f"The {resource.what} is at another version than If-Match; GET it again and retry.")
    payload = inputs.body(resource.patch_model)
    values = payload.model_dump(exclude_unset=True)
    guarded(lambda: resource.update(row, values, version))
    row = one(resource, id)
    return json_response(shown(resource, row, chosen_fields(resource, None)), headers={"ETag": etag(row)})


def delete(resource: Resource, id: uuid.UUID):
    """DELETE with If-Match; what the database refuses (a guard) is a 409 and nothing changes."""
    row = one(resource, id, for_write=True)
    if inputs.if_match() != row.version:
        raise Problem(412, f"The {resource.what} is at another version than If-Match; GET it again and retry.")
    guarded(lambda: deletion.run(lambda: resource.delete(row), resource.what))
    return current_app.response_class(status=204)
