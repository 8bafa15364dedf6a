"""Connecting a user's CalDAV calendar (the account page, ``crm calendar connect``) and disconnecting it.

The password is encrypted at once (``dashboard.credentials``, purpose ``calendar``) and written into a column
``crm_app`` may write but never read; only the job worker decrypts it. A URL over plain ``http`` is accepted
for a server on this machine only (loopback); anything else must be ``https``.
"""

from __future__ import annotations

import ipaddress
import uuid
from urllib.parse import urlsplit

from psycopg.rows import namedtuple_row

from dashboard import credentials
from dashboard.calendar_sync import CREDENTIAL_PURPOSE
from dashboard.calendar_sync.remote import split_credentials

URL_MAX = 2000
PASSWORD_MAX = 1000
CONFLICTS_SHOWN = 10
class ConnectionProblem(ValueError):
    """Input that cannot make a connection; the message says why (shown on the form, printed by the CLI)."""


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def checked_url(raw: str) -> tuple[str, str | None]:
    """The calendar URL to store (no user information) and the user name it named; ``ConnectionProblem``
    for anything else than an https URL (or http on this machine)."""
    raw = (raw or "").strip()
    if not raw or len(raw) > URL_MAX or any(ch.isspace() or ord(ch) < 32 for ch in raw):
        raise ConnectionProblem("Enter the calendar's address (an https:// URL).")
    try:
        parts = urlsplit(raw)
        host, port = parts.hostname, parts.port  # port raises ValueError when it is not a number
    except ValueError:
        raise ConnectionProblem("That is not a URL the calendar could be reached at.") from None
    if parts.scheme.lower() not in ("http", "https") or not host:
        raise ConnectionProblem("The calendar's address must start with https://.")
    if parts.scheme.lower() == "http" and not is_loopback(host):
        raise ConnectionProblem("Use https:// (plain http:// only for a server on this machine).")
    del port
    return split_credentials(raw)


def connect(conn, user_id, caldav_url: str, password: str, username: str | None = None) -> uuid.UUID:
    """Store (or replace) the user's connection, due for a sync now; a new address starts the sync afresh.
    ``conn`` acts as the user (or is the operator's); the caller commits and enqueues the sync."""
    url, url_user = checked_url(caldav_url)
    if not password or len(password) > PASSWORD_MAX or "\x00" in password:
        raise ConnectionProblem("Enter the calendar's password.")
    email = conn.execute("select email from crm.users where id = %s", (user_id,)).fetchone()
    username = (username or url_user or (email[0] if email else "")).strip()
    if not username or len(username) > 320:
        raise ConnectionProblem("Enter the user name the calendar knows you by.")
    blob = credentials.encrypt_secret(password, purpose=CREDENTIAL_PURPOSE)
    existing = conn.execute("select id, caldav_url from crm.calendar_connections where user_id = %s",
                            (user_id,)).fetchone()  # fmt: skip
    if existing is None:
        return conn.execute(
            """insert into crm.calendar_connections (user_id, caldav_url, username, password_encrypted)
               values (%s, %s, %s, %s) returning id""", (user_id, url, username, blob)).fetchone()[0]  # fmt: skip
    if existing[1] != url:  # another calendar: what was synced with the old one no longer stands for it
        conn.execute("delete from crm.calendar_events where user_id = %s", (user_id,))
    conn.execute(
        """update crm.calendar_connections
              set caldav_url = %s, username = %s, password_encrypted = %s, status = 'pending', status_message = null,
                  failures = 0, next_attempt_at = now(),
                  sync_token = case when caldav_url = %s then sync_token end
            where id = %s""",
        (url, username, blob, url, existing[0]),
    )
    return existing[0]


def disconnect(conn, user_id) -> bool:
    """Forget the connection, its synced events and conflicts (the meetings stay); False when there was none."""
    conn.execute("delete from crm.calendar_events where user_id = %s", (user_id,))
    conn.execute("delete from crm.calendar_conflicts where user_id = %s", (user_id,))
    return conn.execute("delete from crm.calendar_connections where user_id = %s", (user_id,)).rowcount > 0


def status(conn, user_id):
    """The user's connection as the account page shows it (never the password), or None."""
    return conn.cursor(row_factory=namedtuple_row).execute(
        """select id, caldav_url, username, status, status_message, failures, next_attempt_at, last_attempt_at,
                  last_success_at, created_at
           from crm.calendar_connections where user_id = %s""",
        (user_id,),
    ).fetchone()


def conflicts(conn, user_id) -> list:
    """The user's latest conflicts, newest first."""
    return conn.cursor(row_factory=namedtuple_row).execute(
        """select occurred_at, kept, details, meeting_id from crm.calendar_conflicts where user_id = %s
           order by occurred_at desc limit %s""", (user_id, CONFLICTS_SHOWN)).fetchall()  # fmt: skip


def mark_due(conn, user_id) -> uuid.UUID | None:
    """Make the connection due now ("Sync now"); its id, or None when there is none."""
    row = conn.execute("update crm.calendar_connections set next_attempt_at = now() where user_id = %s returning id",
                       (user_id,)).fetchone()  # fmt: skip
    return row[0] if row else None
