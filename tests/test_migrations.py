"""Migrations apply from empty, re-apply as a no-op, and fail without leaving half a file."""

from __future__ import annotations

import shutil

import psycopg
import pytest

from dashboard import migrate, pg
from tests.conftest import recreate_database


@pytest.fixture
def empty_db(pg_server_url):
    url = recreate_database(pg_server_url, "crm_migration_test")
    with psycopg.connect(pg.libpq_url(url)) as conn:
        yield conn


def crm_tables(conn) -> set[str]:
    rows = conn.execute(
        "select c.relname from pg_class c where c.relnamespace = 'crm'::regnamespace and c.relkind = 'r'"
    )
    return {r[0] for r in rows}


DESIGN_TABLES = {
    "teams", "users", "targets", "deal_stages", "deal_stage_history", "companies", "contacts", "deals",
    "activities", "meetings", "meeting_attendees", "meeting_action_items", "tasks",
    "company_activities", "deal_meetings", "contact_interactions", "deal_stakeholders",
    "activity_meetings", "meeting_sequences", "audit_log", "legacy_deals", "legacy_activities",
}  # fmt: skip


def copy_sql_dir(target):
    """A private copy of sql/ (bootstrap, migrations, definition files) to change in a test."""
    shutil.copytree(migrate.SQL_DIR, target, dirs_exist_ok=True)
    return target


def test_apply_from_empty_then_reapply_is_a_no_op(empty_db):
    files = migrate.discover()
    definitions = migrate.discover_definitions()
    # from an empty database every migration runs once, in order, then every definition file
    ran = migrate.upgrade(empty_db, progress=lambda _: None)
    assert [m.version for m in ran] == sorted(m.version for m in files) + [d.version for d in definitions]
    assert DESIGN_TABLES <= crm_tables(empty_db)
    recorded = empty_db.execute("select count(*) from crm_migrations.applied").fetchone()[0]
    assert recorded == len(files)
    assert empty_db.execute("select count(*) from crm_migrations.definitions").fetchone()[0] == len(definitions)
    # the second run applies nothing and changes nothing
    assert migrate.upgrade(empty_db, progress=lambda _: None) == []
    assert empty_db.execute("select count(*) from crm_migrations.applied").fetchone()[0] == len(files)
    assert all(state == "applied" for _, state in migrate.status(empty_db))
    assert all(state == "applied" for _, state in migrate.definition_status(empty_db))


def test_failing_migration_leaves_nothing_behind(empty_db, tmp_path):
    sql_dir = copy_sql_dir(tmp_path / "sql")
    (sql_dir / "migrations" / "29991231000000_broken_change.sql").write_text(
        "create table crm.half_done (id int);\ninsert into crm.half_done values (1);\nselect 1 / 0;\n"
    )
    with pytest.raises(migrate.MigrationError, match="29991231000000_broken_change.sql failed"):
        migrate.upgrade(empty_db, sql_dir=sql_dir, progress=lambda _: None)
    # the good migrations before it are applied; the broken one left no table and no record
    assert "half_done" not in crm_tables(empty_db)
    versions = {r[0] for r in empty_db.execute("select version from crm_migrations.applied")}
    assert "29991231000000" not in versions
    assert len(versions) == len(migrate.discover())


def test_edited_migration_is_refused(empty_db, tmp_path):
    migrate.upgrade(empty_db, progress=lambda _: None)
    sql_dir = copy_sql_dir(tmp_path / "sql")
    first = migrate.discover(sql_dir)[0].path
    first.write_text(first.read_text() + "\n-- edited later\n")
    with pytest.raises(migrate.MigrationError, match="edited after it was applied"):
        migrate.upgrade(empty_db, sql_dir=sql_dir, progress=lambda _: None)


def trend_comment(conn) -> str:
    return conn.execute("select obj_description('crm.dashboard_trend'::regproc, 'pg_proc')").fetchone()[0]


def append_to(path, statement: str) -> None:
    path.write_text(path.read_text() + "\n" + statement + "\n")


def test_changed_definition_file_is_applied_again_alone(empty_db, tmp_path):
    migrate.upgrade(empty_db, progress=lambda _: None)
    sql_dir = copy_sql_dir(tmp_path / "sql")
    append_to(
        sql_dir / "functions" / "dashboard.sql",
        "comment on function crm.dashboard_trend(numeric, numeric) is 'edited';",
    )
    states = {item.version: state for item, state in migrate.definition_status(empty_db, sql_dir)}
    assert states["functions/dashboard.sql"] == "changed"
    assert [path for path, state in states.items() if state != "applied"] == ["functions/dashboard.sql"]
    ran = migrate.upgrade(empty_db, sql_dir=sql_dir, progress=lambda _: None)
    # only the edited file ran, and its change is in the database
    assert [item.version for item in ran] == ["functions/dashboard.sql"]
    assert trend_comment(empty_db) == "edited"


def test_failing_definition_file_leaves_the_database_as_it_was(empty_db, tmp_path):
    migrate.upgrade(empty_db, progress=lambda _: None)
    before = trend_comment(empty_db)
    sql_dir = copy_sql_dir(tmp_path / "sql")
    # a good change in an earlier file and a broken statement in a later one
    append_to(
        sql_dir / "functions" / "dashboard.sql",
        "comment on function crm.dashboard_trend(numeric, numeric) is 'edited';",
    )
    (sql_dir / "views" / "zz_broken.sql").write_text("create or replace view crm.broken as select no_such_column;\n")
    with pytest.raises(migrate.MigrationError, match=r"views/zz_broken.sql failed; no definition file was applied"):
        migrate.upgrade(empty_db, sql_dir=sql_dir, progress=lambda _: None)
    # neither file's change is in the database, nor recorded as applied
    assert trend_comment(empty_db) == before
    assert empty_db.execute("select to_regclass('crm.broken')").fetchone()[0] is None
    assert {item.version for item, state in migrate.definition_status(empty_db, sql_dir) if state != "applied"} == {
        "functions/dashboard.sql", "views/zz_broken.sql",
    }  # fmt: skip


def test_dropping_a_function_still_used_is_refused_with_its_dependants(empty_db, tmp_path):
    migrate.upgrade(empty_db, progress=lambda _: None)
    sql_dir = copy_sql_dir(tmp_path / "sql")
    (sql_dir / "functions" / "zz_retire.sql").write_text("drop function app.is_admin();\n")
    with pytest.raises(migrate.MigrationError) as failure:
        migrate.upgrade(empty_db, sql_dir=sql_dir, progress=lambda _: None)
    message = str(failure.value)
    # the message names the file, the refusal and what still depends on the function
    assert message.startswith("functions/zz_retire.sql failed; no definition file was applied")
    assert "cannot drop function app.is_admin()" in message
    assert "policy" in message
    assert empty_db.execute("select to_regproc('app.is_admin') is not null").fetchone()[0]


def test_every_table_and_function_is_documented(admin_conn):
    undocumented = admin_conn.execute(
        """select c.relname from pg_class c
           where c.relnamespace = 'crm'::regnamespace and c.relkind = 'r'
             and obj_description(c.oid, 'pg_class') is null"""
    ).fetchall()
    assert undocumented == []
    functions = admin_conn.execute(
        """select p.proname from pg_proc p
           where p.pronamespace = 'app'::regnamespace and obj_description(p.oid, 'pg_proc') is null"""
    ).fetchall()
    assert functions == []


def test_every_foreign_key_is_indexed(admin_conn):
    # each FK column leads some index (deletes and joins on it stay fast)
    missing = admin_conn.execute(
        """select c.conrelid::regclass::text, c.conname
           from pg_constraint c
           where c.contype = 'f' and c.connamespace = 'crm'::regnamespace
             and not exists (
               select 1 from pg_index i
               where i.indrelid = c.conrelid and i.indkey[0] = c.conkey[1])"""
    ).fetchall()
    assert missing == []


def test_default_pipeline(admin_conn):
    stages = admin_conn.execute(
        "select name, default_probability, is_won, is_lost from crm.deal_stages order by position"
    ).fetchall()
    assert stages == [
        ("Lead", 10, False, False),
        ("Qualified", 25, False, False),
        ("Opportunity", 60, False, False),
        ("Verbal", 80, False, False),
        ("Won", 100, True, False),
        ("Lost", 0, False, True),
    ]
