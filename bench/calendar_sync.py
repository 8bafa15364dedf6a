"""Time the CalDAV sync of a calendar of 2,000 events (issue 18): the first pass (every event read, a meeting
made for each) and the incremental ones (nothing changed; then 20 events moved), against a real Radicale server
on loopback, through the job's own code path (``engine.run``: decrypt, act as the user under row-level
security, pull, push, record the status). Target: the incremental pass within 5 s.

    python bench/calendar_sync.py [--events 2000] [--pgdata /tmp/pgbench-calendar]

The database is an embedded server of its own (created and migrated in ``--pgdata`` on first use; each run adds
a fresh user, their contacts and meetings). Events are spread over the sync window (20 days back to 80 ahead),
one in ten weekly recurring (their occurrences in the window are meetings too), each with one of 200 contacts
among its attendees.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
from icalendar import Calendar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine_speed  # noqa: E402
from dashboard import migrate, pg  # noqa: E402
from tests.caldav_server import CaldavServer  # noqa: E402
from tests.test_calendar_sync import ics  # noqa: E402

PASSWORD = "bench-calendar-password"
CONTACTS = 200


def prepare(url: str, tag: str) -> tuple[str, list[str]]:
    """A new rep with 200 contacts; their id and the contacts' emails."""
    with psycopg.connect(url) as conn:
        user = conn.execute(
            "insert into crm.users (email, full_name, role) values (%s, 'Bench Rep', 'rep') returning id",
            (f"bench-{tag}@calendar.example",),
        ).fetchone()[0]
        emails = [f"contact{n}-{tag}@bench{n % 40}.example" for n in range(CONTACTS)]
        with conn.cursor().copy("copy crm.contacts (first_name, email, owner_id) from stdin") as copy:
            for n, email in enumerate(emails):
                copy.write_row((f"Contact {n}", email, user))
    return str(user), emails


def fill(server: CaldavServer, calendar_url: str, events: int, emails: list[str], now: datetime) -> None:
    """All the events in one PUT of the whole calendar (Radicale stores each as its own object, as a client's
    one-by-one writes would; writing 2,000 one by one takes Radicale minutes)."""
    bodies = []
    for n in range(events):
        start = event_start(now, n, events)
        weekly = {"FREQ": "WEEKLY", "COUNT": 4} if n % 10 == 0 else None
        bodies.append(ics(f"bench-{n}", start, start + timedelta(minutes=45), f"Bench meeting {n}",
                          [(emails[n % CONTACTS], None), (f"guest{n}@elsewhere.example", None)], rrule=weekly))
    calendar = Calendar.from_ical(bodies[0])
    for body in bodies[1:]:
        for component in Calendar.from_ical(body).subcomponents:
            if component.name == "VEVENT":
                calendar.add_component(component)
    response = server.client("rep").put(calendar_url, calendar.to_ical().decode(), {"Content-Type": "text/calendar"})
    assert response.status in (201, 204), response.status


def event_start(now: datetime, n: int, events: int) -> datetime:
    """Event n of ``events``, spread evenly from 20 days back to 80 days ahead."""
    return (now - timedelta(days=20) + timedelta(days=100) * n / events).replace(second=0, microsecond=0)


def move(server: CaldavServer, calendar_url: str, now: datetime, events: int, emails: list[str]) -> None:
    """20 single events moved an hour later, each written to its own object (Radicale names them by UID) as a
    calendar app does."""
    client = server.client("rep")
    for n in range(1, 10 * 20, 10):
        url = f"{calendar_url}bench-{n}.ics"
        moved = event_start(now, n, events) + timedelta(hours=1)
        body = ics(f"bench-{n}", moved, moved + timedelta(minutes=45), f"Bench meeting {n}",
                   [(emails[n % CONTACTS], None)])
        assert client.put(url, body.decode(), {"Content-Type": "text/calendar"}).status in (201, 204)


def timed_run(url: str, connection_id: str) -> tuple[float, dict]:
    from dashboard.calendar_sync import engine

    started = time.perf_counter()
    result = engine.run(lambda: psycopg.connect(url), connection_id)
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000, help="at least 200")
    parser.add_argument("--pgdata", type=Path, default=Path("/tmp/pgbench-calendar"))
    args = parser.parse_args()
    os.environ.setdefault("CRM_SECRET_KEY", "bench-secret-key-" + "x" * 32)
    print(machine_speed(), flush=True)
    admin = pg.start_embedded(args.pgdata.resolve())
    url = pg.libpq_url(admin)
    with psycopg.connect(url) as conn:
        migrate.upgrade(conn, progress=lambda _: None)
    tag = uuid.uuid4().hex[:8]
    user, emails = prepare(url, tag)
    server = CaldavServer(Path(tempfile.mkdtemp(prefix="bench-radicale-")), {"rep": PASSWORD}).start()
    try:
        calendar_url, _ = server.calendar("rep")
        now = datetime.now(UTC)
        started = time.perf_counter()
        fill(server, calendar_url, args.events, emails, now)
        print(f"wrote {args.events} events to Radicale in {time.perf_counter() - started:.1f} s", flush=True)
        from dashboard.calendar_sync import connections

        with psycopg.connect(url) as conn:
            connection_id = str(connections.connect(conn, user, calendar_url, PASSWORD, "rep"))
        for label in ("first pass", "incremental, nothing changed"):
            seconds, result = timed_run(url, connection_id)
            print(f"{label}: {seconds:.2f} s {result}", flush=True)
        move(server, calendar_url, now, args.events, emails)
        seconds, result = timed_run(url, connection_id)
        print(f"incremental, 20 events moved: {seconds:.2f} s {result}", flush=True)
        with psycopg.connect(url) as conn:
            meetings = conn.execute("select count(*) from crm.meetings where owner_id = %s", (user,)).fetchone()[0]
        print(f"meetings of the bench user: {meetings}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
