"""The scheduled backup (the job queue's ``backup`` task, nightly; the backups page's "Back up now"): an
archive into ``CRM_BACKUP_DIR``, a base backup too when the server archives its WAL there (the embedded
one), then only the ``CRM_BACKUP_KEEP`` newest of each are kept. Each backup is recorded in
``crm.backups``, failed ones with their reason."""

from __future__ import annotations

import datetime as dt

import psycopg
from sqlalchemy.engine import URL

from dashboard import pg
from dashboard.backup import BackupError, logical, records, retention, wal

FAILURES = (BackupError, psycopg.Error, OSError)


def take_archive(url: URL, trigger: str, target=None, progress=logical._quiet) -> tuple:
    """An archive into ``target`` (default the backup folder), recorded; (archive, manifest)."""
    started, directory = dt.datetime.now(dt.UTC), target or retention.backup_dir()
    try:
        archive, manifest = logical.backup(url, target, progress)
    except FAILURES as exc:
        records.record(url, "archive", trigger, started, str(directory), error=str(exc) or type(exc).__name__)
        raise
    records.record(url, "archive", trigger, started, str(archive), size_bytes=manifest["size_bytes"],
                   schema_version=manifest["schema_version"], sha256=manifest["sha256"])  # fmt: skip
    return archive, manifest


def take_base_backup(url: URL, trigger: str, progress=logical._quiet) -> dict:
    """A base backup, recorded."""
    started = dt.datetime.now(dt.UTC)
    try:
        folder = wal.base_backup(url, progress)
    except FAILURES as exc:
        records.record(url, "base", trigger, started, str(wal.base_dir()), error=str(exc) or type(exc).__name__)
        raise
    size = sum(path.stat().st_size for path in folder.iterdir())
    records.record(url, "base", trigger, started, str(folder), size_bytes=size)
    return {"base_backup": folder.name, "base_size_bytes": size}


def run(url: URL, trigger: str = "schedule") -> dict:
    """Take the backups, then prune; what was done (names, sizes, what was deleted)."""
    kept = retention.keep()
    archive, manifest = take_archive(url, trigger)
    done = {"archive": archive.name, "size_bytes": manifest["size_bytes"], "seconds": manifest["seconds"]}
    with psycopg.connect(pg.libpq_url(url)) as conn:
        archiving = wal.archives_here(conn)
    if archiving:  # the embedded server: a base backup for point-in-time restores too
        done |= take_base_backup(url, trigger)
    deleted = [path.name for path in retention.prune(retention.backup_dir(), kept)]
    if wal.base_dir().is_dir():
        deleted += [path.name for path in wal.prune(kept)]
    return done | {"deleted": deleted}
