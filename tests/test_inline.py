"""Inline edits (dashboard/inline_edit.py): a deal's close date, value, stage and owner, a task's due date
and status, edited in place with the full forms' validation, rules and optimistic locking."""

from __future__ import annotations

import re
import uuid

from tests.conftest import execute_as, fetch_as
from tests.test_deals import add_deal

VERSION = re.compile(r'name="version" type="hidden" value="(\d+)"')
HX = {"HX-Request": "true"}
LOST = "00000000-0000-4000-8000-000000000060"
PRICE = "00000000-0000-4000-8000-000000000101"


def opened(client, url: str) -> dict:
    """The inline form's hidden fields, as the browser would send them back."""
    page = client.get(url, headers=HX)
    assert page.status_code == 200, url
    body = page.get_data(as_text=True)
    field = re.search(r'name="field" value="(\w+)"', body).group(1)
    token = re.search(r'name="csrf_token" value="([^"]+)"', body).group(1)
    return {"csrf_token": token, "field": field, "version": VERSION.search(body).group(1)}


def one(app, users, sql: str, **params):
    return fetch_as(app, users["admin"]["id"], sql, params)


def test_close_date_saved_in_place(app, client, auth, users):
    deal = add_deal(app, users, name="Inline close", value=100)
    auth.login(users["rep"]["email"])
    rows = client.get("/deals").get_data(as_text=True)
    assert f'hx-get="/deals/{deal}/inline?field=close"' in rows  # the list's close date opens in place
    form = opened(client, f"/deals/{deal}/inline?field=close")
    saved = client.post(f"/deals/{deal}/inline", data=form | {"expected_close_date": "2031-02-03"}, headers=HX)
    body = saved.get_data(as_text=True)
    assert saved.status_code == 200 and "2031-02-03</button>" in body and "<form" not in body
    assert "dealsChanged" in saved.headers["HX-Trigger"]
    assert one(app, users, "select expected_close_date::text from crm.deals where id = :d", d=deal) == [("2031-02-03",)]


def test_the_forms_validation_applies(app, client, auth, users):
    deal = add_deal(app, users, name="Inline value", value=100)
    auth.login(users["rep"]["email"])
    form = opened(client, f"/deals/{deal}/inline?field=value")
    refused = client.post(f"/deals/{deal}/inline", data=form | {"value": "-5"}, headers=HX)
    assert refused.status_code == 200 and "Number must be between 0 and" in refused.get_data(as_text=True)
    bad_day = client.post(f"/deals/{deal}/inline", data=form | {"field": "close", "expected_close_date": "2031-02-30"},
                          headers=HX)  # fmt: skip
    assert "Not a valid date value." in bad_day.get_data(as_text=True)
    assert one(app, users, "select value, expected_close_date from crm.deals where id = :d", d=deal) == [(100, None)]
    saved = client.post(f"/deals/{deal}/inline", data=form | {"value": "2500.5"}, headers=HX)
    assert "2,500</button>" in saved.get_data(as_text=True)  # money() shows whole units


def test_a_stale_inline_edit_is_a_409_that_says_who(app, client, auth, users):
    deal = add_deal(app, users, name="Contested", value=100)
    auth.login(users["rep"]["email"])
    form = opened(client, f"/deals/{deal}/inline?field=close")
    # meanwhile the admin changes the deal (a new version)
    execute_as(app, users["admin"]["id"], "update crm.deals set value = 999, version = version + 1 where id = :d",
               {"d": deal})  # (as the ORM writes: the version moves on)
    answer = client.post(f"/deals/{deal}/inline", data=form | {"expected_close_date": "2031-01-01"}, headers=HX)
    body = answer.get_data(as_text=True)
    # (who: the last change the rep may read in the audit log, as on the full form's 409 page)
    assert answer.status_code == 409 and "Not saved: this was changed" in body and "after you opened it" in body
    assert "<form" not in body and "—</button>" in body  # the field as it is now, editable again
    assert one(app, users, "select expected_close_date, value from crm.deals where id = :d", d=deal) == [(None, 999)]


def test_stage_in_place_asks_why_a_deal_was_lost(app, client, auth, users):
    deal = add_deal(app, users, name="Inline stage", value=100)
    auth.login(users["rep"]["email"])
    form = opened(client, f"/deals/{deal}/inline?field=stage")
    asked = client.post(f"/deals/{deal}/inline", data=form | {"stage_id": LOST, "lost_reason_id": ""}, headers=HX)
    assert "Choose why the deal was lost." in asked.get_data(as_text=True)
    saved = client.post(f"/deals/{deal}/inline", data=form | {"stage_id": LOST, "lost_reason_id": PRICE}, headers=HX)
    assert "Lost</button>" in saved.get_data(as_text=True)
    assert one(app, users, "select status, lost_reason_id::text from crm.deals where id = :d", d=deal) == [
        ("lost", PRICE)]
    # the stage change is noted on the timeline as from the form
    assert one(app, users, "select count(*) from crm.activities where deal_id = :d and subject like 'Stage changed%'",
               d=deal) == [(1,)]  # fmt: skip


def test_owner_in_place_for_the_manager_only(app, client, auth, users):
    deal = add_deal(app, users, name="Handed on", value=100)
    auth.login(users["rep"]["email"])
    # the owner (a rep) may not hand it on: no owner form, and the page shows the name only
    assert client.get(f"/deals/{deal}/inline?field=owner", headers=HX).status_code == 404
    assert f'hx-get="/deals/{deal}/inline?field=owner"' not in client.get(f"/deals/{deal}").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": auth.csrf_token("/")})
    auth.login(users["manager"]["email"])
    # the manager edits the owner, and nothing else of the rep's deal
    assert client.get(f"/deals/{deal}/inline?field=close", headers=HX).status_code == 404
    form = opened(client, f"/deals/{deal}/inline?field=owner")
    outsider = client.post(f"/deals/{deal}/inline", data=form | {"owner_id": str(users["admin"]["id"])}, headers=HX)
    assert "Not a valid choice." in outsider.get_data(as_text=True)  # the admin is not among the manager's people
    saved = client.post(f"/deals/{deal}/inline", data=form | {"owner_id": str(users["rep2"]["id"])}, headers=HX)
    assert saved.status_code == 200 and "Test Rep2" in saved.get_data(as_text=True)
    assert one(app, users, "select owner_id from crm.deals where id = :d", d=deal) == [(users["rep2"]["id"],)]


def test_task_due_date_and_status_in_place(app, client, auth, users):
    rep = users["rep"]["id"]
    task = fetch_as(app, rep, "insert into crm.tasks (title, assigned_to) values ('Inline task', :o) returning id",
                    {"o": rep})[0][0]  # fmt: skip
    auth.login(users["rep"]["email"])
    rows = client.get("/tasks").get_data(as_text=True)
    assert f'hx-get="/tasks/{task}/inline?field=due"' in rows and f'hx-get="/tasks/{task}/inline?field=status"' in rows
    form = opened(client, f"/tasks/{task}/inline?field=due")
    saved = client.post(f"/tasks/{task}/inline", data=form | {"due_date": "2031-05-06"}, headers=HX)
    assert "2031-05-06</button>" in saved.get_data(as_text=True) and "tasksChanged" in saved.headers["HX-Trigger"]
    form = opened(client, f"/tasks/{task}/inline?field=status")
    bad = client.post(f"/tasks/{task}/inline", data=form | {"status": "sleeping"}, headers=HX)
    assert "Not a valid choice." in bad.get_data(as_text=True)
    client.post(f"/tasks/{task}/inline", data=form | {"status": "in_progress"}, headers=HX)
    assert one(app, users, "select status, due_date::date::text from crm.tasks where id = :t", t=task) == [
        ("in_progress", "2031-05-06")]
    # someone else's task: 404, as for a missing one
    other = fetch_as(app, users["rep2"]["id"], "insert into crm.tasks (title, assigned_to) values ('Not mine', :o) "
                     "returning id", {"o": users["rep2"]["id"]})[0][0]  # fmt: skip
    assert client.get(f"/tasks/{other}/inline?field=due", headers=HX).status_code == 404
    assert client.get(f"/tasks/{uuid.uuid4()}/inline?field=due", headers=HX).status_code == 404
