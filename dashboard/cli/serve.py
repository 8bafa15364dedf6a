"""``crm serve``: migrate, optionally load the demo, then run the app under gunicorn and, unless
``--no-worker``, one job-queue worker beside it (``crm worker``, dashboard/jobs). Stopping serve (Ctrl-C,
SIGTERM) stops both: gunicorn gracefully, the worker after its running jobs (at most its grace period)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile

import click

from dashboard import pg
from dashboard.cli.backup import archive_embedded_wal
from dashboard.cli.common import admin_connection, one_line_errors, upgrade_database
from dashboard.cli.demo import echo_demo_users, load_first_demo
from dashboard.jobs import SHUTDOWN_GRACE_SECONDS


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


def gunicorn_environment(metrics_dir: str) -> dict[str, str]:
    """The app logs in as the app role; the embedded server's instance keeps its own secret key; the workers
    share ``metrics_dir`` for their /metrics figures (dashboard/metrics.py)."""
    env = dict(os.environ)
    env["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
    env["CRM_SQLALCHEMY_DATABASE_URI"] = pg.app_url_for(pg.admin_url()).render_as_string(hide_password=False)
    if not os.environ.get("DATABASE_URL") and not os.environ.get("CRM_SECRET_KEY"):
        from dashboard.config import _instance_secret

        env["CRM_SECRET_KEY"] = _instance_secret(pg.instance_path())
    return env


WORKER_CLASSES = ("sync", "gthread", "gevent")
# The default worker model, chosen by measurement (docs/scaling.md, bench/load.py): sync workers, one per core
# of this 2-core machine. The app is CPU-bound here (about 40 ms of CPU per request between gunicorn and
# PostgreSQL on the same cores): more concurrency inside a process (gthread, gevent) adds no capacity, only
# GIL contention and, for gevent, waits for the 10 pooled connections of a worker (pool timeouts at 100 users).
DEFAULT_WORKERS = 2
DEFAULT_WORKER_CLASS = "sync"
DEFAULT_THREADS = 1


def gunicorn_command(host: str, port: int, workers: int, worker_class: str = DEFAULT_WORKER_CLASS,
                     threads: int = DEFAULT_THREADS, access_log: bool = False) -> list[str]:  # fmt: skip
    """gunicorn's command line: ``workers`` processes of ``worker_class``; ``threads`` per gthread worker (for
    gevent, the greenlets each worker runs at once: ``--worker-connections``)."""
    model = ["--worker-class", worker_class]
    if worker_class == "gthread":
        model += ["--threads", str(threads)]
    elif worker_class == "gevent":
        model += ["--worker-connections", str(threads)]
    return [
        sys.executable, "-m", "gunicorn",
        "--bind", f"{host}:{port}",
        "--workers", str(workers),
        *model,
        *(["--access-logfile", "-"] if access_log else []),
        "--graceful-timeout", "10",
        "--config", "python:dashboard.gunicorn_config",
        "dashboard:create_app()",
    ]  # fmt: skip


def worker_environment(base_url: str | None = None) -> dict[str, str]:
    """The worker connects with the same admin URL as serve (the embedded server's, when it is used) and
    knows the same secret key as the app (it decrypts the credentials the app encrypted, dashboard/credentials,
    and signs the unsubscribe links of notification email); notification email links to this server's address
    (unless ``CRM_BASE_URL`` says otherwise)."""
    env = dict(os.environ)
    if not env.get("MIGRATION_DATABASE_URL") and not env.get("DATABASE_URL"):
        env["DATABASE_URL"] = pg.libpq_url(pg.admin_url())
        if not env.get("CRM_SECRET_KEY"):
            from dashboard.config import _instance_secret

            env["CRM_SECRET_KEY"] = _instance_secret(pg.instance_path())
    if base_url and not env.get("CRM_BASE_URL"):
        env["CRM_BASE_URL"] = base_url
    return env


def start_worker(base_url: str | None = None) -> subprocess.Popen:
    click.echo("starting a job worker (crm worker; --no-worker to run without)")
    return subprocess.Popen([sys.executable, "-m", "dashboard.cli", "worker"], env=worker_environment(base_url))


def stop(process: subprocess.Popen | None, timeout: float) -> int | None:
    """SIGTERM, then wait ``timeout`` seconds (then SIGKILL); the exit status."""
    if process is None:
        return None
    if process.poll() is None:
        process.terminate()
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()


def run_gunicorn(host: str, port: int, workers: int, with_worker: bool = True,
                 worker_class: str = DEFAULT_WORKER_CLASS, threads: int = DEFAULT_THREADS) -> None:  # fmt: skip
    """Run until stopped; Ctrl-C and SIGTERM stop gunicorn (and the job worker) gracefully, any other exit of
    gunicorn is an error. A job worker that dies is reported; the app keeps serving."""
    click.echo(f"serving on http://{host}:{port}/ (Ctrl-C to stop)")
    address = f"[{host}]" if ":" in host else host
    job_worker = start_worker(f"http://{address}:{port}") if with_worker else None
    metrics_dir = tempfile.mkdtemp(prefix="crm-metrics-")  # fresh: counters start at zero with the server
    command = gunicorn_command(host, port, workers, worker_class, threads)
    process = subprocess.Popen(command, env=gunicorn_environment(metrics_dir))
    signal.signal(signal.SIGTERM, lambda *_: process.terminate())
    try:
        try:
            code = process.wait()
        except KeyboardInterrupt:
            code = process.wait()
    finally:
        worker_code = stop(job_worker, timeout=SHUTDOWN_GRACE_SECONDS + 5)
        shutil.rmtree(metrics_dir, ignore_errors=True)
    if worker_code not in (None, 0, -signal.SIGTERM, -signal.SIGINT):
        click.echo(f"the job worker exited with status {worker_code}", err=True)
    if code not in (0, -signal.SIGTERM, -signal.SIGINT):
        raise click.ClickException(f"gunicorn exited with status {code}")


@click.command("serve")
@click.option("--demo", "with_demo", is_flag=True, help="Load demo data on first start.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=DEFAULT_WORKERS, show_default=True, type=click.IntRange(1, 64),
              help="gunicorn worker processes.")  # fmt: skip
@click.option("--worker-class", default=DEFAULT_WORKER_CLASS, show_default=True, type=click.Choice(WORKER_CLASSES),
              help="gunicorn's worker model (docs/scaling.md: measured).")  # fmt: skip
@click.option("--threads", default=DEFAULT_THREADS, show_default=True, type=click.IntRange(1, 1000),
              help="Threads per gthread worker (greenlets per gevent worker).")  # fmt: skip
@click.option("--no-worker", "no_worker", is_flag=True, help="Do not start a job worker (run `crm worker` elsewhere).")
@one_line_errors
def serve(with_demo: bool, host: str, port: int, workers: int, worker_class: str, threads: int, no_worker: bool):
    """Run the app with gunicorn and a job worker (embedded PostgreSQL unless DATABASE_URL is set)."""
    ensure_port_free(host, port)
    upgrade_database()
    archive_embedded_wal()
    if with_demo and not has_users():
        load_first_demo()
    if with_demo:
        echo_demo_users()
    run_gunicorn(host, port, workers, with_worker=not no_worker, worker_class=worker_class, threads=threads)
