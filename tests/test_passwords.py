"""Common and weak passwords are refused wherever a password is set (issue 14, finding 5): the rule in
``passwords.password_problem`` (zxcvbn, offline), asked by the admin user form, the account password form and
``crm users create`` (its command line: tests/test_cli.py); the passwords the tests and the demo users log in with still pass it."""

from __future__ import annotations

import html

import psycopg
import pytest

from dashboard import users as user_accounts
from dashboard.demo import DEMO_PASSWORD
from dashboard.passwords import MAX_LENGTH, password_problem
from tests.conftest import TEST_PASSWORD, fetch_as

# the first entries of every common-password list, their usual disguises, and this site's own words
WEAK = ["password", "12345678", "Password1", "Passw0rd", "qwertyuiop", "iloveyou1", "letmein123", "11111111",
        "password123", "football", "salesdashboard", "dashboard1", "aaaaaaaaaaaa"]  # fmt: skip
# the tests' and the demo's passwords, and passphrases of a few uncommon words
STRONG = [TEST_PASSWORD, DEMO_PASSWORD, "brand-new-pass", "a-new-password", "long-enough-password",
          "Tr0ub4dor&3-staple", "plum kettle orbit 9"]  # fmt: skip
TOO_EASY = "This password is too easy to guess."


@pytest.mark.parametrize("password", WEAK)
def test_common_and_patterned_passwords_are_refused_with_advice(password):
    problem = password_problem(password)
    assert problem and problem.startswith(TOO_EASY), (password, problem)
    assert len(problem) > len(TOO_EASY)  # says why or what would help


@pytest.mark.parametrize("password", STRONG)
def test_the_passwords_in_use_pass(password):
    assert password_problem(password) is None


def test_length_limits_come_first_and_long_passphrases_are_estimated():
    assert password_problem("short") == "Use at least 8 characters."
    assert password_problem("x" * (MAX_LENGTH + 1)) == f"Use at most {MAX_LENGTH} characters."
    # zxcvbn itself refuses input over 72 characters: the first 72 are estimated, the rest cannot weaken it
    assert password_problem("plum kettle orbit 9 " * 6) is None
    assert password_problem("a" * MAX_LENGTH).startswith(TOO_EASY)


def test_the_admin_user_form_refuses_a_common_password(app, client, auth, users):
    auth.login(users["admin"]["email"])
    data = {"csrf_token": auth.csrf_token("/admin/users/new"), "email": "weak@test.example", "full_name": "Weak",
            "role": "rep", "team_id": "", "manager_id": "", "is_active": "y", "password": "password"}  # fmt: skip
    response = client.post("/admin/users/new", data=data)
    assert response.status_code == 200
    assert "This is a top-10 common password." in html.unescape(response.get_data(as_text=True))
    assert fetch_as(app, users["admin"]["id"], "select count(*) from crm.users where email = 'weak@test.example'") == [
        (0,)
    ]


def test_the_account_form_refuses_a_common_password(app, client, auth, users):
    auth.login(users["rep"]["email"])
    data = {"csrf_token": auth.csrf_token("/account/password"), "current_password": TEST_PASSWORD,
            "new_password": "Password1", "confirm": "Password1"}  # fmt: skip
    response = client.post("/account/password", data=data)
    assert response.status_code == 200 and TOO_EASY in html.unescape(response.get_data(as_text=True))
    # still the old password, and still logged in
    assert client.get("/account/password").status_code == 200


def test_creating_a_user_refuses_a_common_password(admin_url):
    """What ``crm users create`` runs, in a transaction rolled back."""
    from dashboard import pg

    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        with pytest.raises(user_accounts.UserError, match="password not accepted: This password is too easy"):
            user_accounts.create_user(conn, "weak.cli@test.example", "rep", "qwertyuiop")
        conn.rollback()
