"""Declarative base and shared column mixins for the ``crm`` schema.

The schema is owned by the SQL migrations in ``sql/``; these models only map
it. ``Base.metadata.create_all()`` must never be used.

Conventions:

* Every column carries the same server default as the SQL (``server_default``),
  never a Python-side default, so the database fills it whoever inserts.
* Columns that triggers change (``updated_at``, ``deals.status`` ...) are marked
  ``server_onupdate=FetchedValue()``; with ``eager_defaults=True`` the ORM reads
  them back with ``RETURNING`` in the same INSERT/UPDATE statement.
* Tables with a ``version`` column use it for optimistic concurrency: the ORM
  sends ``version = 1`` on INSERT, bumps it on every UPDATE and adds
  ``WHERE version = :old`` -- a concurrent change raises ``StaleDataError``.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, FetchedValue, Integer, MetaData, Text, func, text
from sqlalchemy.dialects.postgresql import TIMESTAMP, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
from sqlalchemy.orm import registry as orm_registry

SCHEMA = "crm"

# Settings every mapper gets; VersionedMixin adds version_id_col to these.
MAPPER_DEFAULTS: dict[str, Any] = {"eager_defaults": True}


# Plain annotations map to the PostgreSQL types the migrations use (text, not
# varchar; timestamptz, not timestamp).
TYPE_ANNOTATION_MAP: dict[Any, Any] = {
    uuid.UUID: UUID(as_uuid=True),
    datetime: TIMESTAMP(timezone=True),
    date: Date(),
    str: Text(),
    bool: Boolean(),
    int: Integer(),
}


class Base(DeclarativeBase):
    """Declarative base for the tables of the ``crm`` schema."""

    metadata = MetaData(schema=SCHEMA)
    # The type map lives on the registry, not the class: Flask-SQLAlchemy
    # (SQLAlchemy(model_class=Base)) copies the class body, registry included,
    # and SQLAlchemy refuses a base with both a registry and a type map.
    registry = orm_registry(metadata=metadata, type_annotation_map=TYPE_ANNOTATION_MAP)

    __mapper_args__ = MAPPER_DEFAULTS


class UUIDPrimaryKeyMixin:
    """``id uuid primary key default gen_random_uuid()``."""

    id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), primary_key=True, server_default=text("gen_random_uuid()")
    )


class CreatedAtMixin:
    """``created_at timestamptz not null default now()``."""

    created_at: Mapped[datetime] = mapped_column(TIMESTAMP(timezone=True), server_default=func.now())


class TimestampMixin(CreatedAtMixin):
    """``created_at`` plus ``updated_at``, which the ``set_updated_at`` trigger stamps on every UPDATE."""

    updated_at: Mapped[datetime] = mapped_column(
        TIMESTAMP(timezone=True), server_default=func.now(), server_onupdate=FetchedValue()
    )


def _next_version(current: int | None) -> int:
    """1 on INSERT (the column's DB default), then +1 on every UPDATE."""
    return (current or 0) + 1


class VersionedMixin:
    """``version integer not null default 1``, used as the optimistic-concurrency counter."""

    version: Mapped[int] = mapped_column(Integer, server_default=text("1"))

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {
            **MAPPER_DEFAULTS,
            "version_id_col": cls.__table__.c.version,
            "version_id_generator": _next_version,
        }
