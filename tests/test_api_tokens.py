"""Personal access tokens (issue 17): created by the user for themselves and shown once, stored only as a
hash crm_app cannot read, resolved by the database to their user (app.current_user_id via app.api_token),
refused with a reason once revoked, expired or their user deactivated."""

from __future__ import annotations

import re

import psycopg
import pytest

from dashboard import pg
from tests.conftest import CSRF_META, fetch_as, recreate_database
from tests.test_cli import assert_one_line_error, run_crm

TOKEN = re.compile(r"^crm_pat_[A-Za-z0-9_-]{43}$")


def as_app(conn, actor=None, api_token=None):
    """Continue this transaction as crm_app (under row-level security), acting as ``actor`` or presenting
    ``api_token``."""
    conn.execute("set local role crm_app")
    if actor is not None:
        conn.execute("select set_config('app.user_id', %s, true)", (str(actor),))
    if api_token is not None:
        conn.execute("select set_config('app.api_token', %s, true)", (api_token,))


def new_token(conn, user_id, scope="read", days=None) -> tuple[str, str]:
    """Create a token as ``user_id`` (the superuser connection's trusted app.user_id); its id and token."""
    conn.execute("select set_config('app.user_id', %s, true)", (str(user_id),))
    token_id, token = conn.execute("select id, token from app.create_api_token('t', %s, %s)", (scope, days)).fetchone()
    conn.execute("select set_config('app.user_id', '', true)")
    return str(token_id), token


def test_a_token_acts_as_its_user_until_revoked(admin_conn, users):
    token_id, token = new_token(admin_conn, users["rep"]["id"], scope="write")
    assert TOKEN.match(token)
    # only the hash is stored: the token itself is nowhere in the table
    stored = admin_conn.execute("select token_hash, prefix from crm.api_tokens where id = %s", (token_id,)).fetchone()
    assert stored[0] == admin_conn.execute("select sha256(convert_to(%s, 'UTF8'))", (token,)).fetchone()[0]
    assert stored[1] == token[:12]
    admin_conn.execute("savepoint before")
    as_app(admin_conn, api_token=token)
    assert admin_conn.execute("select app.current_user_id()").fetchone()[0] == users["rep"]["id"]
    assert admin_conn.execute("select status, scope from app.api_token_status(%s)", (token,)).fetchone() == ("ok", "write")
    # a token that differs in one character is nobody
    wrong = token[:-1] + ("A" if token[-1] != "A" else "B")
    admin_conn.execute("select set_config('app.api_token', %s, true)", (wrong,))
    assert admin_conn.execute("select app.current_user_id()").fetchone()[0] is None
    assert admin_conn.execute("select status from app.api_token_status(%s)", (wrong,)).fetchone()[0] == "invalid"
    admin_conn.execute("rollback to savepoint before")
    admin_conn.execute("update crm.api_tokens set revoked_at = now() where id = %s", (token_id,))
    as_app(admin_conn, api_token=token)
    assert admin_conn.execute("select app.current_user_id()").fetchone()[0] is None
    assert admin_conn.execute("select status from app.api_token_status(%s)", (token,)).fetchone()[0] == "revoked"


def test_expired_tokens_and_deactivated_users_are_refused(admin_conn, users):
    rep = admin_conn.execute(
        "insert into crm.users (email, full_name, role) values ('leaver@tokens.example', 'Leaver', 'rep') returning id"
    ).fetchone()[0]
    expired_id, expired = new_token(admin_conn, rep, days=1)
    # created two days ago with a day's life: expired yesterday
    admin_conn.execute(
        "update crm.api_tokens set created_at = now() - interval '2 days', expires_at = now() - interval '1 day' where id = %s",
        (expired_id,),
    )
    _, live = new_token(admin_conn, rep)
    assert admin_conn.execute("select status from app.api_token_status(%s)", (expired,)).fetchone()[0] == "expired"
    assert admin_conn.execute("select status from app.api_token_status(%s)", (live,)).fetchone()[0] == "ok"
    admin_conn.execute("update crm.users set is_active = false where id = %s", (rep,))
    # deactivation revokes every token: reactivating the user does not bring them back
    admin_conn.execute("update crm.users set is_active = true where id = %s", (rep,))
    assert admin_conn.execute("select status from app.api_token_status(%s)", (live,)).fetchone()[0] == "revoked"
    as_app(admin_conn, api_token=live)
    assert admin_conn.execute("select app.current_user_id()").fetchone()[0] is None


def test_crm_app_never_reads_a_hash_nor_writes_tokens(admin_conn, users):
    token_id, _ = new_token(admin_conn, users["rep"]["id"])
    as_app(admin_conn, actor=users["rep"]["id"])
    for statement in [
        "select token_hash from crm.api_tokens",
        "insert into crm.api_tokens (user_id, name, token_hash, prefix) values (%(rep)s, 'x', sha256('x'), 'crm_pat_xxxx')",
        "update crm.api_tokens set revoked_at = null",
        "delete from crm.api_tokens",
    ]:
        admin_conn.execute("savepoint attempt")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            admin_conn.execute(statement, {"rep": users["rep"]["id"]})
        admin_conn.execute("rollback to savepoint attempt")
    # a token is always the acting user's own: there is no parameter naming someone else
    created = admin_conn.execute("select id from app.create_api_token('mine', 'read', 30)").fetchone()[0]
    owner = admin_conn.execute("select user_id from crm.api_tokens where id = %s", (created,)).fetchone()[0]
    assert owner == users["rep"]["id"]
    assert {r[0] for r in admin_conn.execute("select id::text from crm.api_tokens")} >= {token_id, str(created)}


@pytest.mark.parametrize(("reader", "sees"), [("rep", True), ("rep2", False), ("manager", False), ("admin", True)])
def test_who_sees_and_revokes_a_reps_token(admin_conn, users, reader, sees):
    """A user's tokens are theirs: not even their manager lists or revokes them; an admin does both."""
    token_id, _ = new_token(admin_conn, users["rep"]["id"])
    as_app(admin_conn, actor=users[reader]["id"])
    listed = admin_conn.execute("select count(*) from crm.api_tokens where id = %s", (token_id,)).fetchone()[0]
    assert listed == (1 if sees else 0)
    assert admin_conn.execute("select app.revoke_api_token(%s)", (token_id,)).fetchone()[0] is sees


@pytest.mark.parametrize(("name", "scope", "days", "message"), [
    ("  ", "read", None, "a token needs a name of 1 to 100 characters"),
    ("x" * 101, "read", None, "a token needs a name of 1 to 100 characters"),
    ("ok", "admin", None, "a token's scope is read or write"),
    ("ok", "read", 0, "a token expires in 1 to 3650 days, or never"),
])  # fmt: skip
def test_bad_token_requests_are_refused_with_the_reason(admin_conn, users, name, scope, days, message):
    as_app(admin_conn, actor=users["rep"]["id"])
    with pytest.raises(psycopg.errors.CheckViolation, match=re.escape(message)):
        admin_conn.execute("select app.create_api_token(%s, %s, %s)", (name, scope, days))


# --- the account page ---------------------------------------------------------------------------


def test_account_page_creates_shows_once_and_revokes(client, auth, users, app):
    auth.login(users["rep2"]["email"])
    page = client.get("/account/tokens").get_data(as_text=True)
    assert "You have no API tokens yet." in page
    csrf = CSRF_META.search(page).group(1)
    created = client.post("/account/tokens", data={"name": "Zapier", "scope": "write", "expires_days": "30",
                                                   "csrf_token": csrf}).get_data(as_text=True)  # fmt: skip
    token = re.search(r'id="new-token-value">([^<]+)<', created).group(1)
    assert TOKEN.match(token)
    assert "Zapier" in created and "read and write" in created and f"{token[:12]}…" in created
    # shown once: the list never shows it again
    again = client.get("/account/tokens").get_data(as_text=True)
    assert token not in again and token[:12] in again
    [(token_id,)] = fetch_as(app, users["rep2"]["id"], "select id from crm.api_tokens where name = 'Zapier'")
    confirm = client.get(f"/account/tokens/{token_id}/revoke").get_data(as_text=True)
    assert "Revoke this token?" in confirm and "Zapier" in confirm
    done = client.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf}, follow_redirects=True)
    assert "was revoked" in done.get_data(as_text=True)
    assert client.get(f"/account/tokens/{token_id}/revoke").status_code == 404  # already revoked


def test_account_page_refuses_a_nameless_token(client, auth, users):
    auth.login(users["rep2"]["email"])
    csrf = auth.csrf_token("/account/tokens")
    response = client.post("/account/tokens", data={"name": "", "scope": "read", "expires_days": "30", "csrf_token": csrf})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Give the token a name" in page and 'id="new-token"' not in page


def test_another_users_token_is_not_found(client, auth, users, app):
    [(token_id,)] = fetch_as(app, users["rep"]["id"], "select id from app.create_api_token('rep''s', 'read', null)")
    auth.login(users["rep2"]["email"])
    assert client.get(f"/account/tokens/{token_id}/revoke").status_code == 404
    csrf = auth.csrf_token("/account/tokens")
    assert client.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf}).status_code == 404


# --- crm tokens -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def db_url(pg_server_url) -> str:
    url = pg.libpq_url(recreate_database(pg_server_url, "crm_tokens_cli_test"))
    assert run_crm("db", "upgrade", env={"DATABASE_URL": url}).returncode == 0
    with psycopg.connect(url) as conn:
        conn.execute("insert into crm.users (email, full_name, role) values ('t.rep@example.com', 'Token Rep', 'rep')")
        conn.execute(
            "insert into crm.users (email, full_name, role, is_active) values ('gone@example.com', 'Gone', 'rep', false)"
        )
    return url


def test_cli_creates_a_token_printed_once_on_one_line(db_url):
    env = {"DATABASE_URL": db_url}
    made = run_crm("tokens", "create", "--email", "T.Rep@example.com", "--name", "cron export", "--scope", "write",
                   "--expires-days", "7", env=env)  # fmt: skip
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    assert made.stdout.count("\n") == 1 and TOKEN.match(token)
    with psycopg.connect(db_url) as conn:
        row = conn.execute(
            """select t.name, t.scope, round(extract(epoch from t.expires_at - t.created_at) / 86400), u.email
               from app.api_token_status(%s) s join crm.api_tokens t on t.id = s.token_id
               join crm.users u on u.id = t.user_id where s.status = 'ok'""",
            (token,),
        ).fetchone()
    assert row == ("cron export", "write", 7, "t.rep@example.com")
    listed = run_crm("tokens", "list", "--email", "t.rep@example.com", env=env)
    # the status check above was a use: its time is listed
    assert token not in listed.stdout
    assert re.search(rf"  live     write  {re.escape(token[:12])}…  \d{{4}}-\d\d-\d\d \d\d:\d\dZ  cron export$", listed.stdout, re.M)
    token_id = listed.stdout.split()[0]
    assert run_crm("tokens", "revoke", "--id", token_id, env=env).stdout.strip() == f"revoked {token_id}"
    assert_one_line_error(run_crm("tokens", "revoke", "--id", token_id, env=env), "no live token")


@pytest.mark.parametrize(("args", "message"), [
    (("--email", "nobody@example.com", "--name", "x"), "no user with the email"),
    (("--email", "gone@example.com", "--name", "x"), "is deactivated"),
    (("--email", "t.rep@example.com", "--name", " "), "a token needs a name of 1 to 100 characters"),
])  # fmt: skip
def test_cli_refuses_bad_input_in_one_line(db_url, args, message):
    assert_one_line_error(run_crm("tokens", "create", *args, env={"DATABASE_URL": db_url}), message)


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--expires-days", "0", "Invalid value for '--expires-days': 0 is not in the range 1<=x<=3650."),
    ("--scope", "admin", "Invalid value for '--scope': 'admin' is not one of 'read', 'write'."),
])  # fmt: skip
def test_cli_refuses_out_of_range_options_as_usage_errors(db_url, option, value, message):
    result = run_crm("tokens", "create", "--email", "t.rep@example.com", "--name", "x", option, value,
                     env={"DATABASE_URL": db_url})  # fmt: skip
    assert result.returncode == 2 and result.stderr.strip().endswith(f"Error: {message}") and not result.stdout
