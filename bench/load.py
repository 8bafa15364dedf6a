"""Load at the `large` scale: the Locust scenario (bench/locust_crm.py) against gunicorn as `crm serve` runs it.

For each worker model given (default: the one `crm serve` uses): gunicorn on a loopback port, logged in as
crm_app on the `large` copy, then Locust headless on the same machine through the levels of users (5 reps
to 1 manager, 0.5 s think time), ``--spawn-rate`` a second, in one Locust run (users stay logged in for
the next level). A level's statistics are reset once all its users have logged in (the logins, argon2id
each, are not measured) and cover the next ``--seconds``. Prints requests/s, p50/p95/p99 (ms) and errors
per level, with the CPU milliseconds gunicorn, PostgreSQL and Locust itself spent per request, between two
machine-speed lines. The copy is vacuumed first; the activities the run logged are deleted after.

    python bench/load.py --pgdata /tmp/pgbench-scale --users 50,100,200
    python bench/load.py --pgdata /tmp/pgbench-scale --users 50,100 --models sync:2,gthread:2x8,gevent:2x50
"""

from __future__ import annotations

import argparse
import contextlib
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


def run_levels(url: str, levels: list[int], seconds: int, rate: float, plan: Path, prefix: Path,
               servers: dict) -> list[dict]:  # fmt: skip
    """One Locust run through every level (bench/locust_crm.py's Levels); each level's figures, with the CPU
    seconds gunicorn and PostgreSQL used in its measured part."""
    results = Path(f"{prefix}.jsonl")
    command = [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locust_crm.py"), "--headless",
               "--host", url, "--only-summary", "--loglevel", "WARNING"]  # fmt: skip
    env = dict(os.environ, CRM_LOAD_PLAN=str(plan), CRM_LOAD_LEVELS=",".join(map(str, levels)),
               CRM_LOAD_SECONDS=str(seconds), CRM_LOAD_SPAWN_RATE=str(rate), CRM_LOAD_MARKER=str(prefix),
               CRM_LOAD_RESULTS=str(results))  # fmt: skip
    locust = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=open(f"{prefix}.log", "wb"))
    servers = dict(servers, locust=[locust.pid])  # the load generator's share of the same cores
    cpu = []
    try:
        for users in levels:
            for what in ("start", "end"):
                while not Path(f"{prefix}.{users}.{what}").exists():
                    if locust.poll() is not None:
                        raise SystemExit(f"locust stopped: {Path(f'{prefix}.log').read_text()[-2000:]}")
                    time.sleep(0.1)
                cpu.append({name: cpu_seconds(pids) for name, pids in servers.items()})
        locust.wait(timeout=120)
    finally:
        if locust.poll() is None:
            locust.kill()
    lines = [json.loads(text) for text in results.read_text().splitlines()]
    for n, line in enumerate(lines):
        line["cpu"] = {name: cpu[2 * n + 1][name] - cpu[2 * n][name] for name in servers}
    return lines


def line(model: str, result: dict) -> str:
    count = result["requests"] or 1
    per_request = " ".join(f"{name} {seconds * 1000 / count:.1f}" for name, seconds in result["cpu"].items())
    return (f"{model:<14} {result['users']:>5} {result['rps']:>8.1f} {result['p50']:>7.0f} {result['p95']:>7.0f} "
            f"{result['p99']:>7.0f} {result['failures']:>7}  ({result['requests']} requests; CPU ms/request: "
            f"{per_request})")  # fmt: skip


def slowest(result: dict) -> str:
    return ", ".join(f"{name} p95 {p95:.0f}" for p95, name in result["slowest"])


def postmaster_pid(pgdata: Path) -> int:
    return int((pgdata / "postmaster.pid").read_text().split()[0])


def vacuum(admin) -> None:
    """VACUUM (ANALYZE) the copy first: every bench writes to it, and pages written since the last vacuum send
    index-only scans to the table (the top rep's dashboard took 18.7 ms before one, 11.5 ms after). A server in
    use has autovacuum keep up; the load is measured on a database in that state."""
    start = time.monotonic()
    with psycopg.connect(pg.libpq_url(admin), autocommit=True) as conn:
        conn.execute("vacuum (analyze)")
    print(f"vacuumed the copy in {time.monotonic() - start:.0f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pgdata", type=Path, default=Path("/tmp/pgbench-scale"))
    parser.add_argument("--users", default="50,100,200", help="Comma-separated numbers of simulated users.")
    parser.add_argument("--models", default=default_model(),
                        help="Comma-separated gunicorn models: sync:2, gthread:2x8, gevent:2x50 (default: serve's).")
    parser.add_argument("--seconds", type=int, default=60, help="Measured seconds per level (after the ramp).")
    parser.add_argument("--spawn-rate", type=float, default=5, help="Users started per second.")
    args = parser.parse_args()
    admin = large_database(args.pgdata)
    vacuum(admin)
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
                levels = [int(n) for n in args.users.split(",")]
                for result in run_levels(url, levels, args.seconds, args.spawn_rate, work / "plan.json",
                                         work / text.replace(":", "-"), servers):  # fmt: skip
                    print(line(text, result), flush=True)
                    print(f"{'':<14} slowest: {slowest(result)}", flush=True)
                    if result["errors"]:
                        print(f"{'':<14} errors: {'; '.join(result['errors'])}", flush=True)
                    if result.get("conflicts"):
                        print(f"{'':<14} {result['conflicts']} move(s) refused as conflicts (409: another session "
                              "moved the deal first; not errors)", flush=True)  # fmt: skip
            finally:
                process.terminate()
                process.wait(timeout=30)
    with psycopg.connect(pg.libpq_url(admin)) as conn:
        conn.execute("delete from crm.activities where subject = %s", (SUBJECT,))
    print(machine_speed(), flush=True)


if __name__ == "__main__":
    main()
