"""Append-only logs written by the database (``crm.audit_log``, ``crm.login_attempts``).

The app role may only SELECT these tables: audit rows come from the
``app.audit_row_change()`` trigger, login attempts from
``app.log_in()``. Never add or change them through the ORM.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Identity, Text, func, text
from sqlalchemy.dialects.postgresql import ARRAY, INET, JSONB, TIMESTAMP
from sqlalchemy.orm import Mapped, mapped_column

from dashboard.models.base import Base


class AuditLog(Base):
    """One insert, update or delete on a business table, with the acting user (no FK: users may go)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(TIMESTAMP(timezone=True), server_default=func.now())
    actor_id: Mapped[uuid.UUID | None]
    table_name: Mapped[str]
    row_id: Mapped[uuid.UUID | None]
    action: Mapped[str]  # one of vocabulary.AUDIT_ACTIONS
    # for an update, only the changed columns (minus updated_at and version)
    changed_columns: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default=text("'{}'"))
    old_values: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    new_values: Mapped[dict[str, Any] | None] = mapped_column(JSONB)


class LoginAttempt(Base):
    """One login attempt (success or failure) with email, IP and time; throttling counts these."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    attempted_at: Mapped[datetime] = mapped_column(TIMESTAMP(timezone=True), server_default=func.now())
    email: Mapped[str]
    ip: Mapped[str | None] = mapped_column(INET)  # a string: SQLAlchemy's psycopg dialect keeps inet as text
    user_id: Mapped[uuid.UUID | None]  # no foreign key
    succeeded: Mapped[bool]
