"""``crm serve``: migrate, optionally load the demo, then run the app under gunicorn."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys

import click

from dashboard import pg
from dashboard.cli.common import admin_connection, one_line_errors, upgrade_database
from dashboard.cli.demo import echo_demo_users, load_first_demo


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


def gunicorn_environment() -> dict[str, str]:
    """The app logs in as the app role; the embedded server's instance keeps its own secret key."""
    env = dict(os.environ)
    env["CRM_SQLALCHEMY_DATABASE_URI"] = pg.app_url_for(pg.admin_url()).render_as_string(hide_password=False)
    if not os.environ.get("DATABASE_URL") and not os.environ.get("CRM_SECRET_KEY"):
        from dashboard.config import _instance_secret

        env["CRM_SECRET_KEY"] = _instance_secret(pg.instance_path())
    return env


def run_gunicorn(host: str, port: int, workers: int) -> None:
    """Run until stopped; Ctrl-C and SIGTERM stop gunicorn gracefully, any other exit is an error."""
    command = [
        sys.executable, "-m", "gunicorn",
        "--bind", f"{host}:{port}",
        "--workers", str(workers),
        "--access-logfile", "-",
        "--graceful-timeout", "10",
        "dashboard:create_app()",
    ]  # fmt: skip
    click.echo(f"serving on http://{host}:{port}/ (Ctrl-C to stop)")
    process = subprocess.Popen(command, env=gunicorn_environment())
    signal.signal(signal.SIGTERM, lambda *_: process.terminate())
    try:
        code = process.wait()
    except KeyboardInterrupt:
        code = process.wait()
    if code not in (0, -signal.SIGTERM, -signal.SIGINT):
        raise click.ClickException(f"gunicorn exited with status {code}")


@click.command("serve")
@click.option("--demo", "with_demo", is_flag=True, help="Load demo data on first start.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@one_line_errors
def serve(with_demo: bool, host: str, port: int, workers: int):
    """Run the app with gunicorn (embedded PostgreSQL unless DATABASE_URL is set)."""
    ensure_port_free(host, port)
    upgrade_database()
    if with_demo and not has_users():
        load_first_demo()
    if with_demo:
        echo_demo_users()
    run_gunicorn(host, port, workers)
