"""Running an import run in the background, for the web pages of every import (the legacy import's and
the record imports'): one machinery, ``runs.execute``, run by a worker of the job queue
(:mod:`dashboard.jobs`) acting as the user who started the run, under row-level security.

``start(run_id)`` (the web app) enqueues the run's import in the request's transaction and commits: the
run is in the queue exactly when its job is. ``run_queued(connect, run_id)`` (the worker's ``import_run``
task) takes two connections of the operator's role, makes both act as the run's starter through the
app's role ``crm_app`` and a job session, then imports on one (one transaction: a killed worker leaves
none of its rows) while the other writes the progress the run page polls. Tests set
``LEGACY_IMPORT_INLINE`` to run the import inside the request (and their rollback).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

import psycopg
from flask import current_app
from flask_login import current_user

from dashboard import job_sessions
from dashboard.db import db
from dashboard.imports.reader import ImportFileError
from dashboard.legacy import runs
from dashboard.legacy.importer import LegacyFileError

log = logging.getLogger("dashboard.legacy")

IMPORT_SESSION_SECONDS = 6 * 3600  # longer than any import may run
CANNOT_ACT = ("The job worker could not act as the app's role (its database role needs crm_app); "
              "nothing was written.")  # fmt: skip


def start(run_id: uuid.UUID) -> None:
    """Import the queued run: enqueued for a worker and committed (in-request when the app is configured
    with LEGACY_IMPORT_INLINE, which tests use to stay inside their rollback)."""
    conn = db.session.connection().connection.driver_connection
    if current_app.config.get("LEGACY_IMPORT_INLINE"):
        try:
            runs.execute(conn, run_id, current_user.id)
        except Exception:  # noqa: S110 -- recorded on the run and logged by runs.execute
            pass
        db.session.commit()
        return
    from dashboard.jobs import queue

    queue.enqueue_import(conn, run_id)
    db.session.commit()


def run_queued(connect: Callable[[], psycopg.Connection], run_id: str) -> str:
    """The worker's import of run ``run_id``: 'completed', 'failed' (recorded on the run) or 'skipped' (the
    run is not queued: someone else ran it, or it was closed as interrupted)."""
    with connect() as main, connect() as side:
        row = main.execute("select started_by, status from crm.legacy_import_runs where id = %s", (run_id,)).fetchone()
        main.commit()
        if row is None or row[1] != "queued" or row[0] is None:
            return "skipped"
        actor_id = row[0]
        try:
            job_sessions.act_as((main, side), actor_id, IMPORT_SESSION_SECONDS)
        except psycopg.Error:
            main.rollback()
            runs.fail(main, run_id, actor_id, CANNOT_ACT)
            raise
        try:
            report = runs.execute(main, run_id, actor_id, progress=runs.ProgressWriter(side, run_id, actor_id))
        except (LegacyFileError, ImportFileError):
            return "failed"
        finally:
            job_sessions.end(main, "an import")
        return "skipped" if report is None else "completed"
