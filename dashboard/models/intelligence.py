"""Intelligence storage (tables in ``sql/migrations/``, policies in ``sql/policies/intelligence.sql``):
the stored win models and the daily score history. Read-only for the app
(written by ``crm score`` and ``app.rescore_after_write``)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Numeric, func, text
from sqlalchemy.dialects.postgresql import JSONB, TIMESTAMP
from sqlalchemy.orm import Mapped, mapped_column

from dashboard.models.base import Base, UUIDPrimaryKeyMixin


class WinModel(UUIDPrimaryKeyMixin, Base):
    """A trained win-probability model (coefficients as jsonb), its metrics and row counts; admins read."""

    __tablename__ = "win_models"

    algorithm: Mapped[str]  # one of vocabulary.WIN_MODEL_ALGORITHMS
    model: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    metrics: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    closed_deals: Mapped[int]
    won_deals: Mapped[int]
    lost_deals: Mapped[int]
    trained_at: Mapped[datetime] = mapped_column(TIMESTAMP(timezone=True), server_default=func.now())
    as_of: Mapped[datetime] = mapped_column(TIMESTAMP(timezone=True))


class CompanyScoreHistory(Base):
    """A company's engagement and lead score on one day (engagement trends)."""

    __tablename__ = "company_score_history"

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("crm.companies.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    engagement_score: Mapped[Decimal] = mapped_column(Numeric(5, 2, asdecimal=True))
    lead_score: Mapped[Decimal] = mapped_column(Numeric(5, 2, asdecimal=True))
    recorded_at: Mapped[datetime] = mapped_column(TIMESTAMP(timezone=True), server_default=func.now())


class DealScoreHistory(Base):
    """A deal's intelligence score, win probability and number of risk factors on one day."""

    __tablename__ = "deal_score_history"

    deal_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("crm.deals.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    deal_intelligence_score: Mapped[Decimal] = mapped_column(Numeric(5, 2, asdecimal=True))
    win_probability_ai: Mapped[Decimal | None] = mapped_column(Numeric(3, 2, asdecimal=True))
    risk_factor_count: Mapped[int] = mapped_column(server_default=text("0"))
    recorded_at: Mapped[datetime] = mapped_column(TIMESTAMP(timezone=True), server_default=func.now())
