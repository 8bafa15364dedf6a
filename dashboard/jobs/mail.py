"""Mailbox sync in the job queue (dashboard/mail): the sync of one mailbox, and the periodic tick that
enqueues the mailboxes due.

``mail_sync(account_id)`` runs on queue ``mail``, one at a time per mailbox (its ``lock``) and at most one
waiting per mailbox (its ``queueing_lock``). The web app enqueues it when a user connects (row-level
security admits only the user's own mailbox, sql/policies/mail.sql); ``mail_sync_due`` enqueues every
mailbox whose ``next_attempt_at`` has come (a few minutes after a success, later and later after failures:
dashboard/mail/sync.backoff), so a failing server is never flooded.
"""

from __future__ import annotations

import asyncio
import logging

import psycopg
from procrastinate.exceptions import AlreadyEnqueued

from dashboard.jobs import queue
from dashboard.jobs.queue import app
from dashboard.jobs.tasks import periodic

MAIL = "mail"  # the queue
log = logging.getLogger("dashboard.jobs")


@app.task(name="mail_sync", queue=MAIL)
def mail_sync(account_id: str) -> dict:
    """Sync one mailbox as its user (dashboard.mail.sync.sync_account)."""
    from dashboard.mail.sync import sync_account

    return sync_account(queue.connect, account_id)


def enqueue_sync(conn: psycopg.Connection, account_id) -> int | None:
    """Enqueue the sync of mailbox ``account_id`` in ``conn``'s transaction (the web app's, as the mailbox's
    user, or an operator's); the job's id, or None when one is already waiting (its queueing lock)."""
    key = f"mail_sync:{account_id}"
    waiting = "select exists (select from crm_jobs.procrastinate_jobs where queueing_lock = %s and status = 'todo')"
    if conn.execute(waiting, (key,)).fetchone()[0]:
        return None
    try:
        with conn.transaction():
            previous = conn.execute("select current_setting('search_path')").fetchone()[0]
            conn.execute("select set_config('search_path', %s, true)", (f"{previous}, {queue.SCHEMA}",))
            job_id = mail_sync.configure(connection=conn, lock=key, queueing_lock=key).defer(account_id=str(account_id))
            conn.execute("select set_config('search_path', %s, true)", (previous,))
    except Exception as error:  # noqa: BLE001 -- only the queueing lock's refusal is expected; others re-raised
        if not queueing_lock_taken(error):
            raise
        return None
    return job_id


def queueing_lock_taken(error: BaseException | None) -> bool:
    """Whether the enqueue was refused because a sync is already waiting. Procrastinate cannot tell under
    row-level security, which hides the violation's detail: read the cause ourselves."""
    while error is not None:
        if isinstance(error, AlreadyEnqueued):
            return True
        if getattr(getattr(error, "diag", None), "constraint_name", None) == "procrastinate_jobs_queueing_lock_idx_v1":
            return True
        error = error.__cause__ or error.__context__
    return False


@periodic("mail_sync_due", "frequent")
@app.task(name="mail_sync_due", queue=MAIL, queueing_lock="mail_sync_due")
async def mail_sync_due(timestamp: int) -> dict:
    """Enqueue the sync of every mailbox whose next attempt has come."""
    return await asyncio.to_thread(enqueue_due)


def enqueue_due() -> dict:
    """The mailboxes of active users that are due, each enqueued once (those still waiting are left as they are)."""
    with queue.connect() as conn:
        due = [row[0] for row in conn.execute(
            """select a.id from crm.mail_accounts a join crm.users u on u.id = a.user_id and u.is_active
                where a.next_attempt_at <= now() order by a.next_attempt_at""").fetchall()]  # fmt: skip
        enqueued = [str(account_id) for account_id in due if enqueue_sync(conn, account_id) is not None]
        conn.commit()
    return {"due": len(due), "enqueued": enqueued}
