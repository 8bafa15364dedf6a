"""Every GET page in a real browser at phone width: nothing scrolls sideways, and axe-core finds no
serious or critical accessibility violation, in light and dark colour schemes (and at 1440 px), and
the CSP is never violated (charts included: plotly.js's basic bundle needs no eval).

Pages come from walking ``app.url_map`` (a new page is covered without editing this file); ids are
filled with committed rows of the test rep: a company with a long name, a contact, a deal, an
activity, a meeting and a task that reference each other (so lists and detail pages have content),
and for any other kind the factories of ``tests/route_specs``. Each page is visited by the first of
rep, manager, admin that may see it; the home and team pages by all three. axe-core comes from npm
(``node_modules/axe-core``, a devDependency) and is evaluated in the page through the DevTools
protocol, so the page's CSP stays in force.
"""

from __future__ import annotations

import re
from pathlib import Path

import psycopg
import pytest

from dashboard import pg
from tests.conftest import TEST_PASSWORD, fetch_as
from tests.route_specs import bearer_routes, cleanups, merged

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
OBJECTS, OBJECT_ROUTES, _ = merged()
API_ROUTES = bearer_routes()
WHO_FIRST = ["rep", "manager", "admin"]
EVERYONE_SEES = {"main.index", "team.index"}  # pages that differ per role: visited as each who may
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""
LONG = "Vandenberghe-Oosterhuis Internationale Handelsmaatschappij"


def _rich_objects(app, users) -> dict:
    """A company, contact, deal, activity, meeting and task of the rep that reference each other."""
    rep = users["rep"]["id"]

    def one(sql: str, **params):
        return fetch_as(app, rep, sql, {"o": rep, **params})[0][0]

    company = one(
        "insert into crm.companies (name, domain, industry, owner_id, website) values "
        f"('{LONG}', 'vandenberghe-oosterhuis.example', 'Manufacturing', :o, 'https://vandenberghe-oosterhuis.example') "
        "returning id"
    )
    contact = one(
        "insert into crm.contacts (first_name, last_name, email, phone, title, company_id, owner_id) values "
        "('Maximiliane', 'Vandenberghe-Oosterhuis', 'maximiliane.vandenberghe-oosterhuis@vandenberghe.example', "
        "'+31 20 555 0199', 'Director of Procurement and Strategic Sourcing', :c, :o) returning id",
        c=company,
    )
    deal = one(
        "insert into crm.deals (name, value, owner_id, stage_id, company_id, primary_contact_id, expected_close_date) "
        f"values ('{LONG} renewal 2027', 1234567, :o, (select id from crm.deal_stages where name = 'Verbal'), :c, "
        ":p, current_date + 30) returning id",
        c=company, p=contact,
    )  # fmt: skip
    activity = one(
        "insert into crm.activities (user_id, type, subject, details, company_id, contact_id, deal_id) values "
        "(:o, 'call', 'Discussed the renewal terms and the procurement timeline at length', 'Long notes', :c, :p, :d) "
        "returning id",
        c=company, p=contact, d=deal,
    )  # fmt: skip
    meeting = one(
        "insert into crm.meetings (title, starts_at, ends_at, owner_id, company_id, primary_contact_id, primary_deal_id) "
        "values ('Quarterly business review with the procurement board', now() + interval '2 days', "
        "now() + interval '2 days 1 hour', :o, :c, :p, :d) returning id",
        c=company, p=contact, d=deal,
    )  # fmt: skip
    one("insert into crm.meeting_attendees (meeting_id, contact_id, name, email) values "
        "(:m, :p, 'Maximiliane Vandenberghe-Oosterhuis', 'maximiliane@vandenberghe.example') returning id",
        m=meeting, p=contact)  # fmt: skip
    task = one(
        "insert into crm.tasks (title, assigned_to, due_date, priority, deal_id, company_id) values "
        "('Send the revised renewal proposal to the procurement board', :o, now() - interval '1 day', 'high', :d, :c) "
        "returning id",
        d=deal, c=company,
    )  # fmt: skip
    return {"company": company, "contact": contact, "deal": deal, "activity": activity, "meeting": meeting,
            "task": task}  # fmt: skip


def _delete_everywhere(admin_url, ids: list, keep: set) -> None:
    """Delete each id from whichever crm table holds it, retrying while foreign keys hold some back."""
    with psycopg.connect(pg.libpq_url(admin_url), autocommit=True) as conn:
        tables = [row[0] for row in conn.execute(
            """select c.table_name from information_schema.columns c
               join information_schema.tables t using (table_schema, table_name)
               where c.table_schema = 'crm' and c.column_name = 'id' and c.data_type = 'uuid'
                 and t.table_type = 'BASE TABLE'"""
        )]  # fmt: skip
        pending = [i for i in ids if i not in keep]
        for _ in range(6):
            left = []
            for object_id in pending:
                # only the tables that hold it (views are left out above: a join view refuses deletes)
                holders = [table for table in tables if conn.execute(
                    psycopg.sql.SQL("select from crm.{} where id = %s").format(psycopg.sql.Identifier(table)),
                    (object_id,),
                ).fetchone() is not None]  # fmt: skip
                for table in holders:
                    try:
                        conn.execute(
                            psycopg.sql.SQL("delete from crm.{} where id = %s").format(psycopg.sql.Identifier(table)),
                            (object_id,),
                        )
                    except psycopg.errors.Error:
                        left.append(object_id)
                        break
            if not left:
                return
            pending = left
        # a row left behind would change what later test files count: say which, here
        raise AssertionError(f"could not delete these objects the test made: {pending}")


@pytest.fixture(scope="module")
def page_objects(app, users, admin_url):
    rich = _rich_objects(app, users)
    # only the kinds a page visited here is about (the API's objects are walked with tokens elsewhere, and a
    # factory's helper rows -- the API stakeholder's deal and contact -- would outlive this module)
    visited = {kind for endpoint, (kind, _) in OBJECT_ROUTES.items() if endpoint not in API_ROUTES}
    objects = {kind: rich.get(kind) or make(app, users) for kind, make in OBJECTS.items() if kind in visited}
    yield objects
    everyone = {u["id"] for u in users.values()}
    ids = list(rich.values()) + list(objects.values())
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:  # a review item's staged legacy deal goes too
        staged = conn.execute("select legacy_deal_id from crm.legacy_review_items where id = any(%s::uuid[])",
                              ([str(i) for i in ids],)).fetchall()  # fmt: skip
    _delete_everywhere(admin_url, ids + [row[0] for row in staged], everyone)
    with psycopg.connect(pg.libpq_url(admin_url), autocommit=True) as conn:
        for statement in cleanups():
            conn.execute(statement)


def pages_to_visit(app, objects) -> list[tuple[str, str, str]]:
    """(who, endpoint, path) for every GET route; ids filled with ``objects``."""
    visits = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or "GET" not in rule.methods or rule.endpoint in ("auth.healthz", "calendar.feed"):
            continue
        if rule.endpoint in API_ROUTES:  # JSON for bearer tokens; the API's docs page: test_browser_api_docs.py
            continue
        path = rule.rule
        if rule.endpoint in OBJECT_ROUTES:
            kind, allowed = OBJECT_ROUTES[rule.endpoint]
            path = re.sub(r"<uuid:[a-z_]+>", str(objects[kind]), path)
            who = [w for w in WHO_FIRST if w in allowed]
        else:
            who = list(WHO_FIRST)
        assert "<" not in path, f"{rule.rule}: fill this kind of argument in pages_to_visit"
        visits.append((who, rule.endpoint, path))
    return visits


def log_in(browser, live_server, email: str, scheme: str, viewport: dict = PHONE):
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.fill("#email", email)
    page.fill("#password", TEST_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(f"{live_server}/")
    return page


def serious_axe_violations(page) -> list[str]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    found = page.evaluate(
        """async () => {
             const result = await axe.run(document, {resultTypes: ['violations']});
             return result.violations.filter(v => ['serious', 'critical'].includes(v.impact))
               .map(v => v.id + ': ' + v.help + ' -> ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
           }"""
    )
    return found


def check(page, url: str) -> tuple[int, list[str]]:
    """Open ``url``; the status and what is wrong with it at 390 px."""
    response = page.goto(url)
    problems = []
    if response is None or "text/html" not in (response.headers.get("content-type") or ""):
        return (response.status if response else 0), problems
    page.wait_for_load_state("load")
    if not page.evaluate("() => document.doctype !== null"):
        return 0, problems  # a fragment for htmx (e.g. an inline editor), not a page: nothing to check alone
    if page.locator("[data-figure]").count():
        page.wait_for_function("() => !window.Plotly || document.querySelector('[data-figure] .main-svg')")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    if page.viewport_size["width"] == PHONE["width"] and width > PHONE["width"]:
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391)
                 .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
                 (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : ''))"""
        )
        problems.append(f"scrollWidth {width} > 390 (widest: {wide})")
    problems += [f"CSP violation: {v}" for v in page.evaluate("() => window.__cspViolations || []")]
    problems += serious_axe_violations(page)
    return response.status, problems


@pytest.mark.parametrize("scheme,viewport", [("light", PHONE), ("dark", PHONE), ("light", DESKTOP)], ids=["390-light", "390-dark", "1440-light"])
def test_every_page_fits_a_phone_and_passes_axe(app, browser, live_server, users, page_objects, scheme, viewport):
    """At 390 px (light and dark): no sideways scrolling, no serious axe violation; at 1440 px: axe."""
    pages = {who: log_in(browser, live_server, users[who]["email"], scheme, viewport) for who in WHO_FIRST}
    failures, visited = [], 0
    for allowed, endpoint, path in pages_to_visit(app, page_objects):
        for who in allowed:
            status, problems = check(pages[who], f"{live_server}{path}")
            if status == 0:
                break  # not a page
            if status == 404 and endpoint not in EVERYONE_SEES:
                continue  # not this person's page (admin pages are a 404 for everyone else)
            visited += 1
            failures += [f"{scheme} {viewport['width']} {who} {path}: {problem}" for problem in problems]
            if endpoint not in EVERYONE_SEES:
                break
    for page in pages.values():
        page.context.close()
    assert visited > 30
    assert failures == [], "\n".join(failures)


def test_phone_menu_dark_mode_and_live_user_search(browser, live_server, users, artifacts_dir):
    page = log_in(browser, live_server, users["admin"]["email"], "dark")
    # the navigation is collapsed behind an accessible menu button
    toggle = page.locator("#menu-toggle")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator("#nav-deals-index").is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true" and page.locator("#nav-deals-index").is_visible()
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false" and not page.locator("#nav-deals-index").is_visible()
    # dark mode follows the system setting: a dark page with light text
    colours = page.evaluate(
        "() => [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]"
    )
    assert colours == ["rgb(15, 20, 27)", "rgb(229, 231, 235)"]
    # /admin/users filters as one types (no Enter), in place
    page.goto(f"{live_server}/admin/users")
    page.evaluate("() => { window.__stayed = 1; }")
    page.locator("#user-search").press_sequentially("rep2", delay=30)
    page.wait_for_function("() => !document.querySelector('#user-results').textContent.includes('manager@test.example')")
    results = page.inner_text("#user-results")
    assert "rep2@test.example" in results and "admin@test.example" not in results
    assert page.evaluate("() => window.__stayed") == 1 and "q=rep2" in page.url
    # a list row is a card whose cells say which column they are
    cell = page.locator("#user-results td[data-label='Email']").first
    assert cell.inner_text() == "rep2@test.example"
    page.screenshot(path=str(artifacts_dir / "users-390-dark.png"), full_page=True)
    page.context.close()


def test_admin_pages_are_one_menu_and_the_top_bar_one_line(browser, live_server, users):
    """At 1440 px an admin's top bar is one line: the administration's pages are one Admin menu, which opens on
    a click, marks the page one is on, and closes on Escape and on a click elsewhere. A rep has no such menu."""
    page = log_in(browser, live_server, users["admin"]["email"], "light", DESKTOP)
    page.goto(f"{live_server}/admin/webhooks")
    assert page.locator(".topbar").bounding_box()["height"] < 70  # one line (two are about 90 px)
    link = page.locator("#nav-webhooks-index")
    assert not link.is_visible() and page.get_attribute("#nav-admin summary", "class") == "current"
    page.click("#nav-admin summary")
    assert link.is_visible() and link.get_attribute("aria-current") == "page"
    page.keyboard.press("Escape")
    assert not link.is_visible()
    page.click("#nav-admin summary")
    page.click("h1")
    assert not link.is_visible()
    page.click("#nav-admin summary")
    page.click("#nav-admin-users")
    page.wait_for_url(f"{live_server}/admin/users")
    page.context.close()
    rep = log_in(browser, live_server, users["rep"]["email"], "light", DESKTOP)
    assert rep.locator("#nav-admin").count() == 0 and rep.locator("#nav-deals-index").is_visible()
    rep.context.close()
