"""``crm import-legacy``: validate legacy CSV files, then write everything in ONE transaction.

Phases (one method each of :class:`LegacyImport`):

1. **Read and validate** every row (:mod:`.rows`: headers, field count, emails,
   numbers, stages, owners, dates, field sizes, formula-injection cells). Each
   problem is reported as (file, line, column, reason).
2. **Resolve and write** inside one transaction (:mod:`.writes`): companies and
   contacts (see ``resolve``), deals, the staged legacy rows with their
   provenance, activities, deal_stakeholders, company_activities provenance,
   inferred deal_meetings, review items and the import-run row. Any failure (or
   a killed process) rolls all of it back. Rows are written in chunks as they
   are resolved, by a background thread on the same connection and in the same
   transaction (:class:`.writer.BackgroundWriter`), so resolving the next rows
   overlaps the database's per-row triggers instead of waiting for them.

Default mode is all-or-nothing: with any invalid row nothing is written.
``skip_invalid`` writes the valid rows. ``dry_run`` runs everything and rolls
back. For every run ``read = written + invalid + unchanged + held_back``
(unchanged: legacy ids already imported; held_back: valid rows not written
because another row was invalid). Re-running a file changes nothing.

``from_staging`` resolves the rows already in ``crm.legacy_deals`` /
``crm.legacy_activities`` with ``migrated_at`` null (the demo data's legacy
rows) through the same code path; their existing deals get their links.
"""

from __future__ import annotations

from collections.abc import Callable

import psycopg

from dashboard.legacy.report import MAX_STORED_PROBLEMS, Report, coverage
from dashboard.legacy.rows import (
    ACTIVITY_COLUMNS,
    DEAL_COLUMNS,
    MAX_FILE_BYTES,
    ActivityRow,
    DealRow,
    LegacyFileError,
    Problem,
    check_file_header,
    read_csv,
    repeated_legacy_id,
    validate_activity,
    validate_deal,
)
from dashboard.legacy.writer import BackgroundWriter, count_rows
from dashboard.legacy.writes import ImportWrites, infer_deal_meetings

__all__ = [
    "ACTIVITY_COLUMNS", "DEAL_COLUMNS", "MAX_FILE_BYTES", "MAX_STORED_PROBLEMS", "ImportBusyError", "LegacyFileError",
    "LegacyImport", "Problem", "Report", "check_file_header", "import_legacy", "infer_deal_meetings", "run_import",
]  # fmt: skip

# one import at a time: two imports of overlapping files would race on the legacy ids
IMPORT_LOCK = 7_201_125  # pg_try_advisory_xact_lock key
WRITE_STEPS = 5  # writing: companies and contacts, deals, legacy rows, activities, meetings


class ImportBusyError(LegacyFileError):
    """Another import holds the import lock; nothing was written (retry when it has finished)."""


class _Rollback(Exception):
    def __init__(self, report):
        super().__init__("rolled back")
        self.report = report


class LegacyImport(ImportWrites):
    """One import: its options, the rows read, what is already in the database, and the report.

    :meth:`run` calls the phases in order; the write phases (resolving and
    writing deals, legacy rows and activities) come from :class:`.writes.ImportWrites`.
    """

    def __init__(
        self,
        conn: psycopg.Connection,
        deals_text: str | None = None,
        activities_text: str | None = None,
        *,
        deals_file: str = "deals.csv",
        activities_file: str = "activities.csv",
        dry_run: bool = False,
        skip_invalid: bool = False,
        from_staging: bool = False,
        actor_id=None,
        run_id=None,
        on_commit: Callable[[psycopg.Connection, Report], None] | None = None,
        progress: Callable[..., None] = lambda *_: None,
        fail_after: Callable[[str], None] | None = None,
    ):
        self.conn = conn
        self.deals_text, self.activities_text = deals_text, activities_text
        self.deals_file, self.activities_file = deals_file, activities_file
        self.dry_run, self.skip_invalid, self.from_staging = dry_run, skip_invalid, from_staging
        self.actor_id, self.run_id = actor_id, run_id
        self.on_commit, self.progress, self.fail_after = on_commit, progress, fail_after
        self.report = Report(dry_run=dry_run)
        self.problems = self.report.problems
        # (line, row, staged id, deal id) and (line, row, staged id): the rows to validate
        self.deal_rows: list[tuple] = []
        self.activity_rows: list[tuple] = []
        self.activity_problems: list[Problem] = []
        self.valid_deals: list[DealRow] = []
        self.valid_acts: list[ActivityRow] = []

    def run(self) -> Report:
        """Validate, then resolve and write in one transaction; raises ``_Rollback`` when nothing is kept."""
        self.read_files()
        with self.conn.transaction():
            self.start_transaction()
            self.load_existing()
            if self.from_staging:
                self.read_staging()
            self.validate_deals()
            self.validate_activities()
            if self.problems and not self.skip_invalid:
                self.hold_back()
            self.report.coverage_before = coverage(self.conn)
            self.write()
            self.report.coverage_after = coverage(self.conn)
            if self.dry_run:
                raise _Rollback(self.report)
            self.report.committed = True
            if self.on_commit is not None:
                self.on_commit(self.conn, self.report)
        return self.report

    # --- reading and validation ------------------------------------------------------------------

    def read_files(self) -> None:
        """Parse the CSV texts; malformed records become problems (the activities' are added after
        the deals have been validated, so the two invalid counts stay apart)."""
        report = self.report
        if self.deals_text is not None:
            read = read_csv(self.deals_text, DEAL_COLUMNS, self.deals_file, self.problems)
            self.deal_rows = [(line, row, None, None) for line, row in read]
        if self.activities_text is not None:
            read = read_csv(self.activities_text, ACTIVITY_COLUMNS, self.activities_file, self.activity_problems)
            self.activity_rows = [(line, row, None) for line, row in read]
        report.rows_read = len(self.deal_rows) + len(self.problems)
        report.activities_read = len(self.activity_rows) + len(self.activity_problems)

    def start_transaction(self) -> None:
        """Act as the admin, allow the long statements an import needs, and take the import lock."""
        conn = self.conn
        if self.actor_id is not None:
            conn.execute("select set_config('app.user_id', %s, true)", (str(self.actor_id),))
        # crm_app's 5 s statement limit and 30 s idle-in-transaction limit are for requests; an
        # import of 100k rows needs longer statements and resolves in Python between them
        conn.execute("select set_config('statement_timeout', '10min', true)")
        conn.execute("select set_config('idle_in_transaction_session_timeout', '10min', true)")
        if not conn.execute("select pg_try_advisory_xact_lock(%s)", (IMPORT_LOCK,)).fetchone()[0]:
            raise ImportBusyError("another legacy import is running; try again when it has finished")
        self.report.run_id = str(self.run_id) if self.run_id else None

    def load_existing(self) -> None:
        """The stages and active owners rows may name, and the legacy ids already imported."""
        conn = self.conn
        self.stages = {name.lower(): sid for sid, name in conn.execute("select id, name from crm.deal_stages")}
        self.owners = {
            email.lower(): uid for uid, email in conn.execute("select id, email from crm.users where is_active")
        }
        self.existing_deals = dict(conn.execute("select legacy_id, deal_id from crm.legacy_deals").fetchall())
        self.migrated_deals = {
            lid for (lid,) in conn.execute("select legacy_id from crm.legacy_deals where migrated_at is not null")
        }
        self.existing_activities = {lid for (lid,) in conn.execute("select legacy_id from crm.legacy_activities")}

    def read_staging(self) -> None:
        """Take the rows to import from the staging tables (not yet migrated) instead of files."""
        staged = self.conn.execute(
            """select id, legacy_id, name, company, contact_name, contact_email, contact_phone, value, stage,
                      owner_email, expected_close_date, created_at, deal_id
               from crm.legacy_deals where migrated_at is null order by legacy_id"""
        ).fetchall()
        self.deal_rows = [
            (number, _text_row(DEAL_COLUMNS, values), sid, deal_id)
            for number, (sid, *values, deal_id) in enumerate(staged, start=1)
        ]
        staged_acts = self.conn.execute(
            """select id, legacy_id, owner_email, type, status, client_name, contact_identifier, details, date,
                      amount, deal_legacy_id
               from crm.legacy_activities where activity_id is null and migrated_at is null order by legacy_id"""
        ).fetchall()
        self.activity_rows = [
            (number, _text_row(ACTIVITY_COLUMNS, values), sid)
            for number, (sid, *values) in enumerate(staged_acts, start=1)
        ]
        self.report.rows_read, self.report.activities_read = len(self.deal_rows), len(self.activity_rows)
        self.deals_file, self.activities_file = "crm.legacy_deals", "crm.legacy_activities"

    def validate_deals(self) -> None:
        """Keep the valid deal rows not imported before; the others are counted or become problems."""
        report, problems = self.report, self.problems
        total = len(self.deal_rows) + len(self.activity_rows)
        self.progress("validating", 0, total)
        seen: dict[str, int] = {}
        for number, (line, row, staged_id, deal_id) in enumerate(self.deal_rows):
            if number % 5000 == 4999:
                self.progress("validating", number, total)
            lid = row["legacy_id"].strip()
            if repeated_legacy_id(lid, line, seen, self.deals_file, problems):
                continue
            if not self.from_staging and lid in self.existing_deals:
                report.rows_unchanged += 1
                continue
            parsed = validate_deal(line, row, self.deals_file, self.stages, self.owners, problems)
            if parsed is not None:
                parsed.staged_id, parsed.deal_id = staged_id, deal_id
                self.valid_deals.append(parsed)
        report.rows_invalid = len({p.line for p in problems})

    def validate_activities(self) -> None:
        """Keep the valid activity rows not imported before; a deal they name must exist or be valid."""
        report, problems = self.report, self.problems
        known_deals = set(self.existing_deals) | {d.legacy_id for d in self.valid_deals}
        seen: dict[str, int] = {}
        problems.extend(self.activity_problems)
        first = len(problems) - len(self.activity_problems)
        for line, row, staged_id in self.activity_rows:
            lid = row["legacy_id"].strip()
            if repeated_legacy_id(lid, line, seen, self.activities_file, problems):
                continue
            if not self.from_staging and lid in self.existing_activities:
                report.activities_unchanged += 1
                continue
            parsed = validate_activity(line, row, self.activities_file, self.owners, known_deals, problems)
            if parsed is not None:
                parsed.staged_id = staged_id
                self.valid_acts.append(parsed)
        report.activities_invalid = len({p.line for p in problems[first:]})
        self.progress(f"validated {report.rows_read} deal rows and {report.activities_read} activity rows")

    def hold_back(self) -> None:
        """All-or-nothing and some row is invalid: write nothing, counting the valid rows as held back."""
        self.report.rows_held_back = len(self.valid_deals)
        self.report.activities_held_back = len(self.valid_acts)
        raise _Rollback(self.report)

    # --- writing -----------------------------------------------------------------------------------

    def write(self) -> None:
        """Resolve and write through a background writer; on any failure it is stopped before the
        transaction ends."""
        self.writer = BackgroundWriter(self.conn)
        try:
            self.write_phases()
        except BaseException:
            self.writer.stop()
            raise
        self.writer.close()

    def write_phases(self) -> None:
        progress, report = self.progress, self.report
        self.load_resolver()
        self.resolve_deals()
        progress("writing companies and contacts", 0, WRITE_STEPS)
        self.update_company_domains()
        self.phase_done("contacts")
        progress("writing deals", 1, WRITE_STEPS)
        report.deals_created = count_rows(self.deal_futures)
        self.phase_done("deals")
        progress("writing legacy rows and the review queue", 2, WRITE_STEPS)
        report.stakeholders_created = count_rows(self.stakeholder_futures)
        self.write_legacy_deals()
        self.phase_done("legacy_deals")
        progress("writing activities", 3, WRITE_STEPS)
        self.write_activities()
        self.phase_done("activities")
        progress("linking meetings", 4, WRITE_STEPS)
        self.link_meetings()
        self.count_written()
        self.phase_done("meetings")
        progress("finishing", WRITE_STEPS, WRITE_STEPS)
        report.rows_written = len(self.resolved)

    def phase_done(self, phase: str) -> None:
        """The ``fail_after`` test hook, once the phase's writes are done."""
        if self.fail_after is not None:
            self.writer.wait()
            self.fail_after(phase)

    def link_meetings(self) -> None:
        """Each unlinked meeting of a touched company or contact goes to its closest deal."""
        touched = [row.deal_id for row, r in self.resolved if r.company or r.contact]
        if touched:
            self.writer.wait()
            self.report.meetings_linked = infer_deal_meetings(self.writer.conn, touched)

    def count_written(self) -> None:
        """Wait for the queued inserts: their counts go into the report and any failure surfaces here."""
        self.report.activities_written = count_rows(self.activity_futures)
        self.report.queued_for_review = count_rows(self.review_futures)
        count_rows(self.company_futures + self.contact_futures)


def _text_row(columns: list[str], values) -> dict:
    """A staged row as the CSV reader would give it: every value a string, NULL as empty."""
    return {c: (v or "") for c, v in zip(columns, values, strict=True)}


def run_import(conn: psycopg.Connection, deals_text: str | None = None, activities_text: str | None = None,
               **options) -> Report:  # fmt: skip
    """Validate, then resolve and write in one transaction of ``conn`` (see the module docstring).

    ``conn`` may be a superuser connection (the CLI) or the app's connection
    acting as an admin under RLS (the upload page). The keyword ``options`` are
    :class:`LegacyImport`'s: ``run_id`` is the ``crm.legacy_import_runs`` row
    (written by ``runs``, outside this transaction) that review items point at;
    ``on_commit(conn, report)`` runs as the transaction's last statement when it
    is about to commit (the run row is marked completed atomically with the
    data). ``progress(message, done=None, total=None)`` is told what is
    happening. ``fail_after`` is a test hook called after each write phase.
    Raises ``_Rollback`` (with the report) when it rolled back.
    """
    return LegacyImport(conn, deals_text, activities_text, **options).run()


def import_legacy(conn, *args, **kwargs) -> Report:
    """``run_import`` that returns the report also when it rolled back (dry run or invalid rows)."""
    try:
        return run_import(conn, *args, **kwargs)
    except _Rollback as done:
        done.report.committed = False
        return done.report
