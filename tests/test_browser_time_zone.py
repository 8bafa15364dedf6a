"""In Chromium with its clock in New York: the first login adopts the browser's time zone (static/
timezone.js posts it once, the page reloads), and times are shown in it from then on. The user and
their activity are committed (the live server has its own connections) and removed afterwards."""

from __future__ import annotations

import time
import uuid

import psycopg
import pytest

from dashboard import pg
from dashboard.passwords import hash_password
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def fresh_user(admin_url):
    """A rep with no time zone yet and one activity at 2026-11-01 05:30 UTC (01:30 EDT in New York)."""
    email = f"tz-{uuid.uuid4().hex[:8]}@test.example"
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        user_id = conn.execute(
            "insert into crm.users (email, full_name, password_hash, role) values (%s, 'Tess Zone', %s, 'rep') returning id",
            (email, hash_password(TEST_PASSWORD)),
        ).fetchone()[0]
        activity = conn.execute(
            "insert into crm.activities (user_id, type, subject, date) "
            "values (%s, 'call', 'Fall back call', '2026-11-01 05:30+00') returning id", (user_id,),
        ).fetchone()[0]  # fmt: skip
    yield {"id": user_id, "email": email, "activity": activity}
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        conn.execute("delete from crm.activities where user_id = %s", (user_id,))
        conn.execute("delete from crm.users where id = %s", (user_id,))


def zone_of(admin_url, user_id):
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        return conn.execute("select time_zone from crm.users where id = %s", (user_id,)).fetchone()[0]


def test_first_login_adopts_the_browsers_zone(browser, live_server, admin_url, fresh_user, artifacts_dir):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, timezone_id="America/New_York")
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    try:
        page.goto(f"{live_server}/login")
        page.fill("#email", fresh_user["email"])
        page.fill("#password", TEST_PASSWORD)
        page.click("#login-submit")
        page.wait_for_url(f"{live_server}/")
        # the dashboard reported the browser's zone once; the server kept it
        deadline = time.monotonic() + 10
        while zone_of(admin_url, fresh_user["id"]) is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert zone_of(admin_url, fresh_user["id"]) == "America/New_York"
        page.wait_for_load_state("load")
        # after the reload the page no longer asks, and the account link names the zone
        page.wait_for_function("!document.body.hasAttribute('data-detect-time-zone')")
        assert page.get_attribute("#account-link", "title") == "Your account · times in America/New_York"
        # 05:30 UTC on 1 November is the first 01:30 in New York (EDT, UTC-4)
        page.goto(f"{live_server}/activities/{fresh_user['activity']}")
        assert "2026-11-01 01:30 EDT" in page.locator("main").inner_text()
        # the account page shows the zone chosen
        page.goto(f"{live_server}/account")
        assert page.locator("#time_zone").input_value() == "America/New_York"
        page.screenshot(path=str(artifacts_dir / "time-zone-account.png"))
        assert errors == []
    finally:
        context.close()
