"""Record imports' saved column mappings (``crm.import_mappings``); the runs themselves are
``LegacyImportRun`` rows with an ``entity`` (dashboard/models/legacy.py)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import ForeignKey, func, text
from sqlalchemy.dialects.postgresql import JSONB, TIMESTAMP
from sqlalchemy.orm import Mapped, mapped_column

from dashboard.models.base import Base, UUIDPrimaryKeyMixin


class ImportMapping(UUIDPrimaryKeyMixin, Base):
    """A user's named mapping of file headers to an entity's fields, offered on their next import."""

    __tablename__ = "import_mappings"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("crm.users.id", ondelete="CASCADE"))
    entity: Mapped[str]  # one of vocabulary.IMPORT_ENTITIES
    name: Mapped[str]
    columns: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'"))
    created_at: Mapped[dt.datetime] = mapped_column(TIMESTAMP(timezone=True), server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(TIMESTAMP(timezone=True), server_default=func.now())
