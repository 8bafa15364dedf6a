"""Running an import run in the background, for the web pages of every import (the legacy import's and
the record imports'): one machinery, ``runs.execute`` on the app's own ``crm_app`` connections acting as
the user under row-level security -- never an owner connection.

``start(run_id)`` forks a job session for the acting user (it outlives the request and a logout),
commits, and starts a daemon thread with two raw connections: one runs the whole import in one
transaction, the other writes progress that the run page polls. Tests set ``LEGACY_IMPORT_INLINE`` to
run the import inside the request (and their rollback).
"""

from __future__ import annotations

import logging
import threading
import uuid

from flask import current_app
from flask_login import current_user

from dashboard.db import db
from dashboard.legacy import runs
from dashboard.services import login as logins

log = logging.getLogger("dashboard.legacy")

IMPORT_SESSION_SECONDS = 6 * 3600  # longer than any import may run


def start(run_id: uuid.UUID) -> None:
    """Import the queued run: in a background thread on the app's own connections (in-request when the
    app is configured with LEGACY_IMPORT_INLINE, which tests use to stay inside their rollback)."""
    actor_id = current_user.id
    if current_app.config.get("LEGACY_IMPORT_INLINE"):
        conn = db.session.connection().connection.driver_connection
        try:
            runs.execute(conn, run_id, actor_id)
        except Exception:  # noqa: S110 -- recorded on the run and logged by runs.execute
            pass
        db.session.commit()
        return
    # the thread acts through a session of its own: it outlives this request (and a logout)
    token = logins.fork_session(IMPORT_SESSION_SECONDS)
    db.session.commit()
    engine = db.engine
    worker = threading.Thread(
        target=_import_in_background, args=(engine, run_id, actor_id, token), name=f"import-{run_id}"
    )
    worker.daemon = True
    worker.start()


def _present_session(connections, token: str) -> None:
    """Make ``token`` the session every transaction on these pooled connections presents ('' to stop)."""
    for conn in connections:
        conn.execute("select set_config('app.session', %s, false)", (token,))
        conn.commit()


def _import_in_background(engine, run_id, actor_id, token: str) -> None:
    """One connection for the import's transaction, one for its progress; both back to the pool after."""
    try:
        main, side = engine.raw_connection(), engine.raw_connection()
    except Exception:
        log.exception("import run %s: no database connection; it stays queued (retry it)", run_id)
        return
    connections = (main.driver_connection, side.driver_connection)
    try:
        _present_session(connections, token)
        progress = runs.ProgressWriter(side.driver_connection, run_id, actor_id)
        runs.execute(main.driver_connection, run_id, actor_id, progress=progress)
    except Exception:  # noqa: S110 -- recorded on the run and logged by runs.execute
        pass
    finally:
        try:
            _present_session(connections, "")
        finally:
            side.close()
            main.close()
