"""Backup and restore of a demo database, timed: ``crm db backup``'s archive (pg_dump and the table checksums in
one snapshot), then ``crm db restore`` of it into a fresh database on the same server (pg_restore in one
transaction, bootstrap, every table checked against the manifest), which is dropped after.

    python bench/backup.py --pgdata /tmp/pgbench-backup            # the large scale (loaded on first use)
    python bench/backup.py --pgdata /tmp/bench-backup-small --scale small

The archive goes to a temporary folder (``--keep`` leaves it). Stop the server after with SIGINT to its
postmaster (it stays up for the next run).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import psycopg
from psycopg import sql

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import large_database, machine_speed  # noqa: E402
from dashboard import migrate, pg  # noqa: E402
from dashboard.backup import logical, restore  # noqa: E402
from dashboard.demo import load_demo  # noqa: E402

RESTORED = "crm_bench_restored"


def database(pgdata: Path, scale: str):
    if scale == "large":
        return large_database(pgdata)
    admin = pg.start_embedded(pgdata.resolve())
    with psycopg.connect(pg.libpq_url(admin)) as conn:
        migrate.upgrade(conn, progress=lambda _: None)
        empty = not conn.execute("select exists (select from crm.deals)").fetchone()[0]
    if empty:
        load_demo(pg.libpq_url(admin), scale=scale, seed=42, progress=False)
    return admin


def drop(admin, name: str) -> None:
    with psycopg.connect(pg.libpq_url(admin.set(database="postgres")), autocommit=True) as conn:
        conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pgdata", type=Path, required=True)
    parser.add_argument("--scale", choices=["small", "large"], default="large")
    parser.add_argument("--keep", action="store_true", help="keep the archive (its folder is printed)")
    arguments = parser.parse_args()
    admin = database(arguments.pgdata, arguments.scale)
    print(machine_speed(), flush=True)
    folder = Path(tempfile.mkdtemp(prefix="crm-bench-backup-"))
    try:
        archive, manifest = logical.backup(admin, folder)
        rows = sum(entry["rows"] for entry in manifest["tables"].values())
        print(f"backup: {manifest['seconds']:.1f} s, archive {manifest['size_bytes'] / 2**20:,.1f} MiB of a "
              f"{manifest['database_size_bytes'] / 2**20:,.0f} MiB database, {len(manifest['tables'])} tables, "
              f"{rows:,} rows", flush=True)  # fmt: skip
        drop(admin, RESTORED)
        started = time.monotonic()
        done = restore.restore(archive, admin.set(database=RESTORED))
        print(f"restore (pg_restore, bootstrap, {done['tables']} tables checked): "
              f"{time.monotonic() - started:.1f} s", flush=True)  # fmt: skip
    finally:
        drop(admin, RESTORED)
        if arguments.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
