"""Reminders and notifications (issue 18): the periodic task ``notify``, every minute.

Each pass (one at a time: the task's lock) produces the notices that are due (``crm.produce_notifications``:
tasks due today or overdue in the assignee's zone, meetings within 15 minutes, deals stalled in their stage;
set-based SQL over indexed ranges, each notice once by its unique key) and sends the email that is due
(dashboard/notifications/email.py) when ``CRM_SMTP_URL`` is set. Without it notifications stay in the app,
and the worker says so once when it starts (``announce_email``).

Email links point at ``CRM_BASE_URL`` (default http://127.0.0.1:8000; `crm serve` passes its own address) and
unsubscribe tokens are signed with the app's secret key (``CRM_SECRET_KEY``; the embedded server's instance
key when there is no DATABASE_URL).
"""

from __future__ import annotations

import datetime as dt
import logging
import os

from dashboard.jobs import MAINTENANCE, queue
from dashboard.jobs.queue import app
from dashboard.jobs.tasks import periodic  # SCHEDULE["notify"]: every minute (a meeting's reminder is <= 1 min late)

log = logging.getLogger("dashboard.notifications")
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def base_url() -> str:
    return os.environ.get("CRM_BASE_URL", "").strip() or DEFAULT_BASE_URL


def secret_key() -> str | None:
    """The app's secret key (it signs the unsubscribe links the app checks), or None when unknown here."""
    if key := os.environ.get("CRM_SECRET_KEY", "").strip():
        return key
    if os.environ.get("DATABASE_URL"):
        return None
    from dashboard import pg
    from dashboard.config import _instance_secret

    return _instance_secret(pg.instance_path())


def email_problem() -> str | None:
    """Why this worker sends no email (a sentence), or None when it does."""
    from dashboard.notifications import smtp

    if not smtp.configured():
        return "CRM_SMTP_URL is not set: notifications are shown in the app only, no email is sent"
    try:
        smtp.from_environment()
    except ValueError as exc:
        return f"{exc}: no email is sent"
    if secret_key() is None:
        return "CRM_SECRET_KEY is not set (it signs the unsubscribe links): no email is sent"
    return None


def announce_email() -> None:
    """Say once, at the worker's start, whether notification email goes out."""
    problem = email_problem()
    if problem:
        log.warning("email: %s", problem)
    else:
        log.info("email: notifications are sent through %r, links to %s", _server(), base_url())


def _server():
    from dashboard.notifications import smtp

    return smtp.from_environment()


def produce(conn, as_of: dt.datetime | None = None) -> dict[str, int]:
    """Insert the notices due at ``as_of`` (default now) that do not exist yet, in ``conn``'s transaction (the
    caller commits); how many of each kind."""
    rows = conn.execute("select kind, produced from crm.produce_notifications(coalesce(%s, now()))", (as_of,))
    return {kind: count for kind, count in rows}


def send(conn, now: dt.datetime | None = None) -> dict:
    """Send the email that is due, when this worker may (``email_problem``); the counts."""
    from dashboard.notifications import email

    if email_problem():
        return {}
    return email.send_due(conn, _server(), email.Links(base_url(), secret_key()), now)


@periodic("notify", "every_minute")
@app.task(name="notify", queue=MAINTENANCE, queueing_lock="notify", lock="notify")
def notify(timestamp: int) -> dict:
    """Produce the notices that are due, then send the email that is due."""
    with queue.connect() as conn:
        produced = produce(conn)
        conn.commit()
        try:
            sent = send(conn)
        except OSError as exc:  # the SMTP server cannot be reached: the email waits for the next pass
            log.warning("email: %s", exc)
            sent = {"error": str(exc)}
    return {"produced": produced, "sent": sent}
