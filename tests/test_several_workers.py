"""Several `crm worker`s (and `crm serve`s) against one database: no job runs twice, no tick runs twice.

Two real worker processes take probe jobs (dashboard/jobs/scale.py) from a queue of their own; each run
appends one line to a file. 300 jobs deferred at once: each ran exactly once, and both workers took some.
The probe's schedule ticks every second in both workers: each tick was enqueued once and ran once.
Two app instances (two `crm serve`s, each its own pool) share the sessions: a login through one is
honoured by the other (the session lives in the database, the cookie is signed with the shared key).
"""

from __future__ import annotations

import time
from collections import Counter

import psycopg
import pytest

from dashboard import pg
from dashboard.jobs import scale
from tests.conftest import Auth, build_app, start_worker, stop_worker

JOBS = 300


def read_probe(path) -> list[tuple[str, int, int]]:
    if not path.exists():
        return []
    return [(kind, int(what), int(pid)) for kind, what, pid in (line.split() for line in path.read_text().splitlines())]


def test_two_workers_run_each_job_and_each_tick_once(admin_url, tmp_path, monkeypatch):
    monkeypatch.setenv("CRM_JOB_PROBE_DIR", str(tmp_path))
    log = tmp_path / "probe.log"
    workers = [start_worker(admin_url, "--queues", scale.PROBE_QUEUE, "--concurrency", "4",
                            log_path=tmp_path / f"worker{n}.log") for n in range(2)]  # fmt: skip
    try:
        with psycopg.connect(pg.libpq_url(admin_url)) as conn:
            conn.execute("set search_path to crm_jobs, public")
            for number in range(JOBS):
                scale.probe.configure(connection=conn).defer(number=number)
        deadline = time.monotonic() + 60
        while sum(kind == "job" for kind, _, _ in read_probe(log)) < JOBS or \
                len({what for kind, what, _ in read_probe(log) if kind == "tick"}) < 4:  # fmt: skip
            if time.monotonic() > deadline:
                pytest.fail(f"probes did not all run: {Counter(kind for kind, _, _ in read_probe(log))}")
            time.sleep(0.2)
    finally:
        codes = [stop_worker(worker) for worker in workers]
    assert codes == [0, 0]
    runs = read_probe(log)
    jobs = Counter(what for kind, what, _ in runs if kind == "job")
    # every job ran, none twice
    assert sorted(jobs) == list(range(JOBS)) and set(jobs.values()) == {1}
    # and both workers took some
    assert {pid for kind, _, pid in runs if kind == "job"} == {worker.pid for worker in workers}
    ticks = Counter(what for kind, what, _ in runs if kind == "tick")
    # each tick of the one-second schedule ran once, though both workers schedule it
    assert len(ticks) >= 4 and set(ticks.values()) == {1}, ticks
    with psycopg.connect(pg.libpq_url(admin_url), autocommit=True) as conn:
        enqueued = conn.execute(
            """select count(*), count(distinct args ->> 'timestamp') from crm_jobs.procrastinate_jobs
                where task_name = 'periodic_probe' and (args ->> 'timestamp')::bigint = any(%s)""",
            (list(ticks),),
        ).fetchone()
        assert enqueued == (len(ticks), len(ticks))
        conn.execute("delete from crm_jobs.procrastinate_jobs where queue_name = %s", (scale.PROBE_QUEUE,))


def test_a_session_started_through_one_app_instance_is_honoured_by_another(app_url, users):
    first, second = build_app(app_url), build_app(app_url)
    browser = first.test_client()
    assert Auth(browser).login(users["rep"]["email"]).status_code == 302
    cookie = browser.get_cookie("session")
    other = second.test_client()
    other.set_cookie("session", cookie.value)
    page = other.get("/account")
    assert page.status_code == 200
    assert "Test Rep" in page.get_data(as_text=True)


def test_serve_runs_the_worker_model_it_is_given():
    """`crm serve --worker-class/--threads` reach gunicorn (the default is the measured one, docs/scaling.md)."""
    from dashboard.cli import serve

    threaded = serve.gunicorn_command("127.0.0.1", 8000, 3, "gthread", 6)
    assert threaded[threaded.index("--workers") + 1] == "3"
    assert threaded[threaded.index("--worker-class") + 1] == "gthread" and threaded[threaded.index("--threads") + 1] == "6"
    default = serve.gunicorn_command("127.0.0.1", 8000, serve.DEFAULT_WORKERS)
    assert default[default.index("--worker-class") + 1] == serve.DEFAULT_WORKER_CLASS
