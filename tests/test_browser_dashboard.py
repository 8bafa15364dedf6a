"""The dashboards in a real browser: Plotly draws the charts (SVG), the strict
CSP is never violated, nothing logs an error, and the date-range picker swaps
the panels in place (no full reload). Screenshots: dashboard.png, team.png.

The live server sees committed data only, so the fixture commits its rows as
the superuser and deletes them afterwards.
"""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest

from dashboard import pg
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser

STAGES = [f"00000000-0000-4000-8000-0000000000{n}0" for n in (1, 2, 3, 4)]
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


@pytest.fixture
def committed_data(admin_url, users):
    today = dt.date.today()
    made = {"companies": [], "deals": [], "activities": [], "tasks": [], "targets": []}
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        for who in ("rep", "rep2"):
            owner = users[who]["id"]
            made["targets"].append(conn.execute(
                """insert into crm.targets (user_id, month, revenue_target, outbound_target, meetings_target, proposals_target)
                   values (%s, %s, 20000, 100, 20, 15) on conflict do nothing returning id""",
                (owner, today.replace(day=1)),
            ).fetchone())  # fmt: skip
            for i in range(6):
                company = conn.execute(
                    "insert into crm.companies (name, owner_id) values (%s, %s) returning id",
                    (f"Browser <i>Co</i> {who} {i}", owner),
                ).fetchone()[0]
                made["companies"].append(company)
                deal = conn.execute(
                    """insert into crm.deals (name, value, stage_id, owner_id, company_id, expected_close_date)
                       values (%s, %s, %s, %s, %s, %s) returning id""",
                    (f"Deal {who} {i}", 4000 + 1500 * i, STAGES[i % 4], owner, company, today + dt.timedelta(days=20 * i)),
                ).fetchone()[0]  # fmt: skip
                made["deals"].append(deal)
                for day in range(0, 60, 3):
                    kind = ["outbound", "meeting", "proposal", "sale", "call"][(day + i) % 5]
                    made["activities"].append(conn.execute(
                        """insert into crm.activities (user_id, type, quantity, amount, company_id, deal_id, date)
                           values (%s, %s, %s, %s, %s, %s, now() - make_interval(days => %s)) returning id""",
                        (owner, kind, 1 + i % 3, 1200 if kind == "sale" else None, company, deal, day + i % 3),
                    ).fetchone()[0])  # fmt: skip
                conn.execute("update crm.companies set engagement_score = %s where id = %s", (35 + 10 * i, company))
                conn.execute("update crm.deals set deal_intelligence_score = %s where id = %s", (60 + 7 * i, deal))
            for i, priority in enumerate(["urgent", "high", "medium"]):
                made["tasks"].append(conn.execute(
                    "insert into crm.tasks (title, priority, due_date, assigned_to) values (%s, %s, now() + make_interval(days => %s), %s) returning id",
                    (f"Call back <b>{i}</b>", priority, i * 2 - 2, owner),
                ).fetchone()[0])  # fmt: skip
    yield made
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        conn.execute("delete from crm.tasks where id = any(%s)", (made["tasks"],))
        conn.execute("delete from crm.activities where id = any(%s)", (made["activities"],))
        conn.execute("delete from crm.deals where id = any(%s)", (made["deals"],))
        conn.execute("delete from crm.companies where id = any(%s)", (made["companies"],))
        conn.execute("delete from crm.targets where id = any(%s)", ([t[0] for t in made["targets"] if t],))


def log_in(page, live_server, email):
    page.add_init_script(CSP_LISTENER)
    page.goto(f"{live_server}/login")
    page.fill("#email", email)
    page.fill("#password", TEST_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(f"{live_server}/")


def csp_messages(page) -> list[str]:
    return page.evaluate("() => window.__cspViolations")


def every_figure_drawn(page) -> bool:
    return page.evaluate(
        "() => [...document.querySelectorAll('[data-figure]')].every(el => el.querySelector('.main-svg'))"
    ) and page.locator("[data-figure]").count() >= 2


def test_dashboard_draws_charts_and_swaps_panels(live_server, page, users, committed_data, artifacts_dir):
    console = []
    page.on("console", lambda msg: console.append(msg.text))
    log_in(page, live_server, users["rep"]["email"])
    page.wait_for_selector("#panel-activities .main-svg")
    # all three charts drawn by Plotly (the basic bundle) as SVG, without its toolbar
    assert page.locator("[data-figure] .main-svg").count() >= 3
    assert every_figure_drawn(page) and page.locator(".modebar").count() == 0
    assert page.locator("#panel-pipeline .main-svg").count() >= 1
    page.screenshot(path=str(artifacts_dir / "dashboard.png"), full_page=True)

    # change the period: the panels are swapped in place, the page is not reloaded
    page.evaluate("() => { window.__marker = 1; }")
    before = page.get_attribute("#dashboard-panels", "data-range")
    page.select_option("#range-preset", "90")
    page.wait_for_function(f"() => document.querySelector('#dashboard-panels').dataset.range !== {before!r}")
    page.wait_for_selector("#panel-activities .main-svg")
    assert page.evaluate("() => window.__marker") == 1
    assert "range=90" in page.url  # the URL follows (hx-push-url)
    assert page.locator("[data-figure] .main-svg").count() >= 3

    # a reversed custom range: a clear message in place of the panels, still no reload
    page.fill("#range-from", "2026-10-31")
    page.fill("#range-to", "2026-10-01")
    page.click("#range-apply")
    page.wait_for_selector(".range-error")
    assert "reversed" in page.inner_text(".range-error")
    assert page.evaluate("() => window.__marker") == 1

    assert csp_messages(page) == []
    assert not [m for m in console if "Content Security Policy" in m or "Refused" in m]
    assert page.console_errors == []


def test_team_page_draws_charts(live_server, page, users, committed_data, artifacts_dir):
    log_in(page, live_server, users["manager"]["email"])
    page.goto(f"{live_server}/team?range=90")
    page.wait_for_selector("#panel-forecast .main-svg")
    page.wait_for_selector("#panel-team-trend .main-svg")
    assert every_figure_drawn(page)
    assert page.locator("tr[data-rep-id]").count() == 2
    page.screenshot(path=str(artifacts_dir / "team.png"), full_page=True)
    # drill down into a rep's read-only dashboard
    page.click(f"tr[data-rep-id='{users['rep']['id']}'] a")
    page.wait_for_selector("#panel-activities .main-svg")
    assert "Dashboard of Test Rep" in page.inner_text("h1")
    assert csp_messages(page) == []
    assert page.console_errors == []
