"""Import runs: the record of each import (legacy, or a record import of companies, contacts or deals:
a run with an ``entity``), kept outside its transaction (SECURITY.md T24).

::

    (draft: a record import's upload waiting for its mapping) ──start──>
    create ──> queued ──claim──> running ──commits──> completed   (marked in the import's own transaction)
                                    ├── rolled back (dry run, invalid rows) ──> completed, nothing written
                                    ├── error ──> failed           (own transaction, after the rollback)
                                    └── killed ──> stays running; its backend is gone: shown as interrupted

A queued run's job waits in the job queue (dashboard/jobs) until a worker claims it.

Every step but the import itself is a short transaction of its own, so the
run row is there whatever happens to the import. While the import's
transaction is open, ``ProgressWriter`` reports through a second connection
(the page polls it). A run that ended without writing and still holds its
input can be run again (``rerun``): a new queued run, the input moves to it.

The connections are psycopg connections acting as the importing admin: the
command line's owner connection, or the app's ``crm_app`` connection under
row-level security (admins may do everything the import does).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable

import psycopg
from psycopg.types.json import Jsonb

from dashboard.imports.importer import ImportReport, import_records
from dashboard.imports.reader import ImportFileError
from dashboard.legacy.importer import MAX_STORED_PROBLEMS, LegacyFileError, Report, import_legacy
from dashboard.models.legacy import STALE_SECONDS, UNCLAIMED_SECONDS

log = logging.getLogger("dashboard.legacy")

INTERRUPTED = "The import stopped before it finished (its process ended); nothing from it was written."


def _act_as(conn: psycopg.Connection, actor_id) -> None:
    conn.execute("select set_config('app.user_id', %s, true)", (str(actor_id or ""),))


def close_interrupted(conn: psycopg.Connection) -> int:
    """Mark runs whose import is gone (killed: its backend no longer exists, or silent for too long; or
    queued long ago with no job waiting in the queue) failed, in the caller's transaction. What they were
    writing rolled back with them."""
    return conn.execute(
        """update crm.legacy_import_runs r
              set status = 'failed', finished_at = now(), error = %s, phase = null
            where (r.status = 'running'
                   and (not exists (select from pg_catalog.pg_stat_activity a where a.pid = r.backend_pid)
                        or coalesce(r.heartbeat_at, r.started_at) < now() - make_interval(secs => %s)))
               or (r.status = 'queued' and r.started_at < now() - make_interval(secs => %s)
                   and not exists (select from crm_jobs.procrastinate_jobs j
                                    where j.task_name = 'import_run' and j.args ->> 'run_id' = r.id::text
                                      and j.status in ('todo', 'doing')))""",
        (INTERRUPTED, STALE_SECONDS, UNCLAIMED_SECONDS),
    ).rowcount


def create(
    conn: psycopg.Connection,
    *,
    source: str,
    started_by,
    file_name: str | None = None,
    activities_file_name: str | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    deals_csv: str | None = None,
    activities_csv: str | None = None,
    entity: str | None = None,
    options: dict | None = None,
) -> uuid.UUID:
    """A queued run, committed at once (its own transaction); runs that were killed are closed first.
    ``entity`` and ``options`` (mapping, duplicates) make it a record import of ``deals_csv``."""
    with conn.transaction():
        _act_as(conn, started_by)
        close_interrupted(conn)
        return conn.execute(
            """insert into crm.legacy_import_runs (source, started_by, file_name, activities_file_name, dry_run,
                                                   skip_invalid, deals_csv, activities_csv, phase, entity, options)
               values (%s, %s, %s, %s, %s, %s, %s, %s, 'queued', %s, %s) returning id""",
            (source, started_by, file_name and file_name[:255], activities_file_name and activities_file_name[:255],
             dry_run, skip_invalid, deals_csv, activities_csv, entity, Jsonb(options or {})),
        ).fetchone()[0]  # fmt: skip


def execute(
    conn: psycopg.Connection,
    run_id,
    actor_id,
    *,
    deals_text: str | None = None,
    activities_text: str | None = None,
    progress: Callable[..., None] | None = None,
) -> Report | ImportReport | None:
    """Claim queued run ``run_id`` and import it: its stored files, or the texts given (the command line).

    Returns the report, or None when the run was not queued (someone else started it).
    Raises LegacyFileError or ImportFileError (the run is marked failed with its message) and any unexpected
    error (marked failed with a reference to the log; if the connection itself is gone the
    run stays ``running`` and shows as interrupted).
    """
    with conn.transaction():
        _act_as(conn, actor_id)
        claimed = conn.execute(
            """update crm.legacy_import_runs
                  set status = 'running', backend_pid = pg_backend_pid(), heartbeat_at = now(), phase = 'starting'
                where id = %s and status = 'queued'
            returning source, file_name, activities_file_name, dry_run, skip_invalid, deals_csv, activities_csv,
                      entity, options""",
            (run_id,),
        ).fetchone()
    if claimed is None:
        return None
    try:
        report = _import(conn, claimed, run_id, actor_id, deals_text, activities_text, progress)
    except (LegacyFileError, ImportFileError) as exc:
        fail(conn, run_id, actor_id, str(exc))
        raise
    except Exception:
        reference = uuid.uuid4().hex[:12]
        log.exception("legacy import run %s failed (reference %s)", run_id, reference)
        try:
            fail(conn, run_id, actor_id, f"The import failed (reference {reference}); nothing from it was written.")
        except psycopg.Error:
            log.warning("legacy import run %s: could not record the failure; it will show as interrupted", run_id)
        raise
    if not report.committed:  # dry run, or invalid rows in all-or-nothing mode: rolled back, recorded here
        with conn.transaction():
            _act_as(conn, actor_id)
            _finish(conn, run_id, report)
    return report


def _import(conn, claimed, run_id, actor_id, deals_text, activities_text, progress) -> Report | ImportReport:
    """The claimed run's import: a record import when it has an entity, else the legacy import."""
    source, file_name, activities_name, dry_run, skip_invalid, stored_deals, stored_activities = claimed[:7]
    entity, options = claimed[7:]
    common = dict(dry_run=dry_run, skip_invalid=skip_invalid, actor_id=actor_id, run_id=run_id,
                  on_commit=lambda c, r: _finish(c, run_id, r), progress=progress or (lambda *_: None))  # fmt: skip
    text = deals_text if deals_text is not None else stored_deals
    if entity is not None:
        return import_records(conn, text, entity, mapping=options.get("mapping", {}),
                              duplicates=options.get("duplicates", "skip"), file_name=file_name or "import.csv",
                              **common)  # fmt: skip
    return import_legacy(
        conn, text, activities_text if activities_text is not None else stored_activities,
        deals_file=file_name or "deals.csv", activities_file=activities_name or "activities.csv",
        from_staging=source == "staging", **common,
    )  # fmt: skip


def _finish(conn: psycopg.Connection, run_id, report: Report | ImportReport) -> None:
    """Mark the run completed with its report; a committed import's files are no longer kept."""
    written = report.rows_written + report.activities_written if report.committed else 0
    conn.execute(
        """update crm.legacy_import_runs
              set status = 'completed', finished_at = now(), heartbeat_at = now(), phase = 'done',
                  progress_done = greatest(progress_total, 1), progress_total = greatest(progress_total, 1),
                  rows_read = %s, rows_written = %s, rows_reported = %s, report = %s,
                  deals_csv = case when %s then null else deals_csv end,
                  activities_csv = case when %s then null else activities_csv end
            where id = %s""",
        (report.rows_read + report.activities_read, written, report.rows_invalid + report.activities_invalid,
         Jsonb(report.as_dict(MAX_STORED_PROBLEMS)), report.committed, report.committed, run_id),
    )  # fmt: skip


def fail(conn: psycopg.Connection, run_id, actor_id, message: str) -> None:
    """Mark a queued or running run failed with ``message`` (its own transaction)."""
    with conn.transaction():
        _act_as(conn, actor_id)
        conn.execute(
            """update crm.legacy_import_runs
                  set status = 'failed', finished_at = now(), error = left(%s, 2000), phase = null
                where id = %s and status in ('queued', 'running')""",
            (message, run_id),
        )


class ProgressWriter:
    """``progress(message, done=None, total=None)`` for the importer, written through its own connection.

    A message with counts is a phase: stored on the run (at most every ``interval`` seconds
    within one phase) with a heartbeat. ``echo`` (the command line) gets each new phase and
    every plain message. Progress is best effort: a failed write never stops the import.
    """

    def __init__(self, conn: psycopg.Connection | None, run_id, actor_id, echo=None, interval: float = 0.5):
        self.conn, self.run_id, self.actor_id, self.echo, self.interval = conn, run_id, actor_id, echo, interval
        self.phase: str | None = None
        self.last = 0.0

    def __call__(self, message: str, done: int | None = None, total: int | None = None) -> None:
        if done is None or total is None:
            if self.echo:
                self.echo(message)
            return
        now = time.monotonic()
        if message == self.phase and now - self.last < self.interval and done < total:
            return
        new_phase = message != self.phase
        self.phase, self.last = message, now
        if self.conn is not None:
            self._write(message, done, total)
        if self.echo and new_phase:
            self.echo(message)  # after the write: what is said is on the run record

    def _write(self, message: str, done: int, total: int) -> None:
        try:
            with self.conn.transaction():
                _act_as(self.conn, self.actor_id)
                self.conn.execute("select set_config('lock_timeout', '2s', true)")
                self.conn.execute(
                    """update crm.legacy_import_runs
                          set phase = %s, progress_done = %s, progress_total = %s, heartbeat_at = now()
                        where id = %s and status = 'running'""",
                    (message[:200], max(done, 0), max(total, 0), self.run_id),
                )
        except psycopg.Error as exc:
            log.warning("legacy import run %s: progress not recorded (%s)", self.run_id, type(exc).__name__)
