"""``crm db restore --until TIMESTAMP``: the embedded server as it was at a point in time.

The newest base backup that finished before the time is unpacked into a new data directory;
``recovery.signal`` and the recovery settings (``restore_command`` reading the WAL archive,
``recovery_target_time``, ``recovery_target_action = promote``) make PostgreSQL replay the archived WAL
up to the last transaction committed at or before that time, then promote it to a server of its own
(a new timeline). It is started on a private socket, waited for, cleaned of its recovery settings and
stopped; the operator then points ``CRM_PGDATA`` at it (docs/operations.md).
"""

from __future__ import annotations

import datetime as dt
import os
import tarfile
import tempfile
import time
from pathlib import Path

import psycopg

from dashboard import pg
from dashboard.backup import BackupError, tools, wal
from dashboard.backup.logical import Progress, _quiet

RECOVERY_SETTINGS = ("restore_command", "recovery_target_time", "recovery_target_action", "archive_mode")
LEFT_BY_THE_ORIGINAL = ("postmaster.pid", "postmaster.opts", ".handle_pids.json", "log")
SOCKET_PATH_MAX = 100  # a Unix socket's path must fit in sun_path (108 bytes with its name)


def choose_base_backup(moment: dt.datetime) -> tuple[Path, dict]:
    """The newest base backup that finished before ``moment``."""
    found = wal.base_backups()
    usable = [(path, record) for path, record in found if dt.datetime.fromisoformat(record["finished_at"]) <= moment]
    if not usable:
        first = f"; the first finished at {found[0][1]['finished_at']}" if found else ""
        raise BackupError(f"no base backup in {wal.base_dir()} finished before {moment.isoformat()}{first}")
    return usable[-1]


def default_pgdata(moment: dt.datetime) -> Path:
    return pg.pgdata_path().parent / f"pgdata-{moment.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}"


def unpack(folder: Path, target: Path, progress: Progress) -> None:
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: name a new data directory with --pgdata")
    target.mkdir(parents=True, exist_ok=True)
    progress(f"unpacking the base backup {folder.name} into {target}")
    with tarfile.open(folder / "base.tar.gz") as tar:
        tar.extractall(target, filter="tar")
    with tarfile.open(folder / "pg_wal.tar.gz") as tar:
        tar.extractall(target / "pg_wal", filter="tar")


def prepare_recovery(target: Path, moment: dt.datetime, owner: Path) -> None:
    """Recovery settings and signal, the files given to the server's user, the folder private."""
    settings = {
        "restore_command": wal.restore_command(wal.wal_dir()),
        "recovery_target_time": moment.isoformat(),
        "recovery_target_action": "promote",
        "archive_mode": "off",  # the copy does not archive into the original's archive until adopted
    }
    conf = target / "postgresql.auto.conf"
    kept = [line for line in conf.read_text(encoding="utf-8").splitlines()
            if line.split("=", 1)[0].strip() not in settings]  # fmt: skip
    written = [f"{name} = '{value.replace(chr(39), chr(39) * 2)}'" for name, value in settings.items()]
    conf.write_text("\n".join(kept + written) + "\n", encoding="utf-8")
    (target / "recovery.signal").touch()
    # the original's run-time files: its socket's lock (the embedded server keeps its socket in its data
    # directory), the wheel's list of processes using it, its log
    for path in [*target.glob(".s.PGSQL.*"), *(target / name for name in LEFT_BY_THE_ORIGINAL)]:
        path.unlink(missing_ok=True)
    if os.geteuid() == 0:
        stat = owner.stat()
        for root, dirs, files in os.walk(target):
            for name in [*dirs, *files]:
                os.chown(os.path.join(root, name), stat.st_uid, stat.st_gid)
        os.chown(target, stat.st_uid, stat.st_gid)
        tools.ensure_prefix_permissions(target)
    target.chmod(0o700)


def socket_dir(target: Path) -> Path:
    if len(str(target)) + len("/.s.PGSQL.5432") < SOCKET_PATH_MAX:
        return target
    folder = Path(tempfile.mkdtemp(prefix="crm-pitr-"))
    folder.chmod(0o777)
    return folder


def wait_for_promotion(url: str, target: Path, seconds: float) -> None:
    """Wait until the server has left recovery, then take its recovery settings out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
                if not conn.execute("select pg_is_in_recovery()").fetchone()[0]:
                    for name in RECOVERY_SETTINGS[:3]:
                        conn.execute(psycopg.sql.SQL("alter system reset {}").format(psycopg.sql.Identifier(name)))
                    return
        except psycopg.OperationalError:
            pass
        time.sleep(0.5)
    raise BackupError(f"the restored server in {target} did not finish recovering within {seconds:.0f} s (see its log)")


def restore_until(moment: dt.datetime, target: Path | None = None, progress: Progress = _quiet,
                  seconds: float = 3600) -> Path:
    """Recover the embedded server to ``moment`` into ``target`` (default ``pgdata-<time>`` beside the
    current data directory); returns it, stopped, ready for ``CRM_PGDATA``."""
    folder, record = choose_base_backup(moment)
    target = (target or default_pgdata(moment)).resolve()
    unpack(folder, target, progress)
    prepare_recovery(target, moment, wal.wal_dir())  # owned by the server's user (wal.give_to_server)
    sockets = socket_dir(target)
    progress(f"replaying the WAL archive up to {moment.isoformat()}")
    wal.pg_ctl(target, "-w", "-t", str(int(seconds)), "-l", str(target / "log"),
               "-o", f"-h '' -k {sockets}", "start", timeout=seconds + 30)  # fmt: skip
    try:
        wait_for_promotion(f"postgresql://postgres@/postgres?host={sockets}", target, seconds)
    finally:
        wal.pg_ctl(target, "-w", "-m", "fast", "stop")
    return target


def recovery_lines(target: Path) -> list[str]:
    """What the restored server's log says about where its recovery stopped."""
    log = target / "log"
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    wanted = ("recovery stopping", "last completed transaction", "selected new timeline")
    return [line.split("LOG:", 1)[-1].strip() for line in lines if any(text in line for text in wanted)]
