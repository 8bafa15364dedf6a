"""Webhooks: delivery latency from commit to receipt, events per second one worker delivers, and what the
capture triggers cost a 10,000-row import.

On its own throwaway embedded server (or ``--pgdata``): an endpoint pointing at a loopback receiver in this
process (``CRM_WEBHOOKS_ALLOW_PRIVATE=true``), one ``crm worker --queues webhooks`` (default concurrency 2).

* latency: ``--events`` single-row transactions (a company each) committed one after another ``--gap`` apart;
  for each, the receiver's arrival time minus the moment ``commit()`` returned; p50/p95/max (target p95 <= 2 s);
* rate: one transaction inserting ``--burst`` companies, then the time until the last event arrived;
* import cost: 10,000 companies inserted in one transaction (one multi-row statement, and 10,000 single-row
  statements) with the capture triggers disabled, enabled with no endpoint wanting the events, and enabled
  with an endpoint subscribed to company.created (rolled back each time).

    python bench/webhooks.py [--events 200] [--burst 2000] [--pgdata D]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine_speed, percentiles  # noqa: E402
from dashboard import credentials, migrate, pg  # noqa: E402
from dashboard.webhooks import delivery  # noqa: E402
from tests.webhook_receiver import Receiver  # noqa: E402

SECRET_KEY = "bench-secret-key-" + "x" * 32
IMPORT_ROWS = 10_000


def database(pgdata: Path) -> tuple[str, str]:
    """The migrated database's libpq URL, and a rep's id (created once)."""
    server = pg.start_embedded(pgdata.resolve())
    url = pg.libpq_url(server)
    with psycopg.connect(url) as conn:
        migrate.upgrade(conn, progress=lambda _: None)
        row = conn.execute("select id from crm.users where email = 'rep@webhooks.bench'").fetchone()
        rep = row[0] if row else conn.execute(
            "insert into crm.users (email, full_name, role) values ('rep@webhooks.bench', 'Bench Rep', 'rep')"
            " returning id").fetchone()[0]  # fmt: skip
    return url, str(rep)


def add_endpoint(url: str, receiver_url: str) -> str:
    sealed = credentials.encrypt_secret(delivery.new_secret(), purpose=delivery.PURPOSE, secret=SECRET_KEY)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("delete from crm.webhook_endpoints")
        conn.execute("delete from crm.webhook_events")
        conn.execute("delete from crm.companies where name like 'Bench hook %'")
        return str(conn.execute(
            "insert into crm.webhook_endpoints (url, events, secret) values (%s, '{company.created}', %s) returning id",
            (receiver_url, sealed)).fetchone()[0])  # fmt: skip


def start_worker(url: str, log: Path) -> subprocess.Popen:
    env = dict(os.environ, DATABASE_URL=url, CRM_SECRET_KEY=SECRET_KEY, CRM_WEBHOOKS_ALLOW_PRIVATE="true",
               CRM_WORKER_SKIP_PERIODIC="rescore,cleanup,forecast_snapshot,duplicate_scan,webhook_cleanup")  # fmt: skip
    env.pop("MIGRATION_DATABASE_URL", None)
    process = subprocess.Popen([sys.executable, "-m", "dashboard.cli", "worker", "--queues", "webhooks"], env=env,
                               stdout=log.open("ab"), stderr=subprocess.STDOUT)  # fmt: skip
    with psycopg.connect(url, autocommit=True) as conn:
        deadline = time.monotonic() + 60
        while not conn.execute("select exists (select from pg_stat_activity where application_name = %s)",
                               (f"crm worker {process.pid}",)).fetchone()[0]:  # fmt: skip
            if process.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"the worker did not start: {log.read_text()[-2000:]}")
            time.sleep(0.1)
    time.sleep(1)  # its listener is up
    return process


def arrivals(receiver: Receiver, ids: list[str], timeout: float) -> dict[str, float]:
    """Each event's arrival time, once all arrived (read incrementally: the receiver's thread keeps the GIL)."""
    wanted, deadline, got, seen = set(ids), time.monotonic() + timeout, {}, 0
    while time.monotonic() < deadline:
        with receiver.lock:
            new = receiver.received[seen:]
        seen += len(new)
        got.update((r.json["data"]["id"], r.at) for r in new)
        if wanted <= set(got):
            return got
        time.sleep(0.05)
    sys.exit(f"only {len(wanted & set(got))} of {len(wanted)} events arrived in {timeout:.0f} s")


def latency(url: str, rep: str, receiver: Receiver, events: int, gap: float) -> None:
    committed: dict[str, float] = {}
    with psycopg.connect(url) as conn:
        for n in range(events):
            company = str(conn.execute("insert into crm.companies (name, owner_id) values (%s, %s) returning id",
                                       (f"Bench hook {n}", rep)).fetchone()[0])  # fmt: skip
            conn.commit()
            committed[company] = time.time()
            time.sleep(gap)
    got = arrivals(receiver, list(committed), 60)
    samples = [(got[c] - t) * 1000 for c, t in committed.items()]
    p50, p95 = percentiles(samples)
    print(f"latency commit -> receipt over {events} events ({gap * 1000:.0f} ms apart): p50 {p50:.0f} ms, "
          f"p95 {p95:.0f} ms, max {max(samples):.0f} ms (target p95 <= 2000 ms)")  # fmt: skip


def rate(url: str, rep: str, receiver: Receiver, burst: int) -> None:
    with psycopg.connect(url) as conn:
        ids = [str(r[0]) for r in conn.execute(
            "insert into crm.companies (name, owner_id) select 'Bench hook burst ' || g, %s"
            " from generate_series(1, %s) g returning id", (rep, burst)).fetchall()]  # fmt: skip
        conn.commit()
        started = time.time()
    got = arrivals(receiver, ids, 600)
    seconds = max(got[i] for i in ids) - started
    print(f"rate: {burst} events committed in one transaction delivered in {seconds:.1f} s: "
          f"{burst / seconds:.0f} events/s by one worker")  # fmt: skip


def import_cost(url: str, rep: str, repeats: int = 3) -> None:
    """10,000 companies in one transaction, rolled back: triggers off / on with no subscriber / subscribed; the
    best of ``repeats`` runs each (the machine is shared)."""
    rows = [(f"Bench import {n}", rep) for n in range(IMPORT_ROWS)]
    for label in ("capture triggers disabled", "no endpoint wants company events", "an endpoint subscribed"):
        best = [float("inf"), float("inf")]
        for _ in range(repeats):
            with psycopg.connect(url) as conn:
                if label.startswith("capture"):
                    conn.execute("alter table crm.companies disable trigger webhook_capture_insert")
                if label.startswith("no endpoint"):
                    conn.execute("update crm.webhook_endpoints set active = false")
                before = conn.execute("select count(*) from crm.webhook_events").fetchone()[0]
                started = time.perf_counter()
                conn.execute("insert into crm.companies (name, owner_id) select 'Bench import ' || g, %s"
                             " from generate_series(1, %s) g", (rep, IMPORT_ROWS))  # fmt: skip
                best[0] = min(best[0], time.perf_counter() - started)
                started = time.perf_counter()
                with conn.cursor() as cursor:
                    cursor.executemany("insert into crm.companies (name, owner_id) values (%s, %s)", rows)
                best[1] = min(best[1], time.perf_counter() - started)
                events = conn.execute("select count(*) from crm.webhook_events").fetchone()[0] - before
                conn.rollback()
        print(f"import of {IMPORT_ROWS} companies, {label}: one statement {best[0]:.2f} s, "
              f"{IMPORT_ROWS} single-row statements {best[1]:.2f} s ({events} events written)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pgdata", type=Path, default=None, help="a kept server's data (default: a throwaway one)")
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--gap", type=float, default=0.05, help="seconds between the latency commits")
    parser.add_argument("--burst", type=int, default=2000)
    args = parser.parse_args()
    pgdata = args.pgdata or Path(tempfile.mkdtemp(prefix="crm-bench-webhooks-")) / "pgdata"
    print(machine_speed())
    url, rep = database(pgdata)
    receiver = Receiver()
    add_endpoint(url, receiver.url)
    worker = start_worker(url, pgdata.parent / "webhooks-worker.log")
    try:
        latency(url, rep, receiver, args.events, args.gap)
        rate(url, rep, receiver, args.burst)
    finally:
        worker.terminate()
        worker.wait(30)
        receiver.close()
    import_cost(url, rep)


if __name__ == "__main__":
    main()
