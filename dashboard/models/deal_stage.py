"""The pipeline stages (``crm.deal_stages``) and the reasons deals are lost (``crm.lost_reasons``)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dashboard.models.base import Base, TimestampMixin, UUIDPrimaryKeyMixin, VersionedMixin

if TYPE_CHECKING:
    from dashboard.models.deal import Deal


class DealStage(UUIDPrimaryKeyMixin, VersionedMixin, TimestampMixin, Base):
    """A pipeline stage in board order, with a default win probability; won/lost stages close deals."""

    __tablename__ = "deal_stages"

    name: Mapped[str]
    color: Mapped[str] = mapped_column(server_default=text("'#64748b'"))
    position: Mapped[int]
    default_probability: Mapped[int]  # 0..100
    is_won: Mapped[bool] = mapped_column(server_default=text("false"))
    is_lost: Mapped[bool] = mapped_column(server_default=text("false"))
    rotting_days: Mapped[int | None]  # a deal longer in the stage is stalled; None: never

    # deals.stage_id is ON DELETE RESTRICT: never null it out, let the database refuse
    deals: Mapped[list[Deal]] = relationship(back_populates="stage", passive_deletes="all")


class LostReason(UUIDPrimaryKeyMixin, VersionedMixin, TimestampMixin, Base):
    """Why a deal was lost: the admin-managed list (inactive reasons stay on old deals, not offered)."""

    __tablename__ = "lost_reasons"

    NOT_RECORDED = uuid.UUID("00000000-0000-4000-8000-000000000100")  # deals lost before reasons existed

    name: Mapped[str]
    position: Mapped[int]
    is_active: Mapped[bool] = mapped_column(server_default=text("true"))
