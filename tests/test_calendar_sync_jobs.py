"""The calendar sync end to end, with committed rows (cleaned up after): connecting on /account/calendar enqueues a
sync that a real job worker runs as the user; a wrong password and an unreachable server show a clear status on
the account page and back off exponentially (one attempt per due time, never a flood); ``crm calendar connect``
and ``crm calendar sync``; the stored password is encrypted and never selectable by crm_app."""

from __future__ import annotations

import socket
import time
import uuid
from datetime import timedelta

import psycopg
import pytest

from dashboard import pg
from dashboard.calendar_sync import connections, engine
from dashboard.credentials import decrypt_secret
from tests.caldav_server import CaldavServer
from tests.conftest import TEST_SECRET_KEY, Auth, start_worker, stop_worker
from tests.test_calendar_sync import ics
from tests.test_cli import run_crm

PASSWORD = "rep2-calendar-password"


@pytest.fixture(scope="module")
def caldav_server(tmp_path_factory):
    server = CaldavServer(tmp_path_factory.mktemp("radicale-jobs"), {"rep2": PASSWORD}).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def calendar_worker(admin_url, tmp_path_factory):
    """A worker of the calendar queue (the session's worker runs the imports and maintenance queues)."""
    process = start_worker(admin_url, "--queues", "calendar", log_path=tmp_path_factory.mktemp("calendar-worker") / "w.log")
    yield process
    stop_worker(process)


@pytest.fixture
def committed(admin_url, users):
    """A superuser connection in autocommit; rep 2's calendar rows, meetings from it and the contact it made are
    deleted afterwards."""
    rep2 = users["rep2"]["id"]
    with psycopg.connect(pg.libpq_url(admin_url), autocommit=True) as conn:
        tag = uuid.uuid4().hex[:8]
        email = f"carol-{tag}@initech.example"
        contact = conn.execute("insert into crm.contacts (first_name, email, owner_id) values ('Carol', %s, %s) returning id",
                               (email, rep2)).fetchone()[0]
        yield conn, email, contact
        conn.execute("""delete from crm.meetings where id in (select meeting_id from crm.calendar_events where user_id = %s)""", (rep2,))
        for table in ("calendar_events", "calendar_conflicts", "calendar_connections"):
            conn.execute(f"delete from crm.{table} where user_id = %s", (rep2,))
        conn.execute("delete from crm.contacts where id = %s", (contact,))
        conn.execute("delete from crm_jobs.procrastinate_jobs where task_name = 'calendar_sync' and status = 'todo'")


def wait_for_attempt(conn, user_id, attempts: int, timeout: float = 45):
    """The connection once its sync ran ``attempts`` times since it was (re)connected (failures count them)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = conn.execute("""select status, status_message, failures, last_attempt_at, next_attempt_at
                                from crm.calendar_connections where user_id = %s""", (user_id,)).fetchone()
        if row and row[0] != "pending" and (row[0] == "ok" or row[2] >= attempts):
            return row
        time.sleep(0.3)
    pytest.fail(f"no sync attempt within {timeout} s: {row}")


def test_connecting_syncs_through_the_worker_and_failures_back_off(app, users, caldav_server, calendar_worker, committed):
    conn, email, contact = committed
    rep2 = users["rep2"]["id"]
    url, calendar = caldav_server.calendar("rep2")
    body = ics("review", engine.datetime.now(engine.UTC).replace(microsecond=0) + timedelta(days=2), None, "Review with Carol", [(email, "Carol")])
    caldav_server.client("rep2").put(f"{url}review.ics", body.decode(), {"Content-Type": "text/calendar"})
    client = app.test_client()  # committed requests: the worker sees what they write
    auth = Auth(client)
    auth.login(users["rep2"]["email"])
    token = auth.csrf_token("/account/calendar")
    response = client.post("/account/calendar/connect", data={"caldav_url": url, "username": "rep2", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    status, message, failures, _, _ = wait_for_attempt(conn, rep2, 1)
    assert (status, failures) == ("ok", 0), message
    [(meeting, owner, primary)] = conn.execute(
        """select m.id, m.owner_id, m.primary_contact_id from crm.calendar_events e join crm.meetings m on m.id = e.meeting_id
            where e.user_id = %s and e.uid = 'review'""", (rep2,)).fetchall()
    assert (owner, primary) == (rep2, contact)
    page = client.get("/account/calendar").get_data(as_text=True)
    assert "Synced" in page and "1 created" in page
    # the password is sealed (AES-GCM under the secret key): not the text, and only the worker's secret opens it
    [(blob,)] = conn.execute("select password_encrypted from crm.calendar_connections where user_id = %s", (rep2,)).fetchall()
    assert PASSWORD.encode() not in bytes(blob) and decrypt_secret(blob, purpose="calendar", secret=TEST_SECRET_KEY) == PASSWORD
    assert PASSWORD not in page

    # a wrong password: a clear status, the next try a minute later, then two minutes ("Sync now" tries at once)
    response = client.post("/account/calendar/connect", data={"caldav_url": url, "username": "rep2", "password": "wrong", "csrf_token": token})
    status, message, failures, tried, due = wait_for_attempt(conn, rep2, 1)
    assert (status, failures) == ("auth_failed", 1)
    assert due - tried == timedelta(minutes=1)  # 1 minute after the first failure
    assert "Wrong user name or password" in client.get("/account/calendar").get_data(as_text=True)
    assert client.post("/account/calendar/sync", data={"csrf_token": token}).status_code == 302
    status, message, failures, tried, due = wait_for_attempt(conn, rep2, 2)
    assert (status, failures, due - tried) == ("auth_failed", 2, timedelta(minutes=2))
    # the dispatcher leaves a connection alone until it is due: nothing more is enqueued now
    from dashboard.jobs import calendar as calendar_jobs

    assert str(conn.execute("select id from crm.calendar_connections where user_id = %s", (rep2,)).fetchone()[0]) not in calendar_jobs.due_connections(conn)


def test_the_cli_connects_and_syncs_and_an_unreachable_server_is_told(admin_url, users, caldav_server, committed, monkeypatch):
    conn, email, _ = committed
    env = {"DATABASE_URL": pg.libpq_url(admin_url), "CRM_SECRET_KEY": TEST_SECRET_KEY}
    url, _ = caldav_server.calendar("rep2")
    rep2_email = users["rep2"]["email"]
    result = run_crm("calendar", "connect", "--email", rep2_email, "--caldav-url", url.replace("http://", "http://rep2@"),
                     "--password-stdin", env=env, stdin=PASSWORD + "\n")
    assert result.returncode == 0, result.stderr
    result = run_crm("calendar", "sync", "--email", rep2_email, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{rep2_email}: ok (nothing new)"
    # the user name came from the URL, which is stored without it
    assert conn.execute("select username, caldav_url from crm.calendar_connections where user_id = %s",
                        (users["rep2"]["id"],)).fetchone() == ("rep2", url)
    # the server goes away (a port nothing listens on): the sync says so and backs off (in this process, as the
    # worker runs it)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    rep2 = users["rep2"]["id"]
    connection_id = conn.execute("update crm.calendar_connections set caldav_url = %s where user_id = %s returning id",
                                 (f"http://127.0.0.1:{closed}/rep2/x/", rep2)).fetchone()[0]
    monkeypatch.setenv("CRM_SECRET_KEY", TEST_SECRET_KEY)
    result = engine.run(lambda: psycopg.connect(pg.libpq_url(admin_url)), str(connection_id))
    assert result == {"status": "unreachable", "failures": 1}
    row = conn.execute("select status, status_message from crm.calendar_connections where user_id = %s", (rep2,)).fetchone()
    assert row[0] == "unreachable" and "could not be reached" in row[1]


@pytest.mark.parametrize(("url", "problem"), [
    ("http://dav.example.com/cal/", "https://"),  # plain http only on this machine
    ("ftp://dav.example.com/cal/", "https://"),
    ("https://", "https://"),
    ("https://dav.example.com:99999/cal/", "not a URL"),
    ("https://dav.example.com/a b/", "address"),
    ("", "address"),
])
def test_a_calendar_url_must_be_https_or_loopback(url, problem):
    with pytest.raises(connections.ConnectionProblem, match=problem):
        connections.checked_url(url)
    # loopback http and https are fine; user information is split off, a password in the URL dropped
    assert connections.checked_url("http://rep2:secret@127.0.0.1:5232/rep2/cal") == ("http://127.0.0.1:5232/rep2/cal/", "rep2")
    assert connections.checked_url("https://dav.example.com/cal/") == ("https://dav.example.com/cal/", None)


def test_backoff_doubles_up_to_six_hours():
    # 1, 2, 4, 8 ... minutes after the 1st, 2nd, 3rd, 4th failure in a row; 2^9 = 512 > 360: capped at 6 hours
    assert [engine.backoff(n) for n in (1, 2, 3, 4, 9, 10, 50)] == [
        timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4), timedelta(minutes=8),
        timedelta(minutes=256), timedelta(hours=6), timedelta(hours=6)]
