"""Staging for the legacy import (``crm.legacy_deals``, ``crm.legacy_activities``).

Values stay text exactly as the old system held them (even ``created_at``,
``date`` and ``amount``); ``crm import-legacy`` validates and resolves them.
"""

from __future__ import annotations

import datetime as dt  # the module, not the class: these models have a text column named "date"
import uuid
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, func, text
from sqlalchemy.dialects.postgresql import TIMESTAMP
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dashboard.models.base import Base, UUIDPrimaryKeyMixin

if TYPE_CHECKING:
    from dashboard.models.activity import Activity
    from dashboard.models.deal import Deal


class LegacyDeal(UUIDPrimaryKeyMixin, Base):
    """A legacy deal row with text contact fields, and the deal it was resolved to (if any)."""

    __tablename__ = "legacy_deals"

    legacy_id: Mapped[str]
    name: Mapped[str | None]
    company: Mapped[str | None]
    contact_name: Mapped[str | None]
    contact_email: Mapped[str | None]
    contact_phone: Mapped[str | None]
    value: Mapped[str | None]
    stage: Mapped[str | None]
    owner_email: Mapped[str | None]
    expected_close_date: Mapped[str | None]
    created_at: Mapped[str | None]  # text, as exported
    deal_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("crm.deals.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(server_default=text("'csv'"))  # csv | demo
    loaded_at: Mapped[dt.datetime] = mapped_column(TIMESTAMP(timezone=True), server_default=func.now())
    migrated_at: Mapped[dt.datetime | None]

    deal: Mapped[Deal | None] = relationship()


class LegacyActivity(UUIDPrimaryKeyMixin, Base):
    """A legacy activity row with a free-text client name and contact identifier."""

    __tablename__ = "legacy_activities"

    legacy_id: Mapped[str]
    owner_email: Mapped[str | None]
    type: Mapped[str | None]
    status: Mapped[str | None]
    client_name: Mapped[str | None]
    contact_identifier: Mapped[str | None]
    details: Mapped[str | None]
    date: Mapped[str | None]  # text, as exported
    amount: Mapped[str | None]
    deal_legacy_id: Mapped[str | None]
    activity_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("crm.activities.id", ondelete="SET NULL")
    )
    source: Mapped[str] = mapped_column(server_default=text("'csv'"))  # csv | demo
    loaded_at: Mapped[dt.datetime] = mapped_column(TIMESTAMP(timezone=True), server_default=func.now())
    migrated_at: Mapped[dt.datetime | None]

    activity: Mapped[Activity | None] = relationship()
