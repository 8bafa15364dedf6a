"""Sessions and login abuse (SECURITY.md T11, T13, T14)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from dashboard.views.auth import LOGIN_FAILED, THROTTLED
from tests.conftest import TEST_PASSWORD, Auth, build_app, fetch_as


def test_sixth_failure_on_an_account_is_429_even_with_the_right_password(client, auth, users):
    for attempt in range(5):
        response = auth.login(users["rep"]["email"], "wrong-password")
        assert response.status_code == 200 and LOGIN_FAILED in response.get_data(as_text=True), attempt
    # the 6th try within the minute is refused before the password is checked
    response = auth.login(users["rep"]["email"], TEST_PASSWORD)
    assert response.status_code == 429
    assert THROTTLED in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_unknown_account_is_throttled_the_same_way(client, auth):
    answers = [auth.login("nobody@test.example", "x-wrong-password").status_code for _ in range(6)]
    # same pattern as for a real account: no way to tell the two apart
    assert answers == [200, 200, 200, 200, 200, 429]


def test_more_than_20_attempts_from_one_ip_are_429(client, auth):
    # an address no other test logs in from (only a WSGI environ value, no traffic)
    client.environ_base["REMOTE_ADDR"] = "192.0.2.44"
    answers = [auth.login(f"spray{n}@test.example", "x-wrong-password").status_code for n in range(21)]
    assert answers[:20] == [200] * 20 and answers[20] == 429


def test_every_attempt_is_recorded(app, client, auth, users):
    client.environ_base["REMOTE_ADDR"] = "192.0.2.45"
    auth.login(users["rep"]["email"], "wrong-password")
    auth.login(users["rep"]["email"])
    rows = fetch_as(
        app,
        users["admin"]["id"],
        "select succeeded, ip::text, user_id from crm.login_attempts where email = :e and ip = '192.0.2.45' order by id",
        {"e": users["rep"]["email"]},
    )
    assert rows == [(False, "192.0.2.45/32", None), (True, "192.0.2.45/32", users["rep"]["id"])]


def test_cookie_replayed_after_logout_is_refused(app, client, auth, users):
    auth.login(users["rep"]["email"])
    cookie = client.get_cookie("session").value
    client.post("/logout", data={"csrf_token": auth.csrf_token("/")})
    # an attacker who kept the old cookie gets nowhere
    replay = app.test_client()
    replay.set_cookie("session", cookie)
    assert replay.get("/").status_code == 302


def test_login_replaces_the_session(client, auth, users):
    before = auth.csrf_token("/login")
    auth.login(users["rep"]["email"])
    # the pre-login CSRF token no longer works
    response = client.post("/logout", data={"csrf_token": before})
    assert response.status_code == 400


def test_session_cookie_flags_in_production(app_url, users):
    production = build_app(app_url, PRODUCTION=True)
    client = production.test_client()
    Auth(client).login(users["rep"]["email"])
    response = client.get("/login", base_url="https://localhost")
    cookies = client.post(
        "/login", base_url="https://localhost", data={"email": "x@test.example", "password": "y"}
    ).headers.getlist("Set-Cookie") + response.headers.getlist("Set-Cookie")
    session_cookies = [c for c in cookies if c.startswith("__Host-session=")]
    assert session_cookies, cookies
    for cookie in session_cookies:
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]


# Django's IsSafeURLTests corpus plus the backslash and control-character tricks
OFF_SITE = [
    "http://example.com", "http:///example.com", "https://example.com", "ftp://example.com",
    r"\\example.com", r"\\\example.com", r"/\\/example.com", r"\\\\example.com", r"\\//example.com",
    r"/\/example.com", r"\/example.com", "/\\evil.com", "\\\\evil.com", "/%09/evil.com",
    "https:evil.com", "http:example.com", "//example.com", "///example.com", "javascript:alert('XSS')",
    "\njavascript:alert(x)", "\x08//example.com", r"http://otherserver\@example.com",
    r"http:\\testserver\@example.com", r"http://testserver\me:pass@example.com",
    r"http://testserver\@example.com", "http:\\\\example.com", "http:/\\example.com", "http:\\/example.com",
    "data:text/html,<script>alert(1)</script>", "/ /evil.com", " //evil.com", "\t//evil.com",
]  # fmt: skip


@pytest.mark.parametrize("target", OFF_SITE)
def test_next_never_leaves_the_site(client, auth, users, target):
    # sent encoded once and twice: either way the user lands on the dashboard
    for encoded in (quote(target, safe=""), quote(quote(target, safe=""), safe="")):
        assert auth.login(users["rep"]["email"], next_url=encoded).headers["Location"] == "/"
        client.post("/logout", data={"csrf_token": auth.csrf_token("/")})


@pytest.mark.parametrize("target", ["/deals/5?tab=notes", "/companies?sort=name&page=2", "/admin/users"])
def test_next_keeps_relative_targets(client, auth, users, target):
    assert auth.login(users["rep"]["email"], next_url=quote(target, safe="")).headers["Location"] == target
