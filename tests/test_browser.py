"""A real browser (Debian's Chromium) against the app on a loopback port."""

from __future__ import annotations

import pytest

from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


def test_login_page_loads_and_user_logs_in(live_server, page, users, artifacts_dir):
    page.goto(f"{live_server}/login")
    # the login form is there, styled, with no console errors
    assert page.title() == "Log in · Sales Dashboard"
    assert page.locator("#login-submit").is_visible()
    page.screenshot(path=str(artifacts_dir / "login.png"), full_page=True)

    page.fill("#email", users["rep"]["email"])
    page.fill("#password", TEST_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(f"{live_server}/")
    assert "Welcome, Test Rep" in page.locator("h1").inner_text()
    page.screenshot(path=str(artifacts_dir / "home.png"), full_page=True)
    assert page.console_errors == []


def test_htmx_is_served_locally(live_server, page):
    page.goto(f"{live_server}/login")
    # htmx 2 loaded from our own static folder (no CDN)
    assert page.evaluate("() => window.htmx && window.htmx.version").startswith("2.")
