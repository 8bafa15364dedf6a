"""Accounts (``crm.companies``)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import BigInteger, ForeignKey, Numeric, Text, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dashboard.models.base import Base, TimestampMixin, UUIDPrimaryKeyMixin, VersionedMixin

if TYPE_CHECKING:
    from dashboard.models.activity import Activity
    from dashboard.models.contact import Contact
    from dashboard.models.deal import Deal
    from dashboard.models.meeting import Meeting
    from dashboard.models.relationships import CompanyActivity
    from dashboard.models.user import User


class Company(UUIDPrimaryKeyMixin, VersionedMixin, TimestampMixin, Base):
    """An account; engagement_score and lead_score are computed, never typed in."""

    __tablename__ = "companies"

    name: Mapped[str]
    domain: Mapped[str | None]  # lower-case, unique
    industry: Mapped[str | None]
    size: Mapped[str | None]  # one of vocabulary.COMPANY_SIZES
    website: Mapped[str | None]
    address: Mapped[str | None]
    phone: Mapped[str | None]
    description: Mapped[str | None]
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("crm.users.id", ondelete="RESTRICT"))
    industry_confidence_score: Mapped[Decimal | None] = mapped_column(Numeric(3, 2, asdecimal=True))
    annual_revenue: Mapped[int | None] = mapped_column(BigInteger)
    employee_count: Mapped[int | None]
    technology_stack: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default=text("'{}'"))
    engagement_score: Mapped[Decimal] = mapped_column(Numeric(5, 2, asdecimal=True), server_default=text("0"))
    lead_score: Mapped[Decimal] = mapped_column(Numeric(5, 2, asdecimal=True), server_default=text("0"))
    last_engagement_date: Mapped[datetime | None]
    is_target_account: Mapped[bool] = mapped_column(server_default=text("false"))
    # one of vocabulary.ACCOUNT_TIERS
    account_tier: Mapped[str] = mapped_column(server_default=text("'smb'"))
    social_media_urls: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'"))

    owner: Mapped[User] = relationship()
    # the foreign keys below are ON DELETE SET NULL / CASCADE: the database does it
    contacts: Mapped[list[Contact]] = relationship(back_populates="company", passive_deletes=True)
    deals: Mapped[list[Deal]] = relationship(back_populates="company", passive_deletes=True)
    activities: Mapped[list[Activity]] = relationship(back_populates="company", passive_deletes=True)
    meetings: Mapped[list[Meeting]] = relationship(back_populates="company", passive_deletes=True)
    activity_links: Mapped[list[CompanyActivity]] = relationship(
        back_populates="company", cascade="all, delete-orphan", passive_deletes=True
    )
