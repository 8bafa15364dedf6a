"""Logging in and out through the real form, the home page behind login, health."""

from __future__ import annotations

import pytest

from dashboard.views.auth import LOGIN_FAILED
from tests.conftest import TEST_PASSWORD, execute_as


def test_home_requires_login(client):
    response = client.get("/")
    # anonymous users are sent to the login page, with where they wanted to go
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_login_page_renders_form(client):
    body = client.get("/login").get_data(as_text=True)
    assert '<form method="post"' in body and 'name="csrf_token"' in body and 'id="password"' in body


def test_login_and_see_dashboard(client, auth, users):
    response = auth.login(users["rep"]["email"])
    assert response.status_code == 302 and response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    # the dashboard greets the user by name and shows their counts (none yet)
    assert "Welcome, Test Rep" in page
    assert "Open deals" in page


def test_login_email_is_case_insensitive(client, auth, users):
    assert auth.login(users["rep"]["email"].upper()).headers["Location"] == "/"


@pytest.mark.parametrize("email,password", [
    ("rep@test.example", "wrong-password"),
    ("nobody@test.example", TEST_PASSWORD),
])  # fmt: skip
def test_failed_login_same_answer_for_unknown_user_and_wrong_password(client, auth, email, password):
    response = auth.login(email, password)
    # both failures: same status, same message, no session
    assert response.status_code == 200
    assert LOGIN_FAILED in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_login_without_csrf_token_is_refused(client, users):
    response = client.post("/login", data={"email": users["rep"]["email"], "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_deactivated_user_cannot_log_in(app, client, auth, users):
    # an admin deactivates rep2 (through RLS: the admin may)
    changed = execute_as(app, users["admin"]["id"], "update crm.users set is_active = false where email = :e",
                         {"e": users["rep2"]["email"]})  # fmt: skip
    assert changed == 1
    response = auth.login(users["rep2"]["email"])
    assert LOGIN_FAILED in response.get_data(as_text=True)


def test_logout_ends_session(client, auth, users):
    auth.login(users["rep"]["email"])
    token = auth.csrf_token("/")
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("target,expected", [
    ("/companies?sort=name", "/companies?sort=name"),
    ("https://evil.example/", "/"),
    ("//evil.example", "/"),
    ("/\\evil.example", "/"),
    ("https:evil.example", "/"),
    ("javascript:alert(1)", "/"),
])  # fmt: skip
def test_login_next_stays_on_site(client, auth, users, target, expected):
    from urllib.parse import quote

    response = auth.login(users["rep"]["email"], next_url=quote(target, safe=""))
    assert response.headers["Location"] == expected


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_security_headers_on_pages_and_errors(client):
    for path in ["/login", "/no-such-page", "/static/app.css"]:
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-eval" not in csp and "object-src 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"


def test_not_found_page_is_generic(client):
    response = client.get("/no-such-page")
    body = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Not found." in body and "Request id" in body and "Traceback" not in body
