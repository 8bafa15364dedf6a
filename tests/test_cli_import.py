"""``crm import``: a record import from the command line, in a subprocess on a database of its own, acting as
``--as`` under row-level security, with progress on stderr and the report on stdout."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest

from dashboard import pg
from tests.conftest import recreate_database
from tests.test_cli import assert_one_line_error, run_crm

FIXTURES = Path(__file__).parent / "fixtures" / "imports"


@pytest.fixture(scope="module")
def db_url(pg_server_url) -> str:
    url = pg.libpq_url(recreate_database(pg_server_url, "crm_cli_import_test"))
    assert run_crm("db", "upgrade", env={"DATABASE_URL": url}).returncode == 0
    with psycopg.connect(url) as conn:
        for email, role in [("boss@cli.example", "admin"), ("seller@cli.example", "rep"), ("other@cli.example", "rep")]:
            conn.execute("insert into crm.users (email, full_name, role) values (%s, %s, %s)", (email, email, role))
        conn.execute("""insert into crm.companies (name, domain, owner_id)
                        select 'Other Co', 'other.example', id from crm.users where email = 'other@cli.example'""")
    return url


def crm_import(db_url, *args):
    return run_crm("import", *args, env={"DATABASE_URL": db_url})


def rows(db_url, sql, *params):
    with psycopg.connect(db_url) as conn:
        return conn.execute(sql, params).fetchall()


def test_a_dry_run_prints_the_report_and_writes_nothing(db_url):
    result = crm_import(db_url, str(FIXTURES / "pipedrive_deals.csv"), "--entity", "deals", "--dry-run",
                        "--as", "seller@cli.example")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "deals: 3 read, 3 created, 0 updated, 0 skipped as duplicates, 0 invalid, 0 held back (dry run, nothing written)" in result.stdout
    # progress on stderr: the mapping it used, the run, the phases
    assert "importing deals as seller@cli.example: Deal - Title -> name, Deal - Value -> value" in result.stderr
    assert "import run " in result.stderr and "checking rows" in result.stderr and "writing" in result.stderr
    assert rows(db_url, "select count(*) from crm.deals") == [(0,)]
    assert rows(db_url, "select status, dry_run, entity, rows_read from crm.legacy_import_runs") == [
        ("completed", True, "deals", 3)]  # fmt: skip


def test_an_import_as_a_rep_owns_the_rows_and_cannot_touch_anothers(db_url, tmp_path):
    """seller imports contacts (Latin-1, semicolons); the invalid row is skipped when asked. Then a company file
    whose domain belongs to other's company: seller cannot see it, so the row is refused, not merged."""
    result = crm_import(db_url, str(FIXTURES / "salesforce_contacts.csv"), "--entity", "contacts", "--skip-invalid",
                        "--as", "seller@cli.example")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "salesforce_contacts.csv:4: Email: not an email address like name@example.com" in result.stdout
    owners = rows(db_url, "select c.first_name, u.email from crm.contacts c join crm.users u on u.id = c.owner_id "
                  "order by 1")  # fmt: skip
    assert owners == [("José", "seller@cli.example"), ("Zoë", "seller@cli.example")]
    mapping = json.dumps({"Company name": "name", "Company Domain Name": "domain"})
    path = tmp_path / "cli_clash.csv"
    path.write_text("Company name,Company Domain Name\nMine,mine.example\nClash,other.example\n")
    refused = crm_import(db_url, str(path), "--entity", "companies", "--mapping", mapping, "--as", "seller@cli.example",
                         "--duplicates", "update")  # fmt: skip
    # after the progress lines, one error line, no traceback
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert refused.stderr.strip().splitlines()[-1] == (
        "Error: 1 invalid row(s): nothing written (fix them, or use --skip-invalid)")  # fmt: skip
    assert "cli_clash.csv:3: Company Domain Name: is already used by a record you cannot see" in refused.stdout
    assert rows(db_url, "select name from crm.companies where domain in ('mine.example', 'other.example')") == [("Other Co",)]


def test_a_saved_mapping_by_name(db_url, tmp_path):
    with psycopg.connect(db_url) as conn:
        conn.execute("""insert into crm.import_mappings (user_id, entity, name, columns)
                        select id, 'companies', 'Firmen', '{"Firma": "name"}' from crm.users
                        where email = 'boss@cli.example'""")
    path = tmp_path / "cli_firmen.csv"
    path.write_text("Firma;Ort\nMüller AG;Köln\n")
    result = crm_import(db_url, str(path), "--entity", "companies", "--mapping", "firmen")  # the first admin
    assert result.returncode == 0, result.stderr
    assert rows(db_url, "select c.name, u.email from crm.companies c join crm.users u on u.id = c.owner_id "
                "where c.name = 'Müller AG'") == [("Müller AG", "boss@cli.example")]  # fmt: skip


@pytest.mark.parametrize(("args", "message"), [
    (["--entity", "deals", "--as", "nobody@cli.example"], "--as nobody@cli.example: no active user"),
    (["--entity", "deals", "--mapping", "{not json"], "--mapping: not JSON"),
    (["--entity", "deals", "--mapping", "Unknown"], "--mapping Unknown: no saved deals mapping"),
    (["--entity", "deals", "--mapping", '{"Deal - Value": "value"}'], "Map a column to Name"),
])  # fmt: skip
def test_bad_options_are_one_line(db_url, args, message):
    assert_one_line_error(crm_import(db_url, str(FIXTURES / "pipedrive_deals.csv"), *args), message)


def test_a_missing_file_is_one_line(db_url):
    assert_one_line_error(crm_import(db_url, "/nonexistent.csv", "--entity", "deals"), "no such file")
