"""Admin pages: only admins see them; users, teams and targets are managed there."""

from __future__ import annotations

import re

import pytest

from tests.conftest import TEST_PASSWORD, Auth, fetch_as, query

VERSION = re.compile(r'name="version" type="hidden" value="(\d+)"')


@pytest.fixture
def as_admin(client, auth, users):
    auth.login(users["admin"]["email"])
    return auth


def csrf(auth, path):
    return auth.csrf_token(path)


@pytest.mark.parametrize("path", ["/admin/users", "/admin/teams", "/admin/users/new", "/admin/teams/new"])
def test_rep_and_manager_get_404_for_admin_pages(client, auth, users, path):
    for who in ("rep", "manager"):
        auth.login(users[who]["email"])
        assert client.get(path).status_code == 404
        client.post("/logout", data={"csrf_token": auth.csrf_token("/")})


def test_rep_sees_no_admin_links(client, auth, users):
    auth.login(users["rep"]["email"])
    page = client.get("/").get_data(as_text=True)
    assert "/admin/" not in page


def test_admin_lists_and_searches_users(client, as_admin):
    page = client.get("/admin/users?q=rep2").get_data(as_text=True)
    assert "rep2@test.example" in page and "rep@test.example" not in page
    assert "No users match “nobody-here”" in client.get("/admin/users?q=nobody-here").get_data(as_text=True)
    # the box filters as one types: htmx asks after a 300 ms pause and swaps in the results alone
    assert 'hx-trigger="input changed delay:300ms from:input[type=search], search"' in page
    assert 'hx-target="#user-results"' in page
    fragment = client.get("/admin/users?q=rep2", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "rep2@test.example" in fragment and "rep@test.example" not in fragment and "<html" not in fragment


def test_admin_creates_user_who_can_log_in(app, client, as_admin, users):
    token = csrf(as_admin, "/admin/users/new")
    response = client.post(
        "/admin/users/new",
        data={
            "csrf_token": token, "email": "New.Person@Test.Example", "full_name": "New Person", "role": "rep",
            "team_id": "", "manager_id": str(users["manager"]["id"]), "is_active": "y", "password": "a-new-password",
        },
    )  # fmt: skip
    assert response.status_code == 302
    sql = "select role, manager_id, ai_features from crm.users where email = 'new.person@test.example'"
    assert fetch_as(app, users["admin"]["id"], sql) == [("rep", users["manager"]["id"], False)]
    # nobody else sees the new row: not anonymous queries, not another rep (RLS)
    assert query(app, sql) == [] and fetch_as(app, users["rep"]["id"], sql) == []
    client.post("/logout", data={"csrf_token": as_admin.csrf_token("/")})
    assert as_admin.login("new.person@test.example", "a-new-password").headers["Location"] == "/"


def test_create_user_validation_keeps_input(client, as_admin):
    token = csrf(as_admin, "/admin/users/new")
    response = client.post(
        "/admin/users/new",
        data={"csrf_token": token, "email": "not-an-email", "full_name": "Kept Name", "role": "rep",
              "team_id": "", "manager_id": "", "password": "short"},
    )  # fmt: skip
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Invalid email address." in body and "Use at least 8 characters." in body
    assert 'value="Kept Name"' in body


def test_duplicate_email_is_a_field_error(client, as_admin, users):
    token = csrf(as_admin, "/admin/users/new")
    response = client.post(
        "/admin/users/new",
        data={"csrf_token": token, "email": users["rep"]["email"].upper(), "full_name": "Dup", "role": "rep",
              "team_id": "", "manager_id": "", "password": "long-enough-1"},
    )  # fmt: skip
    assert "A user with this email already exists." in response.get_data(as_text=True)


def edit(client, auth, user_id, **changes):
    page = client.get(f"/admin/users/{user_id}/edit").get_data(as_text=True)
    data = {
        "csrf_token": auth.csrf_token(f"/admin/users/{user_id}/edit"),
        "version": VERSION.search(page).group(1),
        "full_name": "Test Rep2", "role": "rep", "team_id": "", "manager_id": "", "is_active": "y",
    }  # fmt: skip
    data.update(changes)
    return client.post(f"/admin/users/{user_id}/edit", data=data)


def test_admin_toggles_ai_and_role_but_extra_fields_change_nothing(app, client, as_admin, users):
    rep2 = users["rep2"]["id"]
    response = edit(
        client, as_admin, rep2, ai_features="y", role="manager",
        email="hijack@evil.example", id="00000000-0000-4000-8000-000000000000", failures_cleared_at="2000-01-01",
        created_at="2000-01-01", password_hash="x",
    )  # fmt: skip
    assert response.status_code == 302
    row = fetch_as(
        app,
        users["admin"]["id"],
        "select email, role, ai_features, failures_cleared_at from crm.users where id = :id",
        {"id": rep2},
    )
    # declared fields changed; email, id and the lockout column did not
    assert row == [("rep2@test.example", "manager", True, None)]


def test_stale_edit_is_409_and_first_save_survives(app, client, as_admin, users):
    rep2 = users["rep2"]["id"]
    page = client.get(f"/admin/users/{rep2}/edit").get_data(as_text=True)
    old_version = VERSION.search(page).group(1)
    # someone saves first
    assert edit(client, as_admin, rep2, full_name="First Save").status_code == 302
    # our form, loaded before that save, comes back 409 and overwrites nothing
    response = edit(client, as_admin, rep2, full_name="Second Save", version=old_version)
    assert response.status_code == 409
    assert "Someone else saved first" in response.get_data(as_text=True)
    assert "Test Admin" in response.get_data(as_text=True)  # who changed it
    assert fetch_as(app, users["admin"]["id"], "select full_name from crm.users where id = :id", {"id": rep2}) == [
        ("First Save",)
    ]


def test_deactivation_revokes_sessions(app, client, auth, users):
    rep_client = app.test_client()
    rep_auth = Auth(rep_client)
    rep_auth.login(users["rep2"]["email"])
    assert rep_client.get("/").status_code == 200
    auth.login(users["admin"]["email"])
    assert edit(client, auth, users["rep2"]["id"], is_active="").status_code == 302
    # the rep's cookie no longer works
    assert rep_client.get("/").status_code == 302


def test_targets_are_saved_per_month(client, as_admin, users):
    rep = users["rep"]["id"]
    token = csrf(as_admin, f"/admin/users/{rep}/targets")
    data = {"csrf_token": token, "month": "2026-11", "revenue_target": "20000", "outbound_target": "100",
            "meetings_target": "20", "proposals_target": "15"}  # fmt: skip
    assert client.post(f"/admin/users/{rep}/targets", data=data).status_code == 302
    data.update(outbound_target="120", csrf_token=as_admin.csrf_token(f"/admin/users/{rep}/targets"))
    assert client.post(f"/admin/users/{rep}/targets", data=data).status_code == 302
    page = client.get(f"/admin/users/{rep}/targets").get_data(as_text=True)
    # the month is a month picker limited to the years the form accepts
    month_input = re.search(r'<input[^>]*id="month"[^>]*>', page).group(0)
    assert 'type="month"' in month_input and 'min="2000-01"' in month_input and 'max="2100-12"' in month_input
    # one row for November, with the second save's outbound target
    assert page.count("<td>November 2026</td>") == 1 and "<td>120</td>" in page


@pytest.mark.parametrize(
    "month,message",
    [("2026-13", "“2026-13” is not a month"), ("1999-01", "between 2000 and 2100"), ("abcdefg", "YYYY-MM"),
     ("2026-1", "“2026-1” is not a month"), ("", "Pick a month.")],  # fmt: skip
)
def test_bad_target_month(client, as_admin, users, month, message):
    rep = users["rep"]["id"]
    token = csrf(as_admin, f"/admin/users/{rep}/targets")
    data = {"csrf_token": token, "month": month, "revenue_target": "-5", "outbound_target": "1",
            "meetings_target": "1", "proposals_target": "1"}  # fmt: skip
    body = client.post(f"/admin/users/{rep}/targets", data=data).get_data(as_text=True)
    assert message in body and "Number must be between" in body


def test_password_change_revokes_other_sessions(app, client, auth, users):
    other = app.test_client()
    Auth(other).login(users["rep"]["email"])
    auth.login(users["rep"]["email"])
    token = auth.csrf_token("/account/password")
    response = client.post(
        "/account/password",
        data={
            "csrf_token": token,
            "current_password": TEST_PASSWORD,
            "new_password": "brand-new-pass",
            "confirm": "brand-new-pass",
        },
    )
    assert response.status_code == 302
    # this session goes on; the other one is logged out
    assert client.get("/").status_code == 200
    assert other.get("/").status_code == 302
