"""Reading what a client sends: the JSON body (size, media type, syntax, then the resource's pydantic
model in strict JSON mode: unknown fields, wrong types and missing fields are refused), the query
string (the list's model: unknown parameters refused) and the preconditions (If-Match). Each refusal
is a problem with the field it concerns."""

from __future__ import annotations

import json
import re

import pydantic
from flask import current_app, request

from dashboard.api.problems import Problem, field_error, invalid

ETAG = re.compile(r'^(W/)?"v([0-9]{1,9})"$')


def where(location: tuple, prefix: str = "") -> str:
    """A pydantic error location as a dotted field path."""
    path = ".".join(str(part) for part in location)
    return f"{prefix}{path}" if path else (prefix.rstrip(".") or "body")


def message(error: dict) -> str:
    if error["type"] == "extra_forbidden":
        return "Unknown field."
    if error["type"] == "missing":
        return "This field is required."
    return error["msg"]


def errors_of(exc: pydantic.ValidationError, prefix: str = "") -> list[dict]:
    return [field_error(where(e["loc"], prefix), message(e)) for e in exc.errors(include_url=False)]


def raw_body() -> bytes:
    """The request body, within the size limit, sent as JSON.

    Raises:
        Problem: 413 too large, 415 not JSON.
    """
    limit = current_app.config["API_MAX_BODY_BYTES"]
    if request.content_length is not None and request.content_length > limit:
        raise Problem(413, f"The body is larger than {limit} bytes.")
    if request.mimetype != "application/json":
        raise Problem(415, "Send the body as Content-Type: application/json.")
    request.max_content_length = limit  # a chunked body is cut at the limit too (413)
    return request.get_data(cache=True)


def body(model: type[pydantic.BaseModel]) -> pydantic.BaseModel:
    """The body validated by ``model``.

    Raises:
        Problem: 400 malformed JSON, 413, 415, 422 fields that break the model.
    """
    data = raw_body()
    try:
        parsed = json.loads(data)
    except (ValueError, RecursionError) as error:
        raise Problem(400, f"The body is not valid JSON: {error}.") from None
    if not isinstance(parsed, dict):
        raise invalid([field_error("body", "Send a JSON object.")])
    try:
        return model.model_validate_json(data, strict=True)
    except pydantic.ValidationError as error:
        raise invalid(errors_of(error)) from None


def query(model: type[pydantic.BaseModel]) -> pydantic.BaseModel:
    """The query string validated by ``model`` (repeated parameters refused).

    Raises:
        Problem: 400 for unknown or malformed parameters.
    """
    values = {}
    for name, items in request.args.lists():
        if len(items) > 1:
            raise Problem(400, "A query parameter is repeated.", [field_error(name, "Give this parameter once.")])
        values[name] = items[0]
    try:
        return model.model_validate(values)
    except pydantic.ValidationError as error:
        problems = errors_of(error)
        raise Problem(400, "The query string has invalid parameters; see errors.", problems) from None


def if_match() -> int:
    """The record version a PATCH or DELETE was prepared against (``If-Match: "v<version>"``).

    Raises:
        Problem: 428 without If-Match, 412 for one that names no version of ours.
    """
    header = request.headers.get("If-Match")
    if header is None:
        raise Problem(428, 'Send If-Match with the record\'s ETag (for example If-Match: "v3") to change it.',
                      [field_error("If-Match", "This header is required.")])  # fmt: skip
    found = ETAG.match(header.strip())
    if not found:
        raise Problem(412, "If-Match does not name a version of this record; GET it again.",
                      [field_error("If-Match", 'Expected an ETag like "v3".')])  # fmt: skip
    return int(found.group(2))
