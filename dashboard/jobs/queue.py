"""The job queue: one Procrastinate app, used by the web app to enqueue and by the workers to run.

The queue's tables are in schema ``crm_jobs`` and Procrastinate names them unqualified, so every
connection that talks to the queue puts ``crm_jobs`` on its search path: the workers' pool for its
whole life (``worker_connection_options``), the web app for the one statement that enqueues
(``enqueue_import``, transaction-local, then restored).
"""

from __future__ import annotations

import os
import uuid

import procrastinate
import psycopg

from dashboard.jobs import IMPORTS, MAINTENANCE  # noqa: F401 -- the queues, named here for the tasks

SCHEMA = "crm_jobs"


def _seconds(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name) or default)
    except ValueError:
        raise ValueError(f"{name} must be a number of seconds") from None
    if value <= 0:
        raise ValueError(f"{name} must be positive")
    return value


def heartbeat_seconds() -> float:
    """How often a worker writes its heartbeat (``CRM_WORKER_HEARTBEAT_SECONDS``, default 10)."""
    return _seconds("CRM_WORKER_HEARTBEAT_SECONDS", 10)


def stalled_seconds() -> float:
    """A worker silent this long is dead and its running jobs are recovered (``CRM_WORKER_STALLED_SECONDS``,
    default 60: six missed heartbeats)."""
    return _seconds("CRM_WORKER_STALLED_SECONDS", 60)


def polling_seconds() -> float:
    """How often a worker looks for due jobs besides being notified of new ones (``CRM_WORKER_POLL_SECONDS``,
    default 5): a job scheduled for later (a webhook retry) starts at most this late."""
    return _seconds("CRM_WORKER_POLL_SECONDS", 5)


IMPORT_PATHS = [
    "dashboard.jobs.tasks",
    "dashboard.jobs.scale",
    "dashboard.jobs.backups",
    "dashboard.jobs.calendar",
    "dashboard.jobs.webhooks",
    "dashboard.jobs.notifications",
    "dashboard.jobs.mail",
    "dashboard.jobs.api",
]
app = procrastinate.App(connector=procrastinate.PsycopgConnector(), import_paths=IMPORT_PATHS)


def application_name() -> str:
    """How a worker's connections are named in pg_stat_activity: ``crm worker <pid>``."""
    return f"crm worker {os.getpid()}"


def worker_connection_options() -> str:
    """libpq ``options`` for the workers' connections: the queue's schema first, times in UTC."""
    return f"-c search_path={SCHEMA},public -c timezone=UTC"


def enqueue_import(conn: psycopg.Connection, run_id: uuid.UUID) -> int:
    """Enqueue the import of queued run ``run_id`` in ``conn``'s open transaction; return the job's id.

    ``conn`` is the web app's (crm_app, acting as the user): row-level security admits the job only for a
    queued run the user can see (sql/policies/jobs.sql). It becomes visible to the workers, and they are
    notified, when the caller commits.
    """
    from dashboard.jobs import tasks

    return _defer(conn, tasks.import_run, run_id=str(run_id))


def enqueue_duplicate_scan(conn: psycopg.Connection, timestamp: int) -> int:
    """Enqueue a duplicate scan (task ``duplicate_scan``) in ``conn``'s open transaction, as the web app's admin
    (sql/policies/duplicates.sql admits admins only); return the job's id. Raises
    ``procrastinate.exceptions.AlreadyEnqueued`` while one is waiting (its queueing lock)."""
    from dashboard.jobs import tasks

    return _defer(conn, tasks.duplicate_scan, timestamp=timestamp)


def _defer(conn: psycopg.Connection, task, **arguments) -> int:
    """Defer ``task`` on ``conn`` with ``crm_jobs`` on the search path for that statement only, in a savepoint
    (a refused enqueue, such as a queueing lock's, leaves the caller's transaction usable)."""
    with conn.transaction():
        previous = conn.execute("select current_setting('search_path')").fetchone()[0]
        conn.execute("select set_config('search_path', %s, true)", (f"{previous}, {SCHEMA}",))
        job_id = task.configure(connection=conn).defer(**arguments)
        conn.execute("select set_config('search_path', %s, true)", (previous,))
    return job_id


_database: list[str] = []  # the operator's URL the worker's tasks connect with (libpq form)


def use_database(url: str) -> None:
    """The URL (the operator's role: superuser or BYPASSRLS) the tasks' own connections use."""
    _database[:] = [url]


def connect() -> psycopg.Connection:
    """A new connection for a task, on the worker's database (times read as UTC, as the app's)."""
    if not _database:
        from dashboard import pg

        use_database(pg.libpq_url(pg.admin_url()))
    return psycopg.connect(_database[0], options="-c timezone=UTC", application_name=application_name())
