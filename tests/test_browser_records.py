"""In Chromium: a saved view (filter the list, save it as the default, reopen the list: it applies), an
action from a record page (log an activity in place on a deal) and a record's timeline. The data is
committed (the live server has its own connections) and removed afterwards."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from playwright.sync_api import expect

from dashboard import pg
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def marker(admin_url, users):
    """A unique name part; everything created with it (and the rep's saved views) is deleted at the end."""
    tag = uuid.uuid4().hex[:8]
    yield tag
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        conn.execute("delete from crm.saved_views where name like %s", (f"%{tag}%",))
        conn.execute("delete from crm.tasks where title like %s", (f"%{tag}%",))
        conn.execute("delete from crm.activities where subject like %s or deal_id in "
                     "(select id from crm.deals where name like %s)", (f"%{tag}%", f"%{tag}%"))  # fmt: skip
        conn.execute("delete from crm.meetings where title like %s", (f"%{tag}%",))
        conn.execute("delete from crm.deals where name like %s", (f"%{tag}%",))
        conn.execute("delete from crm.companies where name like %s", (f"%{tag}%",))


def run(admin_url, sql, params=()):
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        return conn.execute(sql, params).fetchall()


def log_in(page, live_server, email):
    page.goto(f"{live_server}/login")
    page.fill("#email", email)
    page.fill("#password", TEST_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(f"{live_server}/")


def test_a_saved_default_view_applies_when_the_list_opens(live_server, page, admin_url, users, marker):
    rep = users["rep"]["id"]
    for title, status in [(f"Open {marker}", "pending"), (f"Finished {marker}", "completed")]:
        run(admin_url, "insert into crm.tasks (title, status, assigned_to, created_by) values (%s, %s, %s, %s) returning id",
            (title, status, rep, rep))  # fmt: skip
    log_in(page, live_server, users["rep"]["email"])
    page.goto(f"{live_server}/tasks")
    # the list opens on open tasks: the finished one is not there
    assert page.locator("#default-view-note").is_visible()
    assert page.get_by_text(f"Open {marker}").is_visible() and page.get_by_text(f"Finished {marker}").count() == 0
    # filter on completed ones (htmx swaps the rows and pushes the address), then save that as the default
    page.select_option("select[name=status]", "completed")
    page.wait_for_url("**/tasks?*status=completed*")
    page.get_by_text(f"Finished {marker}").wait_for()
    page.click("#save-view summary")
    page.fill("#view-name", f"Done {marker}")
    page.check("input[name=is_default]")
    page.click("#save-view-button")
    page.wait_for_url("**/tasks?*status=completed*")
    assert page.locator(".saved-view-link", has_text=f"Done {marker}").is_visible()
    # reopen the list with no arguments: the saved default applies
    page.goto(f"{live_server}/tasks")
    assert f"your default view “Done {marker}”" in page.locator("#default-view-note").inner_text()
    assert page.get_by_text(f"Finished {marker}").is_visible() and page.get_by_text(f"Open {marker}").count() == 0
    assert page.locator("select[name=status]").input_value() == "completed"
    assert run(admin_url, "select query, is_default from crm.saved_views where name = %s", (f"Done {marker}",)) == [
        ("status=completed&sort=due&dir=asc", True)  # the empty filters are not kept
    ]
    assert page.console_errors == []


LEAD = "00000000-0000-4000-8000-000000000010"


def rep_deal(admin_url, rep, marker) -> str:
    company = run(admin_url, "insert into crm.companies (name, owner_id) values (%s, %s) returning id", (f"Co {marker}", rep))[0][0]
    return run(admin_url, "insert into crm.deals (name, stage_id, owner_id, company_id) values (%s, %s, %s, %s) returning id",
               (f"Deal {marker}", LEAD, rep, company))[0][0]  # fmt: skip


def test_log_an_activity_in_place_from_a_deal(live_server, page, admin_url, users, marker):
    deal = rep_deal(admin_url, users["rep"]["id"], marker)
    log_in(page, live_server, users["rep"]["email"])
    page.goto(f"{live_server}/deals/{deal}")
    page.click("#action-activity-form")
    # the form opens in place: still the deal's page, the deal already chosen
    form = page.locator("#record-action #activity-form")
    form.wait_for()
    assert page.url == f"{live_server}/deals/{deal}"
    assert form.locator("select[name=deal_id]").input_value() == str(deal)
    form.locator("input[name=subject]").fill(f"Called {marker}")
    form.locator("#save-activity").click()
    # saved: back on the deal, the activity on its timeline (with a link to it)
    page.wait_for_url(f"{live_server}/deals/{deal}")
    entry = page.locator("#timeline .timeline-entry", has_text=f"Called {marker}")
    entry.wait_for()
    assert entry.get_attribute("data-kind") == "activity"
    # linked to the deal and, as the form was pre-filled, to the deal's company
    company = run(admin_url, "select company_id from crm.deals where id = %s", (deal,))[0][0]
    assert run(admin_url, "select deal_id, company_id from crm.activities where subject = %s", (f"Called {marker}",)) == [
        (deal, company)]  # fmt: skip
    assert page.console_errors == []


def test_the_timeline_filters_and_pages_in_place(live_server, page, admin_url, users, marker):
    rep = users["rep"]["id"]
    deal = rep_deal(admin_url, rep, marker)
    # 22 calls and 2 notes on the deal, a day apart; with the deal's creation, 25 entries
    run(admin_url, """insert into crm.activities (user_id, type, subject, date, deal_id)
                      select %s, case when n in (5, 15) then 'note' else 'call' end, 'Entry ' || lpad(n::text, 2, '0'),
                             '2026-10-01Z'::timestamptz + n * interval '1 day', %s
                      from generate_series(1, 24) n returning 1""", (rep, deal))  # fmt: skip
    log_in(page, live_server, users["rep"]["email"])
    page.goto(f"{live_server}/deals/{deal}")
    entries = page.locator("#timeline .timeline-entry")
    assert entries.count() == 20
    page.click("#timeline-older-link")
    expect(entries).to_have_count(25)
    assert page.locator("#timeline-older").count() == 0
    assert "Entry 01" in entries.nth(24).inner_text()  # the oldest last
    # only the notes: the section is swapped in place
    page.select_option("#timeline-kind", "note")
    expect(entries).to_have_count(2)
    assert [entries.nth(i).get_attribute("data-kind") for i in range(2)] == ["note", "note"]
    assert "Entry 15" in entries.nth(0).inner_text() and page.url == f"{live_server}/deals/{deal}"
    assert page.console_errors == []
