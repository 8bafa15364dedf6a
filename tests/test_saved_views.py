"""Lists open on today's work (tasks by due date, open deals by close date, upcoming meetings) when the
request gives no filter; saved views: save the current filters under a name, share them with the team,
make one the default (the list then opens with it), delete. Hand-made rows; expected orders in comments."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import fetch_as

TASKS = re.compile(r'/tasks/[0-9a-f-]{36}"[^>]*>([^<]+)</a>')
DEALS = re.compile(r'/deals/[0-9a-f-]{36}"[^>]*>([^<]+)</a>')
MEETINGS = re.compile(r'/meetings/[0-9a-f-]{36}"[^>]*>([^<]+)</a>')
NOW = datetime.now(UTC)


def add(app, users, sql, **params):
    return fetch_as(app, users["rep"]["id"], sql, {"o": users["rep"]["id"]} | params)[0][0]


@pytest.fixture
def rep(client, auth, users):
    auth.login(users["rep"]["email"])
    return auth


@pytest.fixture
def tasks(app, users):
    for title, status, due in [
        ("Due tomorrow", "pending", NOW + timedelta(days=1)),
        ("Overdue two days", "in_progress", NOW - timedelta(days=2)),
        ("No due date", "pending", None),
        ("Done in 2025", "completed", datetime(2025, 3, 1, tzinfo=UTC)),
        ("Cancelled long ago", "cancelled", NOW - timedelta(days=30)),
    ]:
        add(app, users, "insert into crm.tasks (title, status, due_date, assigned_to) values (:t, :s, :d, :o) returning id",
            t=title, s=status, d=due)  # fmt: skip


def test_tasks_open_on_open_tasks_overdue_first(client, rep, tasks):
    body = client.get("/tasks").get_data(as_text=True)
    # open only (pending, in progress), by due date ascending: the overdue one first, no date last
    assert TASKS.findall(body) == ["Overdue two days", "Due tomorrow", "No due date"]
    assert "Showing open tasks by due date, overdue first." in body
    # the filters show what applied, and "Show everything" is the list without the default
    assert '<option value="open" selected>' in body or 'value="open" selected' in body
    everything = TASKS.findall(client.get("/tasks?all=1").get_data(as_text=True))
    assert sorted(everything) == sorted(["Overdue two days", "Due tomorrow", "No due date", "Done in 2025",
                                         "Cancelled long ago"])  # fmt: skip
    # any filter of the user's own replaces the default: only completed ones
    assert TASKS.findall(client.get("/tasks?status=completed").get_data(as_text=True)) == ["Done in 2025"]


def test_deals_open_on_open_deals_by_close_date(app, client, rep, users):
    stages = dict(fetch_as(app, users["rep"]["id"], "select name, id from crm.deal_stages"))
    for name, stage, close in [("Closes in March", "Lead", "2027-03-01"), ("Closes in January", "Qualified", "2027-01-15"),
                               ("No close date", "Lead", None), ("Lost in January", "Lost", "2026-01-10")]:  # fmt: skip
        add(app, users, """insert into crm.deals (name, stage_id, owner_id, expected_close_date)
                           values (:n, :s, :o, :c) returning id""", n=name, s=stages[stage], c=close)  # fmt: skip
    body = client.get("/deals").get_data(as_text=True)
    # active deals only (the lost one is not today's work), soonest close first, no date last
    assert DEALS.findall(body) == ["Closes in January", "Closes in March", "No close date"]
    assert "Showing open deals by close date." in body


def test_meetings_open_on_upcoming_ones_soonest_first(app, client, rep, users):
    for title, starts in [("Next week", NOW + timedelta(days=7)), ("Tomorrow", NOW + timedelta(days=1)),
                          ("Last month", NOW - timedelta(days=30))]:  # fmt: skip
        add(app, users, "insert into crm.meetings (title, starts_at, owner_id) values (:t, :s, :o) returning id",
            t=title, s=starts)  # fmt: skip
    body = client.get("/meetings").get_data(as_text=True)
    assert MEETINGS.findall(body) == ["Tomorrow", "Next week"]
    assert "Last month" in client.get("/meetings?when=past").get_data(as_text=True)


def save_view(client, auth, **fields):
    data = {"csrf_token": auth.csrf_token("/tasks"), "list": "tasks", "name": "Mine"} | fields
    return client.post("/views", data=data)


def test_a_saved_default_view_opens_the_list(app, client, rep, users, tasks):
    # the page's query (page and format are not kept) saved as the default of the task list
    saved = save_view(client, rep, name="Finished", query="status=completed&page=3&format=csv", is_default="y")
    assert saved.status_code == 302 and saved.headers["Location"] == "/tasks?status=completed"
    row = fetch_as(app, users["rep"]["id"], "select list, name, query, shared, is_default from crm.saved_views")
    assert row == [("tasks", "Finished", "status=completed", False, True)]
    body = client.get("/tasks").get_data(as_text=True)
    # opening the list with no arguments applies it, and says so
    assert TASKS.findall(body) == ["Done in 2025"] and "Showing your default view “Finished”." in body
    view_id = fetch_as(app, users["rep"]["id"], "select id from crm.saved_views")[0][0]
    # a second default replaces the first (one per list)
    save_view(client, rep, name="Urgent", query="status=open&priority=urgent", is_default="y")
    assert fetch_as(app, users["rep"]["id"], "select name from crm.saved_views where is_default") == [("Urgent",)]
    # "Not default" on the default view: the built-in default again
    urgent = fetch_as(app, users["rep"]["id"], "select id from crm.saved_views where name = 'Urgent'")[0][0]
    client.post(f"/views/{urgent}/default", data={"csrf_token": rep.csrf_token("/tasks")})
    assert "Showing open tasks by due date" in client.get("/tasks").get_data(as_text=True)
    deleted = client.post(f"/views/{view_id}/delete", data={"csrf_token": rep.csrf_token("/tasks")})
    assert deleted.status_code == 302
    assert fetch_as(app, users["rep"]["id"], "select name from crm.saved_views") == [("Urgent",)]


def test_names_are_unique_per_list_and_required(app, client, rep, users):
    save_view(client, rep, name="Mine", query="status=open")
    again = save_view(client, rep, name="  MINE ", query="status=completed")
    # refused with the reason (flashed on the list), nothing replaced
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "You already have a view with that name on this list." in page
    blank = save_view(client, rep, name="   ")
    assert "This field is required." in client.get(blank.headers["Location"]).get_data(as_text=True)
    assert fetch_as(app, users["rep"]["id"], "select name, query from crm.saved_views") == [("Mine", "status=open")]


def switch(client, auth, email):
    client.post("/logout", data={"csrf_token": auth.csrf_token("/")})
    auth.login(email)


def test_a_shared_view_is_the_teams_to_read_and_the_owners_to_change(app, client, auth, users):
    auth.login(users["rep"]["email"])
    save_view(client, auth, name="Team urgent", query="priority=urgent", shared="y")
    save_view(client, auth, name="Private", query="priority=low")
    view_id = fetch_as(app, users["rep"]["id"], "select id from crm.saved_views where name = 'Team urgent'")[0][0]
    switch(client, auth, users["rep2"]["email"])
    page = client.get("/tasks").get_data(as_text=True)
    # the teammate sees the shared view (reps do not read each other's user rows: "your team" shared it),
    # not the private one, and cannot change it
    assert "Team urgent" in page and "shared with your team" in page and "Private" not in page
    assert client.post(f"/views/{view_id}/delete", data={"csrf_token": auth.csrf_token("/tasks")}).status_code == 404
    assert client.post(f"/views/{view_id}/default", data={"csrf_token": auth.csrf_token("/tasks")}).status_code == 404
    # the admin is in no team: neither view
    switch(client, auth, users["admin"]["email"])
    page = client.get("/tasks").get_data(as_text=True)
    assert "Team urgent" not in page and "Private" not in page
    assert fetch_as(app, users["rep"]["id"], "select count(*) from crm.saved_views") == [(2,)]
