"""A user's named list filters (``crm.saved_views``)."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dashboard.models.base import Base, TimestampMixin, UUIDPrimaryKeyMixin
from dashboard.models.user import User


class SavedView(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A list (one of vocabulary.SAVED_VIEW_LISTS) and its query string under a name; shared with the
    owner's team or not; at most one default per user and list."""

    __tablename__ = "saved_views"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("crm.users.id", ondelete="CASCADE"))
    team_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("crm.teams.id", ondelete="SET NULL"))
    list: Mapped[str]
    name: Mapped[str]
    query: Mapped[str] = mapped_column(server_default=text("''"))
    shared: Mapped[bool] = mapped_column(server_default=text("false"))
    is_default: Mapped[bool] = mapped_column(server_default=text("false"))

    owner: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
