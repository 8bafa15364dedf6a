"""Opportunities and their stage history (``crm.deals``, ``crm.deal_stage_history``)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import FetchedValue, ForeignKey, Numeric, Text, func, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TIMESTAMP
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dashboard.models.base import Base, TimestampMixin, UUIDPrimaryKeyMixin, VersionedMixin

if TYPE_CHECKING:
    from dashboard.models.activity import Activity
    from dashboard.models.company import Company
    from dashboard.models.contact import Contact
    from dashboard.models.deal_stage import DealStage, LostReason
    from dashboard.models.meeting import Meeting
    from dashboard.models.relationships import DealMeeting, DealStakeholder, MeetingSequence
    from dashboard.models.task import Task
    from dashboard.models.user import User


class Deal(UUIDPrimaryKeyMixin, VersionedMixin, TimestampMixin, Base):
    """An opportunity; status, closed_at and stage_changed_at follow stage_id (set by triggers)."""

    __tablename__ = "deals"

    name: Mapped[str]
    value: Mapped[Decimal] = mapped_column(Numeric(14, 2, asdecimal=True), server_default=text("0"))
    stage_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("crm.deal_stages.id", ondelete="RESTRICT"))
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("crm.users.id", ondelete="RESTRICT"))
    expected_close_date: Mapped[date | None]
    # Written by the sync_status_from_stage trigger on INSERT and on UPDATE of
    # stage_id: change the stage, do not assign these. FetchedValue makes the
    # ORM read them back (RETURNING) after every INSERT and UPDATE.
    status: Mapped[str] = mapped_column(  # one of vocabulary.DEAL_STATUSES
        server_default=text("'active'"), server_onupdate=FetchedValue()
    )
    closed_at: Mapped[datetime | None] = mapped_column(
        TIMESTAMP(timezone=True), server_default=FetchedValue(), server_onupdate=FetchedValue()
    )
    stage_changed_at: Mapped[datetime] = mapped_column(
        TIMESTAMP(timezone=True), server_default=func.now(), server_onupdate=FetchedValue()
    )
    company_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("crm.companies.id", ondelete="SET NULL"))
    primary_contact_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("crm.contacts.id", ondelete="SET NULL")
    )
    deal_intelligence_score: Mapped[Decimal] = mapped_column(
        Numeric(5, 2, asdecimal=True), server_default=text("0")
    )
    win_probability_ai: Mapped[Decimal | None] = mapped_column(Numeric(3, 2, asdecimal=True))
    risk_factors: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default=text("'{}'"))
    opportunity_score: Mapped[Decimal] = mapped_column(
        Numeric(5, 2, asdecimal=True), server_default=text("0")
    )
    competitor_analysis: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'"))
    stakeholder_mapping: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'"))
    technical_fit_score: Mapped[Decimal | None] = mapped_column(Numeric(3, 2, asdecimal=True))
    budget_confirmed: Mapped[bool] = mapped_column(server_default=text("false"))
    # the owner's forecast category while open (vocabulary.FORECAST_CATEGORIES); closed won / closed lost
    # follow the status (forecast.category_of), they are not stored
    forecast_category: Mapped[str] = mapped_column(server_default=text("'pipeline'"))
    # set while the deal is lost, else null (check_deals_lost_has_reason); the sync_status_from_stage
    # trigger drops it when the deal leaves a lost stage
    lost_reason_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("crm.lost_reasons.id", ondelete="RESTRICT"), server_onupdate=FetchedValue()
    )

    stage: Mapped[DealStage] = relationship(back_populates="deals")
    lost_reason: Mapped[LostReason | None] = relationship()
    owner: Mapped[User] = relationship()
    company: Mapped[Company | None] = relationship(back_populates="deals")
    primary_contact: Mapped[Contact | None] = relationship(back_populates="primary_deals")
    stakeholders: Mapped[list[DealStakeholder]] = relationship(
        back_populates="deal", cascade="all, delete-orphan", passive_deletes=True
    )
    # Rows are appended by the record_stage_change trigger, never by the app;
    # expire or refresh the deal to see a new one.
    stage_history: Mapped[list[DealStageHistory]] = relationship(
        back_populates="deal", viewonly=True, order_by="DealStageHistory.changed_at"
    )
    activities: Mapped[list[Activity]] = relationship(back_populates="deal", passive_deletes=True)
    meetings: Mapped[list[Meeting]] = relationship(back_populates="primary_deal", passive_deletes=True)
    tasks: Mapped[list[Task]] = relationship(back_populates="deal", passive_deletes=True)
    meeting_links: Mapped[list[DealMeeting]] = relationship(
        back_populates="deal", cascade="all, delete-orphan", passive_deletes=True
    )
    meeting_sequences: Mapped[list[MeetingSequence]] = relationship(
        back_populates="deal",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="MeetingSequence.sequence_number",
    )


class DealStageHistory(UUIDPrimaryKeyMixin, Base):
    """One stage a deal entered (from_stage_id null for the first), written by a trigger."""

    __tablename__ = "deal_stage_history"

    deal_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("crm.deals.id", ondelete="CASCADE"))
    # null once the stage was removed (ON DELETE SET NULL)
    from_stage_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("crm.deal_stages.id", ondelete="SET NULL")
    )
    to_stage_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("crm.deal_stages.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(TIMESTAMP(timezone=True), server_default=func.now())
    changed_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("crm.users.id", ondelete="SET NULL"))

    deal: Mapped[Deal] = relationship(back_populates="stage_history")
    from_stage: Mapped[DealStage | None] = relationship(foreign_keys=[from_stage_id])
    to_stage: Mapped[DealStage | None] = relationship(foreign_keys=[to_stage_id])
    changed_by_user: Mapped[User | None] = relationship(foreign_keys=[changed_by])


class DealTotal(Base):
    """Per owner, stage and status: deals, their value, those above the high win probability and the
    top-opportunity intelligence score of ``crm.intelligence_thresholds()`` (kept by triggers)."""

    __tablename__ = "deal_totals"

    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("crm.users.id", ondelete="CASCADE"), primary_key=True)
    stage_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("crm.deal_stages.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(primary_key=True)
    deals: Mapped[int]
    value: Mapped[Decimal] = mapped_column(Numeric(16, 2, asdecimal=True))
    high_probability: Mapped[int]
    top_opportunities: Mapped[int]
