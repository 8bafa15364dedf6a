"""``crm users ...``: user administration (the rules live in dashboard.users)."""

from __future__ import annotations

import sys

import click

from dashboard import vocabulary
from dashboard.cli.common import admin_connection, one_line_errors, reported_as_errors, upgrade_database_quietly


@click.group("users")
def group():
    """User administration."""


@group.command("create")
@click.option("--email", required=True)
@click.option("--role", type=click.Choice(vocabulary.USER_ROLES), required=True)
@click.option("--full-name", default=None, help="Defaults to the part of the email before @.")
@click.option("--team", default=None, help="Team name (created if missing).")
@click.option("--manager", "manager_email", default=None, help="Email of the user's manager.")
@click.option("--time-zone", default=None, help="IANA time zone, e.g. Europe/London (default: the browser's).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@one_line_errors
def create(email, role, full_name, team, manager_email, time_zone, password_stdin):
    """Create a user (the password is prompted for, or read with --password-stdin)."""
    from dashboard.users import UserError, create_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    upgrade_database_quietly()
    with admin_connection() as conn, reported_as_errors(UserError):
        user_id = create_user(conn, email, role, password, full_name, team, manager_email, time_zone)
    click.echo(f"created {role} {email.strip().lower()} ({user_id})")
