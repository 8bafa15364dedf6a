"""The backup task: nightly (``SCHEDULE["backup"]``) and on an admin's demand (/admin/backups), run by a worker
with its operator role (dashboard/backup/scheduled.py; docs/operations.md)."""

from __future__ import annotations

from sqlalchemy.engine import URL, make_url

from dashboard import pg
from dashboard.jobs import queue
from dashboard.jobs.queue import MAINTENANCE, app
from dashboard.jobs.tasks import periodic


def worker_url() -> URL:
    """The worker's own database URL (the operator's), as its other tasks connect."""
    if not queue._database:
        queue.use_database(pg.libpq_url(pg.admin_url()))
    return make_url(queue._database[0]).set(drivername="postgresql+psycopg")


@periodic("backup", "nightly")
@app.task(name="backup", queue=MAINTENANCE, queueing_lock="backup", lock="backup")
def backup(timestamp: int, trigger: str = "schedule") -> dict:
    """An archive (and, for the embedded server, a base backup) into CRM_BACKUP_DIR, keeping CRM_BACKUP_KEEP."""
    from dashboard.backup import scheduled

    return scheduled.run(worker_url(), trigger)


def enqueue(conn, timestamp: int) -> int:
    """Enqueue a backup asked for by an admin on the web app's connection (sql/policies/backups.sql admits
    admins only); raises ``AlreadyEnqueued`` while one is waiting."""
    return queue._defer(conn, backup, timestamp=timestamp, trigger="admin")
