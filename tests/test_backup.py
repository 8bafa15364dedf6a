"""Backups and restores (dashboard/backup): ``crm db backup`` then ``crm db restore`` give back every table,
row for row, with the schema's grants and policies; archives that cannot be restored safely are refused."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from dashboard import migrate, pg
from dashboard.backup import fingerprint, logical, retention
from dashboard.demo import basics, load
from tests.conftest import recreate_database
from tests.test_cli import assert_one_line_error, run_crm

# a demo company of a handful of rows in every table the generator fills
TINY = basics.Scale("tiny", teams=1, reps=2, companies=4, contacts=8, deals=6, activities=30, meetings=4,
                    interactions=6, tasks=4)  # fmt: skip


def drop_database(server_url, name: str) -> None:
    with psycopg.connect(pg.libpq_url(server_url.set(database="postgres")), autocommit=True) as conn:
        conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))


@pytest.fixture(scope="module")
def source_url(pg_server_url):
    """A migrated database with the tiny demo data and a few awkward values (quotes, non-ASCII, a NUL-free
    backslash, a null)."""
    url = recreate_database(pg_server_url, "crm_backup_source")
    with psycopg.connect(pg.libpq_url(url)) as conn:
        migrate.upgrade(conn, progress=lambda _: None)
    load.SCALES.setdefault("tiny", TINY)
    load.load_demo(pg.libpq_url(url), scale="tiny", seed=7, progress=False)
    with psycopg.connect(pg.libpq_url(url)) as conn:
        conn.execute("""insert into crm.companies (name, description, website, owner_id)
                        select %s, %s, null, id from crm.users order by email limit 1""",
                     ("Zoë's \"Qüotes\" GmbH", "back\\slash\ttab\nnew line"))  # fmt: skip
    yield url
    drop_database(pg_server_url, url.database)


def independent_fingerprints(url) -> dict[str, tuple[int, str]]:
    """Each table's row count and the md5 of all its rows' text in order: worked out here, not by the code
    under test (whose checksum sums per-row hashes instead)."""
    with psycopg.connect(pg.libpq_url(url)) as conn:
        conn.execute("set timezone = 'UTC'")
        found = {}
        for schema, name in fingerprint.tables(conn):
            table = sql.Identifier(schema, name)
            count, digest = conn.execute(
                sql.SQL("select count(*), md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) from {} t")
                .format(table)).fetchone()  # fmt: skip
            found[f"{schema}.{name}"] = (count, digest)
    return found


def catalog(url) -> dict[str, set]:
    """What a restore must bring back besides the rows: policies, the app role's grants, functions, triggers."""
    queries = {
        "policies": "select schemaname, tablename, policyname, cmd, roles::text, qual from pg_policies",
        "grants": """select table_schema, table_name, privilege_type from information_schema.role_table_grants
                      where grantee = 'crm_app'""",
        "functions": """select n.nspname, p.proname, pg_get_userbyid(p.proowner), p.prosecdef from pg_proc p
                          join pg_namespace n on n.oid = p.pronamespace where n.nspname in ('crm', 'app')""",
        "triggers": "select tgrelid::regclass::text, tgname from pg_trigger where not tgisinternal",
        "rls": """select c.oid::regclass::text, c.relrowsecurity, c.relforcerowsecurity, pg_get_userbyid(c.relowner)
                    from pg_class c join pg_namespace n on n.oid = c.relnamespace
                   where n.nspname = 'crm' and c.relkind = 'r'""",
    }
    with psycopg.connect(pg.libpq_url(url)) as conn:
        return {name: set(conn.execute(query).fetchall()) for name, query in queries.items()}


def test_a_backup_restores_every_table_into_a_fresh_database(source_url, pg_server_url, tmp_path):
    target = source_url.set(database="crm_backup_restored")
    drop_database(pg_server_url, target.database)
    try:
        source = independent_fingerprints(source_url)  # as backed up (the backup then records itself in it)
        made = run_crm("db", "backup", str(tmp_path), env={"DATABASE_URL": pg.libpq_url(source_url)})
        assert made.returncode == 0, made.stderr
        [archive] = tmp_path.glob("crm-*.dump")
        assert made.stdout.startswith(f"{archive} (")
        manifest = json.loads(archive.with_name(archive.name + ".json").read_text())
        assert manifest["schema_version"] == migrate.discover()[-1].version
        assert manifest["sha256"] == hashlib.sha256(archive.read_bytes()).hexdigest()
        assert manifest["size_bytes"] == archive.stat().st_size
        assert archive.stat().st_mode & 0o777 == 0o600  # every row and the password hashes: the operator's only

        restored = run_crm("db", "restore", str(archive), env={"DATABASE_URL": pg.libpq_url(target)})
        assert restored.returncode == 0, restored.stderr
        assert "rows checked against the manifest" in restored.stdout

        assert independent_fingerprints(target) == source
        assert independent_fingerprints(source_url)["crm.backups"][0] == source["crm.backups"][0] + 1
        # the tiny demo's 6 deals and 30 activities, and 4 companies + the awkward one
        assert source["crm.deals"][0] == 6 and source["crm.activities"][0] == 30 and source["crm.companies"][0] == 5
        assert len(source) == len(manifest["tables"]) and sum(count for count, _ in source.values()) > 150
        assert {table: entry["rows"] for table, entry in manifest["tables"].items()} == {
            table: count for table, (count, _) in source.items()
        }
        assert catalog(target) == catalog(source_url)
        with psycopg.connect(pg.libpq_url(target.set(username=pg.APP_ROLE))) as conn:  # bootstrap's settings
            assert conn.execute("show search_path").fetchone()[0] == "crm, app"
            assert conn.execute("select count(*) from deals").fetchone()[0] == 0  # nobody acting: RLS hides all
    finally:
        drop_database(pg_server_url, target.database)


def test_replace_restores_over_a_changed_database_after_asking(source_url, pg_server_url, tmp_path):
    archive, _ = logical.backup(source_url, tmp_path)
    target = source_url.set(database="crm_backup_replaced")
    drop_database(pg_server_url, target.database)
    env = {"DATABASE_URL": pg.libpq_url(target)}
    try:
        assert run_crm("db", "restore", str(archive), env=env).returncode == 0
        with psycopg.connect(pg.libpq_url(target)) as conn:
            conn.execute("delete from crm.tasks")
            conn.execute("insert into crm.teams (name) values ('Written after the backup')")
        refused = run_crm("db", "restore", str(archive), env=env)
        assert_one_line_error(refused, "not empty", "--replace")
        declined = run_crm("db", "restore", "--replace", str(archive), env=env, stdin="n\n")
        assert declined.returncode != 0 and "Everything written to it since that backup is lost" in declined.stdout
        assert independent_fingerprints(target)["crm.tasks"][0] == 0
        replaced = run_crm("db", "restore", "--replace", "--yes", str(archive), env=env)
        assert replaced.returncode == 0, replaced.stderr
        assert independent_fingerprints(target) == independent_fingerprints(source_url)
    finally:
        drop_database(pg_server_url, target.database)


def fake_archive(tmp_path: Path, content: bytes, **manifest) -> Path:
    archive = tmp_path / "crm-20261207T000000Z.dump"
    archive.write_bytes(content)
    entries = {"format": "crm-backup/1", "schema_version": migrate.discover()[-1].version, "tables": {},
               "sha256": hashlib.sha256(content).hexdigest(), **manifest}  # fmt: skip
    archive.with_name(archive.name + ".json").write_text(json.dumps(entries))
    return archive


def assert_refused(result, *fragments: str) -> None:
    """A non-zero exit whose last line is one ``Error:`` line saying why (progress lines may come before it)."""
    assert result.returncode != 0 and "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: ")
    for fragment in fragments:
        assert fragment in last


def database_exists(server_url, name: str) -> bool:
    with psycopg.connect(pg.libpq_url(server_url.set(database="postgres"))) as conn:
        return conn.execute("select exists (select from pg_database where datname = %s)", (name,)).fetchone()[0]


def test_an_archive_from_a_newer_schema_is_refused(pg_server_url, tmp_path):
    archive = fake_archive(tmp_path, b"PGDMP...", schema_version="29991231235959")
    target = pg_server_url.set(database="crm_backup_never")
    result = run_crm("db", "restore", str(archive), env={"DATABASE_URL": pg.libpq_url(target)})
    assert_one_line_error(result, "29991231235959", f"newer than this code's {migrate.discover()[-1].version}")
    assert not database_exists(pg_server_url, target.database)


def test_a_damaged_or_unlisted_archive_is_refused(pg_server_url, tmp_path):
    archive = fake_archive(tmp_path, b"PGDMP...", sha256="0" * 64)
    target = pg_server_url.set(database="crm_backup_never")
    damaged = run_crm("db", "restore", str(archive), env={"DATABASE_URL": pg.libpq_url(target)})
    assert_refused(damaged, "is damaged", "0" * 64)
    archive.with_name(archive.name + ".json").unlink()
    unlisted = run_crm("db", "restore", str(archive), env={"DATABASE_URL": pg.libpq_url(target)})
    assert_one_line_error(unlisted, "not found", "manifest")
    assert not database_exists(pg_server_url, target.database)


def test_retention_keeps_the_newest_archives(tmp_path):
    names = [f"crm-2026120{day}T020000Z.dump" for day in range(1, 6)]  # five nights, oldest first
    for name in names:
        (tmp_path / name).write_bytes(b"x")
        (tmp_path / (name + ".json")).write_text("{}")
    (tmp_path / "crm-20261206T020000Z.dump.part").write_bytes(b"unfinished")  # not a backup: never counted
    deleted = retention.prune(tmp_path, 2)
    assert [path.name for path in deleted] == names[:3]
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        [names[3], names[3] + ".json", names[4], names[4] + ".json", "crm-20261206T020000Z.dump.part"]
    )


def backup_rows(url, since) -> list[tuple]:
    with psycopg.connect(pg.libpq_url(url)) as conn:
        return conn.execute("""select kind, trigger, status, location, size_bytes, error is not null from crm.backups
                                where started_at >= %s order by started_at""", (since,)).fetchall()  # fmt: skip


def test_the_scheduled_backup_records_each_and_keeps_the_newest(source_url, tmp_path, monkeypatch):
    """Three nightly runs with CRM_BACKUP_KEEP=2: two archives stay (the newest), three are recorded; a run
    that cannot write is recorded as failed. The session server archives no WAL: no base backup."""
    from dashboard.backup import scheduled

    monkeypatch.setenv("CRM_BACKUP_DIR", str(tmp_path / "nightly"))
    monkeypatch.setenv("CRM_BACKUP_KEEP", "2")
    with psycopg.connect(pg.libpq_url(source_url)) as conn:
        since = conn.execute("select now()").fetchone()[0]
    made = []
    for _ in range(3):
        done = scheduled.run(source_url)
        made.append(done["archive"])
        time.sleep(1.05)  # archives are named by the second
    assert done["deleted"] == [made[0]] and "base_backup" not in done
    assert [path.name for path in retention.archives(tmp_path / "nightly")] == made[1:]
    rows = backup_rows(source_url, since)
    assert [(kind, trigger, status, Path(where).name) for kind, trigger, status, where, _, _ in rows] == [
        ("archive", "schedule", "succeeded", name) for name in made]
    assert all(size > 0 for *_, size, _ in rows)

    (tmp_path / "not-a-folder").write_text("")
    monkeypatch.setenv("CRM_BACKUP_DIR", str(tmp_path / "not-a-folder"))
    with pytest.raises(OSError):
        scheduled.run(source_url)
    assert backup_rows(source_url, since)[-1][:3] + backup_rows(source_url, since)[-1][5:] == (
        "archive", "schedule", "failed", True)


def test_an_archive_older_than_the_code_gets_the_newer_migrations_after_restore(source_url, pg_server_url, tmp_path):
    """The code gains a migration after the backup (a private copy of sql/ with one more file, CRM_SQL_DIR):
    the restore checks the archive against its manifest, then applies that migration."""
    from tests.test_migrations import copy_sql_dir

    archive, _ = logical.backup(source_url, tmp_path / "archive.dump")
    newer = copy_sql_dir(tmp_path / "sql")
    (newer / "migrations" / "20991231000000_after_the_backup.sql").write_text(
        "create table crm.after_the_backup (id int primary key);\n"
        "comment on table crm.after_the_backup is 'A table the code gained after the backup (test).';\n"
        "alter table crm.after_the_backup enable row level security;\n"
        "alter table crm.after_the_backup force row level security;\n")  # fmt: skip
    target = source_url.set(database="crm_backup_older")
    drop_database(pg_server_url, target.database)
    try:
        restored = run_crm("db", "restore", str(archive),
                           env={"DATABASE_URL": pg.libpq_url(target), "CRM_SQL_DIR": str(newer)})  # fmt: skip
        assert restored.returncode == 0, restored.stderr
        assert "migrations applied since: 20991231000000_after_the_backup.sql" in restored.stdout
        with psycopg.connect(pg.libpq_url(target)) as conn:
            assert conn.execute("select max(version) from crm_migrations.applied").fetchone()[0] == "20991231000000"
            assert conn.execute("select to_regclass('crm.after_the_backup') is not null").fetchone()[0]
    finally:
        drop_database(pg_server_url, target.database)


def test_the_backup_task_is_scheduled_nightly():
    """Task ``backup`` (dashboard/jobs/backups.py) is registered with the queue and ticks at 02:15 UTC."""
    from dashboard.jobs import backups, queue, tasks

    scheduled = {(key[0], task.cron) for key, task in queue.app.periodic_registry.periodic_tasks.items()}
    assert ("backup", "15 2 * * *") in scheduled and tasks.SCHEDULE["backup"] == "15 2 * * *"
    assert queue.app.tasks["backup"] is backups.backup and "dashboard.jobs.backups" in queue.IMPORT_PATHS
