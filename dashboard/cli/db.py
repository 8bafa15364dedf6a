"""``crm db ...``: the schema commands (add a command with ``@group.command``)."""

from __future__ import annotations

from pathlib import Path

import click

from dashboard import migrate, pg, schema_dump
from dashboard.cli import backup
from dashboard.cli.common import admin_connection, one_line_errors, upgrade_database, upgrade_database_quietly


@click.group("db")
def group():
    """Database schema commands."""


@group.command("upgrade")
@one_line_errors
def upgrade():
    """Apply pending sql/ migrations, then new or changed definition files (idempotent); the embedded server
    archives its WAL from then on (CRM_WAL_ARCHIVE=off: not)."""
    upgrade_database()
    backup.archive_embedded_wal()


@group.command("status")
@one_line_errors
def status():
    """List migrations and definition files and whether each is applied."""
    with admin_connection() as conn:
        for migration, state in migrate.status(conn):
            click.echo(f"{state:8} {migration.path.name}")
        for definition, state in migrate.definition_status(conn):
            click.echo(f"{state:8} {definition.version}")


@group.command("dump-schema")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), default=schema_dump.SCHEMA_FILE)
@one_line_errors
def dump_schema(path: Path):
    """Write the migrated database's schema (pg_dump --schema-only, normalised) to PATH (default sql/schema.sql)."""
    upgrade_database_quietly()
    written = schema_dump.write_schema(pg.admin_url(), path)
    click.echo(f"wrote {written}")


group.add_command(backup.backup)
group.add_command(backup.restore)
