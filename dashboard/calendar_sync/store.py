"""The database side of a calendar sync, on a connection acting as the calendar's user (crm_app under
row-level security): their synced occurrences (``crm.calendar_events``), the contacts an attendee may be,
their meetings created, moved, cancelled, and the conflicts met."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import psycopg
from psycopg import sql
from psycopg.rows import namedtuple_row

from dashboard.calendar_sync.events import EMAIL, Occurrence

# what a sync reads of a meeting (``{columns}`` in the statements below)
MEETING_COLUMNS = sql.SQL("""m.id, m.title, m.starts_at, m.ends_at, m.meeting_outcome = 'cancelled' as cancelled,
                             m.summary, m.updated_at, m.version, m.meeting_outcome""")


def with_columns(statement: str) -> sql.Composed:
    return sql.SQL(statement).format(columns=MEETING_COLUMNS)


def rows(conn: psycopg.Connection, statement, params=()) -> list:
    return conn.cursor(row_factory=namedtuple_row).execute(statement, params).fetchall()


def known_etags(conn) -> dict[str, str | None]:
    """href -> etag of every object the last syncs saw."""
    return {r.href: r.etag for r in rows(conn, "select distinct on (href) href, etag from crm.calendar_events")}


def synced(conn, uids: list[str]) -> dict[tuple[str, str], object]:
    """(uid, occurrence) -> the synced row, for these UIDs."""
    found = rows(conn, "select * from crm.calendar_events where uid = any(%s)", (uids,))
    return {(r.uid, r.occurrence): r for r in found}


def synced_for_hrefs(conn, hrefs: list[str]) -> list:
    return rows(conn, "select * from crm.calendar_events where href = any(%s)", (hrefs,))


def meetings(conn, ids) -> dict[uuid.UUID, object]:
    """The acting user's own meetings of these ids (another's, or a deleted one, is not there)."""
    found = rows(conn, with_columns("""select {columns} from crm.meetings m
                                       where m.id = any(%s) and m.owner_id = app.active_user_id()"""), (list(ids),))
    return {m.id: m for m in found}


def contacts_by_email(conn, emails: set[str]) -> dict[str, object]:
    """lower(email) -> a contact the user can see (their company too), for the attendees' addresses."""
    found = rows(conn, """select distinct on (lower(c.email)) lower(c.email) as email, c.id, c.company_id,
                                 btrim(c.first_name || ' ' || coalesce(c.last_name, '')) as name
                            from crm.contacts c where lower(c.email) = any(%s)
                           order by lower(c.email), c.created_at""", (sorted(emails),))  # fmt: skip
    return {c.email: c for c in found}


def open_deals_by_contact(conn, contact_ids: list) -> dict:
    """contact id -> the user's open deals with that contact (as primary contact or stakeholder)."""
    found: dict = {}
    for r in rows(conn, """select d.id, d.primary_contact_id as contact_id from crm.deals d
                            where d.owner_id = app.active_user_id() and d.status = 'active'
                              and d.primary_contact_id = any(%(c)s)
                           union
                           select d.id, s.contact_id from crm.deals d join crm.deal_stakeholders s on s.deal_id = d.id
                            where d.owner_id = app.active_user_id() and d.status = 'active'
                              and s.contact_id = any(%(c)s)""", {"c": contact_ids}):  # fmt: skip
        found.setdefault(r.contact_id, set()).add(r.id)
    return found


def create_meetings(conn, new: list[tuple[str, str | None, Occurrence]], contacts: dict[str, object],
                    deals: dict, own_email: str) -> int:
    """Meetings of the user for occurrences (href, etag, occurrence) whose attendees include known contacts: each
    linked to the one company and the one open deal of theirs with those contacts (unlinked when several), its
    attendees listed, its synced row written. Batched: three statements' worth of round trips in all."""
    meetings, attendees, synced = [], [], []
    for href, etag, occurrence in new:
        meeting_id = uuid.uuid4()
        matched = [contacts[email] for email, _ in occurrence.attendees if email in contacts]
        companies = {c.company_id for c in matched if c.company_id}
        deal_ids = set().union(*(deals.get(c.id, set()) for c in matched))
        meetings.append((meeting_id, occurrence.title, occurrence.starts_at, occurrence.ends_at,
                         companies.pop() if len(companies) == 1 else None, matched[0].id,
                         deal_ids.pop() if len(deal_ids) == 1 else None, occurrence.description,
                         "cancelled" if occurrence.cancelled else "pending"))  # fmt: skip
        for email, name in occurrence.attendees:
            if email != own_email:
                contact = contacts.get(email)
                shown = (contact.name if contact else None) or name or email
                valid = email if EMAIL.match(email) else None
                attendees.append((meeting_id, contact.id if contact else None, shown, valid))
        synced.append((occurrence.uid, occurrence.key, href, etag, meeting_id, 1, occurrence.modified, "calendar",
                       False))  # fmt: skip
    cursor = conn.cursor()
    cursor.executemany("""insert into crm.meetings (id, title, starts_at, ends_at, owner_id, company_id,
                                                    primary_contact_id, primary_deal_id, summary, meeting_outcome)
                          values (%s, %s, %s, %s, app.active_user_id(), %s, %s, %s, %s, %s)""", meetings)  # fmt: skip
    cursor.executemany("""insert into crm.meeting_attendees (meeting_id, contact_id, name, email, is_external)
                          values (%s, %s, %s, %s, true) on conflict do nothing""", attendees)  # fmt: skip
    cursor.executemany(RECORD, synced)
    return len(meetings)


def apply_to_meeting(conn, meeting, occurrence: Occurrence) -> object:
    """Move, rename, cancel (or un-cancel) the meeting as the event says; returns its new version and time."""
    outcome = "cancelled" if occurrence.cancelled else ("pending" if meeting.meeting_outcome == "cancelled"
                                                        else meeting.meeting_outcome)  # fmt: skip
    [changed] = rows(conn, """update crm.meetings set title = %s, starts_at = %s, ends_at = %s, meeting_outcome = %s,
                                     version = version + 1
                              where id = %s returning version, updated_at""",
                     (occurrence.title, occurrence.starts_at, occurrence.ends_at, outcome, meeting.id))  # fmt: skip
    return changed


def cancel_meeting(conn, meeting_id) -> int | None:
    """Cancel the meeting (the event was deleted or its occurrence removed): its new version, or None when it
    already was cancelled (or is not the user's)."""
    done = conn.execute("""update crm.meetings set meeting_outcome = 'cancelled', version = version + 1
                            where id = %s and meeting_outcome <> 'cancelled' and owner_id = app.active_user_id()
                            returning version""", (meeting_id,)).fetchone()  # fmt: skip
    return done[0] if done else None


RECORD = """insert into crm.calendar_events (user_id, uid, occurrence, href, etag, meeting_id, meeting_version,
                                              remote_modified, origin, cancelled)
            values (app.active_user_id(), %s, %s, %s, %s, %s, %s, %s, %s, %s)
            on conflict (user_id, uid, occurrence) do update
               set href = excluded.href, etag = excluded.etag, meeting_id = excluded.meeting_id,
                   meeting_version = excluded.meeting_version, remote_modified = excluded.remote_modified,
                   cancelled = excluded.cancelled, synced_at = now()"""


def record(conn, uid: str, key: str, href: str, etag, meeting_id, version, modified, origin: str,
           cancelled: bool = False) -> None:
    """Insert or update the synced row of an occurrence."""
    conn.execute(RECORD, (uid, key, href, etag, meeting_id, version, modified, origin, cancelled))


def conflict(conn, meeting, occurrence: Occurrence, kept: str) -> None:
    """Record that the meeting and its event both changed since the last sync, and which side was kept."""
    def describe(title, starts, ends, cancelled):
        until = f"–{ends:%H:%M}" if ends else ""
        return f"“{title}” {starts:%Y-%m-%d %H:%M}{until} UTC" + (" (cancelled)" if cancelled else "")

    details = (f"calendar: {describe(*occurrence.fields())}; CRM: "
               f"{describe(meeting.title, meeting.starts_at, meeting.ends_at, meeting.cancelled)}; kept the "
               f"{'calendar' if kept == 'calendar' else 'CRM'}'s (the newer change)")  # fmt: skip
    conn.execute(
        """insert into crm.calendar_conflicts (user_id, meeting_id, uid, kept, calendar_changed_at, crm_changed_at,
                                               details)
           values (app.active_user_id(), %s, %s, %s, %s, %s, %s)""",
        (meeting.id, occurrence.uid, kept, occurrence.modified, meeting.updated_at, details[:2000]),
    )


def changed_in_crm(conn, exclude: set) -> list:
    """Synced occurrences whose meeting changed since the last sync (its version moved on)."""
    found = rows(conn, with_columns("""select e.id as row_id, e.uid, e.occurrence, e.href, e.origin, {columns}
                                         from crm.calendar_events e join crm.meetings m on m.id = e.meeting_id
                                        where m.version <> e.meeting_version and m.owner_id = app.active_user_id()"""))
    return [r for r in found if r.row_id not in exclude]


def unsynced_meetings(conn, window) -> list:
    """The user's meetings in the window that no event stands for yet (made in the CRM), not cancelled."""
    return rows(conn, with_columns("""select {columns} from crm.meetings m
                                      where m.owner_id = app.active_user_id() and m.starts_at >= %s and m.starts_at < %s
                                        and m.meeting_outcome <> 'cancelled'
                                        and not exists (select from crm.calendar_events e
                                                        where e.meeting_id = m.id)"""),
                window)


def orphans(conn) -> list:
    """Events the CRM wrote whose meeting was deleted since: to remove from the calendar."""
    return rows(conn, """select id, href from crm.calendar_events
                          where origin = 'crm' and meeting_id is null and not cancelled""")


def mark_cancelled(conn, row_id, meeting_version: int | None = None) -> None:
    """The occurrence is gone from the calendar (and its meeting, if any, cancelled at ``meeting_version``)."""
    conn.execute("""update crm.calendar_events set cancelled = true, synced_at = now(),
                           meeting_version = coalesce(%s, meeting_version)
                     where id = %s""", (meeting_version, row_id))  # fmt: skip


def as_meeting(row) -> SimpleNamespace:
    return SimpleNamespace(**row._asdict())
