"""The queue's tasks: an import run, and the periodic work every deployment needs.

``SCHEDULE`` is the one list of periodic tasks (cron in UTC; a sixth field is seconds). Each tick is
enqueued once however many workers run (``crm_jobs.procrastinate_periodic_defers``), and a task's
``queueing_lock`` keeps a second copy from waiting while one is queued. A worker that starts within
ten minutes of a missed tick enqueues it (Procrastinate's ``max_delay``); older ticks are skipped.

Tasks that act for a user (an import) do so as that user under row-level security; maintenance runs
with the worker's operator role, as ``crm score`` does.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os

from procrastinate import JobContext
from procrastinate.jobs import Status

from dashboard.jobs import queue
from dashboard.jobs.queue import IMPORTS, MAINTENANCE, app

log = logging.getLogger("dashboard.jobs")


def _recovery_cron() -> str:
    """Look for stalled jobs twice per stalled timeout, at most once a minute."""
    every = int(queue.stalled_seconds() // 2)
    return "* * * * *" if every >= 60 else f"* * * * * */{max(every, 1)}"


SCHEDULE = {
    "rescore": "0 3 * * *",  # nightly: every score, as `crm score` (time windows move with the days)
    "cleanup": "30 4 * * *",  # nightly: expired sessions, old finished jobs, stale import uploads
    "forecast_snapshot": "15 0 1 * *",  # monthly: the month's forecast snapshot (dashboard.services.forecast)
    "duplicate_scan": "45 4 * * *",  # nightly: likely duplicate companies and contacts (/admin/duplicates)
    "backup": "15 2 * * *",  # nightly: an archive (and a base backup) into CRM_BACKUP_DIR (dashboard/jobs/backups.py)
    "recover_stalled_jobs": _recovery_cron(),  # jobs of dead workers: retried or marked failed
    "calendar_sync_due": "* * * * *",  # connected calendars due a sync (dashboard/jobs/calendar.py)
    "webhook_sweep": "* * * * *",  # every minute: due webhook deliveries whatever became of their job
    "webhook_cleanup": "50 4 * * *",  # nightly: webhook events older than 30 days, once delivered or failed
    "notify": "* * * * *",  # every minute: notices due and their email (dashboard/jobs/notifications.py)
    "mail_sync_due": "*/5 * * * *",  # every 5 minutes: the mailboxes due a sync (dashboard/jobs/mail.py)
    "api_cleanup": "55 4 * * *",  # nightly: REST API idempotency keys and rate windows older than a day (jobs/api.py)
}
# tasks safe to run again from the start after their worker died mid-way (their work is one transaction
# and repeating it changes nothing); any other stalled job is marked failed
RETRIED_WHEN_STALLED = {"rescore": 3, "cleanup": 3, "forecast_snapshot": 3, "duplicate_scan": 3}
RETRIED_WHEN_STALLED |= {"calendar_sync": 3, "calendar_sync_due": 3}  # a sync compares before it writes
RETRIED_WHEN_STALLED |= {"webhook_dispatch": 10, "webhook_sweep": 3, "webhook_cleanup": 3}  # webhooks: each send is
# its own transaction, and a delivery left pending is simply sent again (same webhook-id)
RETRIED_WHEN_STALLED |= {"mail_sync": 3}  # a mailbox sync resumes from its last committed batch


def skipped_periodic() -> set[str]:
    """Periodic tasks this worker does not schedule (``CRM_WORKER_SKIP_PERIODIC``, comma-separated names):
    e.g. ``rescore`` where `crm score` already runs from the operator's cron."""
    return {name.strip() for name in os.environ.get("CRM_WORKER_SKIP_PERIODIC", "").split(",") if name.strip()}


def periodic(name: str, periodic_id: str):
    """Schedule the task as ``SCHEDULE[name]`` says, unless this worker skips it."""

    def register(task):
        if name not in skipped_periodic():
            app.periodic(cron=SCHEDULE[name], periodic_id=periodic_id)(task)
        return task

    return register


SESSIONS_KEPT_DAYS = 7  # expired or revoked sessions are deleted after this
SUCCEEDED_JOBS_KEPT_HOURS = 7 * 24
OTHER_JOBS_KEPT_HOURS = 30 * 24  # failed, cancelled, aborted: kept longer, to look into
DRAFT_IMPORTS_KEPT_DAYS = 7  # a record import's upload never mapped
IMPORT_FILES_KEPT_DAYS = 30  # a finished run's kept files (for "run again")


@app.task(name="import_run", queue=IMPORTS)
def import_run(run_id: str) -> str:
    """Import a queued run as its starter (one transaction); see dashboard.legacy.jobs.run_queued."""
    from dashboard.legacy import jobs as import_jobs

    return import_jobs.run_queued(queue.connect, run_id)


@periodic("rescore", "nightly")
@app.task(name="rescore", queue=MAINTENANCE, queueing_lock="rescore")
def rescore(timestamp: int) -> dict:
    """Every score, sentiment, win model and risk factor, in one transaction (what `crm score` does)."""
    from dashboard.intelligence import scores

    with queue.connect() as conn:
        result = scores.rescore_all(conn)
    return {stage: round(seconds, 2) for stage, seconds in result["seconds"].items()}


@periodic("cleanup", "nightly")
@app.task(name="cleanup", queue=MAINTENANCE, queueing_lock="cleanup", pass_context=True)
async def cleanup(context: JobContext, timestamp: int) -> dict:
    """Delete what nobody needs any more; returns the counts."""
    manager = context.app.job_manager
    await manager.delete_old_jobs(nb_hours=SUCCEEDED_JOBS_KEPT_HOURS)
    await manager.delete_old_jobs(nb_hours=OTHER_JOBS_KEPT_HOURS, include_failed=True, include_cancelled=True,
                                  include_aborted=True)  # fmt: skip
    return await asyncio.to_thread(clean_database)


def clean_database() -> dict:
    """Expired sessions, draft imports never mapped, and the kept files of long-finished runs."""
    with queue.connect() as conn:
        sessions = conn.execute(
            """delete from crm.sessions
                where least(expires_at, coalesce(revoked_at, expires_at)) < now() - make_interval(days => %s)""",
            (SESSIONS_KEPT_DAYS,),
        ).rowcount
        drafts = conn.execute(
            """delete from crm.legacy_import_runs
                where status = 'draft' and started_at < now() - make_interval(days => %s)""",
            (DRAFT_IMPORTS_KEPT_DAYS,),
        ).rowcount
        files = conn.execute(
            """update crm.legacy_import_runs set deals_csv = null, activities_csv = null
                where status in ('completed', 'failed') and (deals_csv is not null or activities_csv is not null)
                  and finished_at < now() - make_interval(days => %s)""",
            (IMPORT_FILES_KEPT_DAYS,),
        ).rowcount
    return {"sessions": sessions, "draft_imports": drafts, "import_files": files}


@periodic("forecast_snapshot", "monthly")
@app.task(name="forecast_snapshot", queue=MAINTENANCE, queueing_lock="forecast_snapshot")
def forecast_snapshot(timestamp: int) -> int:
    """The forecast snapshot of the month the tick falls in (UTC)."""
    from dashboard.services.forecast import take_forecast_snapshot

    month = dt.datetime.fromtimestamp(timestamp, dt.UTC).date().replace(day=1)
    with queue.connect() as conn:
        return take_forecast_snapshot(conn, month)


@periodic("duplicate_scan", "nightly")
@app.task(name="duplicate_scan", queue=MAINTENANCE, queueing_lock="duplicate_scan")
def duplicate_scan(timestamp: int) -> dict:
    """The duplicate scan of every company and contact (what `crm duplicates scan` does), one transaction."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from dashboard.services import duplicates

    engine = create_engine("postgresql+psycopg://", creator=queue.connect, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            results = duplicates.scan(conn)
    finally:
        engine.dispose()
    return {r.kind: {"likely": r.likely, "possible": r.listed - r.likely, "seconds": round(r.seconds, 1)}
            for r in results}  # fmt: skip


@periodic("recover_stalled_jobs", "frequent")
# lock: one recovery at a time (two would both retry a job the first one already handed to a live worker)
@app.task(name="recover_stalled_jobs", queue=MAINTENANCE, queueing_lock="recover_stalled_jobs",
          lock="recover_stalled_jobs", pass_context=True)  # fmt: skip
async def recover_stalled_jobs(context: JobContext, timestamp: int) -> dict:
    """Jobs whose worker stopped heartbeating (killed, lost): retried when safe, else marked failed. The run
    of a failed import job is marked failed too, after its database session (if it outlived its worker) is
    terminated: the import's one transaction rolls back, nothing of it stays written."""
    manager = context.app.job_manager
    retried, failed, runs = [], [], []
    for job in await manager.get_stalled_jobs(seconds_since_heartbeat=queue.stalled_seconds()):
        if job.attempts + 1 < RETRIED_WHEN_STALLED.get(job.task_name, 0):
            await manager.retry_job(job)
            retried.append(job.id)
            continue
        await manager.finish_job(job, status=Status.FAILED, delete_job=False)
        failed.append(job.id)
        if job.task_name == "import_run":
            runs.append(job.task_kwargs["run_id"])
    if runs:
        await asyncio.to_thread(_fail_interrupted_runs, runs)
    if retried or failed:
        log.warning("stalled jobs: retried %s, marked failed %s (runs %s)", retried, failed, runs)
    return {"retried": retried, "failed": failed, "runs": runs}


def _fail_interrupted_runs(run_ids: list[str]) -> None:
    from dashboard.legacy import runs

    with queue.connect() as conn:
        conn.execute(
            """select pg_terminate_backend(a.pid) from crm.legacy_import_runs r
                 join pg_catalog.pg_stat_activity a on a.pid = r.backend_pid
                where r.id = any(%s::uuid[]) and r.status = 'running'""",
            (run_ids,),
        )
        conn.execute(
            """update crm.legacy_import_runs set status = 'failed', finished_at = now(), error = %s, phase = null
                where id = any(%s::uuid[]) and status in ('queued', 'running')""",
            (runs.INTERRUPTED, run_ids),
        )
