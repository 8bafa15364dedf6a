"""`crm serve` for real: gunicorn with two workers on a loopback port, against
the test database. Login throttling is stored in PostgreSQL, so it holds
whichever worker answers (SECURITY.md T13). Serve starts one job-queue worker
beside gunicorn (`crm worker`), none with --no-worker, and stops it when it stops."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import psycopg
import pytest

from dashboard import pg
from tests.conftest import WORKER_ENV

CRM = str(Path(sys.executable).with_name("crm"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_serve(admin_url, *options: str) -> tuple[subprocess.Popen, str]:
    """`crm serve` on a free port, once it answers /healthz."""
    port = free_port()
    env = dict(os.environ, DATABASE_URL=pg.libpq_url(admin_url), CRM_SECRET_KEY="serve-test-" + "k" * 40,
               **WORKER_ENV)  # fmt: skip
    env.pop("MIGRATION_DATABASE_URL", None)
    process = subprocess.Popen(
        [CRM, "serve", "--port", str(port), "--workers", "2", *options], env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("crm serve did not come up: " + process.stdout.read().decode()[-2000:])
    return process, base


@pytest.fixture(scope="module")
def served(admin_url, users):
    process, base = start_serve(admin_url)
    yield process, base
    process.terminate()
    process.wait(timeout=40)


@pytest.fixture(scope="module")
def server(served):
    return served[1]


def job_workers_of(parent: int) -> list[int]:
    """The pids of the `crm worker` processes whose parent is ``parent``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes().split(b"\0")
        except (OSError, IndexError, ValueError):
            continue
        if ppid == parent and b"dashboard.cli" in command and b"worker" in command:
            found.append(int(stat.parent.name))
    return found


def worker_connected(admin_url, pid: int) -> bool:
    with psycopg.connect(pg.libpq_url(admin_url), autocommit=True) as conn:
        return conn.execute("select exists (select from pg_stat_activity where application_name = %s)",
                            (f"crm worker {pid}",)).fetchone()[0]  # fmt: skip


def attempt(base: str, email: str, password: str) -> int:
    """One login attempt in a fresh browser session (new connection each time)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login", timeout=10).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password}).encode()
    try:
        return opener.open(f"{base}/login", data=data, timeout=10).status
    except urllib.error.HTTPError as error:
        return error.code


def test_serve_answers_health_and_login_page(server):
    assert urllib.request.urlopen(f"{server}/healthz", timeout=5).read() == b'{"database":"ok","status":"ok"}\n'
    assert "Log in" in urllib.request.urlopen(f"{server}/login", timeout=5).read().decode()


def test_login_throttle_holds_across_workers(server):
    email = f"lockout-{uuid.uuid4().hex[:8]}@test.example"
    answers = [attempt(server, email, "wrong-password") for _ in range(5)]
    # three free failures from this address, then the pair waits, whichever worker took it
    assert answers == [200, 200, 200, 429, 429]


def test_serve_starts_one_job_worker_on_the_same_database(served, admin_url):
    process, _ = served
    workers = job_workers_of(process.pid)
    assert len(workers) == 1
    deadline = time.monotonic() + 30
    while not worker_connected(admin_url, workers[0]):
        assert time.monotonic() < deadline, "the worker never connected"
        time.sleep(0.2)


def test_serve_without_worker_starts_none(admin_url, users):
    process, base = start_serve(admin_url, "--no-worker")
    try:
        assert urllib.request.urlopen(f"{base}/healthz", timeout=5).status == 200
        assert job_workers_of(process.pid) == []
    finally:
        process.terminate()
        assert process.wait(timeout=40) == 0


def metric(base: str, name: str, **labels) -> float:
    from prometheus_client.parser import text_string_to_metric_families

    body = urllib.request.urlopen(f"{base}/metrics", timeout=10).read().decode()
    return sum(s.value for family in text_string_to_metric_families(body) for s in family.samples
               if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()))  # fmt: skip


def test_metrics_add_up_every_gunicorn_worker(server):
    """Each worker counts in its own files (PROMETHEUS_MULTIPROC_DIR); a scrape, whichever worker answers it,
    adds them all up: 20 health checks spread over two workers count 20."""
    name, labels = "crm_http_request_duration_seconds_count", {"endpoint": "main.healthz", "method": "GET"}
    before = metric(server, name, **labels)
    for _ in range(20):
        urllib.request.urlopen(f"{server}/healthz", timeout=5).read()
    assert metric(server, name, **labels) - before == 20
    # two workers, each with its pool of 5 + 5 overflow
    assert metric(server, "crm_db_pool_connections_max") == 20


def test_stopping_serve_stops_its_worker(served, admin_url):
    """Last in this file: it stops the module's server. SIGTERM stops gunicorn and the job worker, which
    leaves the database cleanly (its connections closed)."""
    process, _ = served
    (worker,) = job_workers_of(process.pid)
    process.terminate()
    assert process.wait(timeout=40) == 0
    assert not Path(f"/proc/{worker}").exists()
    assert not worker_connected(admin_url, worker)
    # no CRM_SMTP_URL: notifications stay in the app, and serve (its worker) said so once
    output = process.stdout.read().decode()
    assert output.count("email: CRM_SMTP_URL is not set: notifications are shown in the app only") == 1, output[-3000:]
