"""The legacy import: staging (``crm.legacy_deals``, ``crm.legacy_activities``), import runs and the
review queue (``crm.legacy_import_runs``, ``crm.legacy_review_items``).

Staged values stay text exactly as the old system held them (even ``created_at``,
``date`` and ``amount``); ``crm import-legacy`` and the admin page validate and resolve them.
"""

from __future__ import annotations

import datetime as dt  # the module, not the class: these models have a text column named "date"
import uuid
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, Text, cast, column, exists, extract, func, table, text
from sqlalchemy.dialects.postgresql import JSONB, TIMESTAMP
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from dashboard.models.base import Base, UUIDPrimaryKeyMixin

if TYPE_CHECKING:
    from dashboard.models.activity import Activity
    from dashboard.models.deal import Deal
    from dashboard.models.user import User

# a run whose import has not reported progress for this long is taken for dead
STALE_SECONDS = 15 * 60
# a queued run that no import picked up for this long, and whose job is not waiting in the queue, will
# not be picked up
UNCLAIMED_SECONDS = 2 * 60

_backends = table("pg_stat_activity", column("pid"), schema="pg_catalog")
_jobs = table("procrastinate_jobs", column("task_name"), column("args", JSONB), column("status"), schema="crm_jobs")


class LegacyDeal(UUIDPrimaryKeyMixin, Base):
    """A legacy deal row with text contact fields, and the deal it was resolved to (if any)."""

    __tablename__ = "legacy_deals"

    legacy_id: Mapped[str]
    name: Mapped[str | None]
    company: Mapped[str | None]
    contact_name: Mapped[str | None]
    contact_email: Mapped[str | None]
    contact_phone: Mapped[str | None]
    value: Mapped[str | None]
    stage: Mapped[str | None]
    owner_email: Mapped[str | None]
    expected_close_date: Mapped[str | None]
    created_at: Mapped[str | None]  # text, as exported
    deal_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("crm.deals.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(server_default=text("'csv'"))  # one of vocabulary.LEGACY_ROW_SOURCES
    loaded_at: Mapped[dt.datetime] = mapped_column(TIMESTAMP(timezone=True), server_default=func.now())
    migrated_at: Mapped[dt.datetime | None]
    # how the deal's company / contact were found (email_domain, name_match, fuzzy_match, contact, created, manual)
    company_link: Mapped[str | None]
    contact_link: Mapped[str | None]

    deal: Mapped[Deal | None] = relationship()


class LegacyActivity(UUIDPrimaryKeyMixin, Base):
    """A legacy activity row with a free-text client name and contact identifier."""

    __tablename__ = "legacy_activities"

    legacy_id: Mapped[str]
    owner_email: Mapped[str | None]
    type: Mapped[str | None]
    status: Mapped[str | None]
    client_name: Mapped[str | None]
    contact_identifier: Mapped[str | None]
    details: Mapped[str | None]
    date: Mapped[str | None]  # text, as exported
    amount: Mapped[str | None]
    deal_legacy_id: Mapped[str | None]
    activity_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("crm.activities.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(server_default=text("'csv'"))  # one of vocabulary.LEGACY_ROW_SOURCES
    loaded_at: Mapped[dt.datetime] = mapped_column(TIMESTAMP(timezone=True), server_default=func.now())
    migrated_at: Mapped[dt.datetime | None]

    activity: Mapped[Activity | None] = relationship()


class LegacyImportRun(UUIDPrimaryKeyMixin, Base):
    """One import job. Its row is committed before the import's transaction (SECURITY.md T24): a failed
    import leaves it ``failed``, a killed one ``running`` with a backend that no longer exists."""

    __tablename__ = "legacy_import_runs"

    source: Mapped[str] = mapped_column()  # one of vocabulary.LEGACY_RUN_SOURCES
    file_name: Mapped[str | None]
    activities_file_name: Mapped[str | None]
    started_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("crm.users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(server_default=text("'queued'"))  # one of vocabulary.LEGACY_RUN_STATUSES
    dry_run: Mapped[bool] = mapped_column(server_default=text("false"))
    skip_invalid: Mapped[bool] = mapped_column(server_default=text("false"))
    rows_read: Mapped[int] = mapped_column(server_default=text("0"))
    rows_written: Mapped[int] = mapped_column(server_default=text("0"))
    rows_reported: Mapped[int] = mapped_column(server_default=text("0"))
    report: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'"))
    # the uploaded files, kept until an import of them commits (never loaded with the run unless asked)
    deals_csv: Mapped[str | None] = mapped_column(deferred=True)
    activities_csv: Mapped[str | None] = mapped_column(deferred=True)
    phase: Mapped[str | None]
    progress_done: Mapped[int] = mapped_column(server_default=text("0"))
    progress_total: Mapped[int] = mapped_column(server_default=text("0"))
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(TIMESTAMP(timezone=True))
    backend_pid: Mapped[int | None] = mapped_column()
    error: Mapped[str | None]
    retry_of: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("crm.legacy_import_runs.id", ondelete="SET NULL"))
    entity: Mapped[str | None]  # null: a legacy import; else one of vocabulary.IMPORT_ENTITIES (a record import)
    options: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'"))
    started_at: Mapped[dt.datetime] = mapped_column(TIMESTAMP(timezone=True), server_default=func.now())
    finished_at: Mapped[dt.datetime | None] = mapped_column(TIMESTAMP(timezone=True))

    # read with the row: is the import's database session still there, and how long since it reported
    backend_alive: Mapped[bool] = column_property(exists().where(_backends.c.pid == backend_pid))
    quiet_seconds: Mapped[float] = column_property(
        extract("epoch", func.now() - func.coalesce(heartbeat_at, started_at))
    )
    has_input: Mapped[bool] = column_property(deals_csv.is_not(None) | (source == "staging"))

    starter: Mapped[User | None] = relationship(foreign_keys=[started_by])

    @property
    def state(self) -> str:
        """queued, running, completed, failed -- or interrupted: the import stopped without a word (killed)."""
        if self.status == "running" and (not self.backend_alive or self.quiet_seconds > STALE_SECONDS):
            return "interrupted"
        if self.status == "queued" and self.quiet_seconds > UNCLAIMED_SECONDS and not self.job_waiting:
            return "interrupted"
        return self.status

    @property
    def committed(self) -> bool:
        return bool(self.report.get("committed"))

    @property
    def percent(self) -> int:
        return int(100 * self.progress_done / self.progress_total) if self.progress_total else 0


class LegacyReviewItem(UUIDPrimaryKeyMixin, Base):
    """A legacy deal the importer would not link by guessing; an admin picks a suggestion or skips it."""

    __tablename__ = "legacy_review_items"

    legacy_deal_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("crm.legacy_deals.id", ondelete="CASCADE"))
    import_run_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("crm.legacy_import_runs.id", ondelete="SET NULL")
    )
    reason: Mapped[str]  # one of vocabulary.LEGACY_REVIEW_REASONS
    # {"companies": [{"id", "name", "score"}], "contacts": [{"id", "name", "email", "company_id"}]}
    suggestions: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'"))
    status: Mapped[str] = mapped_column(server_default=text("'pending'"))  # one of vocabulary.LEGACY_REVIEW_STATUSES
    resolution: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    resolved_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("crm.users.id", ondelete="SET NULL"))
    resolved_at: Mapped[dt.datetime | None] = mapped_column(TIMESTAMP(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(TIMESTAMP(timezone=True), server_default=func.now())

    legacy_deal: Mapped[LegacyDeal] = relationship()
    import_run: Mapped[LegacyImportRun | None] = relationship()
    resolver: Mapped[User | None] = relationship(foreign_keys=[resolved_by])


# its import job is waiting for a worker (or running): a queued run stays queued however long that takes
# (declared after the class: the id column comes from the mixin)
LegacyImportRun.job_waiting = column_property(
    exists().where(_jobs.c.task_name == "import_run", _jobs.c.args["run_id"].astext == cast(LegacyImportRun.id, Text),
                   cast(_jobs.c.status, Text).in_(["todo", "doing"]))
)  # fmt: skip
