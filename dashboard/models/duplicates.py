"""Likely duplicate pairs (``crm.duplicate_pairs``) and merges (``crm.record_merges``)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from dashboard.models.base import Base, UUIDPrimaryKeyMixin


class DuplicatePair(UUIDPrimaryKeyMixin, Base):
    """Two records of one kind (vocabulary.DUPLICATE_KINDS) the scan found alike: score and reasons."""

    __tablename__ = "duplicate_pairs"

    kind: Mapped[str]
    first_id: Mapped[uuid.UUID]
    second_id: Mapped[uuid.UUID]
    score: Mapped[Decimal]
    reasons: Mapped[list] = mapped_column(JSONB, server_default=text("'[]'::jsonb"))
    status: Mapped[str] = mapped_column(server_default=text("'open'"))
    found_at: Mapped[datetime] = mapped_column(server_default=text("now()"))
    dismissed_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("crm.users.id", ondelete="SET NULL"))
    dismissed_at: Mapped[datetime | None]


class RecordMerge(UUIDPrimaryKeyMixin, Base):
    """One merge: the survivor, the removed record and the snapshot its undo reads."""

    __tablename__ = "record_merges"

    kind: Mapped[str]
    survivor_id: Mapped[uuid.UUID]
    loser_id: Mapped[uuid.UUID]
    merged_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("crm.users.id", ondelete="SET NULL"))
    merged_at: Mapped[datetime] = mapped_column(server_default=text("now()"))
    snapshot: Mapped[dict] = mapped_column(JSONB)
    undone_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("crm.users.id", ondelete="SET NULL"))
    undone_at: Mapped[datetime | None]
