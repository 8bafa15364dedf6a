"""The manifest written beside an archive: ``<archive>.json``.

It says what the archive holds and lets a restore check it before touching a database: when it was
taken, the schema version (the newest migration applied), each table's row count and checksum
(:mod:`.fingerprint`), and the archive's size and sha256.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from dashboard.backup import BackupError

FORMAT = "crm-backup/1"


def manifest_path(archive: Path) -> Path:
    return archive.with_name(archive.name + ".json")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write(archive: Path, manifest: dict) -> Path:
    path = manifest_path(archive)
    part = path.with_name(path.name + ".part")
    part.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    part.chmod(0o600)
    part.replace(path)
    return path


def read(archive: Path) -> dict:
    """The manifest of ``archive``; BackupError if it is missing, unreadable or not ours."""
    path = manifest_path(archive)
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{path} not found: an archive is restored with the manifest written beside it") from None
    except (OSError, ValueError) as exc:
        raise BackupError(f"cannot read {path}: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a manifest of `crm db backup` (format {FORMAT})")
    return manifest


def verify_archive(archive: Path, manifest: dict) -> None:
    """BackupError unless the archive's sha256 is the one its manifest recorded."""
    if not archive.is_file():
        raise BackupError(f"{archive} not found")
    found = sha256_of(archive)
    if found != manifest.get("sha256"):
        raise BackupError(f"{archive} is damaged: its sha256 is {found}, the manifest says {manifest.get('sha256')}")
