"""The relationship tables that replace the legacy text links; each records how
the link was found (``link_source``) where it can be inferred."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Numeric, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dashboard.models.base import (
    Base,
    CreatedAtMixin,
    TimestampMixin,
    UUIDPrimaryKeyMixin,
    VersionedMixin,
)

if TYPE_CHECKING:
    from dashboard.models.activity import Activity
    from dashboard.models.company import Company
    from dashboard.models.contact import Contact
    from dashboard.models.deal import Deal
    from dashboard.models.meeting import Meeting
    from dashboard.models.user import User


class CompanyActivity(CreatedAtMixin, Base):
    """An activity that concerns a company (directly or via its contact or deal), weighted by strength."""

    __tablename__ = "company_activities"

    company_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("crm.companies.id", ondelete="CASCADE"), primary_key=True
    )
    activity_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("crm.activities.id", ondelete="CASCADE"), primary_key=True
    )
    relationship_strength: Mapped[Decimal] = mapped_column(
        Numeric(3, 2, asdecimal=True), server_default=text("1")
    )
    # one of vocabulary.COMPANY_LINK_SOURCES
    link_source: Mapped[str] = mapped_column(server_default=text("'direct'"))

    company: Mapped[Company] = relationship(back_populates="activity_links")
    activity: Mapped[Activity] = relationship(back_populates="company_links")


class DealMeeting(CreatedAtMixin, Base):
    """A meeting that moved a deal, with its impact and outcome."""

    __tablename__ = "deal_meetings"

    deal_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("crm.deals.id", ondelete="CASCADE"), primary_key=True
    )
    meeting_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("crm.meetings.id", ondelete="CASCADE"), primary_key=True
    )
    impact_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2, asdecimal=True))
    outcome: Mapped[str | None]  # as meetings.meeting_outcome
    stage_progression_expected: Mapped[bool] = mapped_column(server_default=text("false"))
    stakeholders_present: Mapped[int] = mapped_column(server_default=text("0"))
    # one of vocabulary.DEAL_MEETING_LINK_SOURCES
    link_source: Mapped[str] = mapped_column(server_default=text("'direct'"))

    deal: Mapped[Deal] = relationship(back_populates="meeting_links")
    meeting: Mapped[Meeting] = relationship(back_populates="deal_links")


class ContactInteraction(UUIDPrimaryKeyMixin, TimestampMixin, VersionedMixin, Base):
    """A touch with a contact (from an activity, a meeting, or logged directly); feeds contact engagement."""

    __tablename__ = "contact_interactions"

    contact_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("crm.contacts.id", ondelete="CASCADE"))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("crm.users.id", ondelete="RESTRICT"))
    activity_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("crm.activities.id", ondelete="CASCADE"))
    meeting_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("crm.meetings.id", ondelete="CASCADE"))
    interaction_type: Mapped[str]  # one of vocabulary.INTERACTION_TYPES
    direction: Mapped[str] = mapped_column(server_default=text("'outbound'"))  # vocabulary.INTERACTION_DIRECTIONS
    engagement_score: Mapped[Decimal | None] = mapped_column(Numeric(3, 2, asdecimal=True))
    sentiment_score: Mapped[Decimal | None] = mapped_column(Numeric(3, 2, asdecimal=True))  # -1..1
    interaction_date: Mapped[datetime]
    notes: Mapped[str | None]

    contact: Mapped[Contact] = relationship(back_populates="interactions")
    user: Mapped[User] = relationship()
    activity: Mapped[Activity | None] = relationship(back_populates="interactions")
    meeting: Mapped[Meeting | None] = relationship(back_populates="interactions")


class DealStakeholder(UUIDPrimaryKeyMixin, VersionedMixin, TimestampMixin, Base):
    """A member of a deal's buying committee: role, influence, relationship strength, champion."""

    __tablename__ = "deal_stakeholders"

    deal_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("crm.deals.id", ondelete="CASCADE"))
    contact_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("crm.contacts.id", ondelete="CASCADE"))
    # one of vocabulary.STAKEHOLDER_ROLES
    role: Mapped[str] = mapped_column(server_default=text("'other'"))
    # one of vocabulary.INFLUENCE_LEVELS
    influence_level: Mapped[str] = mapped_column(server_default=text("'medium'"))
    relationship_strength: Mapped[Decimal | None] = mapped_column(Numeric(3, 2, asdecimal=True))
    is_champion: Mapped[bool] = mapped_column(server_default=text("false"))
    notes: Mapped[str | None]

    deal: Mapped[Deal] = relationship(back_populates="stakeholders")
    contact: Mapped[Contact] = relationship(back_populates="deal_stakeholders")


class ActivityMeeting(CreatedAtMixin, Base):
    """An activity that came from a meeting (its follow-up, or the meeting activity itself)."""

    __tablename__ = "activity_meetings"

    activity_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("crm.activities.id", ondelete="CASCADE"), primary_key=True
    )
    meeting_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("crm.meetings.id", ondelete="CASCADE"), primary_key=True
    )

    activity: Mapped[Activity] = relationship(back_populates="meeting_links")
    meeting: Mapped[Meeting] = relationship(back_populates="activity_links")


class MeetingSequence(UUIDPrimaryKeyMixin, CreatedAtMixin, Base):
    """A meeting's place (1st, 2nd, ...) among a deal's meetings, and the gap since the previous one."""

    __tablename__ = "meeting_sequences"

    deal_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("crm.deals.id", ondelete="CASCADE"))
    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("crm.meetings.id", ondelete="CASCADE"))
    sequence_number: Mapped[int]
    previous_meeting_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("crm.meetings.id", ondelete="SET NULL")
    )
    days_since_previous: Mapped[int | None]

    deal: Mapped[Deal] = relationship(back_populates="meeting_sequences")
    meeting: Mapped[Meeting] = relationship(foreign_keys=[meeting_id], back_populates="sequences")
    previous_meeting: Mapped[Meeting | None] = relationship(foreign_keys=[previous_meeting_id])
