"""The calendar sync's tasks (dashboard/calendar_sync): ``calendar_sync`` syncs one connection as its user;
``calendar_sync_due`` (periodic, every minute) enqueues the connections that are due -- their interval after a
success, their backoff after failures (``next_attempt_at``), so a broken calendar is not flooded.

A connection has at most one sync waiting (queueing lock ``calendar_sync:<id>``); the web app enqueues one
when a calendar is connected or "Sync now" is pressed (``enqueue_sync``, under the policies of
sql/policies/calendar.sql: one's own connection only). Job arguments are the connection's id, never a password.
"""

from __future__ import annotations

import asyncio

import psycopg
from procrastinate import JobContext
from procrastinate.exceptions import AlreadyEnqueued

from dashboard.jobs import queue
from dashboard.jobs.queue import SCHEMA, app
from dashboard.jobs.tasks import periodic

CALENDAR = "calendar"  # the queue of calendar syncs


def lock(connection_id) -> str:
    return f"calendar_sync:{connection_id}"


@app.task(name="calendar_sync", queue=CALENDAR)
def calendar_sync(connection_id: str) -> dict:
    """Sync one connected calendar as its user (dashboard.calendar_sync.engine.run)."""
    from dashboard.calendar_sync import engine

    return engine.run(queue.connect, connection_id)


@periodic("calendar_sync_due", "every minute")
@app.task(name="calendar_sync_due", queue=queue.MAINTENANCE, queueing_lock="calendar_sync_due", pass_context=True)
async def calendar_sync_due(context: JobContext, timestamp: int) -> dict:
    """Enqueue the sync of every connection that is due (and has none waiting)."""
    due = await asyncio.to_thread(_due_connections)
    enqueued = 0
    for connection_id in due:
        try:
            await calendar_sync.configure(queueing_lock=lock(connection_id)).defer_async(connection_id=connection_id)
            enqueued += 1
        except AlreadyEnqueued:
            pass
    return {"due": len(due), "enqueued": enqueued}


def _due_connections() -> list[str]:
    with queue.connect() as conn:
        return due_connections(conn)


def due_connections(conn: psycopg.Connection) -> list[str]:
    """Connections of active users whose next sync is due (after a failure: once its backoff has passed)."""
    return [str(r[0]) for r in conn.execute(
        """select c.id from crm.calendar_connections c join crm.users u on u.id = c.user_id
            where c.next_attempt_at <= now() and u.is_active order by c.next_attempt_at limit 1000""")]  # fmt: skip


def enqueue_sync(conn: psycopg.Connection, connection_id) -> bool:
    """Enqueue the sync of the acting user's connection in ``conn``'s open transaction (the web app's, as the
    user); False when one is already waiting. Visible to the workers when the caller commits."""
    with conn.transaction():
        previous = conn.execute("select current_setting('search_path')").fetchone()[0]
        conn.execute("select set_config('search_path', %s, true)", (f"{previous}, {SCHEMA}",))
        try:
            with conn.transaction():
                calendar_sync.configure(connection=conn, queueing_lock=lock(connection_id)).defer(
                    connection_id=str(connection_id))
            waiting = True
        except AlreadyEnqueued:
            waiting = False
        conn.execute("select set_config('search_path', %s, true)", (previous,))
    return waiting
