"""In Chromium: a rep creates a company, a contact at it and a deal with both,
through the forms, and sees no admin links. The data is committed (the live
server has its own connections) and removed afterwards."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from dashboard import pg
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def marker(admin_url):
    """A unique name part; everything created with it is deleted at the end."""
    tag = uuid.uuid4().hex[:8]
    yield tag
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        conn.execute("delete from crm.deals where name like %s", (f"%{tag}%",))
        conn.execute("delete from crm.contacts where email like %s", (f"%{tag}%",))
        conn.execute("delete from crm.companies where name like %s", (f"%{tag}%",))


def pick(page, field: str, typed: str, label: str) -> None:
    """Type into a record picker, wait for the matching option, choose it with a click."""
    box = page.locator(f"#{field}")
    box.fill("")
    box.press_sequentially(typed, delay=20)
    option = page.locator(f"#{field}-options [role=option]", has_text=label).first
    option.wait_for()
    option.click()
    assert box.input_value() == label


def test_rep_creates_company_contact_and_deal(live_server, page, users, marker, artifacts_dir):
    page.goto(f"{live_server}/login")
    page.fill("#email", users["rep"]["email"])
    page.fill("#password", TEST_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(f"{live_server}/")
    # a rep's navigation has no admin links
    assert page.locator("a[href^='/admin']").count() == 0

    page.goto(f"{live_server}/companies/new")
    page.fill("#name", f"Browser Co {marker}")
    page.fill("#domain", f"browser-{marker}.example")
    page.click("#save-company")
    page.wait_for_url(f"{live_server}/companies/*")
    assert f"Browser Co {marker}" in page.locator("h1").inner_text()

    page.goto(f"{live_server}/contacts/new")
    page.fill("#first_name", "Bea")
    page.fill("#last_name", f"Browser{marker}")
    page.fill("#email", f"bea.{marker}@browser-{marker}.example")
    pick(page, "company_id", f"browser co {marker[:4]}", f"Browser Co {marker}")
    page.click("#save-contact")
    page.wait_for_url(f"{live_server}/contacts/*")
    assert f"Browser{marker}" in page.locator("h1").inner_text()

    page.goto(f"{live_server}/deals/new")
    page.fill("#name", f"Browser deal {marker}")
    page.fill("#value", "12500")
    page.select_option("#stage_id", label="Qualified")
    # the company picker: a typo still finds it (trigram similarity); Enter chooses the first match
    company = page.locator("#company_id")
    company.press_sequentially(f"Brwser Co {marker}", delay=20)
    page.locator("#company_id-options [role=option][aria-selected=true]", has_text=f"Browser Co {marker}").wait_for()
    company.press("Enter")
    assert company.input_value() == f"Browser Co {marker}"
    # the contact picker offers the chosen company's contacts only
    page.locator("#primary_contact_id").focus()
    options = page.locator("#primary_contact_id-options [role=option]")
    options.first.wait_for()
    assert [" ".join(t.split()) for t in options.all_inner_texts()] == [f"Bea Browser{marker} bea.{marker}@browser-{marker}.example"]
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.locator("#primary_contact_id").input_value() == f"Bea Browser{marker}"
    page.click("#save-deal")
    page.wait_for_url(f"{live_server}/deals/*")
    # the deal page shows the deal with its company
    body = page.locator("main").inner_text()
    assert f"Browser deal {marker}" in body and f"Browser Co {marker}" in body and "Qualified" in body
    assert f"Bea Browser{marker}" in body
    page.screenshot(path=str(artifacts_dir / "deal-created.png"), full_page=True)
    assert page.console_errors == []
