"""The backup folder and how many backups it keeps.

``CRM_BACKUP_DIR`` (default ``<instance>/backups``) holds the archives ``crm-<UTC time>.dump``, each
with its manifest ``.dump.json``; for the embedded server also ``wal/`` (the WAL archive) and
``base/`` (base backups). ``CRM_BACKUP_KEEP`` (default 7) is how many of each the scheduled backup
keeps: the newest ones; an archive's manifest goes with it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from dashboard import pg
from dashboard.backup import BackupError

DEFAULT_KEEP = 7


def backup_dir() -> Path:
    return Path(os.environ.get("CRM_BACKUP_DIR") or pg.instance_path() / "backups").resolve()


def keep() -> int:
    raw = os.environ.get("CRM_BACKUP_KEEP") or str(DEFAULT_KEEP)
    try:
        value = int(raw)
    except ValueError:
        raise BackupError(f"CRM_BACKUP_KEEP must be a whole number, not {raw!r}") from None
    if value < 1:
        raise BackupError("CRM_BACKUP_KEEP must be at least 1")
    return value


def archives(directory: Path) -> list[Path]:
    """The finished archives in ``directory`` (those with a manifest), oldest first (names sort by time)."""
    return sorted(path for path in directory.glob("crm-*.dump") if path.with_name(path.name + ".json").exists())


def prune(directory: Path, kept: int) -> list[Path]:
    """Delete all but the ``kept`` newest archives (and their manifests); return what was deleted."""
    doomed = archives(directory)[:-kept] if kept > 0 else []
    for path in doomed:
        path.unlink(missing_ok=True)
        path.with_name(path.name + ".json").unlink(missing_ok=True)
    return doomed


def prune_folders(directory: Path, kept: int) -> list[Path]:
    """Delete all but the ``kept`` newest finished sub-folders (base backups, named by time)."""
    finished = sorted(path for path in directory.glob("*") if path.is_dir() and (path / "backup.json").exists())
    doomed = finished[:-kept] if kept > 0 else []
    for path in doomed:
        shutil.rmtree(path)
    return doomed
