"""The ``crm`` command: serve, db upgrade/status, demo-data, users create.

Operator commands connect with the admin URL (``pg.admin_url()``): they are
run by whoever runs the server, not through the app's row-level security.
Every expected failure ends with a one-line ``Error: ...`` and a non-zero exit.
"""

from __future__ import annotations

import datetime
import functools
import importlib
import importlib.util
import os
import signal
import socket
import subprocess
import sys

import click
import psycopg
from flask.cli import FlaskGroup

from dashboard import migrate, pg

DEMO_PASSWORD = "demo-password"
DEMO_USERS = ["admin@demo.test", "manager1@demo.test", "manager2@demo.test"] + [
    f"rep{n}@demo.test" for n in range(1, 9)
]


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


def admin_connection() -> psycopg.Connection:
    url = pg.admin_url()
    pg.check_connection(url)
    return psycopg.connect(pg.libpq_url(url))


def upgrade_database(echo=click.echo) -> None:
    """Apply pending migrations and, if given, set the app role's password."""
    with admin_connection() as conn:
        ran = migrate.upgrade(conn, progress=echo)
        password = os.environ.get("CRM_APP_DB_PASSWORD")
        if password and not os.environ.get("MIGRATION_DATABASE_URL"):
            conn.execute(
                psycopg.sql.SQL("alter role {} password {}").format(
                    psycopg.sql.Identifier(pg.APP_ROLE), psycopg.sql.Literal(password)
                )
            )
    echo(f"database is up to date ({len(ran)} migration(s) applied)")


# --- crm db ---------------------------------------------------------------


@click.group("db")
def db_group():
    """Database schema commands."""


@db_group.command("upgrade")
@one_line_errors
def db_upgrade():
    """Apply pending sql/ migrations (idempotent)."""
    upgrade_database()


@db_group.command("status")
@one_line_errors
def db_status():
    """List migrations and whether each is applied."""
    with admin_connection() as conn:
        for migration, state in migrate.status(conn):
            click.echo(f"{state:8} {migration.path.name}")


# --- crm demo-data --------------------------------------------------------


@click.command("demo-data")
@click.option("--scale", type=click.Choice(["small", "large"]), default="small", show_default=True)
@click.option("--seed", type=int, default=42, show_default=True)
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Date the data ends on (default today).")
@click.option("--replace", is_flag=True, help="Delete existing data first.")
@one_line_errors
def demo_data(scale: str, seed: int, as_of, replace: bool):
    """Load deterministic synthetic demo data."""
    from dashboard.demo import DemoDataExists, load_demo

    upgrade_database(echo=lambda _: None)
    url = pg.libpq_url(pg.admin_url())
    try:
        counts = load_demo(url, scale=scale, seed=seed, as_of=as_of.date() if as_of else None, replace=replace)
    except DemoDataExists as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(", ".join(f"{table} {count:,}" for table, count in counts.items()))


# --- crm users ------------------------------------------------------------


@click.group("users")
def users_group():
    """User administration."""


@users_group.command("create")
@click.option("--email", required=True)
@click.option("--role", type=click.Choice(["rep", "manager", "admin"]), required=True)
@click.option("--full-name", default=None, help="Defaults to the part of the email before @.")
@click.option("--team", default=None, help="Team name (created if missing).")
@click.option("--manager", "manager_email", default=None, help="Email of the user's manager.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@one_line_errors
def users_create(email, role, full_name, team, manager_email, password_stdin):
    """Create a user (the password is prompted for, or read with --password-stdin)."""
    from dashboard.users import UserError, create_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    upgrade_database(echo=lambda _: None)
    with admin_connection() as conn:
        try:
            user_id = create_user(conn, email, role, password, full_name, team, manager_email)
        except UserError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"created {role} {email.strip().lower()} ({user_id})")


# --- crm serve ------------------------------------------------------------


def ensure_port_free(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror.lower()}") from None


def has_users() -> bool:
    with admin_connection() as conn:
        return conn.execute("select exists (select from crm.users)").fetchone()[0]


def score_demo_data() -> None:
    """Fill the computed fields of fresh demo data, so the demo shows scores."""
    if not _module_exists("dashboard.intelligence.scores"):
        return
    from dashboard.intelligence import scores

    click.echo("scoring the demo data...")
    with admin_connection() as conn:
        scores.rescore_all(conn, full_sentiment=True)


@click.command("serve")
@click.option("--demo", is_flag=True, help="Load demo data on first start.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@one_line_errors
def serve(demo: bool, host: str, port: int, workers: int):
    """Run the app with gunicorn (embedded PostgreSQL unless DATABASE_URL is set)."""
    ensure_port_free(host, port)
    upgrade_database()
    if demo and not has_users():
        from dashboard.demo import load_demo

        click.echo("loading demo data (small scale)...")
        load_demo(pg.libpq_url(pg.admin_url()), scale="small", seed=42, as_of=datetime.date.today())
        score_demo_data()
    if demo:
        click.echo(f"demo users (password {DEMO_PASSWORD}): " + ", ".join(DEMO_USERS))
    env = dict(os.environ)
    env["CRM_SQLALCHEMY_DATABASE_URI"] = pg.app_url_for(pg.admin_url()).render_as_string(hide_password=False)
    if not os.environ.get("DATABASE_URL") and not os.environ.get("CRM_SECRET_KEY"):
        from dashboard.config import _instance_secret

        env["CRM_SECRET_KEY"] = _instance_secret(pg.instance_path())
    command = [
        sys.executable, "-m", "gunicorn",
        "--bind", f"{host}:{port}",
        "--workers", str(workers),
        "--access-logfile", "-",
        "--graceful-timeout", "10",
        "dashboard:create_app()",
    ]  # fmt: skip
    click.echo(f"serving on http://{host}:{port}/ (Ctrl-C to stop)")
    process = subprocess.Popen(command, env=env)
    signal.signal(signal.SIGTERM, lambda *_: process.terminate())
    try:
        code = process.wait()
    except KeyboardInterrupt:
        code = process.wait()
    if code not in (0, -signal.SIGTERM, -signal.SIGINT):
        raise click.ClickException(f"gunicorn exited with status {code}")


# --- the group --------------------------------------------------------------


def _create_app():
    from dashboard import create_app

    return create_app()


cli = FlaskGroup(
    name="crm",
    help="Sales Dashboard: a self-hosted sales CRM.",
    create_app=_create_app,
    add_version_option=False,
    load_dotenv=False,
    set_debug_flag=False,
)
OPERATOR_COMMANDS = [db_group, demo_data, users_group, serve]
# commands that live with their feature: module -> attribute (added when the module exists)
FEATURE_COMMANDS = {"dashboard.intelligence.cli": "score", "dashboard.legacy.cli": "import_legacy"}


def _module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # its package does not exist (yet)
        return False


for _module, _attribute in FEATURE_COMMANDS.items():
    if _module_exists(_module):
        OPERATOR_COMMANDS.append(getattr(importlib.import_module(_module), _attribute))
for _command in OPERATOR_COMMANDS:
    cli.add_command(_command)


def init_app(app) -> None:
    """Also expose the commands as ``flask --app dashboard ...``."""
    for command in OPERATOR_COMMANDS:
        app.cli.add_command(command)


def main() -> None:
    """Console-script entry point: never a traceback for an unexpected failure."""
    try:
        cli.main(prog_name="crm")
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001 - the last line of defence for the CLI
        click.echo(f"Error: {type(exc).__name__}: {exc}", err=True)
        sys.exit(1)
