"""Customer meetings, their attendees and action items
(``crm.meetings``, ``crm.meeting_attendees``, ``crm.meeting_action_items``)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Numeric, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dashboard.models.base import Base, TimestampMixin, UUIDPrimaryKeyMixin, VersionedMixin

if TYPE_CHECKING:
    from dashboard.models.company import Company
    from dashboard.models.contact import Contact
    from dashboard.models.deal import Deal
    from dashboard.models.relationships import (
        ActivityMeeting,
        ContactInteraction,
        DealMeeting,
        MeetingSequence,
    )
    from dashboard.models.task import Task
    from dashboard.models.user import User


class Meeting(UUIDPrimaryKeyMixin, VersionedMixin, TimestampMixin, Base):
    """A customer meeting with its type, outcome and summary."""

    __tablename__ = "meetings"

    title: Mapped[str]
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime | None]
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("crm.users.id", ondelete="RESTRICT"))
    company_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("crm.companies.id", ondelete="SET NULL"))
    primary_contact_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("crm.contacts.id", ondelete="SET NULL")
    )
    primary_deal_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("crm.deals.id", ondelete="SET NULL"))
    summary: Mapped[str | None]
    sentiment_score: Mapped[Decimal | None] = mapped_column(Numeric(3, 2, asdecimal=True))  # -1..1
    # one of vocabulary.MEETING_TYPES
    meeting_type: Mapped[str] = mapped_column(server_default=text("'other'"))
    # one of vocabulary.MEETING_OUTCOMES
    meeting_outcome: Mapped[str] = mapped_column(server_default=text("'pending'"))
    meeting_quality_score: Mapped[Decimal | None] = mapped_column(Numeric(3, 2, asdecimal=True))
    follow_up_required: Mapped[bool] = mapped_column(server_default=text("false"))
    follow_up_created: Mapped[bool] = mapped_column(server_default=text("false"))
    next_steps: Mapped[str | None]

    owner: Mapped[User] = relationship()
    company: Mapped[Company | None] = relationship(back_populates="meetings")
    primary_contact: Mapped[Contact | None] = relationship()
    primary_deal: Mapped[Deal | None] = relationship(back_populates="meetings")
    attendees: Mapped[list[MeetingAttendee]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", passive_deletes=True
    )
    action_items: Mapped[list[MeetingActionItem]] = relationship(
        back_populates="meeting",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="MeetingActionItem.created_at",
    )
    tasks: Mapped[list[Task]] = relationship(back_populates="meeting", passive_deletes=True)
    deal_links: Mapped[list[DealMeeting]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", passive_deletes=True
    )
    activity_links: Mapped[list[ActivityMeeting]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", passive_deletes=True
    )
    # the link is optional (interactions may be logged directly): no delete-orphan
    interactions: Mapped[list[ContactInteraction]] = relationship(
        back_populates="meeting", cascade="all", passive_deletes=True
    )
    sequences: Mapped[list[MeetingSequence]] = relationship(
        foreign_keys="MeetingSequence.meeting_id",
        back_populates="meeting",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class MeetingAttendee(UUIDPrimaryKeyMixin, TimestampMixin, VersionedMixin, Base):
    """Someone at a meeting: a contact (external) or a user (internal)."""

    __tablename__ = "meeting_attendees"

    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("crm.meetings.id", ondelete="CASCADE"))
    contact_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("crm.contacts.id", ondelete="SET NULL"))
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("crm.users.id", ondelete="SET NULL"))
    name: Mapped[str]
    email: Mapped[str | None]
    is_external: Mapped[bool] = mapped_column(server_default=text("true"))
    role: Mapped[str | None]

    meeting: Mapped[Meeting] = relationship(back_populates="attendees")
    contact: Mapped[Contact | None] = relationship()
    user: Mapped[User | None] = relationship()


class MeetingActionItem(UUIDPrimaryKeyMixin, VersionedMixin, TimestampMixin, Base):
    """An action item agreed in a meeting; task_id links the task made from it."""

    __tablename__ = "meeting_action_items"

    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("crm.meetings.id", ondelete="CASCADE"))
    description: Mapped[str]
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("crm.users.id", ondelete="SET NULL"))
    priority: Mapped[str] = mapped_column(server_default=text("'medium'"))  # one of vocabulary.PRIORITIES
    deadline: Mapped[date | None]
    is_done: Mapped[bool] = mapped_column(server_default=text("false"))
    task_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("crm.tasks.id", ondelete="SET NULL"))

    meeting: Mapped[Meeting] = relationship(back_populates="action_items")
    assignee: Mapped[User | None] = relationship()
    task: Mapped[Task | None] = relationship(back_populates="action_item")
