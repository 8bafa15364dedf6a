"""/admin/duplicates in a real browser: the admin scans, sees the pair with its score and reasons, merges it
through the form and the confirmation, and undoes the merge; the list and the merge form pass axe and fit
390 px (the every-page test sees the pages empty). Data is committed as the superuser and removed again."""

from __future__ import annotations

import psycopg
import pytest

from dashboard import pg
from tests.test_browser_pages import DESKTOP, PHONE, check, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def seeded(admin_url, users):
    """Two spellings of one company (the same domain behind a website subdomain), one with a deal."""
    rid = users["rep"]["id"]
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        mark = conn.execute("select coalesce(max(id), 0) from crm.audit_log").fetchone()[0]
        kept = conn.execute("""insert into crm.companies (name, domain, owner_id, industry)
                               values ('The Browserwick Trading Co.', 'browserwick.example', %s, 'Retail')
                               returning id""", (rid,)).fetchone()[0]  # fmt: skip
        gone = conn.execute("""insert into crm.companies (name, website, phone, owner_id, industry)
                               values ('Browserwick Trading Company', 'https://eu.browserwick.example', '+1 555 0177',
                                       %s, 'Wholesale') returning id""", (rid,)).fetchone()[0]  # fmt: skip
        deal = conn.execute("""insert into crm.deals (name, value, owner_id, company_id, stage_id)
                               values ('Browserwick renewal', 1000, %s, %s,
                                       (select id from crm.deal_stages where name = 'Lead')) returning id""",
                            (rid, gone)).fetchone()[0]  # fmt: skip
    yield {"kept": kept, "gone": gone, "deal": deal}
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        conn.execute("delete from crm.deals where id = %s", (deal,))
        conn.execute("delete from crm.companies where id = any(%s)", ([kept, gone],))
        conn.execute("delete from crm.record_merges where survivor_id = any(%s)", ([kept, gone],))
        conn.execute("delete from crm.duplicate_pairs where first_id = any(%s) or second_id = any(%s)",
                     ([kept, gone], [kept, gone]))  # fmt: skip
        conn.execute("delete from crm.audit_log where id > %s", (mark,))


def test_scan_merge_and_undo_in_the_browser(browser, live_server, users, seeded, admin_url, artifacts_dir, job_worker):
    from playwright.sync_api import expect

    page = log_in(browser, live_server, users["admin"]["email"], "light", DESKTOP)
    page.goto(f"{live_server}/admin/duplicates/")
    page.click("#scan")  # a job: the session's worker runs it
    expect(page.locator(".alert-success")).to_contain_text("Scan started")
    row = page.locator("#pairs tr", has_text="Browserwick Trading Company")
    for _ in range(60):
        if row.count():
            break
        page.wait_for_timeout(500)
        page.reload()
    expect(row).to_contain_text("1.00")
    expect(row).to_contain_text("same domain")
    status, problems = check(page, f"{live_server}/admin/duplicates/")
    assert status == 200 and problems == []
    page.screenshot(path=str(artifacts_dir / "duplicates-1440.png"), full_page=True)
    page.locator("#pairs tr", has_text="Browserwick Trading Company").get_by_role("link", name="Merge…").click()
    expect(page.locator("#merge-fields")).to_contain_text("Wholesale")
    if "Browserwick Trading Company" in page.locator("#kept-name").inner_text():
        page.click("#swap")  # keep the one with the domain
    assert check(page, page.url)[1] == []  # (reloads the form)
    page.locator("input[name=take_industry][value=removed]").check()
    page.screenshot(path=str(artifacts_dir / "duplicates-merge-1440.png"), full_page=True)
    page.click("#review-merge")
    expect(page.locator("#merge-effect")).to_contain_text("its 1 deal move to The Browserwick Trading Co.")
    page.click("#confirm-merge")
    expect(page.locator(".alert-success")).to_contain_text("1 deal moved")
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        assert conn.execute("select company_id from crm.deals where id = %s", (seeded["deal"],)).fetchone()[0] == seeded["kept"]
        assert conn.execute("select industry, phone from crm.companies where id = %s", (seeded["kept"],)).fetchone() == (
            "Wholesale", "+1 555 0177")  # fmt: skip
    page.locator("#merges tr", has_text="Browserwick Trading Company").get_by_role("button", name="Undo").click()
    expect(page.locator(".alert-success")).to_contain_text("The merge was undone")
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        assert conn.execute("select company_id from crm.deals where id = %s", (seeded["deal"],)).fetchone()[0] == seeded["gone"]
        assert conn.execute("select industry from crm.companies where id = %s", (seeded["kept"],)).fetchone()[0] == "Retail"
    page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_pages_fit_a_phone_and_pass_axe(browser, live_server, users, seeded, admin_url, artifacts_dir, scheme):
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        first, second = sorted([str(seeded["kept"]), str(seeded["gone"])])
        conn.execute("""insert into crm.duplicate_pairs (kind, first_id, second_id, score, reasons)
                        values ('companies', %s, %s, 0.99, '["same domain", "same name once case, punctuation, abbreviations and legal forms are set aside"]')
                        on conflict do nothing""", (first, second))  # fmt: skip
    page = log_in(browser, live_server, users["admin"]["email"], scheme, PHONE)
    merge = f"/admin/duplicates/merge?kind=companies&survivor={seeded['kept']}&loser={seeded['gone']}"
    for path in ("/admin/duplicates/", merge, "/admin/duplicates/merges"):
        status, problems = check(page, f"{live_server}{path}")
        assert status == 200 and problems == [], (path, problems)
    page.goto(f"{live_server}{merge}")
    page.screenshot(path=str(artifacts_dir / f"duplicates-merge-390-{scheme}.png"), full_page=True)
    page.goto(f"{live_server}/admin/duplicates/")
    page.screenshot(path=str(artifacts_dir / f"duplicates-390-{scheme}.png"), full_page=True)
    page.context.close()
