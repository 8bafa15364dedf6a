"""A record as the API shows it: JSON values (ids and times as strings, times in UTC with a Z), its
``etag`` (``"v<version>"``), and only the ``fields`` a client asked for."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from flask_login import current_user

from dashboard.api.problems import Problem, field_error


def dump(value):
    """A Python value as JSON."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and abs(value) < 2**53 else float(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [dump(item) for item in value]
    if isinstance(value, dict):
        return {str(key): dump(item) for key, item in value.items()}
    return str(value)


def etag(row) -> str | None:
    version = getattr(row, "version", None)
    return None if version is None else f'"v{version}"'


def chosen_fields(resource, text: str | None) -> list[str]:
    """The fields to show: ``fields=a,b`` (id always), else all; the AI scores only for users with AI features.

    Raises:
        Problem: 400 naming an unknown field.
    """
    shown = resource.visible_fields(current_user.ai_features)
    if not text:
        return shown
    wanted = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in wanted if name not in shown]
    if unknown:
        raise Problem(400, "fields names a field this resource does not have.",
                      [field_error("fields", f"Unknown field: {name}.") for name in unknown])  # fmt: skip
    return ["id", *(name for name in shown if name in wanted and name != "id")]


def shown(resource, row, fields: list[str]) -> dict:
    values = {}
    for name in fields:
        if name == "etag":
            values[name] = etag(row)
        else:
            getter = resource.getters.get(name)
            values[name] = dump(getter(row) if getter else getattr(row, name))
    return values
