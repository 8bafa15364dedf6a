"""Read-only pages and reports from a streaming replica (``CRM_REPLICA_DATABASE_URL``).

Which requests: ``READ_ONLY_PAGES`` (dashboards, team analytics) and the CSV exports of ``EXPORT_LISTS``
(``?format=csv``), by GET, for a signed-in user; everything else reads and writes on the primary. The
replica is a hot standby (``pg_basebackup -R``) logged in as ``crm_app``: row-level security holds there
as on the primary, because the acting user is resolved the same way, read-only -- the transaction presents
its session token (``set_config('app.session', ..., true)`` works on a standby) and
``app.current_user_id()`` looks it up in the replicated ``crm.sessions``. Nothing is written for a read:
the user is loaded (and a replayed cookie refused, which writes) on the primary before the request
switches.

Read-your-writes: a request that may write (POST, PUT, PATCH, DELETE; the login too) stamps the session
cookie (signed) with its time; for ``CRM_REPLICA_STICKY_SECONDS`` (default 5) after it, that browser's
reads stay on the primary. The replica is used only while its lag is within that window and while it
answers (a 2-second connect timeout); otherwise the primary serves. The lag is asked at most once a
second per process: 0 when the replica has replayed all but 16 kB of the WAL the primary had flushed just
before, else the age of the last transaction it replayed. A replica that fails in the middle of a request
fails that request (500); the next one goes to the primary.
"""

from __future__ import annotations

import threading
import time

from flask import Flask, current_app, g, request, session
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from dashboard.db import REPLICA, db

READ_ONLY_PAGES = frozenset({
    "main.index",  # the rep dashboard
    "team.index",  # the team dashboard and forecast
    "team.rep",  # a team member's dashboard
})  # fmt: skip
EXPORT_LISTS = frozenset({  # their CSV exports (?format=csv)
    "deals.index", "companies.index", "contacts.index", "activities.index", "tasks.index", "meetings.index",
    "admin.users",
})  # fmt: skip
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WROTE_AT = "wrote_at"  # the session cookie's key: when this browser last sent a write (time.time())
CHECK_EVERY_SECONDS = 1.0
CAUGHT_UP_BYTES = 16 * 1024  # WAL the replica may be behind and still count as caught up (a record in flight)
# seconds behind: 0 when it has replayed all but CAUGHT_UP_BYTES of what the primary had flushed a moment
# before, else the age of the last transaction it replayed (an idle primary leaves that old: hence the bytes)
LAG_SQL = """select case when not pg_is_in_recovery() then 0
                         when pg_wal_lsn_diff(cast(:primary as pg_lsn), pg_last_wal_replay_lsn()) <= :bytes then 0
                         else extract(epoch from now() - pg_last_xact_replay_timestamp()) end"""


def init_app(app: Flask) -> None:
    app.config.setdefault("REPLICA_STICKY_SECONDS", 5)
    if not app.config.get("REPLICA_DATABASE_URL"):
        return
    app.extensions["crm_replica"] = {"checked": -CHECK_EVERY_SECONDS, "usable": False, "lock": threading.Lock()}
    app.before_request(choose_database)
    app.after_request(remember_writes)


def reads_from_replica() -> bool:
    """Whether this request is one the replica may serve (the list above)."""
    if request.method not in ("GET", "HEAD"):
        return False
    return request.endpoint in READ_ONLY_PAGES or (
        request.endpoint in EXPORT_LISTS and request.args.get("format") == "csv"
    )


def sticky_seconds() -> float:
    return float(current_app.config["REPLICA_STICKY_SECONDS"])


def wrote_recently() -> bool:
    wrote_at = session.get(WROTE_AT)
    return isinstance(wrote_at, (int, float)) and time.time() - wrote_at < sticky_seconds()


def choose_database() -> None:
    """Before the view: the replica for a listed read of a signed-in user who has not written lately,
    while the replica is fresh enough; the primary otherwise."""
    if not reads_from_replica() or not current_user.is_authenticated:  # loads the user on the primary
        return
    if wrote_recently() or not replica_usable():
        return
    db.session.commit()  # ends the primary's transaction: the next one begins on the replica
    g.read_replica = True


def remember_writes(response):
    if request.method not in SAFE_METHODS:
        session[WROTE_AT] = time.time()
    return response


def replica_usable() -> bool:
    """The replica answers and lags by no more than the sticky window (asked at most once a second)."""
    state = current_app.extensions["crm_replica"]
    now = time.monotonic()
    if now - state["checked"] < CHECK_EVERY_SECONDS:
        return state["usable"]
    with state["lock"]:
        if now - state["checked"] >= CHECK_EVERY_SECONDS:
            state["usable"] = replica_lag() <= sticky_seconds()
            state["checked"] = time.monotonic()
    return state["usable"]


def replica_lag() -> float:
    """Seconds the replica is behind (infinity when it does not answer)."""
    with db.engines[None].connect() as conn:
        primary = conn.execute(text("select pg_current_wal_flush_lsn()::text")).scalar()
    try:
        with db.engines[REPLICA].connect() as conn:
            lag = conn.execute(text(LAG_SQL), {"primary": primary, "bytes": CAUGHT_UP_BYTES}).scalar()
    except DBAPIError:
        current_app.logger.warning("the read replica does not answer: the primary serves its pages")
        return float("inf")
    return float(lag) if lag is not None else float("inf")
