"""Running a worker of the job queue: ``crm worker``, and the one ``crm serve`` starts beside gunicorn.

A worker connects with the operator's admin URL (``pg.admin_url()``: ``MIGRATION_DATABASE_URL``, else
``DATABASE_URL``, else the embedded server), listens for new jobs (LISTEN/NOTIFY, with polling as a
fallback), runs up to ``concurrency`` jobs at once (synchronous tasks in threads), enqueues the periodic
ticks, and writes a heartbeat. SIGTERM or SIGINT stops it cleanly: it takes no new job, waits up to
``SHUTDOWN_GRACE_SECONDS`` for the running ones, then abandons them (their transactions roll back; the
next worker's stalled-job recovery marks them). Any number of workers may share one database.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterable

import procrastinate

from dashboard import pg
from dashboard.jobs import SHUTDOWN_GRACE_SECONDS, notifications, queue


def configure_logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("procrastinate").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per webhook request otherwise


def run(concurrency: int = 2, queues: Iterable[str] | None = None) -> None:
    """Run a worker until it is stopped (SIGTERM, SIGINT)."""
    url = pg.admin_url()
    pg.check_connection(url)
    libpq = pg.libpq_url(url)
    queue.use_database(libpq)
    connector = procrastinate.PsycopgConnector(
        conninfo=libpq,
        kwargs={"options": queue.worker_connection_options(), "application_name": queue.application_name()},
        min_size=1,
        max_size=concurrency + 3,  # jobs, the listener, heartbeat and periodic deferrer
    )
    name = f"{socket.gethostname()}-{os.getpid()}"
    notifications.announce_email()  # once: whether notification email goes out (no CRM_SMTP_URL: in the app only)
    logging.getLogger("dashboard.jobs").info("worker %s on %s", name, ", ".join(queues or ["every queue"]))
    with queue.app.replace_connector(connector):
        queue.app.run_worker(
            name=name,
            concurrency=concurrency,
            queues=list(queues) if queues else None,
            update_heartbeat_interval=queue.heartbeat_seconds(),
            stalled_worker_timeout=queue.stalled_seconds(),
            fetch_job_polling_interval=queue.polling_seconds(),
            shutdown_graceful_timeout=SHUTDOWN_GRACE_SECONDS,
        )
