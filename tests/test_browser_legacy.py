"""In Chromium: an admin uploads a legacy CSV, follows the import (htmx polls the run while the
live server's job worker (a real `crm worker`) imports it), reads the report, and resolves a review item by
picking a suggested company. The data is committed (the live server has its own connections)
and removed afterwards."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from dashboard import pg
from dashboard.legacy.importer import DEAL_COLUMNS
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def marker(admin_url, users):
    """A unique name part; everything created with it is deleted at the end. Two existing companies
    share a normalised name, so a row naming it has two candidates and goes to the review queue."""
    tag = uuid.uuid4().hex[:8]
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        for suffix in ("Ltd", "Inc."):
            conn.execute(
                "insert into crm.companies (name, owner_id) values (%s, %s)",
                (f"Quillfeather {tag} {suffix}", users["admin"]["id"]),
            )
    yield tag
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        conn.execute("delete from crm.legacy_deals where legacy_id like %s", (f"BR{tag}-%",))
        conn.execute("delete from crm.legacy_import_runs where file_name like %s", (f"%{tag}%",))
        conn.execute("delete from crm.deals where name like %s", (f"%{tag}%",))
        conn.execute(
            """delete from crm.contacts where email like %s
                  or company_id in (select id from crm.companies where name like %s)""",
            (f"%{tag}%", f"%{tag}%"),
        )
        conn.execute("delete from crm.companies where name like %s", (f"%{tag}%",))


def test_admin_uploads_sees_the_report_and_resolves_a_review_item(
    live_server, job_worker, page, users, marker, tmp_path, artifacts_dir
):
    rows = [
        DEAL_COLUMNS,
        [f"BR{marker}-1", f"Renewal {marker}", f"QUILLFEATHER {marker}", "Lee, Ann", "", "", "12000", "Qualified",
         "rep@test.example", "2026-12-15", "2026-01-10 09:00"],
        [f"BR{marker}-2", f"Expansion {marker}", f"Browser Import {marker} Co", "Bo Chan",
         f"Bo.Chan@browser-{marker}.example", "(201) 555-0101", "$8,500", "lead", "rep@test.example", "", ""],
        [f"BR{marker}-3", f"Broken {marker}", "Somewhere Inc", "Cy Dee", "", "", "-5", "Negotiating?",
         "rep@test.example", "", ""],
    ]  # fmt: skip
    deals = tmp_path / f"legacy-{marker}.csv"
    deals.write_text("\n".join(",".join(f'"{cell}"' if "," in cell else cell for cell in row) for row in rows) + "\n")

    page.goto(f"{live_server}/login")
    page.fill("#email", users["admin"]["email"])
    page.fill("#password", TEST_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(f"{live_server}/")
    page.click("#nav-admin summary")  # the Admin menu
    page.click("#nav-legacy-index")
    page.wait_for_url(f"{live_server}/admin/legacy/")
    page.screenshot(path=str(artifacts_dir / "legacy-upload.png"), full_page=True)

    # upload: a real import (not a dry run) that skips the broken row
    page.set_input_files("#deals", str(deals))
    page.uncheck("#dry_run")
    page.check("#skip_invalid")
    page.click("#start-import")
    page.wait_for_url(f"{live_server}/admin/legacy/runs/*")
    # the run page polls until the background import is done, then shows the report
    page.wait_for_selector('#run-status[data-state="completed"]', timeout=30_000)
    assert "Imported: 2 deals" in page.locator("#outcome").inner_text()
    assert page.locator("#rows-read").inner_text() == "3"
    assert page.locator("#rows-written").inner_text() == "2"
    assert page.locator("#rows-invalid").inner_text() == "1"
    assert page.locator("#rows-review").inner_text() == "1"
    assert page.locator("#companies-created").inner_text() == "1"
    problems = page.locator("#problems").inner_text()
    assert "value" in problems and "negative value" in problems and "unknown stage" in problems
    page.screenshot(path=str(artifacts_dir / "legacy.png"), full_page=True)

    # the review queue has the row with two candidates; the admin picks the first suggestion
    page.click("#rows-review ~ .kpi-target a")
    page.wait_for_url(f"{live_server}/admin/legacy/review")
    page.locator(f"tr:has-text('BR{marker}-1') a.resolve-link").click()
    page.wait_for_url(f"{live_server}/admin/legacy/review/*")
    assert "Two companies match" in page.locator("#reason").inner_text()
    choice = page.locator("#company input[type=radio]").first
    chosen = page.locator(f"label[for='{choice.get_attribute('id')}']").inner_text()
    assert chosen.startswith(f"Quillfeather {marker}")
    choice.check()
    page.check("#contact input[value='new']")
    page.screenshot(path=str(artifacts_dir / "legacy-review.png"), full_page=True)
    page.click("#apply-resolution")
    page.wait_for_url(f"{live_server}/admin/legacy/review")
    assert f"Linked BR{marker}-1" in page.locator("#messages").inner_text()
    assert f"BR{marker}-1" not in page.locator("main").inner_text()

    # the deal now has that company and Ann Lee as its contact
    page.goto(f"{live_server}/deals?q=Renewal%20{marker}")
    page.locator(f"a:has-text('Renewal {marker}')").first.click()
    about = page.locator("#about").inner_text()
    assert chosen.split(" (match")[0] in about and "Ann Lee" in about
    assert page.console_errors == []
