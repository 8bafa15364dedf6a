"""What reps do: outbound, calls, emails, meetings held, proposals, sales (``crm.activities``)."""

from __future__ import annotations

import datetime as dt  # the module, not the class: this model has a column named "date"
import uuid
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Numeric, func, text
from sqlalchemy.dialects.postgresql import TIMESTAMP
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dashboard.models.base import Base, TimestampMixin, UUIDPrimaryKeyMixin, VersionedMixin

if TYPE_CHECKING:
    from dashboard.models.company import Company
    from dashboard.models.contact import Contact
    from dashboard.models.deal import Deal
    from dashboard.models.relationships import ActivityMeeting, CompanyActivity, ContactInteraction
    from dashboard.models.user import User


class Activity(UUIDPrimaryKeyMixin, VersionedMixin, TimestampMixin, Base):
    """One thing a rep did (user_id is the owner); sentiment and quality scores are computed."""

    __tablename__ = "activities"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("crm.users.id", ondelete="RESTRICT"))
    type: Mapped[str]  # one of vocabulary.ACTIVITY_TYPES
    # one of vocabulary.ACTIVITY_STATUSES
    status: Mapped[str] = mapped_column(server_default=text("'completed'"))
    subject: Mapped[str | None]
    details: Mapped[str | None]
    date: Mapped[dt.datetime] = mapped_column(TIMESTAMP(timezone=True), server_default=func.now())
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2, asdecimal=True))
    quantity: Mapped[int] = mapped_column(server_default=text("1"))
    company_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("crm.companies.id", ondelete="SET NULL"))
    contact_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("crm.contacts.id", ondelete="SET NULL"))
    deal_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("crm.deals.id", ondelete="SET NULL"))
    sentiment_score: Mapped[Decimal | None] = mapped_column(Numeric(3, 2, asdecimal=True))  # -1..1
    engagement_quality: Mapped[str | None]  # one of vocabulary.ENGAGEMENT_QUALITIES
    outcome_prediction: Mapped[str | None]  # one of vocabulary.OUTCOME_PREDICTIONS
    urgency_score: Mapped[Decimal | None] = mapped_column(Numeric(3, 2, asdecimal=True))
    # one of vocabulary.ACTIVITY_SOURCES
    activity_source: Mapped[str] = mapped_column(server_default=text("'manual'"))

    user: Mapped[User] = relationship()
    company: Mapped[Company | None] = relationship(back_populates="activities")
    contact: Mapped[Contact | None] = relationship(back_populates="activities")
    deal: Mapped[Deal | None] = relationship(back_populates="activities")
    company_links: Mapped[list[CompanyActivity]] = relationship(
        back_populates="activity", cascade="all, delete-orphan", passive_deletes=True
    )
    meeting_links: Mapped[list[ActivityMeeting]] = relationship(
        back_populates="activity", cascade="all, delete-orphan", passive_deletes=True
    )
    # the link is optional (interactions may be logged directly): no delete-orphan
    interactions: Mapped[list[ContactInteraction]] = relationship(
        back_populates="activity", cascade="all", passive_deletes=True
    )


class ActivityDailyTotal(Base):
    """Per user, day (of the user's time zone) and type: activities, completed ones and their quantity/amount
    (kept by triggers)."""

    __tablename__ = "activity_daily_totals"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("crm.users.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[dt.date] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(primary_key=True)
    activities: Mapped[int]
    completed: Mapped[int]
    counted_quantity: Mapped[int]
    counted_amount: Mapped[Decimal] = mapped_column(Numeric(16, 2, asdecimal=True))


class ActivityDailyCompany(Base):
    """Per user, day (of the user's time zone) and company: activities linked to the company (kept by triggers)."""

    __tablename__ = "activity_daily_companies"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("crm.users.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[dt.date] = mapped_column(primary_key=True)
    company_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    activities: Mapped[int]
