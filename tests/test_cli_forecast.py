"""``crm quota set`` and ``crm forecast snapshot``: real runs in a subprocess on their own database."""

from __future__ import annotations

import psycopg
import pytest

from dashboard import pg
from tests.conftest import recreate_database
from tests.test_cli import assert_one_line_error, run_crm


@pytest.fixture(scope="module")
def db_url(pg_server_url) -> str:
    url = pg.libpq_url(recreate_database(pg_server_url, "crm_forecast_cli_test"))
    assert run_crm("db", "upgrade", env={"DATABASE_URL": url}).returncode == 0
    with psycopg.connect(url) as conn:
        conn.execute("insert into crm.users (email, full_name, role) values ('q.rep@example.com', 'Quota Rep', 'rep')")
        conn.execute("insert into crm.users (email, full_name, role) values ('q.admin@example.com', 'Admin', 'admin')")
    return url


def test_quota_set_creates_then_replaces(db_url):
    env = {"DATABASE_URL": db_url}
    first = run_crm("quota", "set", "--email", "Q.Rep@example.com", "--month", "2031-02", "--amount", "12500", env=env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "quota of Quota Rep for 2031-02: 12,500.00"
    again = run_crm("quota", "set", "--email", "q.rep@example.com", "--month", "2031-02", "--amount", "9,000.5", env=env)
    assert again.returncode == 0, again.stderr
    with psycopg.connect(db_url) as conn:
        rows = conn.execute("select month::text, amount::text, version from crm.quotas").fetchall()
    assert rows == [("2031-02-01", "9000.50", 2)]


@pytest.mark.parametrize(("args", "message"), [
    (("--email", "nobody@example.com", "--month", "2031-02", "--amount", "1"), "no user with the email"),
    (("--email", "q.rep@example.com", "--month", "2031-13", "--amount", "1"), "is not a month"),
    (("--email", "q.rep@example.com", "--month", "2031-02", "--amount", "-5"), "must be from 0"),
    (("--email", "q.rep@example.com", "--month", "2031-02", "--amount", "lots"), "is not a number"),
    (("--email", "q.rep@example.com", "--month", "2031-02", "--amount", "NaN"), "must be from 0"),
])  # fmt: skip
def test_quota_set_refuses_bad_input_in_one_line(db_url, args, message):
    assert_one_line_error(run_crm("quota", "set", *args, env={"DATABASE_URL": db_url}), message)


def test_forecast_snapshot_once_a_month(db_url):
    env = {"DATABASE_URL": db_url}
    first = run_crm("forecast", "snapshot", "--month", "2031-03", env=env)
    assert first.returncode == 0, first.stderr
    # one active rep (the admin is not forecast)
    assert first.stdout.strip() == "took the forecast snapshot of 2031-03: 1 user(s)"
    again = run_crm("forecast", "snapshot", "--month", "2031-03", env=env)
    assert again.returncode == 0 and again.stdout.startswith("2031-03 already has its snapshot (taken ")
    assert_one_line_error(run_crm("forecast", "snapshot", "--month", "March", env=env), "is not a month")
