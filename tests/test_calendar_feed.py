"""The private ICS feed (/calendar/<token>.ics): issued, re-issued and revoked on /account/calendar, read
without a login, parsed with the icalendar package; exactly the owner's meetings (in UTC) and open tasks'
due days (all-day), never another rep's; 404 for a revoked, replaced or made-up token."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from icalendar import Calendar

from tests.conftest import Auth, execute_as, fetch_as

FEED_URL = re.compile(r'id="feed-url"[^>]*value="(http://localhost/calendar/[0-9a-f]{64}\.ics)"')


def issue_feed(client, auth) -> str:
    token = auth.csrf_token("/account/calendar")
    page = client.post("/account/calendar/feed", data={"csrf_token": token}).get_data(as_text=True)
    return FEED_URL.search(page).group(1).removeprefix("http://localhost")


def events(body: bytes) -> dict[str, object]:
    calendar = Calendar.from_ical(body)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def agenda(app, users, db_session):
    """The rep's meetings and tasks, and others' that must stay out of the rep's feed."""
    rep, rep2, manager = (users[k]["id"] for k in ("rep", "rep2", "manager"))
    meeting = "insert into crm.meetings (title, starts_at, ends_at, owner_id, meeting_outcome) values (:t, :s, :e, :o, :out) returning id"
    task = "insert into crm.tasks (title, due_date, status, assigned_to, created_by) values (:t, :d, :st, :o, :o) returning id"
    ids = {}
    for key, owner, title, starts, ends, outcome in [
        ("demo", rep, "Demo at Acme", "2026-12-10 15:00+00", "2026-12-10 16:00+00", "pending"),
        # entered in New York: 09:30 EST is 14:30 UTC; no end time: an hour in the feed
        ("kickoff", rep, "Kick-off", "2026-12-11 09:30 America/New_York", None, "pending"),
        ("cancelled", rep, "Cancelled call", "2026-12-14 10:00+00", "2026-12-14 10:30+00", "cancelled"),
        ("old", rep, "Two years ago", "2024-12-01 10:00+00", None, "positive"),
        ("rep2", rep2, "Rep 2's meeting", "2026-12-10 12:00+00", None, "pending"),
        ("manager", manager, "Manager's meeting", "2026-12-10 13:00+00", None, "pending"),
    ]:
        ids[key] = fetch_as(app, owner, meeting, {"t": title, "s": starts, "e": ends, "o": owner, "out": outcome})[0][0]
    for key, owner, title, due, status in [
        ("due", rep, "Send the offer", "2026-12-12 00:00+00", "pending"),
        ("doing", rep, "Draft the contract", "2026-12-31 00:00+00", "in_progress"),
        ("done", rep, "Done already", "2026-12-09 00:00+00", "completed"),
        ("undated", rep, "Someday", None, "pending"),
        ("rep2_task", rep2, "Rep 2's task", "2026-12-12 00:00+00", "pending"),
    ]:
        ids[key] = fetch_as(app, owner, task, {"t": title, "d": due, "st": status, "o": owner})[0][0]
    return ids


def test_the_feed_holds_exactly_the_owners_meetings_and_open_tasks_in_the_right_times(app, client, auth, users, agenda):
    auth.login(users["rep"]["email"])
    url = issue_feed(client, auth)
    anonymous = app.test_client()  # no login: the token is the credential
    response = anonymous.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    found = events(response.data)
    expected = {f"meeting-{agenda[k]}@sales-dashboard" for k in ("demo", "kickoff", "cancelled")}
    expected |= {f"task-{agenda[k]}@sales-dashboard" for k in ("due", "doing")}
    # not the meeting older than a year, the completed or undated task, nor rep 2's or the manager's rows
    assert set(found) == expected
    demo = found[f"meeting-{agenda['demo']}@sales-dashboard"]
    assert demo["SUMMARY"] == "Demo at Acme"
    assert demo.decoded("DTSTART") == datetime(2026, 12, 10, 15, 0, tzinfo=UTC)
    assert demo.decoded("DTEND") == datetime(2026, 12, 10, 16, 0, tzinfo=UTC)
    assert demo.to_ical().decode().count("DTSTART:20261210T150000Z") == 1  # written in UTC
    kickoff = found[f"meeting-{agenda['kickoff']}@sales-dashboard"]
    assert kickoff.decoded("DTSTART") == datetime(2026, 12, 11, 14, 30, tzinfo=UTC)  # 09:30 EST
    assert kickoff.decoded("DTEND") == datetime(2026, 12, 11, 15, 30, tzinfo=UTC)  # no end: an hour
    assert found[f"meeting-{agenda['cancelled']}@sales-dashboard"]["STATUS"] == "CANCELLED"
    due = found[f"task-{agenda['due']}@sales-dashboard"]
    # an all-day event on the due day, the same day in every zone
    assert due.decoded("DTSTART") == date(2026, 12, 12) and due.decoded("DTEND") == date(2026, 12, 13)
    assert "DTSTART;VALUE=DATE:20261212" in due.to_ical().decode()
    assert due["SUMMARY"] == "Due: Send the offer"
    # stable: the same UIDs on the next read
    assert set(events(anonymous.get(url).data)) == expected


def test_a_manager_feed_has_only_their_own_meetings_and_a_login_cookie_changes_nothing(app, client, auth, users, agenda):
    auth.login(users["manager"]["email"])
    manager_url = issue_feed(client, auth)
    # the manager may read the rep's meetings on the site, but their feed is their own
    assert set(events(client.get(manager_url).data)) == {f"meeting-{agenda['manager']}@sales-dashboard"}
    rep_client = app.test_client()
    rep_auth = Auth(rep_client)
    rep_auth.login(users["rep"]["email"])
    rep_url = issue_feed(rep_client, rep_auth)
    # the rep's feed read with the manager's login cookie is still the rep's, and nothing of the manager's
    found = set(events(client.get(rep_url).data))
    assert f"meeting-{agenda['demo']}@sales-dashboard" in found
    assert f"meeting-{agenda['manager']}@sales-dashboard" not in found
    assert f"meeting-{agenda['rep2']}@sales-dashboard" not in found


def test_revoked_replaced_and_made_up_tokens_are_404(app, client, auth, users, agenda):
    auth.login(users["rep"]["email"])
    anonymous = app.test_client()
    first = issue_feed(client, auth)
    assert anonymous.get(first).status_code == 200
    page = client.get("/account/calendar").get_data(as_text=True)
    assert "last read" in page and 'id="feed-url"' not in page  # the address is shown only once
    second = issue_feed(client, auth)  # a new address: the old one stops working
    assert second != first
    assert anonymous.get(first).status_code == 404
    assert anonymous.get(second).status_code == 200
    response = client.post("/account/calendar/feed/revoke", data={"csrf_token": auth.csrf_token("/account/calendar")})
    assert response.status_code == 302
    assert anonymous.get(second).status_code == 404
    assert "You have no calendar feed." in client.get("/account/calendar").get_data(as_text=True)
    for made_up in ["0" * 64, "f" * 64, "abc", "0" * 63 + "G", first.split("/")[-1][:-4].upper()]:
        assert anonymous.get(f"/calendar/{made_up}.ics").status_code == 404, made_up


def test_a_deactivated_users_feed_is_404(app, client, auth, users, agenda):
    auth.login(users["rep2"]["email"])
    url = issue_feed(client, auth)
    assert app.test_client().get(url).status_code == 200
    execute_as(app, users["admin"]["id"], "update crm.users set is_active = false where id = :id", {"id": users["rep2"]["id"]})
    assert app.test_client().get(url).status_code == 404


def test_crm_app_cannot_read_feed_hashes_or_write_feeds(app, users, db_session):
    rep = users["rep"]["id"]
    execute_as(app, rep, "select app.issue_calendar_feed()")
    assert fetch_as(app, rep, "select count(*) from crm.calendar_feeds where revoked_at is null") == [(1,)]
    import sqlalchemy.exc

    for statement in ["select token_hash from crm.calendar_feeds",
                      "insert into crm.calendar_feeds (user_id, token_hash) values (:o, sha256('x'))",
                      "update crm.calendar_feeds set revoked_at = null"]:  # fmt: skip
        with pytest.raises(sqlalchemy.exc.ProgrammingError, match="permission denied"):
            execute_as(app, rep, statement, {"o": rep})
