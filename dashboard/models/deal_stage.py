"""The pipeline stages (``crm.deal_stages``)."""

from __future__ import annotations

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

    # deals.stage_id is ON DELETE RESTRICT: never null it out, let the database refuse
    deals: Mapped[list[Deal]] = relationship(back_populates="stage", passive_deletes="all")
