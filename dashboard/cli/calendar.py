"""``crm calendar connect|sync|disconnect``: a user's CalDAV calendar, as the operator (the rules live in
dashboard.calendar_sync; a sync runs as the user under row-level security, as the job worker's does)."""

from __future__ import annotations

import sys

import click

from dashboard.cli.common import (
    active_user_id,
    admin_connection,
    one_line_errors,
    reported_as_errors,
    upgrade_database_quietly,
)


@click.group("calendar")
def group():
    """A user's connected CalDAV calendar."""



@group.command("connect")
@click.option("--email", required=True, help="The user whose calendar it is.")
@click.option("--caldav-url", required=True, help="The calendar collection's URL (https://; http:// on loopback).")
@click.option("--username", default=None, help="The calendar's user name (default: the URL's, else the email).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@one_line_errors
def connect(email, caldav_url, username, password_stdin):
    """Connect (or reconnect) a calendar; the job worker syncs it within a minute (or run `crm calendar sync`)."""
    from dashboard.calendar_sync import connections

    password = sys.stdin.readline().rstrip("\n") if password_stdin else click.prompt("Password", hide_input=True)
    upgrade_database_quietly()
    with admin_connection() as conn, reported_as_errors(connections.ConnectionProblem):
        connection_id = connections.connect(conn, active_user_id(conn, email), caldav_url, password, username)
    click.echo(f"connected the calendar of {email.strip().lower()} ({connection_id}); it is due for a sync now")


@group.command("sync")
@click.option("--email", default=None, help="Only this user's calendar (default: every connected calendar).")
@one_line_errors
def sync(email):
    """Sync now, in this process: one line per calendar with its outcome; exits 1 when one failed."""
    from dashboard.calendar_sync import engine
    from dashboard.jobs import queue

    upgrade_database_quietly()
    with admin_connection() as conn:
        user_id = active_user_id(conn, email) if email else None
        found = conn.execute("""select c.id, u.email from crm.calendar_connections c
                                join crm.users u on u.id = c.user_id
                                where %s::uuid is null or c.user_id = %s::uuid order by u.email""",
                             (user_id, user_id)).fetchall()  # fmt: skip
    if not found:
        raise click.ClickException("no connected calendar" + (f" for {email.strip()}" if email else ""))
    failed = False
    for connection_id, user_email in found:
        result = engine.run(queue.connect, str(connection_id))
        status = result.pop("status")
        failed |= status not in ("ok", "skipped")
        details = ", ".join(f"{n} {what}" for what, n in sorted(result.items()) if n) or "nothing new"
        click.echo(f"{user_email}: {status} ({details})")
    if failed:
        sys.exit(1)


@group.command("disconnect")
@click.option("--email", required=True)
@one_line_errors
def disconnect(email):
    """Forget a user's calendar and its password (their meetings stay)."""
    from dashboard.calendar_sync import connections

    upgrade_database_quietly()
    with admin_connection() as conn:
        if not connections.disconnect(conn, active_user_id(conn, email)):
            raise click.ClickException(f"{email.strip()} has no connected calendar")
    click.echo(f"disconnected the calendar of {email.strip().lower()}")
