"""The backups page's reads and its one write (enqueue a backup): crm.backups as the admin sees it
(row-level security admits admins only), and the backup job waiting or running."""

from __future__ import annotations

import time

from sqlalchemy import text

from dashboard.db import db

SHOWN = 30  # the newest backups the page lists


def recent(limit: int = SHOWN) -> list:
    """The newest backups, newest first."""
    statement = text("""select kind, trigger, status, started_at, finished_at, location, size_bytes, schema_version,
                               error, extract(epoch from finished_at - started_at) as seconds
                          from crm.backups order by started_at desc limit :limit""")
    return db.session.execute(statement, {"limit": limit}).fetchall()


def last_succeeded():
    """The newest backup that succeeded (an archive or a base backup), or None."""
    statement = text("""select kind, finished_at, size_bytes, location from crm.backups
                         where status = 'succeeded' order by finished_at desc limit 1""")
    return db.session.execute(statement).first()


def pending() -> str | None:
    """'waiting' or 'running' while a backup job is queued or running, else None."""
    statement = text("""select status::text from crm_jobs.procrastinate_jobs
                        where task_name = 'backup' and status in ('todo', 'doing')
                        order by status::text limit 1""")
    return {"todo": "waiting", "doing": "running"}.get(db.session.execute(statement).scalar())


def enqueue() -> None:
    """A backup job for a worker, as the acting admin (in the session's transaction; the caller commits)."""
    from dashboard.jobs import backups

    backups.enqueue(db.session.connection().connection.driver_connection, int(time.time()))
