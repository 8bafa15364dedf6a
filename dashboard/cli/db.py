"""``crm db ...``: the schema commands (add a command with ``@group.command``)."""

from __future__ import annotations

import click

from dashboard import migrate
from dashboard.cli.common import admin_connection, one_line_errors, upgrade_database


@click.group("db")
def group():
    """Database schema commands."""


@group.command("upgrade")
@one_line_errors
def upgrade():
    """Apply pending sql/ migrations (idempotent)."""
    upgrade_database()


@group.command("status")
@one_line_errors
def status():
    """List migrations and whether each is applied."""
    with admin_connection() as conn:
        for migration, state in migrate.status(conn):
            click.echo(f"{state:8} {migration.path.name}")
