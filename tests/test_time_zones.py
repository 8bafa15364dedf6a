"""Users' time zones: the conversion helper across DST changes, the zone on /account and in the
database, the browser's zone adopted once, and times shown and entered in the user's zone.

New York in 2026: EST (UTC-5) until Sunday 8 March 02:00, when clocks jump to 03:00 EDT (UTC-4);
EDT until Sunday 1 November 02:00, when clocks go back to 01:00 EST. So on 1 November the wall
clock shows 01:00-01:59 twice: first as EDT (05:00-05:59 UTC), then as EST (06:00-06:59 UTC); and
on 8 March it never shows 02:00-02:59.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import psycopg
import pytest

from dashboard import timezones
from tests.conftest import Auth, add_user, fetch_as
from tests.test_activities import counts_shown

NEW_YORK = timezones.zone("America/New_York")
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


# --- the helper ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("instant", "shown"),
    [
        (utc(2026, 3, 8, 6, 59), "2026-03-08 01:59 EST"),  # 06:59 UTC - 5 h: the last minute of EST
        (utc(2026, 3, 8, 7, 0), "2026-03-08 03:00 EDT"),  # 07:00 UTC - 4 h: 02:00-02:59 is skipped
        (utc(2026, 11, 1, 5, 30), "2026-11-01 01:30 EDT"),  # 05:30 UTC - 4 h: the first 01:30
        (utc(2026, 11, 1, 6, 30), "2026-11-01 01:30 EST"),  # 06:30 UTC - 5 h: the second 01:30
        (utc(2026, 11, 1, 4, 59), "2026-11-01 00:59 EDT"),  # 04:59 UTC - 4 h: still the day before's offset
        (utc(2026, 11, 2, 4, 59), "2026-11-01 23:59 EST"),  # 04:59 UTC - 5 h: a day later, an hour earlier
    ],
)
def test_instants_show_in_the_zone_across_dst(instant, shown):
    assert timezones.local(instant, NEW_YORK).strftime("%Y-%m-%d %H:%M %Z") == shown


def test_wall_clock_times_convert_back_to_the_right_instant():
    # ordinary times: + 5 h in winter, + 4 h in summer
    assert timezones.to_utc(datetime(2026, 1, 15, 9, 0), NEW_YORK) == utc(2026, 1, 15, 14, 0)
    assert timezones.to_utc(datetime(2026, 7, 15, 9, 0), NEW_YORK) == utc(2026, 7, 15, 13, 0)
    # 01:30 on 1 November happens twice: the first one (EDT, + 4 h) is meant
    assert timezones.to_utc(datetime(2026, 11, 1, 1, 30), NEW_YORK) == utc(2026, 11, 1, 5, 30)
    # 03:30 on 8 March is EDT (+ 4 h); 01:30 is still EST (+ 5 h)
    assert timezones.to_utc(datetime(2026, 3, 8, 3, 30), NEW_YORK) == utc(2026, 3, 8, 7, 30)
    assert timezones.to_utc(datetime(2026, 3, 8, 1, 30), NEW_YORK) == utc(2026, 3, 8, 6, 30)
    # 02:30 on 8 March never happens: refused, or (not strict) moved forward by the hour skipped
    with pytest.raises(timezones.NonexistentTime, match="2026-03-08 02:30 does not exist in America/New_York"):
        timezones.to_utc(datetime(2026, 3, 8, 2, 30), NEW_YORK)
    assert timezones.to_utc(datetime(2026, 3, 8, 2, 30), NEW_YORK, strict=False) == utc(2026, 3, 8, 7, 30)


def test_days_are_the_zones_days():
    # 8 March is 23 hours long in New York (05:00 UTC to 04:00 UTC the next day), 1 November 25 hours
    assert timezones.day_bounds(date(2026, 3, 8), date(2026, 3, 8), NEW_YORK) == (utc(2026, 3, 8, 5), utc(2026, 3, 9, 4))
    assert timezones.day_bounds(date(2026, 11, 1), date(2026, 11, 1), NEW_YORK) == (
        utc(2026, 11, 1, 4), utc(2026, 11, 2, 5))  # fmt: skip
    # Havana springs forward at midnight (00:00 -> 01:00 on 8 March 2026): the day starts at 01:00 CDT
    havana = timezones.zone("America/Havana")
    assert timezones.day_start(date(2026, 3, 8), havana) == utc(2026, 3, 8, 5)
    assert timezones.local(utc(2026, 3, 8, 5), havana).strftime("%H:%M %Z") == "01:00 CDT"
    # a due day is a calendar day stored at 00:00 UTC, the same day in every zone
    assert timezones.due_instant(date(2026, 3, 10)) == utc(2026, 3, 10)
    assert timezones.due_day(utc(2026, 3, 10)) == date(2026, 3, 10)


def test_zone_names_are_checked():
    assert timezones.is_valid("America/New_York") and timezones.is_valid("UTC")
    for bad in ("Mars/Olympus_Mons", "", None, "localtime", "../../etc/passwd", "EST5EDT" * 20, "america/new_york"):
        assert not timezones.is_valid(bad), bad
    assert timezones.problem("Mars/Olympus_Mons") == (
        "“Mars/Olympus_Mons” is not a time zone. Choose one from the list, such as Europe/London or America/New_York.")
    groups = dict(timezones.grouped_choices())
    assert ("America/New_York", "New York") in groups["America"] and groups["UTC"] == [("UTC", "UTC")]


# --- the zone of a user ----------------------------------------------------------------


@pytest.fixture
def new_yorker(app, users, db_session):
    return add_user(app, users["admin"]["id"], "ny@test.example", full_name="Nina York", time_zone="America/New_York")


@pytest.fixture
def newcomer(app, users, db_session):
    """A rep with no zone yet (the session's users may have one: browser tests adopt their browser's)."""
    return add_user(app, users["admin"]["id"], "new@test.example", full_name="Newt Comer")


def zone_of(app, users, user_id):
    return fetch_as(app, users["admin"]["id"], "select time_zone from crm.users where id = :id", {"id": user_id})[0][0]


def test_account_page_sets_the_zone_and_refuses_one_that_does_not_exist(app, client, auth, users, newcomer):
    auth.login("new@test.example")
    page = client.get("/account").get_data(as_text=True)
    # a select of zones grouped by area; nothing set yet: UTC
    assert '<optgroup label="Europe">' in page and '<option selected value="UTC">UTC</option>' in page
    token = CSRF.search(page).group(1)
    bad = client.post("/account", data={"csrf_token": token, "time_zone": "Mars/Olympus_Mons"})
    assert bad.status_code == 200 and "“Mars/Olympus_Mons” is not a time zone." in bad.get_data(as_text=True)
    assert zone_of(app, users, newcomer) is None
    good = client.post("/account", data={"csrf_token": token, "time_zone": "Asia/Kolkata"})
    assert good.status_code == 302 and zone_of(app, users, newcomer) == "Asia/Kolkata"
    assert '<option selected value="Asia/Kolkata">Kolkata</option>' in client.get("/account").get_data(as_text=True)


def test_the_database_refuses_a_zone_it_does_not_know(app, users, db_session):
    with pytest.raises(Exception) as refused:
        fetch_as(app, users["rep"]["id"], "update crm.users set time_zone = 'EST5EDT+99' where id = :id returning id",
                 {"id": users["rep"]["id"]})  # fmt: skip
    cause = refused.value.orig
    assert isinstance(cause, psycopg.errors.CheckViolation)
    assert cause.diag.constraint_name == "check_users_time_zone"
    assert cause.diag.message_primary == 'unknown time zone "EST5EDT+99"'


def test_a_user_sets_their_own_zone_and_an_admin_anyones(app, users, db_session):
    rep, rep2, admin = users["rep"]["id"], users["rep2"]["id"], users["admin"]["id"]
    set_zone = "update crm.users set time_zone = :z where id = :id returning id"
    assert fetch_as(app, rep, set_zone, {"z": "Europe/Paris", "id": rep}) == [(rep,)]
    # another rep's row is not the rep's to change (row-level security: nothing updated)
    assert fetch_as(app, rep, set_zone, {"z": "Europe/Paris", "id": rep2}) == []
    assert fetch_as(app, admin, set_zone, {"z": "Asia/Tokyo", "id": rep2}) == [(rep2,)]
    assert zone_of(app, users, rep) == "Europe/Paris" and zone_of(app, users, rep2) == "Asia/Tokyo"


def test_the_browsers_zone_is_adopted_only_while_none_is_set(app, client, auth, users, newcomer):
    auth.login("new@test.example")
    page = client.get("/").get_data(as_text=True)
    assert 'data-detect-time-zone="/account/time-zone/detected"' in page
    token = CSRF.search(client.get("/account").get_data(as_text=True)).group(1)
    headers = {"X-CSRFToken": token}
    refused = client.post("/account/time-zone/detected", data={"time_zone": "Nowhere/Land"}, headers=headers)
    assert refused.status_code == 400 and "is not a time zone" in refused.get_json()["error"]
    first = client.post("/account/time-zone/detected", data={"time_zone": "America/Chicago"}, headers=headers)
    assert first.get_json() == {"time_zone": "America/Chicago", "adopted": True}
    # a second report (another browser, another zone) changes nothing: the user's choice stands
    second = client.post("/account/time-zone/detected", data={"time_zone": "Asia/Tokyo"}, headers=headers)
    assert second.get_json() == {"time_zone": "America/Chicago", "adopted": False}
    assert zone_of(app, users, newcomer) == "America/Chicago"
    assert "data-detect-time-zone" not in client.get("/").get_data(as_text=True)


def test_an_admin_sets_a_users_zone_on_the_user_form(app, client, auth, users, new_yorker):
    auth.login(users["admin"]["email"])
    form = client.get(f"/admin/users/{new_yorker}/edit").get_data(as_text=True)
    assert '<option selected value="America/New_York">New York</option>' in form
    version = re.search(r'name="version"[^>]*value="(\d+)"', form).group(1)
    data = {"csrf_token": CSRF.search(form).group(1), "full_name": "Nina York", "role": "rep", "team_id": "",
            "manager_id": "", "is_active": "y", "time_zone": "Pacific/Auckland", "version": version}  # fmt: skip
    assert client.post(f"/admin/users/{new_yorker}/edit", data=data).status_code == 302
    assert zone_of(app, users, new_yorker) == "Pacific/Auckland"
    data["time_zone"], data["version"] = "Pacific/Atlantis", str(int(version) + 1)
    bad = client.post(f"/admin/users/{new_yorker}/edit", data=data)
    assert "“Pacific/Atlantis” is not a time zone." in bad.get_data(as_text=True)


# --- times shown and entered in the zone -------------------------------------------------


def add_activity_at(app, user_id, subject, instant):
    return fetch_as(app, user_id, "insert into crm.activities (user_id, type, subject, date) values (:u, 'call', :s, :d) "
                    "returning id", {"u": user_id, "s": subject, "d": instant})[0][0]  # fmt: skip


def test_activity_times_follow_the_zone_across_dst(app, client, auth, users, new_yorker):
    first = add_activity_at(app, new_yorker, "First half past one", utc(2026, 11, 1, 5, 30))
    second = add_activity_at(app, new_yorker, "Second half past one", utc(2026, 11, 1, 6, 30))
    spring = add_activity_at(app, new_yorker, "After the jump", utc(2026, 3, 8, 7, 0))
    auth.login("ny@test.example")
    # the two instants an hour apart show the same wall-clock time, told apart by the abbreviation
    assert "2026-11-01 01:30 EDT" in client.get(f"/activities/{first}").get_data(as_text=True)
    assert "2026-11-01 01:30 EST" in client.get(f"/activities/{second}").get_data(as_text=True)
    assert "2026-03-08 03:00 EDT" in client.get(f"/activities/{spring}").get_data(as_text=True)
    listing = client.get("/activities?from=2026-11-01&to=2026-11-01").get_data(as_text=True)
    assert listing.count("2026-11-01 01:30") == 2 and "After the jump" not in listing
    # the edit form shows the wall-clock time, in a field labelled with the zone
    form = client.get(f"/activities/{second}/edit").get_data(as_text=True)
    assert 'value="2026-11-01T01:30"' in form and "Date (America/New_York)" in form


def test_a_day_filter_is_the_users_day(app, client, auth, users, new_yorker):
    # 1 November in New York is 04:00 UTC on the 1st to 05:00 UTC on the 2nd
    add_activity_at(app, new_yorker, "Late on Halloween", utc(2026, 11, 1, 3, 59))  # 23:59 EDT on 31 October
    add_activity_at(app, new_yorker, "Early on the first", utc(2026, 11, 1, 4, 0))  # 00:00 EDT
    add_activity_at(app, new_yorker, "Late on the first", utc(2026, 11, 2, 4, 59))  # 23:59 EST
    add_activity_at(app, new_yorker, "Early on the second", utc(2026, 11, 2, 5, 0))  # 00:00 EST on 2 November
    auth.login("ny@test.example")
    listing = client.get("/activities?from=2026-11-01&to=2026-11-01").get_data(as_text=True)
    assert "Early on the first" in listing and "Late on the first" in listing
    assert "Late on Halloween" not in listing and "Early on the second" not in listing
    # the type counts (from the daily totals: the user's own days) say the same: two calls
    assert counts_shown(listing) == ("2", ["call 2"])
    # an admin in UTC lists the same user's 1 November in UTC days: 04:00, 04:59 on the 2nd is not in it,
    # 03:59 is; counted from the rows (the totals are on New York's days)
    admin = app.test_client()
    Auth(admin).login(users["admin"]["email"])
    fetch_as(app, users["admin"]["id"], "update crm.users set time_zone = 'UTC' where id = :id returning id",
             {"id": users["admin"]["id"]})  # fmt: skip
    utc_listing = admin.get("/activities?from=2026-11-01&to=2026-11-01").get_data(as_text=True)
    assert "Late on Halloween" in utc_listing and "Early on the first" in utc_listing
    assert "Late on the first" not in utc_listing and counts_shown(utc_listing) == ("2", ["call 2"])


def activity_form(client, company, **values):
    token = CSRF.search(client.get("/activities/new").get_data(as_text=True)).group(1)
    data = {"csrf_token": token, "type": "call", "status": "completed", "quantity": "1", "company_id": str(company),
            **values}  # fmt: skip
    return client.post("/activities/new", data=data)


def stored_date(app, users, subject):
    return fetch_as(app, users["admin"]["id"], "select date from crm.activities where subject = :s", {"s": subject})


def test_entered_times_are_stored_as_the_right_utc_instant(app, client, auth, users, new_yorker):
    [(company,)] = fetch_as(app, new_yorker, "insert into crm.companies (name, owner_id) values ('Eastern Co', :o) "
                            "returning id", {"o": new_yorker})  # fmt: skip
    auth.login("ny@test.example")
    # 09:15 in July is EDT: 13:15 UTC
    assert activity_form(client, company, subject="Summer call", date="2026-07-15T09:15").status_code == 302
    assert stored_date(app, users, "Summer call") == [(utc(2026, 7, 15, 13, 15),)]
    # 01:30 on 1 November happens twice: stored as the first (EDT), 05:30 UTC
    assert activity_form(client, company, subject="Ambiguous call", date="2026-11-01T01:30").status_code == 302
    assert stored_date(app, users, "Ambiguous call") == [(utc(2026, 11, 1, 5, 30),)]
    # 02:30 on 8 March never happens: refused with a reason, nothing stored
    skipped = activity_form(client, company, subject="Skipped call", date="2026-03-08T02:30")
    assert skipped.status_code == 200
    assert "2026-03-08 02:30 does not exist in America/New_York" in skipped.get_data(as_text=True)
    assert stored_date(app, users, "Skipped call") == []


def test_meeting_times_are_entered_and_shown_in_the_zone(app, client, auth, users, new_yorker):
    auth.login("ny@test.example")
    token = CSRF.search(client.get("/meetings/new").get_data(as_text=True)).group(1)
    saved = client.post("/meetings/new", data={"csrf_token": token, "title": "Winter demo", "meeting_type": "demo",
                                               "starts_at": "2026-12-01T10:00", "ends_at": "2026-12-01T11:30"})  # fmt: skip
    assert saved.status_code == 302
    row = fetch_as(app, users["admin"]["id"], "select id, starts_at, ends_at from crm.meetings where title = 'Winter demo'")
    meeting, starts, ends = row[0]
    assert (starts, ends) == (utc(2026, 12, 1, 15), utc(2026, 12, 1, 16, 30))  # EST: + 5 h
    page = client.get(f"/meetings/{meeting}").get_data(as_text=True)
    assert "2026-12-01 10:00–11:30 EST" in page


def test_a_due_day_is_the_same_day_in_every_zone(app, client, auth, users, new_yorker):
    auth.login("ny@test.example")
    token = CSRF.search(client.get("/tasks/new").get_data(as_text=True)).group(1)
    data = {"csrf_token": token, "title": "Send the contract", "due_date": "2026-11-01", "priority": "medium",
            "task_type": "general", "status": "pending", "assigned_to": str(new_yorker)}  # fmt: skip
    assert client.post("/tasks/new", data=data).status_code == 302
    [(task, due)] = fetch_as(app, users["admin"]["id"], "select id, due_date from crm.tasks where title = 'Send the contract'")
    assert due == utc(2026, 11, 1)  # stored at 00:00 UTC of the day, whatever the zone
    assert "2026-11-01" in client.get(f"/tasks/{task}").get_data(as_text=True)


def test_csv_exports_write_times_in_the_users_zone(app, client, auth, users, new_yorker):
    add_activity_at(app, new_yorker, "Exported call", utc(2026, 11, 1, 6, 30))  # the second 01:30: EST
    auth.login("ny@test.example")
    exported = client.get("/activities?format=csv").get_data(as_text=True)
    # ISO 8601 with the offset: the wall-clock time the user saw, and the same instant as 06:30 UTC
    assert "2026-11-01T01:30:00-05:00,call,Exported call" in exported
    rows = client.get("/tasks?format=csv")  # the export's file name is dated by the user's today
    assert f"tasks-{timezones.today(NEW_YORK).isoformat()}.csv" in rows.headers["Content-Disposition"]


def test_due_today_or_overdue_depends_on_the_users_today(app, client, auth, users, new_yorker):
    # Pago Pago (UTC-11) and Kiritimati (UTC+14) are 25 hours apart: Kiritimati's today is always later
    pago = timezones.today(timezones.zone("Pacific/Pago_Pago"))
    fetch_as(app, new_yorker, "insert into crm.tasks (title, assigned_to, due_date) values ('Call back', :u, :d) "
             "returning id", {"u": new_yorker, "d": timezones.due_instant(pago)})  # fmt: skip
    auth.login("ny@test.example")
    set_zone = "update crm.users set time_zone = :z where id = :u"
    fetch_as(app, new_yorker, set_zone + " returning id", {"z": "Pacific/Pago_Pago", "u": new_yorker})
    listing = client.get("/tasks").get_data(as_text=True)
    assert pago.isoformat() in listing and "due today" in listing and "badge-overdue" not in listing
    fetch_as(app, new_yorker, set_zone + " returning id", {"z": "Pacific/Kiritimati", "u": new_yorker})
    listing = client.get("/tasks").get_data(as_text=True)
    # the same due day, shown the same, is past in Kiritimati
    assert pago.isoformat() in listing and "badge-overdue" in listing and "due today" not in listing


def test_the_dashboard_says_whose_days_it_shows(app, client, auth, users, new_yorker):
    auth.login("ny@test.example")
    page = client.get("/?range=custom&from=2026-03-08&to=2026-03-08").get_data(as_text=True)
    assert '<span class="zone" id="days-zone">· days in America/New_York</span>' in page


def test_closing_soon_counts_from_the_users_today(app, client, auth, users, new_yorker):
    # a deal closing on Pago Pago's today and one 30 days after Kiritimati's (1 or 2 days later): each is
    # "closing within 30 days" only in its own zone
    pago = timezones.today(timezones.zone("Pacific/Pago_Pago"))
    kiritimati = timezones.today(timezones.zone("Pacific/Kiritimati"))
    for name, day in (("Closes in Pago Pago today", pago), ("Closes a month after Kiritimati's today",
                                                           kiritimati + timedelta(days=30))):  # fmt: skip
        fetch_as(app, new_yorker, "insert into crm.deals (name, value, stage_id, owner_id, expected_close_date) "
                 "select :n, 100, id, :o, :d from crm.deal_stages where name = 'Lead' returning id",
                 {"n": name, "o": new_yorker, "d": day})  # fmt: skip
    auth.login("ny@test.example")
    set_zone = "update crm.users set time_zone = :z where id = :u returning id"
    fetch_as(app, new_yorker, set_zone, {"z": "Pacific/Pago_Pago", "u": new_yorker})
    listing = client.get("/deals?closing=1").get_data(as_text=True)
    assert "Closes in Pago Pago today" in listing and "Closes a month after" not in listing
    fetch_as(app, new_yorker, set_zone, {"z": "Pacific/Kiritimati", "u": new_yorker})
    listing = client.get("/deals?closing=1").get_data(as_text=True)
    assert "Closes in Pago Pago today" not in listing and "Closes a month after" in listing
