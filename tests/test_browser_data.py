"""In Chromium: data in and out. A rep filters the deal list with htmx and exports what it shows as CSV.
The data is committed (the live server has its own connections) and removed afterwards."""

from __future__ import annotations

import csv
import io
import uuid

import psycopg
import pytest

from dashboard import pg
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def marker(admin_url, users):
    """A unique name part; everything created with it is deleted at the end."""
    tag = uuid.uuid4().hex[:8]
    yield tag
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        conn.execute("delete from crm.deals where name like %s", (f"%{tag}%",))
        conn.execute("delete from crm.contacts where email like %s or last_name like %s", (f"%{tag}%", f"%{tag}%"))
        conn.execute("delete from crm.companies where name like %s", (f"%{tag}%",))


def log_in(page, live_server, email):
    page.goto(f"{live_server}/login")
    page.fill("#email", email)
    page.fill("#password", TEST_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(f"{live_server}/")


def add_deals(admin_url, owner_id, marker, rows):
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        stage = conn.execute("select id from crm.deal_stages where name = 'Lead'").fetchone()[0]
        for name, value in rows:
            conn.execute("insert into crm.deals (name, owner_id, stage_id, value) values (%s, %s, %s, %s)",
                         (f"{name} {marker}", owner_id, stage, value))  # fmt: skip


def test_export_follows_the_filters_typed_since_the_page_loaded(live_server, page, users, marker, admin_url, tmp_path):
    add_deals(admin_url, users["rep"]["id"], marker, [("Alpha", 900), ("Beta", 50), ("=Gamma", 1200)])
    add_deals(admin_url, users["rep2"]["id"], marker, [("Rep2 deal", 5000)])
    log_in(page, live_server, users["rep"]["email"])
    page.goto(f"{live_server}/deals")
    page.fill("#search", marker)  # htmx swaps the rows and pushes the URL; the page itself stays
    page.wait_for_url(f"**q={marker}**")
    page.fill("input[name=min_value]", "100")
    page.locator("input[name=min_value]").dispatch_event("change")
    page.wait_for_url("**min_value=100**")
    with page.expect_download() as download:
        page.click("#export-csv")
    path = tmp_path / "deals.csv"
    download.value.save_as(path)
    assert download.value.suggested_filename.startswith("deals-")
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    # the rep's deals matching the marker with value >= 100, closest close date first (none: by id);
    # the formula-looking name behind a quote; rep2's deal never
    assert sorted((r["Name"], r["Value"]) for r in rows) == [(f"'=Gamma {marker}", "1200.00"), (f"Alpha {marker}", "900.00")]
    assert page.console_errors == []


def test_a_mapped_import_runs_in_the_background_and_reports(
    live_server, job_worker, page, users, marker, admin_url, tmp_path
):
    """A Pipedrive-style contacts file whose name column is not recognised ("Kontakt"): the rep maps it by hand,
    turns the dry run off, starts, and the run page (polling the background job) shows the result."""
    path = tmp_path / f"contacts-{marker}.csv"
    path.write_bytes(("Kontakt;Person - Email;Person - Organization\r\n"
                      f"Ada Lovelace{marker};ada.{marker}@example.com;Engines {marker}\r\n"
                      f"Alan Turing{marker};alan.{marker}@example.com;Engines {marker}\r\n").encode("cp1252"))  # fmt: skip
    log_in(page, live_server, users["rep"]["email"])
    page.goto(f"{live_server}/contacts")
    page.click("#import-csv")
    assert page.locator("#entity").input_value() == "contacts"
    page.set_input_files("#file", str(path))
    page.click("#upload-file")
    page.wait_for_url("**/map")
    # the Pipedrive headers were matched; the unknown one waits for a choice
    assert page.locator("select[data-header='Person - Email']").input_value() == "email"
    assert page.locator("select[data-header='Person - Organization']").input_value() == "company"
    assert page.locator("select[data-header='Kontakt']").input_value() == ""
    page.select_option("select[data-header='Kontakt']", "full_name")
    page.uncheck("#dry_run")
    page.click("#start-import")
    page.wait_for_selector("#outcome", timeout=30_000)
    assert "Imported: 2 created, 0 updated, 0 skipped as duplicates." in page.locator("#outcome").inner_text()
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        rows = conn.execute("""select c.first_name, c.last_name, co.name, c.owner_id from crm.contacts c
                               join crm.companies co on co.id = c.company_id where c.email like %s order by 1""",
                            (f"%{marker}%",)).fetchall()  # fmt: skip
        conn.execute("delete from crm.legacy_import_runs where file_name = %s", (path.name,))
    assert rows == [("Ada", f"Lovelace{marker}", f"Engines {marker}", users["rep"]["id"]),
                    ("Alan", f"Turing{marker}", f"Engines {marker}", users["rep"]["id"])]  # fmt: skip
    assert page.console_errors == []


def test_a_manager_bulk_reassigns_deals_ticked_in_the_list(live_server, page, users, marker, admin_url):
    """The manager ticks two of the rep's deals (checkboxes added by bulk.js), chooses Reassign owner and
    rep2, reviews the one confirmation, applies: both deals are rep2's, the third is untouched."""
    add_deals(admin_url, users["rep"]["id"], marker, [("Alpha", 100), ("Beta", 200), ("Gamma", 300)])
    log_in(page, live_server, users["manager"]["email"])
    page.goto(f"{live_server}/deals?q={marker}")
    page.check(f"tr:has-text('Alpha {marker}') input.row-select")
    page.check(f"tr:has-text('Beta {marker}') input.row-select")
    assert page.locator("#bulk-count").inner_text() == "2 selected rows"
    assert page.locator("#bulk-owner").is_hidden()  # the owner list shows once the action is chosen
    page.select_option("#bulk-action", "reassign")
    page.select_option("#bulk-owner", label="Test Rep2")
    page.click("#bulk-review")
    page.wait_for_selector("#bulk-confirm")
    assert page.locator(".bulk-effect").inner_text() == "2 deals will go to Test Rep2."
    page.click("#bulk-apply")
    page.wait_for_url(f"**/deals?q={marker}")
    assert "Reassign owner: 2 deals changed." in page.locator("body").inner_text()
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        owners = conn.execute("select d.name, u.email from crm.deals d join crm.users u on u.id = d.owner_id "
                              "where d.name like %s order by d.name", (f"%{marker}",)).fetchall()  # fmt: skip
    assert owners == [(f"Alpha {marker}", users["rep2"]["email"]), (f"Beta {marker}", users["rep2"]["email"]),
                      (f"Gamma {marker}", users["rep"]["email"])]  # fmt: skip
    assert page.console_errors == []
