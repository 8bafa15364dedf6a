"""Work outside a web request that acts as a user: a job worker's mailbox or calendar sync and its import
runs, and ``crm import``. The operator's connections switch to the app's role ``crm_app`` (row-level
security applies) and present one new job session for the rest of their life -- session-level, not
transaction-local as in a web request (dashboard/db.py), because the work spans many transactions. So such a
connection is used for that one user's work and closed after it, and the session is ended when the work
ends (it expires by itself anyway). This is the only place that presents a session beyond a transaction
(tests/test_static.py).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import psycopg

log = logging.getLogger("dashboard.jobs")


def act_as(connections: Sequence[psycopg.Connection], user_id, seconds: int) -> str:
    """Every one of ``connections`` (the operator's, no transaction open) acts as ``user_id`` from now on,
    with one new job session lasting at most ``seconds``; returns the session's token. Raises
    psycopg.errors.InsufficientPrivilege if the operator's role may not act as crm_app."""
    token = connections[0].execute("select app.issue_session(%s, 'job', %s)", (user_id, seconds)).fetchone()[0]
    for conn in connections:
        conn.execute("set role crm_app")
        conn.execute("select set_config('app.session', %s, false)", (token,))
        conn.commit()
    return token


def end(conn: psycopg.Connection, work: str) -> None:
    """End the job session ``conn`` acts with, after rolling back what it left uncommitted (best effort: the
    session expires by itself); ``work`` names the work in the warning, e.g. "a mail sync"."""
    try:
        conn.rollback()
        with conn.transaction():
            conn.execute("select app.end_session(false)")
    except psycopg.Error:
        log.warning("could not end the job session of %s; it expires by itself", work)
