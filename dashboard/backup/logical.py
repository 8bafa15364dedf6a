"""``crm db backup`` and ``crm db restore``: a ``pg_dump`` custom-format archive of the CRM database and
its manifest, and the way back.

A backup is consistent: one repeatable-read transaction exports its snapshot, ``pg_dump --snapshot``
dumps exactly what that transaction sees, and the same transaction counts and checksums every table
for the manifest. The archive holds the schema objects with their owners, grants, policies, functions
and triggers, and every row; the roles themselves belong to the server, not to a database, and are
made by ``sql/bootstrap.sql`` before the archive is restored (and the database's own grants and role
settings by the same file after).

A restore checks the manifest first (a schema newer than this code's migrations is refused; the
archive's sha256 must match), restores in one transaction (a failure leaves nothing behind), compares
every table's row count and checksum with the manifest, then applies the migrations the archive
predates. ``replace=True`` restores into a new database beside the current one and swaps the names
only once the restore is whole and checked.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
from sqlalchemy.engine import URL

from dashboard import migrate, pg
from dashboard.backup import BackupError, fingerprint, manifest, retention, tools

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


def code_schema_version() -> str:
    """The newest migration this code has."""
    return migrate.discover()[-1].version


def archive_path(target: Path | None, when: dt.datetime) -> Path:
    """Where a backup goes: ``target`` itself, a new file in folder ``target``, or one in the backup folder."""
    name = f"crm-{when:%Y%m%dT%H%M%SZ}.dump"
    if target is None:
        return retention.backup_dir() / name
    return target / name if target.is_dir() else target


def _program_environment(url: URL) -> tuple[str, dict]:
    """The URL a client program is given (no password on its command line) and its environment."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return pg.libpq_url(url.set(password=None)), env


def _run(command: list[str], env: dict, progress: Progress, relay: Callable[[str], str | None]) -> None:
    """Run a client program; lines of its stderr that ``relay`` turns into text are progress, the rest is kept
    for the error message."""
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    kept: list[str] = []

    def read():
        for line in process.stderr:
            shown = relay(line.rstrip())
            if shown:
                progress(shown)
            elif "error" in line.lower() or "fatal" in line.lower():
                kept.append(line.strip())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    code = process.wait()
    reader.join()
    if code != 0:
        name = Path(command[0]).name
        raise BackupError(f"{name} failed: {kept[0] if kept else f'exit status {code}'}")


def _dumped_table(line: str) -> str | None:
    marker = "dumping contents of table "
    return f"dumping {line.split(marker, 1)[1]}" if marker in line else None


def _schema_state(conn: psycopg.Connection) -> list[str]:
    if not conn.execute("select to_regclass('crm_migrations.applied') is not null").fetchone()[0]:
        raise BackupError("this database has no CRM schema (crm_migrations.applied): nothing to back up")
    return [row[0] for row in conn.execute("select version from crm_migrations.applied order by version")]


def backup(url: URL, target: Path | None = None, progress: Progress = _quiet) -> tuple[Path, dict]:
    """Back up the database at ``url`` (a superuser's or BYPASSRLS role's URL); return the archive and its
    manifest (also written beside it as ``<archive>.json``)."""
    started, when = time.monotonic(), dt.datetime.now(dt.UTC)
    archive = archive_path(target, when)
    if archive.exists():
        raise BackupError(f"{archive} exists already: name another file")
    archive.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # new folders: the operator's only
    part = archive.with_name(archive.name + ".part")
    conninfo, env = _program_environment(url)
    with psycopg.connect(pg.libpq_url(url)) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        snapshot = conn.execute("select pg_catalog.pg_export_snapshot()").fetchone()[0]
        migrations = _schema_state(conn)
        major = tools.server_major(conn)
        command = [tools.program("pg_dump", major), "--format=custom", "--verbose", "--no-password",
                   f"--snapshot={snapshot}", f"--file={part}", f"--dbname={conninfo}"]  # fmt: skip
        dumper = threading.Thread(target=_dump, args=(command, env, progress, failures := []), daemon=True)
        progress(f"backing up database {url.database} to {archive}")
        dumper.start()
        tables = fingerprint.fingerprints(conn)  # while pg_dump reads the same snapshot
        dumper.join()
        database_size = conn.execute("select pg_database_size(current_database())").fetchone()[0]
    if failures:
        part.unlink(missing_ok=True)
        raise failures[0]
    part.chmod(0o600)  # every row and the password hashes: readable by the operator only
    part.replace(archive)
    result = {
        "format": manifest.FORMAT, "created_at": when.isoformat(timespec="seconds"), "database": url.database,
        "server_major": major, "schema_version": migrations[-1] if migrations else None, "migrations": migrations,
        "archive": archive.name, "size_bytes": archive.stat().st_size, "sha256": manifest.sha256_of(archive),
        "database_size_bytes": database_size, "tables": tables, "seconds": round(time.monotonic() - started, 2),
    }  # fmt: skip
    manifest.write(archive, result)
    return archive, result


def _dump(command: list[str], env: dict, progress: Progress, failures: list) -> None:
    try:
        _run(command, env, progress, _dumped_table)
    except BackupError as exc:
        failures.append(exc)


def check_schema(archive: Path) -> dict:
    """The archive's manifest, once its schema is known to be no newer than this code's."""
    found = manifest.read(archive)
    newest = code_schema_version()
    if (found.get("schema_version") or "") > newest:
        raise BackupError(
            f"{archive.name} was taken at schema version {found['schema_version']}, newer than this code's "
            f"{newest}: restore it with the version of the CRM that made it (or a later one)"
        )
    return found


def check_archive(archive: Path, found: dict, progress: Progress = _quiet) -> None:
    """BackupError unless the archive's sha256 is its manifest's."""
    progress(f"checking {archive.name} against its manifest (sha256)")
    manifest.verify_archive(archive, found)
