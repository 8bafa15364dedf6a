"""Load at the `large` scale: the Locust scenario (bench/locust_crm.py) against gunicorn as `crm serve` runs it.

For each worker model given (default: the one `crm serve` uses) and each number of users: gunicorn on a
loopback port, logged in as crm_app on the `large` copy, then Locust headless on the same machine with
that many users (5 reps to 1 manager, 0.5 s think time), spawned over ``--ramp`` seconds; the statistics
are reset once all have logged in (the logins, argon2id each, are not measured) and cover the next
``--seconds``. Prints requests/s, p50/p95/p99 (ms)
and errors per level, with the CPU milliseconds gunicorn and PostgreSQL spent per request, between two
machine-speed lines. The activities the run logged are deleted after.

    python bench/load.py --pgdata /tmp/pgbench-scale --users 50,100,200
    python bench/load.py --pgdata /tmp/pgbench-scale --users 50,100 --models sync:2,gthread:2x8,gevent:2x50
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import large_database, machine_speed  # noqa: E402
from dashboard import pg  # noqa: E402
from dashboard.cli import serve  # noqa: E402
from dashboard.demo import DEMO_PASSWORD  # noqa: E402

SUBJECT = "Load test follow-up"  # what the scenario's activities are called (deleted after the run)


def parse_model(text: str) -> tuple[str, int, int]:
    """``sync:2``, ``gthread:2x8`` (workers x threads), ``gevent:2x50`` (workers x greenlets)."""
    kind, _, size = text.partition(":")
    workers, _, threads = (size or str(serve.DEFAULT_WORKERS)).partition("x")
    return kind, int(workers), int(threads or 1)


def default_model() -> str:
    return f"{serve.DEFAULT_WORKER_CLASS}:{serve.DEFAULT_WORKERS}x{serve.DEFAULT_THREADS}"


def write_plan(admin, path: Path) -> None:
    """Who the simulated people log in as, the open stages deals move between, each manager's reps."""
    with psycopg.connect(pg.libpq_url(admin)) as conn:
        emails = lambda role: [r[0] for r in conn.execute(  # noqa: E731
            "select email from crm.users where role = %s and is_active order by email", (role,))]  # fmt: skip
        stages = [str(r[0]) for r in conn.execute("select id from crm.deal_stages where not is_won and not is_lost")]
        reps_of: dict[str, list[str]] = {}
        for manager, rep in conn.execute("""select m.email, r.id from crm.users r
                                              join crm.users m on m.id = r.manager_id
                                             where r.role = 'rep' and r.is_active"""):  # fmt: skip
            reps_of.setdefault(manager, []).append(str(rep))
        plan = {"reps": emails("rep"), "managers": emails("manager"), "password": DEMO_PASSWORD,
                "open_stages": stages, "reps_of": reps_of}  # fmt: skip
    path.write_text(json.dumps(plan))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(admin, model: tuple[str, int, int], instance: Path, log: Path) -> tuple[subprocess.Popen, str]:
    kind, workers, threads = model
    port = free_port()
    env = dict(os.environ, CRM_SQLALCHEMY_DATABASE_URI=pg.app_url_for(admin).render_as_string(hide_password=False),
               CRM_SECRET_KEY=secrets.token_hex(32), CRM_INSTANCE_PATH=str(instance))  # fmt: skip
    command = serve.gunicorn_command("127.0.0.1", port, workers, kind, threads)
    with open(log, "ab") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=out, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/login", timeout=2).read()
            return process, url
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise SystemExit(f"gunicorn did not start: {log.read_text()[-2000:]}") from None
            time.sleep(0.3)


def cpu_seconds(pids: list[int]) -> float:
    """CPU time (user + system) of these processes and their children, living and reaped."""
    import psutil

    total = 0.0
    for pid in pids:
        try:
            parent = psutil.Process(pid)
            times = parent.cpu_times()
            total += times.user + times.system + times.children_user + times.children_system
            for child in parent.children(recursive=True):
                with contextlib.suppress(psutil.NoSuchProcess):
                    times = child.cpu_times()
                    total += times.user + times.system
        except psutil.NoSuchProcess:
            continue
    return total


def run_locust(url: str, users: int, ramp: float, seconds: int, plan: Path, prefix: Path, servers: dict) -> dict:
    """One level; the aggregated row of Locust's statistics (after the reset that follows the ramp), and
    the CPU seconds gunicorn and PostgreSQL used in the measured part."""
    rate = max(1.0, users / ramp)
    command = [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locust_crm.py"), "--headless",
               "--host", url, "-u", str(users), "-r", f"{rate:.2f}", "-t", f"{int(ramp + seconds + 600)}s",
               "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"]  # fmt: skip
    marker = Path(f"{prefix}.measuring")
    env = dict(os.environ, CRM_LOAD_PLAN=str(plan), CRM_LOAD_SECONDS=str(seconds), CRM_LOAD_MARKER=str(marker))
    locust = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=open(f"{prefix}.log", "wb"))
    while not marker.exists() and locust.poll() is None:
        time.sleep(0.1)
    before = {name: cpu_seconds(pids) for name, pids in servers.items()}
    locust.wait(timeout=seconds + 900)
    used = {name: cpu_seconds(pids) - before[name] for name, pids in servers.items()}
    with open(f"{prefix}_stats.csv") as handle:
        rows = list(csv.DictReader(handle))
    return {"rows": rows, "total": next(r for r in rows if r["Name"] == "Aggregated"), "cpu": used}


def line(model: str, users: int, result: dict) -> str:
    total, cpu = result["total"], result["cpu"]
    count = int(total["Request Count"]) or 1
    per_request = " ".join(f"{name} {seconds * 1000 / count:.1f}" for name, seconds in cpu.items())
    return (f"{model:<14} {users:>5} {float(total['Requests/s']):>8.1f} {total['50%']:>7} {total['95%']:>7} "
            f"{total['99%']:>7} {int(total['Failure Count']):>7}  ({count} requests; CPU ms/request: {per_request})")


def slowest(rows: list[dict], count: int = 4) -> str:
    named = [r for r in rows if r["Name"] != "Aggregated" and r["95%"] not in ("", "N/A")]
    named.sort(key=lambda r: -float(r["95%"] or 0))
    return ", ".join(f"{r['Name']} p95 {r['95%']}" for r in named[:count])


def postmaster_pid(pgdata: Path) -> int:
    return int((pgdata / "postmaster.pid").read_text().split()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pgdata", type=Path, default=Path("/tmp/pgbench-scale"))
    parser.add_argument("--users", default="50,100,200", help="Comma-separated numbers of simulated users.")
    parser.add_argument("--models", default=default_model(),
                        help="Comma-separated gunicorn models: sync:2, gthread:2x8, gevent:2x50 (default: serve's).")
    parser.add_argument("--seconds", type=int, default=60, help="Measured seconds per level (after the ramp).")
    parser.add_argument("--ramp", type=float, default=20, help="Seconds over which the users log in.")
    args = parser.parse_args()
    admin = large_database(args.pgdata)
    print(machine_speed(), flush=True)
    print(f"{'model':<14} {'users':>5} {'req/s':>8} {'p50':>7} {'p95':>7} {'p99':>7} {'errors':>7}", flush=True)
    with tempfile.TemporaryDirectory(prefix="crm-load-") as name:
        work = Path(name)
        write_plan(admin, work / "plan.json")
        for text in args.models.split(","):
            model = parse_model(text)
            process, url = start_gunicorn(admin, model, work / "instance", work / "gunicorn.log")
            servers = {"app": [process.pid], "db": [postmaster_pid(args.pgdata)]}
            try:
                for users in [int(n) for n in args.users.split(",")]:
                    result = run_locust(url, users, args.ramp, args.seconds, work / "plan.json",
                                        work / f"{model[0]}-{users}", servers)  # fmt: skip
                    print(line(text, users, result), flush=True)
                    print(f"{'':<14} slowest: {slowest(result['rows'])}", flush=True)
            finally:
                process.terminate()
                process.wait(timeout=30)
    with psycopg.connect(pg.libpq_url(admin)) as conn:
        conn.execute("delete from crm.activities where subject = %s", (SUBJECT,))
    print(machine_speed(), flush=True)


if __name__ == "__main__":
    main()
