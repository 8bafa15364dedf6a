"""One schema, however the database got there: sql/schema.sql is current, and a database built
by the historic migrations upgrades to exactly what a fresh install builds."""

from __future__ import annotations

import gzip
from pathlib import Path

import psycopg
import pytest

from dashboard import migrate, pg, schema_dump
from tests.conftest import recreate_database

# pg_dump (with data) of a database that main at 0690b60 (the last commit before the baseline)
# had migrated from empty: what an installation of that main holds. Made with
#   pg_dump --inserts | grep -v '^\\(un\)restrict' | gzip -9n
# One line was then set back to its source form: the CHECK constraint
# check_deal_totals_counts_in_range, which pg_dump prints with its ANDs nested as the parser
# built them from `a between 0 and n and b between 0 and n`; replayed as printed, the parser
# would flatten them differently, which a migrated database never shows.
HISTORIC_DATABASE = Path(__file__).resolve().parent / "fixtures" / "schema_at_main_0690b60.sql.gz"


def test_schema_file_is_current(admin_url):
    """sql/schema.sql is what a fresh install builds (regenerate with `crm db dump-schema`)."""
    expected = schema_dump.dump_schema(admin_url)
    assert schema_dump.SCHEMA_FILE.read_text(encoding="utf-8") == expected, (
        "sql/schema.sql is out of date: run `crm db dump-schema` and commit it"
    )


@pytest.fixture
def historic_db(pg_server_url, admin_url):
    """A database as main before the baseline left it (admin_url made sure the roles exist)."""
    url = recreate_database(pg_server_url, "crm_historic_test")
    with psycopg.connect(pg.libpq_url(url), autocommit=True) as conn:
        conn.execute(gzip.decompress(HISTORIC_DATABASE.read_bytes()).decode())
    return url


def test_upgrade_from_before_the_baseline_ends_at_the_fresh_schema(historic_db, admin_url):
    said = []
    with psycopg.connect(pg.libpq_url(historic_db), autocommit=True) as conn:
        historic = migrate.applied(conn)
        ran = migrate.upgrade(conn, progress=said.append)
        # the baseline is recorded, not run: its tables are there already
        assert said[0] == "recorded 20261207000000_baseline.sql (the database was built by the migrations it replaces)"
        assert migrate.BASELINE_VERSION not in historic and migrate.BASELINE_REPLACES in historic
        assert {item.version for item in ran} >= {item.version for item in migrate.discover_definitions()}
        assert all(state == "applied" for _, state in migrate.status(conn))
        # a second upgrade has nothing to do
        assert migrate.upgrade(conn, progress=said.append) == []
    assert schema_dump.dump_schema(historic_db) == schema_dump.dump_schema(admin_url)


def test_a_database_older_than_the_last_historic_migration_is_refused(pg_server_url, admin_url):
    url = recreate_database(pg_server_url, "crm_too_old_test")
    with psycopg.connect(pg.libpq_url(url)) as conn:
        conn.autocommit = True
        migrate.bootstrap(conn)
        conn.execute(
            "insert into crm_migrations.applied (version, name, checksum) values ('20261125000100', 'old', 'x')"
        )
        with pytest.raises(migrate.MigrationError, match="stopped at migration 20261125000100, before the baseline"):
            migrate.upgrade(conn, progress=lambda _: None)
        # nothing was created
        assert conn.execute("select to_regclass('crm.deals')").fetchone()[0] is None
