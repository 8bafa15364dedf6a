"""The ``crm`` command: real runs in a subprocess, one-line errors, no tracebacks."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from dashboard import migrate, pg
from tests.conftest import recreate_database

CRM = str(Path(sys.executable).with_name("crm"))


def run_crm(*args: str, env: dict | None = None, stdin: str | None = None, timeout: int = 120):
    full_env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MIGRATION_DATABASE_URL")}
    full_env.update(env or {})
    return subprocess.run([CRM, *args], env=full_env, input=stdin, capture_output=True, text=True, timeout=timeout)


def assert_one_line_error(result, *fragments: str) -> None:
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    # exactly one line, no traceback, and it says what is wrong
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.fixture(scope="module")
def cli_db_url(pg_server_url) -> str:
    return pg.libpq_url(recreate_database(pg_server_url, "crm_cli_test"))


def test_db_upgrade_then_status(cli_db_url):
    first = run_crm("db", "upgrade", env={"DATABASE_URL": cli_db_url})
    assert first.returncode == 0, first.stderr
    assert "applied 20261207000000_baseline.sql" in first.stdout
    assert "applied functions/dashboard.sql" in first.stdout
    again = run_crm("db", "upgrade", env={"DATABASE_URL": cli_db_url})
    assert again.returncode == 0 and "(0 migration(s), 0 definition file(s) applied)" in again.stdout
    status = run_crm("db", "status", env={"DATABASE_URL": cli_db_url})
    assert status.returncode == 0
    listed = len(list(Path("sql/migrations").glob("2*.sql"))) + len(migrate.discover_definitions())
    states = [line.split()[0] for line in status.stdout.splitlines() if line.strip()]
    assert states.count("applied") == listed  # and none pending or changed (a file's name may say "pending")
    assert "pending" not in states and "changed" not in states


def test_db_dump_schema_writes_the_migrated_schema(cli_db_url, tmp_path):
    target = tmp_path / "schema.sql"
    result = run_crm("db", "dump-schema", str(target), env={"DATABASE_URL": cli_db_url})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"wrote {target}"
    # the same text as the committed file (both are fresh installs of this tree)
    assert target.read_text() == Path("sql/schema.sql").read_text()


def test_users_create_from_stdin(cli_db_url):
    result = run_crm(
        "users", "create", "--email", "New.Rep@Example.com", "--role", "rep", "--team", "East",
        "--password-stdin", env={"DATABASE_URL": cli_db_url}, stdin="long-enough-password\n",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    with psycopg.connect(cli_db_url) as conn:
        row = conn.execute(
            """select u.email, u.role, t.name, u.password_hash like '$argon2id$%%'
               from crm.users u join crm.teams t on t.id = u.team_id where u.email = 'new.rep@example.com'"""
        ).fetchone()
    # the email is stored lower-case, the team was created, the hash is argon2id
    assert row == ("new.rep@example.com", "rep", "East", True)
    duplicate = run_crm(
        "users", "create", "--email", "new.rep@example.com", "--role", "rep", "--password-stdin",
        env={"DATABASE_URL": cli_db_url}, stdin="long-enough-password\n",
    )  # fmt: skip
    assert_one_line_error(duplicate, "already exists")


def test_users_create_with_a_time_zone(cli_db_url):
    created = run_crm(
        "users", "create", "--email", "zoned@example.com", "--role", "rep", "--time-zone", "Asia/Kolkata",
        "--password-stdin", env={"DATABASE_URL": cli_db_url}, stdin="long-enough-password\n",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    with psycopg.connect(cli_db_url) as conn:
        zone = conn.execute("select time_zone from crm.users where email = 'zoned@example.com'").fetchone()[0]
    assert zone == "Asia/Kolkata"
    refused = run_crm(
        "users", "create", "--email", "unzoned@example.com", "--role", "rep", "--time-zone", "Asia/Atlantis",
        "--password-stdin", env={"DATABASE_URL": cli_db_url}, stdin="long-enough-password\n",
    )  # fmt: skip
    assert_one_line_error(refused, "“Asia/Atlantis” is not a time zone.")


@pytest.mark.parametrize(
    ("password", "message"), [("short", "at least 8 characters"), ("password123", "This password is too easy to guess")]
)
def test_users_create_rejects_short_and_common_passwords(cli_db_url, password, message):
    result = run_crm(
        "users", "create", "--email", "short@example.com", "--role", "rep", "--password-stdin",
        env={"DATABASE_URL": cli_db_url}, stdin=f"{password}\n",
    )  # fmt: skip
    assert_one_line_error(result, message)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url at all", "DATABASE_URL is not a valid database URL"),
        ("mysql://root@localhost/crm", "must be a postgresql:// URL"),
        ("postgresql://nobody@127.0.0.1:1/crm", "cannot connect to"),
    ],
    ids=["junk", "wrong-database", "unreachable"],
)
def test_bad_database_url_is_one_line(url, message):
    assert_one_line_error(run_crm("db", "upgrade", env={"DATABASE_URL": url}), message)


def test_unknown_scale_is_refused():
    result = run_crm("demo-data", "--scale", "huge", env={"DATABASE_URL": "postgresql://x@127.0.0.1:1/x"})
    assert result.returncode == 2
    assert "Invalid value for '--scale'" in result.stderr and "Traceback" not in result.stderr


def test_serve_on_a_used_port_says_so():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_crm("serve", "--port", str(port), env={"DATABASE_URL": "postgresql://x@127.0.0.1:1/x"})
    assert_one_line_error(result, f"cannot listen on 127.0.0.1:{port}", "in use")
