"""CalDAV sync against a real Radicale server on loopback: events with a contact attendee become linked meetings,
moving, cancelling and deleting them follows, CRM meetings are written to the calendar and their changes pushed,
recurring events expand (each occurrence its own meeting), a second sync writes nothing, a change on both sides
keeps the newer one and records the conflict, and the password is never readable by crm_app.

Most tests sync on one rolled-back superuser transaction that acts as the rep (``set local role crm_app`` and a
session token), with the sync's clock fixed at ``NOW`` so that the dates below stay inside its window (30 days
back, 90 ahead: 2026-11-07 to 2027-03-07)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import psycopg
import pytest
from icalendar import Calendar, Event, vCalAddress
from psycopg.rows import namedtuple_row

from dashboard.calendar_sync import engine
from dashboard.calendar_sync.remote import RemoteCalendar
from tests.caldav_server import CaldavServer
from tests.conftest import session_token

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
NEW_YORK = ZoneInfo("America/New_York")
PASSWORDS = {"rep": "rep-calendar-password", "rep2": "rep2-calendar-password"}


@pytest.fixture(scope="module")
def caldav_server(tmp_path_factory):
    server = CaldavServer(tmp_path_factory.mktemp("radicale"), PASSWORDS).start()
    yield server
    server.stop()


def ics(uid, start, end=None, summary="Meeting", attendees=(), *, status=None, modified=None, rrule=None,
        exdate=None, overrides=()) -> bytes:
    """A calendar object: one event (with its overridden occurrences: dicts of recurrence_id, start, end, summary)."""
    calendar = Calendar()
    calendar.add("prodid", "-//tests//calendar sync//EN")
    calendar.add("version", "2.0")
    for fields in [dict(start=start, end=end, summary=summary, rrule=rrule, exdate=exdate)] + list(overrides):
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", datetime(2026, 12, 1, tzinfo=UTC))
        event.add("dtstart", fields["start"])
        if fields.get("end"):
            event.add("dtend", fields["end"])
        event.add("summary", fields["summary"])
        for email, name in attendees:
            address = vCalAddress(f"mailto:{email}")
            if name:
                address.params["CN"] = name
            event.add("attendee", address)
        if status:
            event.add("status", status)
        if modified:
            event.add("last-modified", modified)
        if fields.get("rrule"):
            event.add("rrule", fields["rrule"])
        if fields.get("exdate"):
            event.add("exdate", fields["exdate"])
        if fields.get("recurrence_id"):
            event.add("recurrence-id", fields["recurrence_id"])
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


class World:
    """The rep's contacts, company and deal, a calendar on the server, and a connection, in ``conn``'s transaction."""

    def __init__(self, conn, users, server):
        self.conn, self.users, self.server = conn, users, server
        self.rep = users["rep"]["id"]
        self.url, self.calendar = server.calendar("rep")
        self.client = server.client("rep")
        tag = uuid.uuid4().hex[:8]
        self.ann, self.bob = f"ann-{tag}@acme.example", f"bob-{tag}@globex.example"
        self.acme = self.one("insert into crm.companies (name, owner_id) values (%s, %s) returning id", (f"Acme {tag}", self.rep))
        self.globex = self.one("insert into crm.companies (name, owner_id) values (%s, %s) returning id", (f"Globex {tag}", self.rep))
        self.ann_id = self.one("insert into crm.contacts (first_name, last_name, email, company_id, owner_id) values ('Ann', 'Lee', %s, %s, %s) returning id", (self.ann, self.acme, self.rep))
        self.bob_id = self.one("insert into crm.contacts (first_name, email, company_id, owner_id) values ('Bob', %s, %s, %s) returning id", (self.bob, self.globex, self.rep))
        stage = self.one("select id from crm.deal_stages where name = 'Lead'")
        self.deal = self.one("insert into crm.deals (name, stage_id, owner_id, company_id, primary_contact_id) values ('Acme deal', %s, %s, %s, %s) returning id", (stage, self.rep, self.acme, self.ann_id))
        # Bob has two open deals: a meeting with him is linked to neither
        for name in ("Globex one", "Globex two"):
            conn.execute("insert into crm.deals (name, stage_id, owner_id, company_id, primary_contact_id) values (%s, %s, %s, %s, %s)", (name, stage, self.rep, self.globex, self.bob_id))
        self.connection_id = self.one(
            """insert into crm.calendar_connections (user_id, caldav_url, username, password_encrypted, next_attempt_at)
               values (%s, %s, 'rep', '\\x00', 'infinity') returning id""", (self.rep, self.url))
        conn.execute("set local role crm_app")
        conn.execute("select set_config('app.session', %s, true)", (session_token(self.rep),))

    def one(self, sql, params=()):
        return self.conn.execute(sql, params).fetchone()[0]

    def rows(self, sql, params=()):
        return self.conn.cursor(row_factory=namedtuple_row).execute(sql, params).fetchall()

    def put(self, uid, body: bytes) -> None:
        response = self.client.put(f"{self.url}{uid}.ics", body.decode(), {"Content-Type": "text/calendar"})
        assert response.status in (201, 204), response.status

    def delete(self, uid) -> None:
        assert self.client.delete(f"{self.url}{uid}.ics").status in (200, 204)

    def sync(self, now=NOW):
        connection = self.rows("select id, sync_token from crm.calendar_connections where id = %s", (self.connection_id,))[0]
        remote = RemoteCalendar(self.url, "rep", PASSWORDS["rep"])
        return engine.sync(self.conn, connection, remote, ZoneInfo("UTC"), self.users["rep"]["email"], now)

    def meeting_of(self, uid, occurrence=""):
        found = self.rows(
            """select m.* from crm.calendar_events e join crm.meetings m on m.id = e.meeting_id
                where e.uid = %s and e.occurrence = %s""", (uid, occurrence))
        return found[0] if found else None

    def remote_events(self) -> dict[str, object]:
        """UID -> the VEVENT (master) of every object in the calendar, read with the caldav client."""
        found = {}
        for obj in self.calendar.get_objects_by_sync_token(load_objects=True):
            if obj.data:
                for event in Calendar.from_ical(obj.data).walk("VEVENT"):
                    if "RECURRENCE-ID" not in event:
                        found[str(event["UID"])] = event
        return found


@pytest.fixture
def world(admin_conn, users, caldav_server):
    return World(admin_conn, users, caldav_server)


def test_an_event_with_a_contact_attendee_becomes_a_linked_meeting(world):
    # 10:00-11:00 in New York on 2026-12-15 (EST, UTC-5) is 15:00-16:00 UTC
    world.put("demo", ics("demo", datetime(2026, 12, 15, 10, tzinfo=NEW_YORK), datetime(2026, 12, 15, 11, tzinfo=NEW_YORK),
                          "Demo for Acme", [(world.users["rep"]["email"], "Me"), (world.ann, "Ann L."), ("stranger@else.example", "Sam")]))
    world.put("globex", ics("globex", datetime(2026, 12, 16, 9, tzinfo=UTC), datetime(2026, 12, 16, 10, tzinfo=UTC),
                            "Globex and Acme", [(world.bob, None), (world.ann, None)]))
    world.put("lunch", ics("lunch", datetime(2026, 12, 16, 12, tzinfo=UTC), None, "Lunch", [("friend@else.example", None)]))
    world.put("far", ics("far", datetime(2027, 6, 1, 12, tzinfo=UTC), None, "Too far ahead", [(world.ann, None)]))
    result = world.sync()
    assert result.counts["created"] == 2 and not result.skipped
    demo = world.meeting_of("demo")
    assert demo.owner_id == world.rep and demo.title == "Demo for Acme"
    assert (demo.starts_at, demo.ends_at) == (datetime(2026, 12, 15, 15, tzinfo=UTC), datetime(2026, 12, 15, 16, tzinfo=UTC))
    assert (demo.company_id, demo.primary_contact_id, demo.primary_deal_id) == (world.acme, world.ann_id, world.deal)
    attendees = {(a.contact_id, a.name, a.email) for a in world.rows("select * from crm.meeting_attendees where meeting_id = %s", (demo.id,))}
    # the rep is not an attendee of their own meeting; Ann by her contact's name, Sam by the name the event gives
    assert attendees == {(world.ann_id, "Ann Lee", world.ann), (None, "Sam", "stranger@else.example")}
    # two companies and two deals: linked to none of them; the first contact is the primary one
    globex = world.meeting_of("globex")
    assert (globex.company_id, globex.primary_contact_id, globex.primary_deal_id) == (None, world.bob_id, None)
    # no known contact, or outside the window: no meeting
    assert world.meeting_of("lunch") is None and world.meeting_of("far") is None


def test_moving_cancelling_and_deleting_events_follow_and_a_second_sync_writes_nothing(world):
    for uid in ("move", "cancel", "delete"):
        world.put(uid, ics(uid, datetime(2026, 12, 17, 9, tzinfo=UTC), datetime(2026, 12, 17, 10, tzinfo=UTC), uid.title(), [(world.ann, None)]))
    world.sync()
    ids = {uid: world.meeting_of(uid).id for uid in ("move", "cancel", "delete")}
    before = world.one("select count(*) from crm.meetings where owner_id = %s", (world.rep,))
    again = world.sync()
    assert sum(again.counts.values()) == 0  # nothing changed: nothing written
    assert world.one("select count(*) from crm.meetings where owner_id = %s", (world.rep,)) == before
    # moved to the next day at 14:00 UTC, renamed; cancelled in the calendar; deleted from it
    world.put("move", ics("move", datetime(2026, 12, 18, 14, tzinfo=UTC), datetime(2026, 12, 18, 15, 30, tzinfo=UTC), "Moved", [(world.ann, None)]))
    world.put("cancel", ics("cancel", datetime(2026, 12, 17, 9, tzinfo=UTC), datetime(2026, 12, 17, 10, tzinfo=UTC), "Cancel", [(world.ann, None)], status="CANCELLED"))
    world.delete("delete")
    result = world.sync()
    assert (result.counts["updated"], result.counts["cancelled"], result.counts["created"]) == (1, 2, 0)
    moved = world.meeting_of("move")
    assert (moved.id, moved.title, moved.starts_at, moved.ends_at) == (
        ids["move"], "Moved", datetime(2026, 12, 18, 14, tzinfo=UTC), datetime(2026, 12, 18, 15, 30, tzinfo=UTC))
    outcomes = dict(world.rows("select id, meeting_outcome from crm.meetings where id = any(%s)", (list(ids.values()),)))
    assert outcomes == {ids["move"]: "pending", ids["cancel"]: "cancelled", ids["delete"]: "cancelled"}
    assert world.one("select count(*) from crm.meetings where owner_id = %s", (world.rep,)) == before
    assert sum(world.sync().counts.values()) == 0


def test_a_crm_meeting_is_written_to_the_calendar_and_its_changes_pushed(world):
    meeting = world.one("""insert into crm.meetings (title, starts_at, ends_at, owner_id, company_id)
                           values ('Made in the CRM', '2026-12-20 16:00+00', '2026-12-20 17:00+00', %s, %s) returning id""",
                        (world.rep, world.acme))
    old = world.one("insert into crm.meetings (title, starts_at, owner_id) values ('Last year', '2025-12-20 16:00+00', %s) returning id", (world.rep,))
    assert world.sync().counts["written"] == 1
    remote = world.remote_events()
    uid = f"crm-meeting-{meeting}@sales-dashboard"
    assert set(remote) == {uid}  # not the meeting outside the window
    assert remote[uid].decoded("DTSTART") == datetime(2026, 12, 20, 16, tzinfo=UTC)
    assert str(remote[uid]["SUMMARY"]) == "Made in the CRM"
    # the CRM's own event read back: nothing new, no second meeting
    assert sum(world.sync().counts.values()) == 0
    assert world.one("select count(*) from crm.meetings where owner_id = %s and id <> all(%s)", (world.rep, [meeting, old])) == 0
    # moved in the CRM (the form bumps the version): pushed
    world.conn.execute("update crm.meetings set starts_at = '2026-12-21 08:00+00', ends_at = '2026-12-21 09:00+00', version = version + 1 where id = %s", (meeting,))
    assert world.sync().counts["pushed"] == 1
    event = world.remote_events()[uid]
    assert (event.decoded("DTSTART"), event.decoded("DTEND")) == (datetime(2026, 12, 21, 8, tzinfo=UTC), datetime(2026, 12, 21, 9, tzinfo=UTC))
    assert sum(world.sync().counts.values()) == 0
    # deleted in the CRM: removed from the calendar
    world.conn.execute("delete from crm.meetings where id = %s", (meeting,))
    assert world.sync().counts["removed"] == 1
    assert world.remote_events() == {}


def test_recurring_events_expand_each_occurrence_its_own_meeting(world):
    # weekly at 09:30 New York (EST: 14:30 UTC) from 2026-12-01, six times: 12-01, 12-08, 12-15, 12-22, 12-29,
    # 2027-01-05; 12-15 is excluded and 12-08 moved to 11:30 (16:30 UTC): five meetings
    start = datetime(2026, 12, 1, 9, 30, tzinfo=NEW_YORK)
    moved = {"recurrence_id": datetime(2026, 12, 8, 9, 30, tzinfo=NEW_YORK), "start": datetime(2026, 12, 8, 11, 30, tzinfo=NEW_YORK),
             "end": datetime(2026, 12, 8, 12, tzinfo=NEW_YORK), "summary": "Weekly (moved)"}
    body = ics("weekly", start, datetime(2026, 12, 1, 10, tzinfo=NEW_YORK), "Weekly", [(world.ann, None)],
               rrule={"FREQ": "WEEKLY", "COUNT": 6}, exdate=datetime(2026, 12, 15, 9, 30, tzinfo=NEW_YORK), overrides=[moved])
    world.put("weekly", body)
    assert world.sync().counts["created"] == 5
    found = {r.occurrence: (r.starts_at, r.title) for r in world.rows(
        "select e.occurrence, m.starts_at, m.title from crm.calendar_events e join crm.meetings m on m.id = e.meeting_id where e.uid = 'weekly'")}
    assert found == {
        "2026-12-01T14:30:00Z": (datetime(2026, 12, 1, 14, 30, tzinfo=UTC), "Weekly"),
        "2026-12-08T14:30:00Z": (datetime(2026, 12, 8, 16, 30, tzinfo=UTC), "Weekly (moved)"),
        "2026-12-22T14:30:00Z": (datetime(2026, 12, 22, 14, 30, tzinfo=UTC), "Weekly"),
        "2026-12-29T14:30:00Z": (datetime(2026, 12, 29, 14, 30, tzinfo=UTC), "Weekly"),
        "2027-01-05T14:30:00Z": (datetime(2027, 1, 5, 14, 30, tzinfo=UTC), "Weekly"),
    }
    assert sum(world.sync().counts.values()) == 0
    # the series loses 12-29 (a second EXDATE): that occurrence's meeting is cancelled, the others stay
    body = body.replace(b"EXDATE;TZID=America/New_York:20261215T093000", b"EXDATE;TZID=America/New_York:20261215T093000,20261229T093000")
    world.put("weekly", body)
    assert world.sync().counts["cancelled"] == 1
    assert world.meeting_of("weekly", "2026-12-29T14:30:00Z").meeting_outcome == "cancelled"
    assert world.meeting_of("weekly", "2026-12-22T14:30:00Z").meeting_outcome == "pending"
    # an occurrence moved in the CRM is written into the calendar as an overridden occurrence
    meeting = world.meeting_of("weekly", "2026-12-22T14:30:00Z")
    world.conn.execute("update crm.meetings set starts_at = '2026-12-22 18:00+00', ends_at = '2026-12-22 19:00+00', version = version + 1 where id = %s", (meeting.id,))
    assert world.sync().counts["pushed"] == 1
    data = next(o.data for o in world.calendar.get_objects_by_sync_token(load_objects=True) if o.data)
    override = [e for e in Calendar.from_ical(data).walk("VEVENT") if "RECURRENCE-ID" in e
                and e.decoded("RECURRENCE-ID").astimezone(UTC) == datetime(2026, 12, 22, 14, 30, tzinfo=UTC)]
    assert [e.decoded("DTSTART") for e in override] == [datetime(2026, 12, 22, 18, tzinfo=UTC)]
    assert sum(world.sync().counts.values()) == 0


@pytest.mark.parametrize("newer", ["calendar", "crm"])
def test_a_change_on_both_sides_keeps_the_newer_and_records_the_conflict(world, newer):
    world.put("both", ics("both", datetime(2026, 12, 17, 9, tzinfo=UTC), datetime(2026, 12, 17, 10, tzinfo=UTC), "Both", [(world.ann, None)]))
    world.sync()
    meeting = world.meeting_of("both")
    # the CRM moves it to 11:00 now; the calendar moves it to 13:00, stamped an hour from now (newer) or in
    # January 2026 (older than the CRM's change)
    world.conn.execute("update crm.meetings set starts_at = '2026-12-17 11:00+00', ends_at = '2026-12-17 12:00+00', version = version + 1 where id = %s", (meeting.id,))
    stamp = datetime.now(UTC).replace(microsecond=0) + (engine.SYNC_INTERVAL * 4 if newer == "calendar" else -(datetime.now(UTC) - datetime(2026, 1, 1, tzinfo=UTC)))
    world.put("both", ics("both", datetime(2026, 12, 17, 13, tzinfo=UTC), datetime(2026, 12, 17, 14, tzinfo=UTC), "Both", [(world.ann, None)], modified=stamp))
    result = world.sync()
    assert result.counts["conflicts"] == 1
    kept_start = datetime(2026, 12, 17, 13 if newer == "calendar" else 11, tzinfo=UTC)
    assert world.meeting_of("both").starts_at == kept_start
    assert world.remote_events()["both"].decoded("DTSTART") == kept_start  # the calendar agrees either way
    [conflict] = world.rows("select * from crm.calendar_conflicts where meeting_id = %s", (meeting.id,))
    assert conflict.kept == newer and conflict.user_id == world.rep
    assert "13:00" in conflict.details and "11:00" in conflict.details
    assert sum(world.sync().counts.values()) == 0


def test_another_reps_calendar_rows_and_password_are_out_of_reach(world, users, admin_conn):
    world.put("demo", ics("demo", datetime(2026, 12, 15, 15, tzinfo=UTC), None, "Demo", [(world.ann, None)]))
    world.sync()
    admin_conn.execute("select set_config('app.session', %s, true)", (session_token(users["rep2"]["id"]),))
    for table in ("calendar_connections", "calendar_events", "calendar_conflicts"):
        assert admin_conn.execute(f"select count(*) from crm.{table} where user_id = %s", (world.rep,)).fetchone()[0] == 0
    admin_conn.execute("select set_config('app.session', %s, true)", (session_token(world.rep),))
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        admin_conn.execute("select password_encrypted from crm.calendar_connections")


def test_the_account_page_shows_the_status_and_the_conflicts(app, client, auth, users):
    from tests.conftest import fetch_as

    rep = users["rep"]["id"]
    fetch_as(app, rep, """insert into crm.calendar_connections (user_id, caldav_url, username, password_encrypted, status,
                                                                status_message, failures, next_attempt_at)
                          values (:o, 'https://dav.example.com/cal/', 'rep', '\\x01', 'unreachable',
                                  'The calendar server could not be reached (ConnectionError).', 3, now() + interval '4 minutes')
                          returning id""", {"o": rep})
    meeting = fetch_as(app, rep, "insert into crm.meetings (title, starts_at, owner_id) values ('Review', now(), :o) returning id", {"o": rep})[0][0]
    fetch_as(app, rep, """insert into crm.calendar_conflicts (user_id, meeting_id, uid, kept, details)
                          values (:o, :m, 'u1', 'calendar', 'calendar: “Review” 2026-12-17 13:00 UTC; CRM: “Review” 2026-12-17 11:00 UTC; kept the calendar''s (the newer change)')
                          returning id""", {"o": rep, "m": meeting})
    auth.login(users["rep"]["email"])
    page = client.get("/account/calendar").get_data(as_text=True)
    assert "Server unreachable" in page and "could not be reached (ConnectionError)" in page
    assert "after 3 failed attempts" in page
    assert "kept the calendar&#39;s (the newer change)" in page and f"/meetings/{meeting}" in page
    # another rep sees none of it
    auth.client.post("/logout", data={"csrf_token": auth.csrf_token("/")})
    auth.login(users["rep2"]["email"])
    page = client.get("/account/calendar").get_data(as_text=True)
    assert "Server unreachable" not in page and "newer change" not in page
