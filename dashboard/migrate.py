"""A short migration runner for the plain SQL files in ``sql/``.

``sql/bootstrap.sql`` (roles, schemas, the record table) runs first, as the
connecting superuser or owner. Then every ``sql/YYYYMMDDHHMMSS_*.sql`` not yet
recorded in ``crm_migrations.applied`` runs under ``set role crm_owner``, each
file in its own transaction together with its record, so a failing file leaves
nothing of itself behind and a re-run applies only what is missing.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import psycopg

SQL_DIR = Path(os.environ.get("CRM_SQL_DIR", Path(__file__).resolve().parent.parent / "sql"))
MIGRATION_FILE = re.compile(r"^(\d{14})_([a-z0-9_]+)\.sql$")
OWNER_ROLE = "crm_owner"
LOCK_KEY = 74_231_907  # pg_advisory_xact_lock key: one migrator at a time


class MigrationError(Exception):
    """A migration failed or the applied history does not match the files."""


@dataclass(frozen=True)
class Migration:
    version: str
    name: str
    path: Path

    @property
    def sql(self) -> str:
        return self.path.read_text(encoding="utf-8")

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()


def discover(sql_dir: Path = SQL_DIR) -> list[Migration]:
    found = []
    for path in sorted(sql_dir.glob("*.sql")):
        match = MIGRATION_FILE.match(path.name)
        if match:
            found.append(Migration(match[1], match[2], path))
    return found


def _is_superuser(conn: psycopg.Connection) -> bool:
    return conn.execute("select rolsuper from pg_roles where rolname = current_user").fetchone()[0]


def bootstrap(conn: psycopg.Connection, sql_dir: Path = SQL_DIR) -> None:
    """Create roles, schemas and the record table (idempotent)."""
    with conn.transaction():
        conn.execute("select pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        conn.execute((sql_dir / "bootstrap.sql").read_text(encoding="utf-8"))


def applied(conn: psycopg.Connection) -> dict[str, str]:
    """version -> checksum of every migration already applied."""
    rows = conn.execute("select version, checksum from crm_migrations.applied").fetchall()
    return dict(rows)


def status(conn: psycopg.Connection, sql_dir: Path = SQL_DIR) -> list[tuple[Migration, str]]:
    """Each migration with 'applied', 'pending' or 'changed' (file edited after it ran)."""
    exists = conn.execute("select to_regclass('crm_migrations.applied') is not null").fetchone()[0]
    done = applied(conn) if exists else {}
    result = []
    for migration in discover(sql_dir):
        if migration.version not in done:
            result.append((migration, "pending"))
        elif done[migration.version] != migration.checksum:
            result.append((migration, "changed"))
        else:
            result.append((migration, "applied"))
    return result


def upgrade(conn: psycopg.Connection, sql_dir: Path = SQL_DIR, progress=print) -> list[Migration]:
    """Apply every pending migration; return those applied (empty when up to date)."""
    conn.autocommit = True
    if _is_superuser(conn) or not _bootstrapped(conn):
        bootstrap(conn, sql_dir)
    ran = []
    for migration, state in status(conn, sql_dir):
        if state == "changed":
            raise MigrationError(f"{migration.path.name} was edited after it was applied; add a new migration instead")
        if state == "applied":
            continue
        try:
            with conn.transaction():
                conn.execute("select pg_advisory_xact_lock(%s)", (LOCK_KEY,))
                # another migrator may have applied it while we waited for the lock
                if conn.execute(
                    "select 1 from crm_migrations.applied where version = %s", (migration.version,)
                ).fetchone():
                    continue
                conn.execute(psycopg.sql.SQL("set local role {}").format(psycopg.sql.Identifier(OWNER_ROLE)))
                conn.execute(migration.sql)
                conn.execute(
                    "insert into crm_migrations.applied (version, name, checksum) values (%s, %s, %s)",
                    (migration.version, migration.name, migration.checksum),
                )
        except psycopg.Error as exc:
            detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise MigrationError(f"{migration.path.name} failed and was rolled back: {detail}") from exc
        progress(f"applied {migration.path.name}")
        ran.append(migration)
    return ran


def _bootstrapped(conn: psycopg.Connection) -> bool:
    return conn.execute("select to_regclass('crm_migrations.applied') is not null").fetchone()[0]
