"""The schema runner for ``sql/``: run-once migrations, then definition files.

Schema objects are split by how they change:

* ``sql/bootstrap.sql`` (roles, schemas, the record tables) runs first, as the
  connecting superuser or owner; it is idempotent.
* ``sql/migrations/YYYYMMDDHHMMSS_*.sql`` hold tables, columns, indexes,
  constraints and data changes. Each runs once, in order, under
  ``set role crm_owner``, in its own transaction together with its record in
  ``crm_migrations.applied``: a failing file leaves nothing of itself behind.
  An applied file that was edited afterwards is refused.
* Definition files hold functions, views, triggers, policies and grants, one
  file per area, each object written out so that applying the file again
  replaces it (``create or replace``, ``drop policy if exists`` + ``create``).
  They run after the migrations, folder by folder in ``DEFINITION_FOLDERS``
  order, then by name. A file runs again whenever its checksum differs from the
  one recorded in ``crm_migrations.definitions``. All the files that need it
  run in ONE transaction: if one fails (a syntax error, a drop of an object
  that something still uses), none of them changes the database.

The first migration is a baseline of the historic migrations; see
``BASELINE_REPLACES``.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

SQL_DIR = Path(os.environ.get("CRM_SQL_DIR", Path(__file__).resolve().parent.parent / "sql"))
MIGRATION_FILE = re.compile(r"^(\d{14})_([a-z0-9_]+)\.sql$")
DEFINITION_FOLDERS = ("functions", "views", "triggers", "policies", "grants")
OWNER_ROLE = "crm_owner"
LOCK_KEY = 74_231_907  # pg_advisory_xact_lock key: one migrator at a time

# The baseline stands for the 45 migrations of main up to 2026-12-04. A database
# those built has the last of them recorded; it gets the baseline recorded as
# applied, not run. One that stopped earlier must first be upgraded by that main.
BASELINE_VERSION = "20261207000000"
BASELINE_REPLACES = "20261204001700"
LAST_MAIN_BEFORE_BASELINE = "0690b60"


# A migration may install a library's own schema from the installed package, so that no third-party SQL is
# copied into sql/: the line "-- install: NAME into SCHEMA" runs the package's schema there, with SCHEMA
# first on the search path (its objects are created in it, under the migration's role).
INSTALL_LINE = re.compile(r"^-- install: (\w+) into (\w+)$", re.MULTILINE)


def _procrastinate_schema() -> str:
    from procrastinate.schema import SchemaManager

    return SchemaManager.get_schema()


PACKAGE_SCHEMAS = {"procrastinate": _procrastinate_schema}


class MigrationError(Exception):
    """A migration or definition file failed, or the applied history does not match the files."""


@dataclass(frozen=True)
class SqlFile:
    """A migration (``version`` is its timestamp) or a definition file (``version`` is its path)."""

    version: str
    name: str
    path: Path

    @property
    def sql(self) -> str:
        return self.path.read_text(encoding="utf-8")

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()

    @property
    def is_definition(self) -> bool:
        """A definition file (applied again when it changes), not a run-once migration."""
        return self.path.parent.name in DEFINITION_FOLDERS


def discover(sql_dir: Path = SQL_DIR) -> list[SqlFile]:
    """The migrations, oldest first."""
    found = []
    for path in sorted((sql_dir / "migrations").glob("*.sql")):
        match = MIGRATION_FILE.match(path.name)
        if match:
            found.append(SqlFile(match[1], match[2], path))
    return found


def discover_definitions(sql_dir: Path = SQL_DIR) -> list[SqlFile]:
    """The definition files in the order they are applied (folder order, then name)."""
    found = []
    for folder in DEFINITION_FOLDERS:
        for path in sorted((sql_dir / folder).glob("*.sql")):
            relative = f"{folder}/{path.name}"
            found.append(SqlFile(relative, path.stem, path))
    return found


def _is_superuser(conn: psycopg.Connection) -> bool:
    return conn.execute("select rolsuper from pg_roles where rolname = current_user").fetchone()[0]


def _bootstrapped(conn: psycopg.Connection) -> bool:
    return conn.execute("select to_regclass('crm_migrations.definitions') is not null").fetchone()[0]


def bootstrap(conn: psycopg.Connection, sql_dir: Path = SQL_DIR) -> None:
    """Create roles, schemas and the record tables (idempotent)."""
    with conn.transaction():
        conn.execute("select pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        conn.execute((sql_dir / "bootstrap.sql").read_text(encoding="utf-8"))


def applied(conn: psycopg.Connection) -> dict[str, str]:
    """version -> checksum of every migration already applied."""
    if not conn.execute("select to_regclass('crm_migrations.applied') is not null").fetchone()[0]:
        return {}
    return dict(conn.execute("select version, checksum from crm_migrations.applied").fetchall())


def applied_definitions(conn: psycopg.Connection) -> dict[str, str]:
    """path -> checksum of every definition file as last applied."""
    if not _bootstrapped(conn):
        return {}
    return dict(conn.execute("select path, checksum from crm_migrations.definitions").fetchall())


def _state(recorded: dict[str, str], item: SqlFile) -> str:
    if item.version not in recorded:
        return "pending"
    return "applied" if recorded[item.version] == item.checksum else "changed"


def status(conn: psycopg.Connection, sql_dir: Path = SQL_DIR) -> list[tuple[SqlFile, str]]:
    """Each migration with 'applied', 'pending' or 'changed' (file edited after it ran)."""
    done = applied(conn)
    if BASELINE_REPLACES in done and BASELINE_VERSION not in done:
        done = {**done, BASELINE_VERSION: _baseline(sql_dir).checksum}
    return [(migration, _state(done, migration)) for migration in discover(sql_dir)]


def definition_status(conn: psycopg.Connection, sql_dir: Path = SQL_DIR) -> list[tuple[SqlFile, str]]:
    """Each definition file with 'applied', 'pending' (never applied) or 'changed' (applied again next upgrade)."""
    done = applied_definitions(conn)
    return [(item, _state(done, item)) for item in discover_definitions(sql_dir)]


def upgrade(conn: psycopg.Connection, sql_dir: Path = SQL_DIR, progress=print) -> list[SqlFile]:
    """Apply every pending migration, then every new or changed definition file; return what ran."""
    conn.autocommit = True
    if _is_superuser(conn) or not _bootstrapped(conn):
        bootstrap(conn, sql_dir)
    _adopt_historic_database(conn, sql_dir, progress)
    ran = []
    for migration, state in status(conn, sql_dir):
        if state == "changed":
            raise MigrationError(f"{migration.path.name} was edited after it was applied; add a new migration instead")
        if state == "pending" and _apply_migration(conn, migration):
            progress(f"applied {migration.path.name}")
            ran.append(migration)
    return ran + _apply_definitions(conn, sql_dir, progress)


def _baseline(sql_dir: Path) -> SqlFile:
    return next(m for m in discover(sql_dir) if m.version == BASELINE_VERSION)


def _adopt_historic_database(conn: psycopg.Connection, sql_dir: Path, progress) -> None:
    """Record the baseline as applied on a database the historic migrations built."""
    done = applied(conn)
    historic = sorted(v for v in done if v < BASELINE_VERSION)
    if not historic or BASELINE_VERSION in done:
        return
    if BASELINE_REPLACES not in done:
        raise MigrationError(
            f"this database stopped at migration {historic[-1]}, before the baseline: "
            f"upgrade it with main at {LAST_MAIN_BEFORE_BASELINE} first"
        )
    baseline = _baseline(sql_dir)
    with conn.transaction():
        conn.execute("select pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        conn.execute(
            """insert into crm_migrations.applied (version, name, checksum) values (%s, %s, %s)
               on conflict (version) do nothing""",
            (baseline.version, baseline.name, baseline.checksum),
        )
    progress(f"recorded {baseline.path.name} (the database was built by the migrations it replaces)")


def _first_line(exc: psycopg.Error) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _apply_migration(conn: psycopg.Connection, migration: SqlFile) -> bool:
    """Run one migration with its record in one transaction; False if another migrator ran it first."""
    try:
        with conn.transaction():
            conn.execute("select pg_advisory_xact_lock(%s)", (LOCK_KEY,))
            if conn.execute("select 1 from crm_migrations.applied where version = %s", (migration.version,)).fetchone():
                return False
            conn.execute(sql.SQL("set local role {}").format(sql.Identifier(OWNER_ROLE)))
            _run_migration_sql(conn, migration.sql)
            conn.execute(
                "insert into crm_migrations.applied (version, name, checksum) values (%s, %s, %s)",
                (migration.version, migration.name, migration.checksum),
            )
    except psycopg.Error as exc:
        raise MigrationError(f"{migration.path.name} failed and was rolled back: {_first_line(exc)}") from exc
    return True


def _run_migration_sql(conn: psycopg.Connection, text: str) -> None:
    """Run a migration's SQL; each install line runs its package's schema (PACKAGE_SCHEMAS) in its schema."""
    pieces = INSTALL_LINE.split(text)  # [sql, package, schema, sql, package, schema, ..., sql]
    if pieces[0].strip():
        conn.execute(pieces[0])
    for package, schema, after in zip(pieces[1::3], pieces[2::3], pieces[3::3], strict=True):
        if package not in PACKAGE_SCHEMAS:
            raise psycopg.ProgrammingError(f"unknown package schema to install: {package}")
        previous = conn.execute("select current_setting('search_path')").fetchone()[0]
        conn.execute("select set_config('search_path', %s, true)", (f"{schema}, pg_catalog",))
        conn.execute(PACKAGE_SCHEMAS[package]())
        conn.execute("select set_config('search_path', %s, true)", (previous,))
        if after.strip():
            conn.execute(after)


def _apply_definitions(conn: psycopg.Connection, sql_dir: Path, progress) -> list[SqlFile]:
    """Apply the new and changed definition files, all in one transaction."""
    if all(state == "applied" for _, state in definition_status(conn, sql_dir)):
        return []
    current = None
    try:
        with conn.transaction():
            conn.execute("select pg_advisory_xact_lock(%s)", (LOCK_KEY,))
            todo = [item for item, state in definition_status(conn, sql_dir) if state != "applied"]
            conn.execute(sql.SQL("set local role {}").format(sql.Identifier(OWNER_ROLE)))
            # function bodies may name objects a later file defines (as pg_dump restores them)
            conn.execute("set local check_function_bodies = off")
            for current in todo:
                conn.execute(current.sql)
                _record_definition(conn, current)
    except psycopg.Error as exc:
        raise MigrationError(_definition_failure(current, exc)) from exc
    for item in todo:
        progress(f"applied {item.version}")
    return todo


def _record_definition(conn: psycopg.Connection, item: SqlFile) -> None:
    conn.execute(
        """insert into crm_migrations.definitions (path, checksum) values (%s, %s)
           on conflict (path) do update set checksum = excluded.checksum, applied_at = now()""",
        (item.version, item.checksum),
    )


def _definition_failure(item: SqlFile | None, exc: psycopg.Error) -> str:
    """One clear message: which file, what failed, and what still depends on it."""
    where = item.version if item else "the definition files"
    message = f"{where} failed; no definition file was applied: {_first_line(exc)}"
    detail = getattr(exc.diag, "message_detail", None)
    if detail:
        message += " (" + " ".join(detail.split()) + ")"
    return message
