"""An identity SQL cannot forge (issue 14, finding 2).

Everything here runs on a raw connection logged in as ``crm_app`` -- what an
attacker with SQL injection in the app would have -- inside a transaction that
is rolled back. The legitimate way in (app.log_in with the right password) is
the positive control: the same statements that fail for a forged identity work
for a real session.
"""

from __future__ import annotations

import secrets

import psycopg
import pytest

from dashboard import pg
from dashboard.passwords import encode_with_salt, hash_password
from tests.conftest import TEST_PASSWORD

DENIED = psycopg.errors.InsufficientPrivilege


@pytest.fixture
def attacker(app_url):
    """A raw crm_app connection (no request, no app code in between)."""
    with psycopg.connect(pg.libpq_url(app_url)) as conn:
        yield conn
        conn.rollback()


def log_in(conn, email: str, password: str = TEST_PASSWORD) -> str | None:
    salt = conn.execute("select app.login_salt(%s)", (email,)).fetchone()[0]
    return conn.execute(
        "select app.log_in(%s, %s, '192.0.2.1', 3600)", (email, encode_with_salt(salt, password))
    ).fetchone()[0]


def act_with(conn, token: str) -> None:
    conn.execute("select set_config('app.session', %s, false)", (token,))


def who(conn):
    return conn.execute("select app.current_user_id(), app.is_admin()").fetchone()


def refused(conn, sql: str, params=(), error=DENIED) -> bool:
    try:
        with conn.transaction():
            conn.execute(sql, params)
    except error:
        return True
    return False


def test_setting_app_user_id_makes_nobody_anybody(attacker, users):
    attacker.execute("select set_config('app.user_id', %s, false)", (str(users["admin"]["id"]),))
    assert who(attacker) == (None, False)
    assert attacker.execute("select count(*) from crm.users").fetchone()[0] == 0
    assert attacker.execute("update crm.users set role = 'admin' returning id").fetchall() == []
    # with a real rep session, the forged setting changes nothing either
    act_with(attacker, log_in(attacker, users["rep"]["email"]))
    assert who(attacker) == (users["rep"]["id"], False)


def test_no_function_answers_an_identity_for_an_email(attacker, users, admin_conn):
    assert refused(attacker, "select app.login_user_id('admin@test.example')", error=psycopg.errors.UndefinedFunction)
    salt = attacker.execute("select app.login_salt(%s)", (users["admin"]["email"],)).fetchone()[0]
    verifier = admin_conn.execute("select password_hash from crm.users where id = %s", (users["admin"]["id"],))
    # the salt is the verifier up to its secret part, and that part never leaves the database
    assert verifier.fetchone()[0].startswith(salt + "$sha256:") and "sha256" not in salt
    # a wrong password gives no session; a guessed or made-up token is nobody
    assert log_in(attacker, users["admin"]["email"], "not-the-password") is None
    act_with(attacker, secrets.token_hex(32))
    assert who(attacker) == (None, False)
    assert refused(attacker, "select app.fork_session(3600)")


def test_no_password_hash_is_readable_even_by_an_admin(attacker, users):
    act_with(attacker, log_in(attacker, users["admin"]["email"]))
    assert who(attacker) == (users["admin"]["id"], True)
    assert refused(attacker, "select password_hash from crm.users")
    assert refused(attacker, "select * from crm.users")
    assert refused(attacker, "select * from crm.sessions")
    assert attacker.execute("select count(*) from crm.users").fetchone()[0] >= 4  # the rest is readable
    # nor through the audit trail of a password change
    attacker.execute("select app.set_user_password(%s, %s)", (users["rep2"]["id"], hash_password("a-new-secret-99")))
    leaked = attacker.execute(
        """select count(*) from crm.audit_log where table_name = 'users'
           and (old_values ? 'password_hash' or new_values ? 'password_hash')"""
    ).fetchone()[0]
    assert leaked == 0


def test_a_user_cannot_change_their_own_role_hash_session_or_lockout(attacker, users, admin_conn):
    me = users["rep"]["id"]
    act_with(attacker, log_in(attacker, users["rep"]["email"]))
    assert refused(attacker, "update crm.users set role = 'admin' where id = %s", (me,))
    assert refused(attacker, "update crm.users set password_hash = 'x' where id = %s", (me,))
    assert refused(attacker, "update crm.users set failures_cleared_at = now() where id = %s", (me,))
    assert refused(attacker, "update crm.users set last_login_at = now() where id = %s", (me,))
    assert refused(attacker, "insert into crm.sessions (token_hash, user_id, expires_at) values ('\\x00', %s, now())", (me,))
    assert refused(attacker, "update crm.sessions set revoked_at = null")
    # the definer functions check an admin's rights or the current password themselves
    assert refused(attacker, "select app.set_user_password(%s, %s)", (me, hash_password("mine-now-12345")))
    assert refused(attacker, "select app.unlock_login(%s)", (me,))
    assert refused(attacker, "select app.revoke_user_sessions(%s)", (users["admin"]["id"],))
    salt = attacker.execute("select app.login_salt(%s)", (users["rep"]["email"],)).fetchone()[0]
    before = admin_conn.execute("select password_hash from crm.users where id = %s", (me,)).fetchone()[0]
    changed = attacker.execute(
        "select app.change_own_password(%s, %s)",
        (encode_with_salt(salt, "a-wrong-guess"), hash_password("mine-now-12345")),
    ).fetchone()[0]
    assert changed is False
    assert admin_conn.execute("select password_hash from crm.users where id = %s", (me,)).fetchone()[0] == before


def test_a_session_ends_with_logout_and_deactivation(attacker, users):
    token = log_in(attacker, users["rep2"]["email"])
    act_with(attacker, token)
    assert who(attacker)[0] == users["rep2"]["id"]
    attacker.execute("select app.end_session(false)")
    assert who(attacker)[0] is None
    # an admin deactivating a user ends that user's sessions at once
    token = log_in(attacker, users["rep2"]["email"])
    act_with(attacker, log_in(attacker, users["admin"]["email"]))
    attacker.execute("update crm.users set is_active = false where id = %s", (users["rep2"]["id"],))
    attacker.execute("update crm.users set is_active = true where id = %s", (users["rep2"]["id"],))
    act_with(attacker, token)
    assert who(attacker)[0] is None  # reactivation does not bring the old session back
