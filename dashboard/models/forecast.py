"""Quotas and the monthly forecast snapshots (``crm.quotas``, ``crm.forecast_snapshots``)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric
from sqlalchemy.dialects.postgresql import TIMESTAMP
from sqlalchemy.orm import Mapped, mapped_column

from dashboard.models.base import Base, TimestampMixin, UUIDPrimaryKeyMixin, VersionedMixin


class Quota(UUIDPrimaryKeyMixin, VersionedMixin, TimestampMixin, Base):
    """The revenue a user is expected to close won in a calendar month (``month``: its first day)."""

    __tablename__ = "quotas"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("crm.users.id", ondelete="CASCADE"))
    month: Mapped[date]
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2, asdecimal=True))


class ForecastSnapshot(UUIDPrimaryKeyMixin, Base):
    """A user's forecast for a month as it stood when the month's snapshot was taken (never updated)."""

    __tablename__ = "forecast_snapshots"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("crm.users.id", ondelete="CASCADE"))
    month: Mapped[date]
    quota: Mapped[Decimal | None] = mapped_column(Numeric(14, 2, asdecimal=True))
    closed_won: Mapped[Decimal] = mapped_column(Numeric(16, 2, asdecimal=True))
    commit: Mapped[Decimal] = mapped_column(Numeric(16, 2, asdecimal=True))
    best_case: Mapped[Decimal] = mapped_column(Numeric(16, 2, asdecimal=True))
    pipeline: Mapped[Decimal] = mapped_column(Numeric(16, 2, asdecimal=True))
    weighted: Mapped[Decimal] = mapped_column(Numeric(16, 2, asdecimal=True))
    deals: Mapped[int]
    taken_at: Mapped[datetime] = mapped_column(TIMESTAMP(timezone=True))
