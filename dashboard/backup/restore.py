"""``crm db restore``: an archive of ``crm db backup`` into an empty database, or over the current one.

See :mod:`.logical` for what an archive holds. The steps: check the manifest (schema version, sha256);
make sure the CRM's roles exist on the server (``sql/bootstrap.sql``, run in a scratch database when one
is missing: roles belong to the server); ``pg_restore`` in one transaction; run ``sql/bootstrap.sql``
in the restored database (its grants and the app role's settings there); compare every table's row
count and checksum with the manifest; apply the pending migrations and definition files.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy.engine import URL

from dashboard import migrate, pg
from dashboard.backup import BackupError, fingerprint, logical, tools
from dashboard.backup.logical import Progress, _quiet

ROLES = ("crm_owner", "crm_helper", "crm_app")

EMPTY = """
select not exists (select from pg_catalog.pg_namespace
                    where nspname not in ('pg_catalog', 'information_schema', 'public', 'pg_toast')
                      and nspname not like 'pg\\_temp\\_%' and nspname not like 'pg\\_toast\\_temp\\_%')
   and not exists (select from pg_catalog.pg_class where relnamespace = 'public'::regnamespace)
"""


def _server(url: URL) -> psycopg.Connection:
    return psycopg.connect(pg.libpq_url(url.set(database="postgres")), autocommit=True)


def ensure_roles(url: URL, progress: Progress = _quiet) -> None:
    """Create the CRM's roles with sql/bootstrap.sql, in a scratch database, if any is missing."""
    with _server(url) as conn:
        found = conn.execute("select count(*) from pg_roles where rolname = any(%s)", (list(ROLES),)).fetchone()[0]
        if found == len(ROLES):
            return
        scratch = f"crm_bootstrap_{os.getpid()}"
        progress("creating the CRM's roles (sql/bootstrap.sql)")
        conn.execute(sql.SQL("create database {}").format(sql.Identifier(scratch)))
        try:
            with psycopg.connect(pg.libpq_url(url.set(database=scratch))) as scratch_conn:
                migrate.bootstrap(scratch_conn)
        finally:
            conn.execute(sql.SQL("drop database {} with (force)").format(sql.Identifier(scratch)))


def _exists(url: URL) -> bool:
    with _server(url) as conn:
        return conn.execute("select 1 from pg_database where datname = %s", (url.database,)).fetchone() is not None


def require_empty(url: URL) -> None:
    """BackupError if the database exists and holds anything."""
    if not _exists(url):
        return
    with psycopg.connect(pg.libpq_url(url)) as conn:
        if not conn.execute(EMPTY).fetchone()[0]:
            raise BackupError(
                f"database {url.database} is not empty: restore into an empty database, or over this one with --replace"
            )


def prepare_empty(url: URL) -> None:
    """Create the database if it does not exist (else it must be empty)."""
    if _exists(url):
        return require_empty(url)
    with _server(url) as conn:
        conn.execute(sql.SQL("create database {}").format(sql.Identifier(url.database)))


def _restored_item(line: str) -> str | None:
    marker = "processing data for table "
    return f"restoring {line.split(marker, 1)[1]}" if marker in line else None


def pg_restore(archive: Path, url: URL, progress: Progress) -> None:
    with _server(url) as conn:
        major = tools.server_major(conn)
    conninfo, env = logical._program_environment(url)
    command = [tools.program("pg_restore", major), "--single-transaction", "--exit-on-error", "--verbose",
               "--no-password", f"--dbname={conninfo}", str(archive)]  # fmt: skip
    logical._run(command, env, progress, _restored_item)


def verify(url: URL, expected: dict) -> int:
    """Compare every table of the database at ``url`` with the manifest's; the number of tables compared."""
    with psycopg.connect(pg.libpq_url(url)) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        found = fingerprint.fingerprints(conn)
    problems = fingerprint.differences(expected["tables"], found)
    if problems:
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise BackupError("the restored database differs from the backup: " + "; ".join(problems[:5]) + more)
    return len(found)


def restore_into(archive: Path, url: URL, expected: dict, progress: Progress) -> int:
    """pg_restore, bootstrap and verify; the number of tables checked."""
    pg_restore(archive, url, progress)
    with psycopg.connect(pg.libpq_url(url)) as conn:
        migrate.bootstrap(conn)  # the database's grants and the app role's settings in it
    progress("comparing every table's row count and checksum with the manifest")
    return verify(url, expected)


def restore(archive: Path, url: URL, replace: bool = False, progress: Progress = _quiet) -> dict:
    """Restore ``archive`` into the database at ``url`` (a superuser's URL); with ``replace``, over it.
    Returns what was done: tables checked, rows, migrations applied afterwards."""
    expected = logical.check_schema(archive)
    if not replace:
        require_empty(url)
    logical.check_archive(archive, expected, progress)
    ensure_roles(url, progress)
    if replace:
        tables = _restore_beside(archive, url, expected, progress)
    else:
        prepare_empty(url)
        progress(f"restoring {archive.name} into database {url.database}")
        tables = restore_into(archive, url, expected, progress)
    with psycopg.connect(pg.libpq_url(url)) as conn:
        ran = migrate.upgrade(conn, progress=progress)
    rows = sum(table["rows"] for table in expected["tables"].values())
    return {"tables": tables, "rows": rows, "schema_version": expected["schema_version"],
            "migrations_applied": [item.path.name for item in ran if not item.is_definition]}  # fmt: skip


def _restore_beside(archive: Path, url: URL, expected: dict, progress: Progress) -> int:
    """Restore into ``<database>_restoring``, then swap it in for the current database (dropped after)."""
    beside = url.set(database=f"{url.database}_restoring")
    with _server(url) as conn:
        conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(beside.database)))
        conn.execute(sql.SQL("create database {}").format(sql.Identifier(beside.database)))
    progress(f"restoring {archive.name} into database {beside.database} (beside {url.database})")
    try:
        tables = restore_into(archive, beside, expected, progress)
    except BaseException:
        with _server(url) as conn:
            conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(beside.database)))
        raise
    swap(url, beside, progress)
    return tables


def swap(url: URL, beside: URL, progress: Progress) -> None:
    """Put database ``beside`` in the place of ``url``'s (its sessions are ended), then drop the old one."""
    current, old = url.database, f"{url.database}_replaced_{dt.datetime.now(dt.UTC):%Y%m%d%H%M%S}"
    ident = sql.Identifier
    progress(f"replacing database {current} (its open sessions are closed)")
    with _server(url) as conn:
        exists = conn.execute("select 1 from pg_database where datname = %s", (current,)).fetchone()
        if exists:
            conn.execute(sql.SQL("alter database {} with allow_connections false").format(ident(current)))
            try:
                _rename_when_left(conn, current, old)
            except psycopg.Error:
                conn.execute(sql.SQL("alter database {} with allow_connections true").format(ident(current)))
                raise
        conn.execute(sql.SQL("alter database {} rename to {}").format(ident(beside.database), ident(current)))
        if exists:
            conn.execute(sql.SQL("drop database {} with (force)").format(ident(old)))


def _rename_when_left(conn: psycopg.Connection, current: str, new: str, seconds: float = 10) -> None:
    """End the database's sessions and rename it, trying again while the ended sessions are still leaving."""
    deadline = time.monotonic() + seconds
    while True:
        conn.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = %s", (current,))
        try:
            conn.execute(sql.SQL("alter database {} rename to {}").format(sql.Identifier(current), sql.Identifier(new)))
            return
        except psycopg.errors.ObjectInUse:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
