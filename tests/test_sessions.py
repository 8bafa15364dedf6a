"""Sessions and login abuse (SECURITY.md T11, T13, T14)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.conftest import CSRF_META, TEST_PASSWORD, build_app, fetch_as


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


def test_cookie_replayed_from_another_browser_is_refused_and_spent(app, client, auth, users):
    client.environ_base["HTTP_USER_AGENT"] = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"
    auth.login(users["rep"]["email"])
    assert client.get("/").status_code == 200
    # the same cookie from another browser: refused, and the stolen session ends for everyone
    replay = app.test_client()
    replay.environ_base["HTTP_USER_AGENT"] = "curl/8.5.0"
    replay.set_cookie("session", client.get_cookie("session").value)
    assert replay.get("/").status_code == 302
    assert client.get("/").status_code == 302


def test_login_replaces_the_session(client, auth, users):
    before = auth.csrf_token("/login")
    auth.login(users["rep"]["email"])
    # the pre-login CSRF token no longer works
    response = client.post("/logout", data={"csrf_token": before})
    assert response.status_code == 400


def test_session_cookie_flags_in_production(app_url, users):
    production = build_app(app_url, PRODUCTION=True)
    client = production.test_client()
    https = "https://localhost"
    login_page = client.get("/login", base_url=https)
    token = CSRF_META.search(login_page.get_data(as_text=True)).group(1)
    credentials = {"email": users["rep"]["email"], "password": TEST_PASSWORD, "csrf_token": token}
    # over HTTPS, Flask-WTF also wants a same-origin Referer
    logged_in = client.post("/login", base_url=https, data=credentials, headers={"Referer": f"{https}/login"})
    assert logged_in.status_code == 302
    cookies = login_page.headers.getlist("Set-Cookie") + logged_in.headers.getlist("Set-Cookie")
    session_cookies = [c for c in cookies if c.startswith("__Host-session=")]
    assert len(session_cookies) == 2, cookies
    for cookie in session_cookies:
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "max-age=31536000" in login_page.headers["Strict-Transport-Security"]


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
