"""The bell in Chromium at 1440 and 390 px: visible in the top bar (also when the phone menu is collapsed), with
the unread count; it opens /notifications, where "Mark all read" empties it. The user and their deals are
committed (the live server has its own connections) and removed afterwards."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from dashboard import pg
from dashboard.passwords import hash_password
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def notified_user(admin_url, users):
    """A rep (Auckland) to whom the admin gave three deals: three unread deal_assigned notices."""
    email = f"bell-{uuid.uuid4().hex[:8]}@test.example"
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        user_id = conn.execute(
            """insert into crm.users (email, full_name, password_hash, role, time_zone)
               values (%s, 'Bella Bell', %s, 'rep', 'Pacific/Auckland') returning id""",
            (email, hash_password(TEST_PASSWORD)),
        ).fetchone()[0]
        conn.execute("select set_config('app.user_id', %s, true)", (str(users["admin"]["id"]),))
        for name in ("Harbour Bridge renewal", "Waitematā expansion", "Rangitoto pilot"):
            conn.execute("""insert into crm.deals (name, stage_id, owner_id)
                            values (%s, (select id from crm.deal_stages where name = 'Lead'), %s)""", (name, user_id))
    yield {"id": user_id, "email": email}
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        conn.execute("delete from crm.deals where owner_id = %s", (user_id,))
        conn.execute("delete from crm.users where id = %s", (user_id,))


@pytest.mark.parametrize("width", [1440, 390])
def test_the_bell_shows_the_unread_count_on_every_page(browser, live_server, notified_user, artifacts_dir, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    try:
        page.goto(f"{live_server}/login")
        page.fill("#email", notified_user["email"])
        page.fill("#password", TEST_PASSWORD)
        page.click("#login-submit")
        page.wait_for_url(f"{live_server}/")
        for path in ("/", "/deals", "/account"):
            page.goto(live_server + path)
            bell = page.locator("#bell")
            assert bell.is_visible() and page.locator("#bell-count").inner_text() == "3"
            assert bell.get_attribute("aria-label") == "Notifications: 3 unread"
            box, viewport = bell.bounding_box(), page.viewport_size
            assert 0 <= box["x"] and box["x"] + box["width"] <= viewport["width"] and box["y"] < 60
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(artifacts_dir / f"bell-{width}.png"))
        page.click("#bell")
        page.wait_for_url(f"{live_server}/notifications")
        assert page.locator(".notice.unread").count() == 3
        assert "Test Admin assigned you the deal “Rangitoto pilot”" in page.inner_text("#notice-list")
        assert "NZDT" in page.inner_text("#notice-list")  # the assignment time in the reader's zone
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(artifacts_dir / f"notifications-{width}.png"), full_page=True)
        page.click("#mark-all-read")
        page.wait_for_load_state("load")
        assert page.locator("#bell-count").count() == 0
        assert page.get_attribute("#bell", "aria-label") == "Notifications: 0 unread"
        assert errors == []
    finally:
        context.close()
