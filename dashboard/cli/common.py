"""What every ``crm`` command shares: one-line errors, the admin connection, migrating first.

Operator commands connect with the admin URL (``pg.admin_url()``): they are
run by whoever runs the server, not through the app's row-level security.
Every expected failure ends with a one-line ``Error: ...`` on stderr and a
non-zero exit: commands raise ``click.ClickException`` (or let
:func:`one_line_errors` turn the database's failures into one).
"""

from __future__ import annotations

import contextlib
import functools
import os

import click
import psycopg

from dashboard import migrate, pg


def one_line_errors(command):
    """Turn the failures people cause (bad URL, server down, bad SQL file) into one line."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (pg.DatabaseConfigError, migrate.MigrationError) as exc:
            raise click.ClickException(str(exc)) from None
        except psycopg.OperationalError as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise click.ClickException(f"database unavailable: {first}") from None

    return wrapper


@contextlib.contextmanager
def reported_as_errors(*expected: type[Exception]):
    """The business layer's own failures (``UserError``, ``ScoringError``...): their message is the error line."""
    try:
        yield
    except expected as exc:
        raise click.ClickException(str(exc)) from None


def active_user_id(conn: psycopg.Connection, email: str):
    """The id of the active user with this email (any case), or a one-line error saying why there is none."""
    shown = email.strip()[:320]
    row = conn.execute(
        "select id, is_active from crm.users where lower(email) = lower(%s)", (email.strip(),)
    ).fetchone()
    if row is None:
        raise click.ClickException(f"no user with the email {shown}")
    if not row[1]:
        raise click.ClickException(f"{shown} is deactivated")
    return row[0]


def admin_connection() -> psycopg.Connection:
    url = pg.admin_url()
    pg.check_connection(url)
    return psycopg.connect(pg.libpq_url(url))


@contextlib.contextmanager
def admin_transaction():
    """A SQLAlchemy connection on the admin URL, in one transaction (committed when the block ends), after
    migrating the database: for commands whose services take a SQLAlchemy connection."""
    from sqlalchemy import create_engine

    upgrade_database_quietly()
    url = pg.admin_url()
    pg.check_connection(url)
    engine = create_engine(url.render_as_string(hide_password=False))
    try:
        with engine.begin() as conn:
            yield conn
    finally:
        engine.dispose()


def upgrade_database(echo=click.echo) -> None:
    """Apply pending migrations and changed definition files; if given, set the app role's password."""
    with admin_connection() as conn:
        ran = migrate.upgrade(conn, progress=echo)
        password = os.environ.get("CRM_APP_DB_PASSWORD")
        if password and not os.environ.get("MIGRATION_DATABASE_URL"):
            conn.execute(
                psycopg.sql.SQL("alter role {} password {}").format(
                    psycopg.sql.Identifier(pg.APP_ROLE), psycopg.sql.Literal(password)
                )
            )
    definitions = sum(1 for item in ran if item.is_definition)
    echo(f"database is up to date ({len(ran) - definitions} migration(s), {definitions} definition file(s) applied)")


def upgrade_database_quietly() -> None:
    """Commands other than ``db upgrade`` and ``serve`` migrate first without a word."""
    upgrade_database(echo=lambda _: None)


def progress(message: str) -> None:
    """Progress of a long run goes to stderr, so stdout holds only the result."""
    click.echo(message, err=True)


def print_report(report, max_problems: int) -> None:
    """An import's report (legacy or records): its first problems, one line each, then its summary."""
    for problem in report.problems[:max_problems]:
        click.echo(f"{problem.file}:{problem.line}: {problem.column}: {problem.reason}")
    if len(report.problems) > max_problems:
        click.echo(f"... and {len(report.problems) - max_problems} more problem(s)")
    for line in report.summary_lines():
        click.echo(line)
