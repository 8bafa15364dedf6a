"""The pipeline board and the stakeholder map in a real browser (Debian's
Chromium) against the app on a loopback port. The live server has its own
connections, so the data is committed (as the superuser) and removed again."""

from __future__ import annotations

import psycopg
import pytest

from dashboard import pg
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def seeded(admin_url, users):
    """A company with three contacts, and three deals of the rep's (Gamma with Pat, the champion, and Lee on its map)."""
    rid = users["rep"]["id"]
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        mark = conn.execute("select coalesce(max(id), 0) from crm.audit_log").fetchone()[0]
        company = conn.execute(
            "insert into crm.companies (name, owner_id) values ('Browser Co', %s) returning id", (rid,)
        ).fetchone()[0]
        contacts = {
            first: conn.execute(
                """insert into crm.contacts (first_name, last_name, title, company_id, owner_id)
                   values (%s, %s, %s, %s, %s) returning id""", (first, last, title, company, rid),
            ).fetchone()[0]
            for first, last, title in [("Pat", "Chief", "CEO"), ("Lee", "Second", "CTO"), ("Kim", "Third", "Engineer")]
        }  # fmt: skip
        deals = {
            name: conn.execute(
                """insert into crm.deals (name, value, owner_id, company_id, stage_id)
                   values (%s, %s, %s, %s, (select id from crm.deal_stages where name = %s)) returning id""",
                (name, value, rid, company, stage),
            ).fetchone()[0]
            for name, value, stage in [("Browser Alpha", 1000, "Lead"), ("Browser Beta", 2000, "Lead"),
                                       ("Browser Gamma", 5000, "Qualified")]
        }  # fmt: skip
        for first, role, champion in [("Pat", "decision_maker", True), ("Lee", "technical_evaluator", False)]:
            conn.execute(
                """insert into crm.deal_stakeholders (deal_id, contact_id, role, influence_level, is_champion)
                   values (%s, %s, %s, 'high', %s)""", (deals["Browser Gamma"], contacts[first], role, champion),
            )  # fmt: skip
    yield {"deals": deals, "contacts": contacts, "company": company}
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        ids = list(deals.values())
        conn.execute("delete from crm.activities where deal_id = any(%s)", (ids,))
        conn.execute("delete from crm.deals where id = any(%s)", (ids,))
        conn.execute("delete from crm.contacts where id = any(%s)", (list(contacts.values()),))
        conn.execute("delete from crm.companies where id = %s", (company,))
        conn.execute("delete from crm.audit_log where id > %s", (mark,))


def log_in(page, live_server, email, then: str):
    page.goto(f"{live_server}/login?next={then}")
    page.fill("#email", email)
    page.fill("#password", TEST_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(f"{live_server}{then}")


def column(page, position: int) -> tuple[str, str, str]:
    head = f"#stage-{position}"
    return tuple(
        page.locator(f"{head} {part}").inner_text() for part in (".stage-count", ".stage-total", ".stage-weighted")
    )


def stage_of(admin_url, deal_id) -> tuple[str, int]:
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        return conn.execute(
            """select s.name, (select count(*) from crm.activities a where a.deal_id = d.id and a.type = 'note')
               from crm.deals d join crm.deal_stages s on s.id = d.stage_id where d.id = %s""", (deal_id,),
        ).fetchone()  # fmt: skip


def test_rep_moves_deals_by_menu_and_by_drag_and_drop(live_server, page, users, seeded, admin_url, artifacts_dir):
    from playwright.sync_api import expect

    alpha, beta = seeded["deals"]["Browser Alpha"], seeded["deals"]["Browser Beta"]
    log_in(page, live_server, users["rep"]["email"], "/pipeline")
    # Lead: 1,000 + 2,000 = 3,000, x10% = 300; Qualified: 5,000, x25% = 1,250
    assert column(page, 10) == ("2", "3,000", "300") and column(page, 20) == ("1", "5,000", "1,250")
    page.evaluate("window.stillThisPage = true")  # gone if the page reloads

    # the keyboard path: the card's stage menu (a labelled <select>) posts on change
    menu = page.get_by_label("Stage of Browser Alpha")
    menu.focus()
    menu.select_option(label="Qualified")
    expect(page.locator("#stage-10 .stage-count")).to_have_text("1")
    # Lead keeps 2,000 (x10% = 200); Qualified 5,000 + 1,000 = 6,000 (x25% = 1,500)
    assert column(page, 10) == ("1", "2,000", "200") and column(page, 20) == ("2", "6,000", "1,500")
    assert page.locator("#board-note").inner_text() == "Moved Browser Alpha to Qualified."
    # focus is back on the moved card's menu, and this is still the same page (an htmx swap, no reload)
    assert page.evaluate("document.activeElement.id") == f"move-{alpha}"
    assert page.evaluate("window.stillThisPage") is True

    # drag and drop: Beta onto the Opportunity column
    page.drag_and_drop(f"#deal-{beta}", "#stage-30")
    expect(page.locator("#stage-30 .stage-count")).to_have_text("1")
    # Lead is empty; Opportunity 2,000 (x60% = 1,200)
    assert column(page, 10) == ("0", "0", "0") and column(page, 30) == ("1", "2,000", "1,200")
    assert page.locator(f"#stage-30 #deal-{beta}").count() == 1
    assert page.evaluate("window.stillThisPage") is True

    # both moves were saved, each with its note
    assert stage_of(admin_url, alpha) == ("Qualified", 1) and stage_of(admin_url, beta) == ("Opportunity", 1)
    page.screenshot(path=str(artifacts_dir / "pipeline.png"), full_page=True)
    assert page.console_errors == []


def test_admin_edits_a_stakeholder_map(live_server, page, users, seeded, admin_url, artifacts_dir):
    from playwright.sync_api import expect

    gamma = seeded["deals"]["Browser Gamma"]
    log_in(page, live_server, users["admin"]["email"], f"/deals/{gamma}/stakeholders")
    assert page.locator("#org-chart-svg g.org-box").count() == 2
    # Lee reports to Pat; Kim joins, as the budget holder, reporting to Lee
    page.get_by_label("Lee Second reports to").select_option(label="Pat Chief")
    page.get_by_label("Add a contact").select_option(label="Kim Third")
    page.get_by_label("Role of the new stakeholder").select_option(label="budget holder")
    page.get_by_label("The new stakeholder reports to").select_option(label="Lee Second")
    page.get_by_label("Relationship strength with the new stakeholder").fill("0.6")
    page.click("#save-map")
    expect(page.locator("#messages")).to_contain_text("Saved the stakeholder map.")
    # three boxes in three rows, two "reports to" lines, Pat outlined as the champion
    expect(page.locator("#org-chart-svg g.org-box")).to_have_count(3)
    assert page.locator("#org-chart-svg path.org-link").count() == 2
    assert page.locator("#org-chart-svg g.org-box.champion").count() == 1
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        mapping = conn.execute("select stakeholder_mapping from crm.deals where id = %s", (gamma,)).fetchone()[0]
    contacts = {k: str(v) for k, v in seeded["contacts"].items()}
    assert mapping == {"reports_to": {contacts["Lee"]: contacts["Pat"], contacts["Kim"]: contacts["Lee"]}}

    # a cycle is refused with a message next to the field, and nothing changes
    page.get_by_label("Pat Chief reports to").select_option(label="Kim Third")
    page.click("#save-map")
    expect(page.locator(".field-error")).to_have_text(
        "These links go round in a circle: Pat Chief → Kim Third → Lee Second → Pat Chief."
    )
    page.screenshot(path=str(artifacts_dir / "stakeholders-error.png"), full_page=True)
    page.goto(f"{live_server}/deals/{gamma}/stakeholders")
    expect(page.locator("#org-chart-svg path.org-link")).to_have_count(2)
    page.screenshot(path=str(artifacts_dir / "stakeholders.png"), full_page=True)
    assert page.console_errors == []
