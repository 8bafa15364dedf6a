"""One sync of a connected calendar, and its status.

``sync`` (on a connection acting as the user, one transaction): the server's changes since the last sync token
are pulled (deleted objects and removed occurrences cancel their meetings; changed ones move, rename, cancel
them; new ones with a known contact among the attendees become meetings), then the CRM's changes are pushed
(meetings changed since the last sync, new meetings in the window, removed meetings' events). An occurrence
changed on both sides keeps the newer change (the event's LAST-MODIFIED against the meeting's updated_at) and
records the conflict. Every step compares before writing, so a second sync with nothing new writes nothing.

``run`` (the job worker's task, ``crm calendar sync``): decrypts the password with the operator's connection,
then acts as the user (a job session, ``crm_app``), syncs, and records the status: after a success the next
sync is due in ``SYNC_INTERVAL``; after a failure (wrong password, server unreachable) in an exponential backoff
(``backoff``), so a broken calendar is not asked again and again.
"""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import psycopg

from dashboard import credentials, job_sessions
from dashboard.calendar_sync import CREDENTIAL_PURPOSE, WINDOW_AFTER, WINDOW_BEFORE, events, store
from dashboard.calendar_sync.events import Occurrence, UnreadableEvent
from dashboard.calendar_sync.remote import RemoteCalendar, RemoteError

log = logging.getLogger("dashboard.calendar_sync")

SYNC_INTERVAL = timedelta(minutes=15)
BACKOFF_FIRST = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=6)
SESSION_SECONDS = 3600


def backoff(failures: int) -> timedelta:
    """How long to wait after the ``failures``-th failure in a row: 1, 2, 4, 8 ... minutes, at most 6 hours."""
    return min(BACKOFF_FIRST * 2 ** min(max(failures - 1, 0), 16), BACKOFF_MAX)


class Sync:
    """One sync's state: the window, the user's zone and email, what happened (``counts``, ``skipped``)."""

    def __init__(self, conn, remote: RemoteCalendar, zone: ZoneInfo, own_email: str, now: datetime):
        self.conn, self.remote, self.zone, self.own_email, self.now = conn, remote, zone, own_email.lower(), now
        self.window = (now - WINDOW_BEFORE, now + WINDOW_AFTER)
        self.counts: Counter = Counter()
        self.skipped: list[tuple[str, str]] = []  # (href, reason)
        self.handled: set = set()  # synced rows whose push this sync already did or decided against
        self.texts: dict[str, str] = {}  # href -> object text pulled in this sync
        self.new: list[tuple[str, str | None, Occurrence]] = []  # occurrences to make meetings of, in one batch

    def in_window(self, occurrence: Occurrence) -> bool:
        return self.window[0] <= occurrence.starts_at < self.window[1]

    # --- pull ----------------------------------------------------------------------------------------------

    def pull(self, sync_token: str | None) -> str | None:
        changes = self.remote.changes(sync_token, store.known_etags(self.conn))
        for row in store.synced_for_hrefs(self.conn, sorted(changes.deleted)):
            self.vanished(row)
        parsed = {}
        for href, (etag, text) in changes.objects.items():
            try:
                parsed[href] = (etag, events.parse(text, self.zone, self.window))
                self.texts[href] = text
            except UnreadableEvent as reason:
                self.skipped.append((href, str(reason)))
                log.warning("calendar sync: skipped %s: %s", href, reason)
        uids = sorted({o.uid for _, found in parsed.values() for o in found})
        synced = store.synced(self.conn, uids)
        emails = {email for _, found in parsed.values() for o in found for email, _ in o.attendees}
        contacts = {e: c for e, c in store.contacts_by_email(self.conn, emails).items() if e != self.own_email}
        meetings = store.meetings(self.conn, {r.meeting_id for r in synced.values() if r.meeting_id})
        for href, (etag, found) in parsed.items():
            for occurrence in found:
                self.pulled(href, etag, occurrence, synced.get((occurrence.uid, occurrence.key)), contacts, meetings)
            self.removed_occurrences(href, found, synced)
        if self.new:
            deals = store.open_deals_by_contact(self.conn, sorted({c.id for c in contacts.values()}))
            self.counts["created"] += store.create_meetings(self.conn, self.new, contacts, deals, self.own_email)
        return changes.sync_token

    def vanished(self, row) -> None:
        """The event (or this occurrence) is gone from the calendar: its meeting is cancelled."""
        if not row.cancelled:
            version = store.cancel_meeting(self.conn, row.meeting_id) if row.meeting_id else None
            if version is not None:
                self.counts["cancelled"] += 1
            store.mark_cancelled(self.conn, row.id, version)
        self.handled.add(row.id)

    def removed_occurrences(self, href: str, found: list[Occurrence], synced: dict) -> None:
        """Occurrences of a recurring event, within the window, that it no longer has (an EXDATE, a shorter
        series): cancelled."""
        uids = {o.uid for o in found}
        keys = {(o.uid, o.key) for o in found}
        for (uid, key), row in synced.items():
            if uid in uids and key and (uid, key) not in keys and self.in_window_key(key):
                self.vanished(row)

    def in_window_key(self, key: str) -> bool:
        return self.window[0] <= events.key_start(key) < self.window[1]

    def pulled(self, href, etag, occurrence: Occurrence, row, contacts, meetings) -> None:
        if row is None:
            self.new_occurrence(href, etag, occurrence, contacts)
            return
        self.handled.add(row.id)
        meeting = meetings.get(row.meeting_id) if row.meeting_id else None
        if meeting is None:  # the meeting was deleted in the CRM (or never made): the event is left alone
            store.record(self.conn, occurrence.uid, occurrence.key, href, etag, row.meeting_id, row.meeting_version,
                         occurrence.modified, row.origin, occurrence.cancelled)  # fmt: skip
            return
        if occurrence.fields() == (meeting.title, meeting.starts_at, meeting.ends_at, meeting.cancelled):
            version = meeting.version
        elif meeting.version != row.meeting_version and not self.calendar_is_newer(occurrence, meeting):
            store.conflict(self.conn, meeting, occurrence, "crm")
            self.counts["conflicts"] += 1
            self.handled.discard(row.id)  # pushed below, over the calendar's change
            return
        else:
            if meeting.version != row.meeting_version:
                store.conflict(self.conn, meeting, occurrence, "calendar")
                self.counts["conflicts"] += 1
            changed = store.apply_to_meeting(self.conn, meeting, occurrence)
            version = changed.version
            self.counts["cancelled" if occurrence.cancelled and not meeting.cancelled else "updated"] += 1
        store.record(self.conn, occurrence.uid, occurrence.key, href, etag, meeting.id, version, occurrence.modified,
                     row.origin, occurrence.cancelled)  # fmt: skip

    def calendar_is_newer(self, occurrence: Occurrence, meeting) -> bool:
        return (occurrence.modified or self.now) > meeting.updated_at

    def new_occurrence(self, href, etag, occurrence: Occurrence, contacts) -> None:
        """An occurrence never synced: an event the CRM wrote before (linked again), or one with a known contact
        among its attendees, in the window and not cancelled (a new meeting); any other is left alone."""
        meeting_id = events.crm_meeting_id(occurrence.uid)
        if meeting_id and (meeting := store.meetings(self.conn, [meeting_id]).get(uuid.UUID(meeting_id))):
            # version 0: the meeting's state is pushed below (the CRM's event, written before its link was lost)
            store.record(self.conn, occurrence.uid, "", href, etag, meeting.id, 0, occurrence.modified, "crm")
            return
        if occurrence.cancelled or not self.in_window(occurrence):
            return
        if not any(email in contacts for email, _ in occurrence.attendees):
            return
        self.new.append((href, etag, occurrence))

    # --- push ----------------------------------------------------------------------------------------------

    def push(self) -> None:
        for meeting in store.changed_in_crm(self.conn, self.handled):
            self.push_change(meeting)
        for meeting in store.unsynced_meetings(self.conn, self.window):
            name = f"crm-meeting-{meeting.id}.ics"
            url = self.remote.object_url(name)
            etag = self.remote.put(url, events.meeting_calendar(meeting, self.now))
            store.record(self.conn, events.crm_uid(meeting.id), "", url, etag, meeting.id, meeting.version,
                         meeting.updated_at, "crm")  # fmt: skip
            self.counts["written"] += 1
        for row in store.orphans(self.conn):
            self.remote.delete(row.href)
            store.mark_cancelled(self.conn, row.id)
            self.counts["removed"] += 1

    def push_change(self, meeting) -> None:
        """Write a meeting's change into its event (the single event, or an override of the occurrence)."""
        text = self.texts.get(meeting.href)
        if text is None:
            current = self.remote.get(meeting.href)
            if current is None:  # gone from the calendar meanwhile: the next pull cancels it
                return
            text = current[1]
        try:
            body = events.patch(text, meeting.occurrence, meeting, self.zone)
        except (UnreadableEvent, ValueError) as reason:
            self.skipped.append((meeting.href, f"could not write the change: {reason}"))
            return
        etag = self.remote.put(meeting.href, body)
        store.record(self.conn, meeting.uid, meeting.occurrence, meeting.href, etag, meeting.id, meeting.version,
                     meeting.updated_at, meeting.origin, meeting.cancelled)  # fmt: skip
        self.counts["pushed"] += 1


def sync(conn, connection, remote: RemoteCalendar, zone: ZoneInfo, own_email: str, now: datetime | None = None):
    """Pull and push; returns the ``Sync`` (counts, skipped objects) after saving the new sync token."""
    run = Sync(conn, remote, zone, own_email, now or datetime.now(UTC))
    token = run.pull(connection.sync_token)
    run.push()
    conn.execute("update crm.calendar_connections set sync_token = %s where id = %s", (token, connection.id))
    return run


def summary(run: Sync) -> str:
    parts = [f"{n} {what}" for what, n in sorted(run.counts.items()) if n]
    if run.skipped:
        parts.append(f"{len(run.skipped)} unreadable event(s) skipped")
    return "Synced: " + (", ".join(parts) if parts else "nothing new") + "."


def run(connect: Callable[[], psycopg.Connection], connection_id: str, now: datetime | None = None) -> dict:
    """The job: sync connection ``connection_id`` as its user and record the outcome on it."""
    with connect() as conn:
        found = store.rows(conn, """select c.*, u.email, coalesce(u.time_zone, 'UTC') as time_zone, u.is_active
                                      from crm.calendar_connections c join crm.users u on u.id = c.user_id
                                     where c.id = %s""", (connection_id,))  # fmt: skip
        conn.commit()
        if not found or not found[0].is_active:
            return {"status": "skipped"}
        connection = found[0]
        job_sessions.act_as([conn], connection.user_id, SESSION_SECONDS)
        try:
            return attempt(conn, connection, now)
        finally:
            job_sessions.end(conn, "a calendar sync")


def attempt(conn, connection, now) -> dict:
    try:
        password = credentials.decrypt_secret(connection.password_encrypted, purpose=CREDENTIAL_PURPOSE)
        remote = RemoteCalendar(connection.caldav_url, connection.username, password)
        result = sync(conn, connection, remote, ZoneInfo(connection.time_zone), connection.email, now)
    except (RemoteError, credentials.CredentialError) as failure:
        conn.rollback()
        kind = failure.kind if isinstance(failure, RemoteError) else "error"
        return record_failure(conn, connection, kind, str(failure))
    except Exception as failure:
        conn.rollback()
        log.exception("calendar sync of connection %s failed", connection.id)
        record_failure(conn, connection, "error", f"The sync failed unexpectedly ({type(failure).__name__}).")
        raise
    message = summary(result)
    conn.execute("""update crm.calendar_connections
                       set status = 'ok', status_message = %s, failures = 0, last_attempt_at = now(),
                           last_success_at = now(), next_attempt_at = now() + %s
                     where id = %s""", (message, SYNC_INTERVAL, connection.id))  # fmt: skip
    conn.commit()
    return {"status": "ok", **result.counts, "skipped": len(result.skipped)}


def record_failure(conn, connection, kind: str, message: str) -> dict:
    failures = connection.failures + 1
    conn.execute("""update crm.calendar_connections
                       set status = %s, status_message = %s, failures = %s, last_attempt_at = now(),
                           next_attempt_at = now() + %s
                     where id = %s""", (kind, message[:1000], failures, backoff(failures), connection.id))  # fmt: skip
    conn.commit()
    log.warning("calendar sync of connection %s: %s (failure %s in a row)", connection.id, kind, failures)
    return {"status": kind, "failures": failures}
