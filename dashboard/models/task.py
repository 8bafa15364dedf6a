"""To-dos with subtasks (``crm.tasks``)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import FetchedValue, ForeignKey, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dashboard.models.base import Base, TimestampMixin, UUIDPrimaryKeyMixin, VersionedMixin

if TYPE_CHECKING:
    from dashboard.models.company import Company
    from dashboard.models.contact import Contact
    from dashboard.models.deal import Deal
    from dashboard.models.meeting import Meeting, MeetingActionItem
    from dashboard.models.user import User


class Task(UUIDPrimaryKeyMixin, VersionedMixin, TimestampMixin, Base):
    """A to-do, possibly a subtask: depth 1 is top level, at most 5 levels, no cycles (triggers)."""

    __tablename__ = "tasks"

    title: Mapped[str]
    description: Mapped[str | None]
    due_date: Mapped[datetime | None]
    # one of vocabulary.TASK_STATUSES
    status: Mapped[str] = mapped_column(server_default=text("'pending'"))
    priority: Mapped[str] = mapped_column(server_default=text("'medium'"))  # one of vocabulary.PRIORITIES
    # one of vocabulary.TASK_TYPES
    task_type: Mapped[str] = mapped_column(server_default=text("'general'"))
    assigned_to: Mapped[uuid.UUID] = mapped_column(ForeignKey("crm.users.id", ondelete="RESTRICT"))
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("crm.users.id", ondelete="SET NULL"), server_default=text("app.current_user_id()")
    )
    deal_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("crm.deals.id", ondelete="SET NULL"))
    company_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("crm.companies.id", ondelete="SET NULL"))
    contact_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("crm.contacts.id", ondelete="SET NULL"))
    meeting_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("crm.meetings.id", ondelete="SET NULL"))
    parent_task_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("crm.tasks.id", ondelete="CASCADE"))
    sequence_order: Mapped[int] = mapped_column(server_default=text("0"))
    # Set by the maintain_hierarchy trigger from the parent (never assign it).
    # Moving a task re-depths its subtree in the database: expire loaded
    # subtasks to see their new depth.
    depth: Mapped[int] = mapped_column(server_default=text("1"), server_onupdate=FetchedValue())
    auto_generated: Mapped[bool] = mapped_column(server_default=text("false"))
    # stamped by the sync_completed_at trigger exactly when status is 'completed'
    completed_at: Mapped[datetime | None] = mapped_column(
        server_default=FetchedValue(), server_onupdate=FetchedValue()
    )

    assignee: Mapped[User] = relationship(foreign_keys=[assigned_to])
    creator: Mapped[User | None] = relationship(foreign_keys=[created_by])
    deal: Mapped[Deal | None] = relationship(back_populates="tasks")
    company: Mapped[Company | None] = relationship()
    contact: Mapped[Contact | None] = relationship()
    meeting: Mapped[Meeting | None] = relationship(back_populates="tasks")
    parent: Mapped[Task | None] = relationship(remote_side="Task.id", back_populates="subtasks")
    # no delete-orphan: taking a subtask out of its parent makes it top level
    subtasks: Mapped[list[Task]] = relationship(
        back_populates="parent",
        cascade="all",
        passive_deletes=True,
        order_by="Task.sequence_order",
    )
    action_item: Mapped[MeetingActionItem | None] = relationship(back_populates="task")


class TaskTotal(Base):
    """Per assignee and status: tasks, and those of high or urgent priority (kept by triggers)."""

    __tablename__ = "task_totals"

    assigned_to: Mapped[uuid.UUID] = mapped_column(ForeignKey("crm.users.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(primary_key=True)
    tasks: Mapped[int]
    high_priority: Mapped[int]
