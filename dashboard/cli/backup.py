"""``crm db backup`` and ``crm db restore`` (dashboard.backup; docs/operations.md)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click

from dashboard import pg
from dashboard.backup import BackupError
from dashboard.cli.common import one_line_errors, progress, reported_as_errors


def size_text(size: int) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:,} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024
    return str(size)


@click.command("backup")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--base", is_flag=True,
              help="A base backup of the embedded server (for --until) in CRM_BACKUP_DIR/base.")
@one_line_errors
def backup(path: Path | None, base: bool):
    """Back up the CRM database: a pg_dump archive and its manifest (PATH: a file or a folder; default the
    folder CRM_BACKUP_DIR)."""
    from dashboard.backup import scheduled

    if base:
        with reported_as_errors(BackupError):
            done = scheduled.take_base_backup(pg.admin_url(), "command", progress)
        click.echo(f"{scheduled.wal.base_dir() / done['base_backup']} ({size_text(done['base_size_bytes'])})")
        return

    with reported_as_errors(BackupError):
        archive, result = scheduled.take_archive(pg.admin_url(), "command", path, progress)
    rows = sum(table["rows"] for table in result["tables"].values())
    click.echo(f"{archive} ({size_text(result['size_bytes'])}, {len(result['tables'])} tables, {rows:,} rows, "
               f"schema {result['schema_version']}, {result['seconds']} s)")  # fmt: skip


def parse_until(value: str | None) -> dt.datetime | None:
    """A point in time: ISO 8601, read as UTC when it names no zone."""
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a time such as 2026-12-07T21:30:00+00:00") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@click.command("restore")
@click.argument("path", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--replace", is_flag=True, help="Restore over the current database (after a confirmation).")
@click.option("--yes", is_flag=True, help="Do not ask for the confirmation --replace asks for.")
@click.option("--until", "until", metavar="TIMESTAMP",
              help="Embedded server: recover the whole server to this time (base backup + WAL archive).")
@click.option("--pgdata", "new_pgdata", type=click.Path(path_type=Path, file_okay=False),
              help="With --until: the new data directory to recover into (default instance/pgdata-<time>).")
@one_line_errors
def restore(path: Path | None, replace: bool, yes: bool, until: str | None, new_pgdata: Path | None):
    """Restore a `crm db backup` archive (PATH) into the empty CRM database, or over it with --replace;
    with --until, recover the embedded server to a point in time instead."""
    if until is not None:
        return restore_until(parse_until(until), new_pgdata)
    if path is None:
        raise click.UsageError("name the archive to restore (or a point in time with --until)")
    from dashboard.backup import restore as restoring

    url = pg.admin_url()
    if replace and not yes:
        click.confirm(f"Replace database {url.database} ({pg.libpq_url(url.set(password=None))}) with "
                      f"{path.name}? Everything written to it since that backup is lost", abort=True)  # fmt: skip
    with reported_as_errors(BackupError):
        done = restoring.restore(path, url, replace=replace, progress=progress)
    applied = ", ".join(done["migrations_applied"]) or "none"
    click.echo(f"restored {path.name} into {url.database}: {done['tables']} tables, {done['rows']:,} rows checked "
               f"against the manifest; schema {done['schema_version']}, migrations applied since: {applied}")


def restore_until(moment: dt.datetime, new_pgdata: Path | None) -> None:
    from dashboard.backup import pitr

    with reported_as_errors(BackupError):
        target = pitr.restore_until(moment, new_pgdata, progress)
    for line in pitr.recovery_lines(target):
        progress(line)
    click.echo(f"recovered the server as it was at {moment.isoformat()} into {target}; to use it, stop crm and "
               f"start it with CRM_PGDATA={target} (or move it in place of {pg.pgdata_path()})")


def embedded() -> bool:
    return not os.environ.get("DATABASE_URL") and not os.environ.get("MIGRATION_DATABASE_URL")


def archive_embedded_wal(echo=click.echo) -> None:
    """``crm serve`` and ``crm db upgrade``: the embedded server archives its WAL (unless CRM_WAL_ARCHIVE=off)."""
    if not embedded():
        return
    from dashboard.backup import wal

    with reported_as_errors(BackupError):
        if wal.ensure_archiving(pg.admin_url(), pg.pgdata_path(), echo):
            echo(f"the embedded PostgreSQL archives its WAL into {wal.wal_dir()}")
