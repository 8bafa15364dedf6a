"""One sync of one mailbox (the worker's ``mail_sync`` task, and ``crm mail sync``).

The connection starts with the operator's role only to read the account's encrypted password (crm_app
cannot) and to issue a job session for its user; then it takes the app's role (``set role crm_app``) and
everything else -- contacts read, activities and records written, the account's status -- happens as that
user under row-level security. The password is decrypted here and handed to the IMAP login, nowhere else.

Per folder (the URL's, then the sent folder): the UIDs above the last one synced (all again when the
folder's UIDVALIDITY changed), in batches, each committed with the folder's new last UID, so an interrupted
sync resumes where it stopped. A failure to log in or reach the server is recorded on the account with
the next attempt later and later (``backoff``); a message that cannot be read is recorded as skipped.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from dashboard import job_sessions
from dashboard.credentials import CredentialError, decrypt_secret
from dashboard.mail import imap, parse, store
from dashboard.mail import url as mailurl
from dashboard.mail.accounts import PURPOSE

log = logging.getLogger("dashboard.mail")

SYNC_EVERY = dt.timedelta(minutes=5)  # after a success
BACKOFF_FIRST = dt.timedelta(minutes=5)  # after the first failure, then doubling
BACKOFF_MAX = dt.timedelta(hours=6)
BATCH = 1000  # messages per transaction (each also rescores its contacts, companies and deals once)
SESSION_SECONDS = 3600


def backoff(failures: int) -> dt.timedelta:
    """How long after the ``failures``-th failure in a row the next attempt waits: 5, 10, 20 ... minutes, at
    most 6 hours."""
    return min(BACKOFF_FIRST * 2 ** max(failures - 1, 0), BACKOFF_MAX)


def engine_for(connect):
    """A SQLAlchemy engine over ``connect`` (the worker's operator connections), one connection per use."""
    return create_engine("postgresql+psycopg://", creator=connect, poolclass=NullPool)


def sync_account(connect, account_id: str) -> dict:
    """Sync mailbox ``account_id``; a summary (``status``, counts). Never raises for the mailbox's faults."""
    engine = engine_for(connect)
    try:
        with engine.connect() as conn:
            # one sync of a mailbox at a time, whoever runs it (the worker's job, `crm mail sync`): the next waits
            conn.execute(text("select pg_advisory_lock(hashtextextended(:k, 0))"), {"k": f"mail_sync:{account_id}"})
            account = text("""select user_id, imap_url, password_encrypted, folder_state, failures
                                from crm.mail_accounts where id = :id""")
            row = conn.execute(account, {"id": account_id}).first()
            conn.commit()
            if row is None:
                return {"status": "gone"}
            act_as(conn, row.user_id)
            try:
                return _sync(conn, account_id, row)
            finally:
                end_session(conn)
    finally:
        engine.dispose()


def act_as(conn, user_id) -> str:
    """The SQLAlchemy connection ``conn`` (the operator's, no transaction open) acts as ``user_id`` from now
    on (dashboard/job_sessions.py); the job session's token."""
    return job_sessions.act_as([conn.connection.driver_connection], user_id, SESSION_SECONDS)


def end_session(conn) -> None:
    """End the job session of ``conn`` (a SQLAlchemy connection), rolling back what it left uncommitted."""
    job_sessions.end(conn.connection.driver_connection, "a mail sync")


def _sync(conn, account_id: str, row) -> dict:
    started = time.monotonic()
    try:
        password = decrypt_secret(row.password_encrypted, purpose=PURPOSE)
    except CredentialError as exc:
        return _failed(conn, account_id, row.failures, "credentials_unreadable", f"{exc}.", retry=False)
    address = mailurl.parse(row.imap_url)
    mailbox = store.load_mailbox(conn, row.user_id, address.user)
    conn.commit()
    counts = store.Counts()
    state = dict(row.folder_state or {})
    try:
        with imap.session(address, password) as box:
            del password
            folders = [(address.folder, False)]
            sent = imap.sent_folder(box)
            if sent and sent != address.folder:
                folders.append((sent, True))
            for folder, outbound in folders:
                _sync_folder(conn, account_id, box, folder, outbound, mailbox, state, counts)
    except imap.MailboxError as exc:
        conn.rollback()
        return _failed(conn, account_id, row.failures, exc.status, str(exc))
    except Exception as exc:  # an unexpected fault: recorded, retried with backoff, and logged in full
        conn.rollback()
        log.exception("mailbox %s: sync failed", account_id)
        message = f"The sync failed ({type(exc).__name__}); it will be retried."
        return _failed(conn, account_id, row.failures, "failing", message)
    return _succeeded(conn, account_id, counts, time.monotonic() - started)


def _sync_folder(conn, account_id, box, folder: str, outbound: bool, mailbox, state: dict, counts) -> None:
    validity = imap.open_folder(box, folder)
    kept = state.get(folder) or {}
    last = int(kept.get("last_uid", 0)) if kept.get("uidvalidity") == validity else 0  # a new UIDVALIDITY: all again
    batch: list[store.Item] = []
    fetching = time.perf_counter()
    for fetched in imap.fetch(box, imap.new_sizes(box, last)):
        parsing = time.perf_counter()
        counts.seconds["imap"] += parsing - fetching
        batch.append(store.Item(folder, fetched.uid, _parse(fetched), outbound))
        counts.seconds["parse"] += time.perf_counter() - parsing
        if len(batch) >= BATCH:
            last = _commit_batch(conn, account_id, mailbox, batch, state, (folder, validity, last), counts)
            batch = []
        fetching = time.perf_counter()
    _commit_batch(conn, account_id, mailbox, batch, state, (folder, validity, last), counts)


def _parse(fetched: imap.Fetched):
    if fetched.raw is None:
        return parse.Skipped(f"<uid-{fetched.uid}-too-large@no-message-id>",
                             f"message too large ({fetched.size / 1_000_000:.1f} MB, not downloaded)")  # fmt: skip
    return parse.parse(fetched.raw, fetched.internal_date)


def _commit_batch(conn, account_id, mailbox, batch, state: dict, position: tuple, counts) -> int:
    """Store ``batch`` and the folder's new last UID in one transaction; that UID."""
    folder, validity, last = position
    before, started = len(counts.skip_reasons), time.perf_counter()
    if batch:
        store.store(conn, mailbox, batch, counts)
    last = max([last, *(item.uid for item in batch)])
    state[folder] = {"uidvalidity": validity, "last_uid": last}
    conn.execute(text("update crm.mail_accounts set folder_state = cast(:s as jsonb) where id = :id"),
                 {"s": json.dumps(state), "id": account_id})  # fmt: skip
    conn.commit()
    counts.seconds["store"] += time.perf_counter() - started
    for folder_name, uid, reason in counts.skip_reasons[before:]:
        log.warning("mailbox %s: message %s/%s skipped: %s", account_id, folder_name, uid, reason)
    return last


def _succeeded(conn, account_id: str, counts, seconds: float) -> dict:
    message = (f"Synced: {counts.logged} message(s) logged, {counts.skipped} skipped, {counts.no_contact} not with a "
               f"contact, {counts.never_logged} never logged.")  # fmt: skip
    conn.execute(text(
        """update crm.mail_accounts
              set status = 'ok', status_message = :m, failures = 0, last_attempt_at = now(), last_synced_at = now(),
                  next_attempt_at = now() + :every, messages_logged = messages_logged + :logged,
                  messages_skipped = messages_skipped + :skipped
            where id = :id"""),
        {"m": message, "every": SYNC_EVERY, "logged": counts.logged, "skipped": counts.skipped,
         "id": account_id})  # fmt: skip
    conn.commit()
    log.info("mailbox %s: %s (%.1f s)", account_id, message, seconds)
    return {"status": "ok", "logged": counts.logged, "skipped": counts.skipped, "no_contact": counts.no_contact,
            "never_logged": counts.never_logged, "already": counts.already, "suggested": len(counts.suggested),
            "seconds": round(seconds, 2), "phases": {k: round(v, 2) for k, v in counts.seconds.items()}}  # fmt: skip


def _failed(conn, account_id: str, failures: int, status: str, message: str, retry: bool = True) -> dict:
    failures += 1
    wait = backoff(failures) if retry else None
    conn.execute(text(
        """update crm.mail_accounts
              set status = :status, status_message = :m, failures = :f, last_attempt_at = now(),
                  next_attempt_at = case when :retry then now() + :wait end
            where id = :id"""),
        {"status": status, "m": message[:500], "f": failures, "retry": retry, "wait": wait or dt.timedelta(0),
         "id": account_id})  # fmt: skip
    conn.commit()
    log.warning("mailbox %s: %s (%s; failure %d%s)", account_id, status, message, failures,
                f", next attempt in {wait}" if wait else ", not retried")  # fmt: skip
    return {"status": status, "message": message, "failures": failures,
            "retry_in_seconds": wait.total_seconds() if wait else None}  # fmt: skip
