"""The building blocks of the resources' schemas (pydantic models, which the OpenAPI document is
generated from and requests are validated by): strict bodies that refuse unknown fields, a PATCH model
made from a create model (every field optional, none nullable that the create model does not allow
null), list parameters (cursor, limit, fields, sort, dir and the list's filters)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

MAX_LIMIT = 100
DEFAULT_LIMIT = 25


class Body(BaseModel):
    """A request body: JSON, unknown fields refused."""

    model_config = ConfigDict(extra="forbid", strict=True)


class Record(BaseModel):
    """A record as answered; with ``fields=`` only the chosen ones (and ``id``) are present."""

    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID


def text(max_length: int, required: bool = False):
    """A trimmed text of at most ``max_length`` characters (a required one has a non-blank character)."""
    if required:
        return Annotated[str, Field(min_length=1, max_length=max_length, pattern=r"\S")]
    return Annotated[str | None, Field(max_length=max_length)]


def choice(values) -> Any:
    return Literal[tuple(values)]


def optional(kind) -> Any:
    """A record property that may be absent (``fields=``) or null."""
    return Annotated[kind | None, Field(default=None)]


Money = Annotated[float, Field(ge=0, le=999999999999.99, description="an amount with up to two decimals")]
Score = Annotated[float, Field(ge=0, le=100)]
Instant = datetime
Day = date


def patch_of(model: type[BaseModel]) -> type[BaseModel]:
    """The PATCH body of a create body: the same fields, all optional, at least one."""
    fields = {}
    for name, info in model.model_fields.items():
        kind = Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
        fields[name] = (kind, Field(default=None, json_schema_extra=_no_default))
    config = ConfigDict(extra="forbid", strict=True, json_schema_extra={"minProperties": 1})
    return create_model(model.__name__.removesuffix("Create") + "Patch", __config__=config, **fields)


def _no_default(schema: dict) -> None:
    schema.pop("default", None)


def record_of(name: str, fields: dict) -> type[BaseModel]:
    """A response record: ``id`` required, every other property optional (``fields=``) and typed."""
    return create_model(name, __base__=Record, **{key: (optional(kind), None) for key, kind in fields.items()})


def list_query(name: str, sorting, filters: dict | None = None) -> type[BaseModel]:
    """The list parameters: cursor, limit, fields, sort, dir, then the list's own filters."""
    sort_keys = tuple(sorting.columns)
    common = {
        "cursor": (Annotated[str | None, Field(max_length=500, description="from the previous page's next")], None),
        "limit": (Annotated[int, Field(ge=1, le=MAX_LIMIT)], DEFAULT_LIMIT),
        "fields": (Annotated[str | None, Field(max_length=1000, description="comma-separated field names")], None),
        "sort": (Literal[sort_keys], sorting.default),
        "dir": (Literal["asc", "desc"], sorting.default_direction),
    }
    config = ConfigDict(extra="forbid")
    model = create_model(name, __config__=config, **common, **(filters or {}))
    model.single = create_model(name.replace("List", "Read"), __config__=config, fields=common["fields"])
    return model


Flag = Annotated[str | None, Field(pattern="^[01]$")]
Unit = Annotated[float, Field(ge=0, le=1)]
Days = Annotated[str | None, Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", description="YYYY-MM-DD, the user's day")]


def search(description: str):
    return (Annotated[str | None, Field(max_length=100, description=description)], None)
