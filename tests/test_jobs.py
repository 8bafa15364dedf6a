"""The job queue (dashboard/jobs) with real `crm worker` processes on the test database.

A web request enqueues an import that the worker runs (its rows then exist, written as the admin under
row-level security); a periodic tick runs once however many workers there are; a worker killed in the
middle of an import leaves none of the import's rows, and another worker's stalled-job recovery marks
the job and the run failed. The queue's schema is the installed Procrastinate's (test_jobs_schema.py).
"""

from __future__ import annotations

import io
import os
import signal
import time
import uuid

import psycopg
import pytest

from dashboard import pg
from dashboard.jobs import queue, tasks
from dashboard.legacy import runs
from dashboard.legacy.importer import ACTIVITY_COLUMNS, DEAL_COLUMNS
from tests.conftest import Auth, start_worker, stop_worker

WORDS = ["Alder", "Birch", "Cedar", "Damson", "Elm", "Fir", "Gorse", "Hazel", "Ivy", "Juniper", "Kale", "Larch",
         "Maple", "Nettle", "Oak", "Pine", "Quince", "Rowan", "Sorrel", "Teak"]  # fmt: skip
TABLES = ("companies", "contacts", "deals", "activities", "legacy_deals", "legacy_activities")


def wait_for(conn, sql: str, params=(), timeout: float = 60, what: str = "condition"):
    """Poll ``sql`` (autocommit) until its first value is truthy; return the row."""
    deadline = time.monotonic() + timeout
    while True:
        row = conn.execute(sql, params).fetchone()
        if row and row[0]:
            return row
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}: last {row}")
        time.sleep(0.1)


def counts(conn) -> dict:
    count = psycopg.sql.SQL("select count(*) from crm.{}")
    return {t: conn.execute(count.format(psycopg.sql.Identifier(t))).fetchone()[0] for t in TABLES}


def legacy_files(tag: str, rows: int = 3) -> tuple[str, str]:
    """``rows`` deals of distinct new companies, each with one activity; every name carries ``tag``."""
    deals = [",".join(DEAL_COLUMNS)]
    activities = [",".join(ACTIVITY_COLUMNS)]
    for n in range(1, rows + 1):
        deals.append(",".join([f"JQ{tag}-{n}", f"Queue deal {tag} {n}", f"{WORDS[n - 1]} {tag} Works", f"Ann Lee{n}",
                               f"ann{n}@{WORDS[n - 1].lower()}-{tag}.example", "", "1000", "Lead", "admin@test.example", "", ""]))  # fmt: skip
        activities.append(",".join([f"JA{tag}-{n}", "admin@test.example", "call", "completed", f"{WORDS[n - 1]} {tag} Works",
                                    f"ann{n}@{WORDS[n - 1].lower()}-{tag}.example", f"call {tag}", "2026-11-02 10:00", "",
                                    f"JQ{tag}-{n}"]))  # fmt: skip
    return "\n".join(deals) + "\n", "\n".join(activities) + "\n"


@pytest.fixture
def autocommit(admin_url):
    with psycopg.connect(pg.libpq_url(admin_url), autocommit=True) as conn:
        yield conn


@pytest.fixture
def tag(admin_url):
    """A unique name part; everything an import made with it is deleted at the end."""
    tag = uuid.uuid4().hex[:8]
    yield tag
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        conn.execute("delete from crm.activities where details like %s", (f"%{tag}%",))
        conn.execute("delete from crm.legacy_activities where legacy_id like %s", (f"JA{tag}-%",))
        conn.execute("delete from crm.legacy_deals where legacy_id like %s", (f"JQ{tag}-%",))
        conn.execute("delete from crm.legacy_import_runs where file_name like %s", (f"%{tag}%",))
        conn.execute("delete from crm.deals where name like %s", (f"%{tag}%",))
        conn.execute("delete from crm.contacts where email like %s", (f"%{tag}%",))
        conn.execute("delete from crm.companies where name like %s", (f"%{tag}%",))


def test_a_web_request_enqueues_an_import_that_the_worker_runs(app, users, job_worker, autocommit, tag):
    deals, activities = legacy_files(tag)
    before = counts(autocommit)
    client = app.test_client()  # no test rollback: the request commits, the worker sees the run
    Auth(client).login(users["admin"]["email"])
    token = Auth(client).csrf_token("/admin/legacy/")
    response = client.post("/admin/legacy/", content_type="multipart/form-data", data={
        "csrf_token": token, "deals": (io.BytesIO(deals.encode()), f"deals-{tag}.csv"),
        "activities": (io.BytesIO(activities.encode()), f"activities-{tag}.csv"),
    })  # fmt: skip
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    run_id = response.headers["Location"].rsplit("/", 1)[-1]
    # the request committed the run and its job together; the job names the run only
    job = autocommit.execute(
        "select queue_name, args from crm_jobs.procrastinate_jobs where task_name = 'import_run' and args ->> 'run_id' = %s",
        (run_id,),
    ).fetchone()
    assert job == ("imports", {"run_id": run_id})
    status, written = wait_for(
        autocommit, "select status in ('completed', 'failed'), rows_written, status from crm.legacy_import_runs where id = %s",
        (run_id,), what="the worker to finish the import",
    )[2:0:-1]  # fmt: skip
    assert (status, written) == ("completed", 6)  # 3 deals + 3 activities
    # the worker's effect is visible: three deals (three new companies and contacts), three activities
    after = counts(autocommit)
    assert {t: after[t] - before[t] for t in TABLES} == {
        "companies": 3, "contacts": 3, "deals": 3, "activities": 3, "legacy_deals": 3, "legacy_activities": 3,
    }  # fmt: skip
    # written as the admin through crm_app (the audit log names the acting user), and the job succeeded
    owners = autocommit.execute("select distinct owner_id from crm.deals where name like %s", (f"%{tag}%",)).fetchall()
    assert owners == [(users["admin"]["id"],)]
    assert autocommit.execute(
        """select j.status::text from crm_jobs.procrastinate_jobs j
            where j.task_name = 'import_run' and j.args ->> 'run_id' = %s""", (run_id,)
    ).fetchone() == ("succeeded",)
    # the run page shows the report
    page = client.get(f"/admin/legacy/runs/{run_id}").get_data(as_text=True)
    assert "Imported:" in page


def test_the_app_role_enqueues_only_imports_of_runs_it_can_see(admin_conn, users):
    """crm_app (row-level security) may enqueue the import of a visible queued run, and nothing else."""
    run_id = runs.create(admin_conn, source="upload", started_by=users["admin"]["id"], deals_csv="x")
    admin_conn.execute("set local role crm_app")
    admin_conn.execute("select set_config('search_path', 'crm, app, crm_jobs', true)")

    def enqueue(acting, task="import_run", queue_name="imports", args=None):
        admin_conn.execute("select set_config('app.user_id', %s, true)", (str(acting),))
        with admin_conn.transaction():
            admin_conn.execute(
                """select procrastinate_defer_jobs_v1(array[row(%s, %s, 0, null, null, %s, null)]::
                          procrastinate_job_to_defer_v1[])""",
                (queue_name, task, psycopg.types.json.Jsonb(args or {"run_id": str(run_id)})),
            )

    enqueue(users["admin"]["id"])  # the admin's own legacy run: admitted
    for acting, task, queue_name, args in [
        (users["rep"]["id"], "import_run", "imports", None),  # a rep cannot see an admin's legacy run
        (users["admin"]["id"], "rescore", "maintenance", {}),  # not a task the app enqueues
        (users["admin"]["id"], "import_run", "maintenance", None),  # not its queue
        (users["admin"]["id"], "import_run", "imports", {"run_id": str(uuid.uuid4())}),  # no such run
    ]:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            enqueue(acting, task, queue_name, args)
    # it never reads the workers, the periodic ticks or another user's jobs, nor finishes a job
    admin_conn.execute("select set_config('app.user_id', %s, true)", (str(users["rep"]["id"]),))
    assert admin_conn.execute("select count(*) from procrastinate_jobs").fetchone()[0] == 0
    for sql in ("select * from procrastinate_workers", "select * from procrastinate_periodic_defers",
                "update procrastinate_jobs set status = 'succeeded'", "delete from procrastinate_events",
                "select procrastinate_fetch_job_v2(null, 1)"):  # fmt: skip
        with pytest.raises(psycopg.errors.InsufficientPrivilege), admin_conn.transaction():
            admin_conn.execute(sql)


def test_a_periodic_tick_runs_once_with_two_workers(job_worker, admin_url, autocommit, tmp_path):
    """The stalled-job recovery ticks every 2 s here; with two workers each tick is one job, run once."""
    assert ("recover_stalled_jobs", "frequent") in queue.app.periodic_registry.periodic_tasks
    started = autocommit.execute("select now()").fetchone()[0]
    second = start_worker(admin_url, "--queues", "maintenance", log_path=tmp_path / "second.log")
    try:
        wait_for(autocommit, """select count(distinct args ->> 'timestamp') >= 4 from crm_jobs.procrastinate_jobs j
                                 where task_name = 'recover_stalled_jobs' and status = 'succeeded'
                                   and exists (select from crm_jobs.procrastinate_events e where e.job_id = j.id
                                               and e.type = 'deferred' and e.at >= %s)""",
                 (started,), what="four ticks")  # fmt: skip
    finally:
        assert stop_worker(second) == 0
    ticks = autocommit.execute(
        """select (j.args ->> 'timestamp')::bigint, count(distinct j.id),
                  count(*) filter (where e.type = 'started')
             from crm_jobs.procrastinate_jobs j join crm_jobs.procrastinate_events e on e.job_id = j.id
            where j.task_name = 'recover_stalled_jobs'
              and j.id >= (select min(job_id) from crm_jobs.procrastinate_events where type = 'deferred' and at >= %s)
            group by 1 order by 1""",
        (started,),
    ).fetchall()
    # one job per tick, started once; the ticks are the cron's, two seconds apart
    assert [(jobs, starts) for _, jobs, starts in ticks] == [(1, 1)] * len(ticks), ticks
    stamps = [stamp for stamp, _, _ in ticks]
    assert all(b - a == 2 for a, b in zip(stamps, stamps[1:], strict=False)), stamps


def test_a_worker_killed_mid_import_leaves_nothing_and_the_run_is_marked_failed(
    job_worker, admin_url, autocommit, users, tag, tmp_path
):
    deals, activities = legacy_files(tag, rows=20)
    before = counts(autocommit)
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        run_id = runs.create(conn, source="upload", started_by=users["admin"]["id"], file_name=f"deals-{tag}.csv",
                             deals_csv=deals, activities_csv=activities)  # fmt: skip
        # a queue of its own, so that this worker (not the session's) takes the job
        conn.execute("set search_path = crm_jobs")
        job_id = tasks.import_run.configure(queue="kill-test", connection=conn).defer(run_id=str(run_id))
        conn.commit()
    blocker = psycopg.connect(pg.libpq_url(admin_url))
    try:
        # the import writes companies, contacts, deals and legacy rows, then waits to write activities
        blocker.execute("lock table crm.activities in share mode")
        doomed = start_worker(admin_url, "--queues", "kill-test", log_path=tmp_path / "doomed.log")
        _, phase, statement = wait_for(
            autocommit, """select a.wait_event_type = 'Lock', r.phase, a.query
                             from crm.legacy_import_runs r join pg_stat_activity a on a.pid = r.backend_pid
                            where r.id = %s""", (run_id,), what="the import to wait for its activities",
        )  # fmt: skip
        # past its companies, contacts, deals and legacy rows (its progress runs ahead of its writer thread)
        assert phase in ("writing activities", "linking meetings") and 'insert into "crm"."activities"' in statement
        # mid-import: its rows so far exist only in its open transaction
        assert counts(autocommit) == before
        os.kill(doomed.pid, signal.SIGKILL)
        doomed.wait()
    finally:
        blocker.close()
    # the session's worker finds the dead worker's job and marks it failed, and the run with it
    status, error = wait_for(
        autocommit,
        """select j.status = 'failed' and r.status = 'failed', j.status::text, r.error
             from crm_jobs.procrastinate_jobs j, crm.legacy_import_runs r where j.id = %s and r.id = %s""",
        (job_id, run_id), what="the stalled job and its run to be marked failed",
    )[1:]  # fmt: skip
    assert (status, error) == ("failed", runs.INTERRUPTED)
    assert counts(autocommit) == before  # nothing of the import was written
    # the run keeps its files: it can be run again
    assert autocommit.execute("select deals_csv is not null from crm.legacy_import_runs where id = %s",
                              (run_id,)).fetchone() == (True,)  # fmt: skip


def test_the_nightly_and_monthly_tasks_are_scheduled():
    """The periodic tasks as SCHEDULE lists them (this process schedules them all; the test workers skip the
    nightly and monthly ones)."""
    scheduled = {(key[0], task.cron) for key, task in queue.app.periodic_registry.periodic_tasks.items()}
    assert {("rescore", "0 3 * * *"), ("cleanup", "30 4 * * *"), ("forecast_snapshot", "15 0 1 * *")} <= scheduled
    assert ("recover_stalled_jobs", tasks.SCHEDULE["recover_stalled_jobs"]) in scheduled


def test_cleanup_removes_what_is_old_and_keeps_the_rest(job_worker, autocommit, users):
    """A cleanup job run by the worker: each row below is a day either side of its limit."""
    admin = users["admin"]["id"]
    sessions = {name: os.urandom(32) for name in ("expired_8d", "expired_6d", "revoked_10d", "live")}
    for name, (created, expires, revoked) in {
        "expired_8d": ("20 days", "8 days", None),  # expired more than 7 days ago: deleted
        "expired_6d": ("20 days", "6 days", None),  # expired 6 days ago: kept
        "revoked_10d": ("20 days", "-5 days", "10 days"),  # revoked 10 days ago (still unexpired): deleted
        "live": ("1 day", "-1 day", None),  # kept
    }.items():  # fmt: skip
        autocommit.execute(
            """insert into crm.sessions (token_hash, user_id, purpose, created_at, expires_at, revoked_at)
               values (%s, %s, 'job', now() - %s::interval, now() - %s::interval, now() - %s::interval)""",
            (sessions[name], admin, created, expires, revoked),
        )
    run = {}
    for name, status, age in [("draft_8d", "draft", "8 days"), ("draft_1d", "draft", "1 day"),
                              ("done_31d", "completed", "31 days"), ("failed_29d", "failed", "29 days")]:  # fmt: skip
        run[name] = autocommit.execute(
            """insert into crm.legacy_import_runs (source, started_by, entity, status, deals_csv, started_at, finished_at)
               values ('upload', %s, 'companies', %s, 'name\nAcme\n', now() - %s::interval,
                       case when %s <> 'draft' then now() - %s::interval end) returning id""",
            (admin, status, age, status, age),
        ).fetchone()[0]
    old_jobs = {}
    for name, status, age in [("succeeded_8d", "succeeded", "8 days"), ("succeeded_6d", "succeeded", "6 days"),
                              ("failed_29d", "failed", "29 days"), ("failed_31d", "failed", "31 days")]:  # fmt: skip
        old_jobs[name] = autocommit.execute(
            """with job as (insert into crm_jobs.procrastinate_jobs (queue_name, task_name, status)
                            values ('maintenance', 'old-' || %s, %s::crm_jobs.procrastinate_job_status) returning id)
               insert into crm_jobs.procrastinate_events (job_id, type, at)
               select id, %s::crm_jobs.procrastinate_job_event_type, now() - %s::interval from job returning job_id""",
            (name, status, status, age),
        ).fetchone()[0]
    try:
        with autocommit.transaction():
            autocommit.execute("set local search_path = crm_jobs")
            job_id = tasks.cleanup.configure(connection=autocommit).defer(timestamp=0)
        wait_for(autocommit, "select status::text in ('succeeded', 'failed') from crm_jobs.procrastinate_jobs where id = %s",
                 (job_id,), what="the cleanup job")  # fmt: skip
        assert autocommit.execute("select status::text from crm_jobs.procrastinate_jobs where id = %s",
                                  (job_id,)).fetchone() == ("succeeded",)  # fmt: skip
        kept_sessions = {name for name, token in sessions.items() if autocommit.execute(
            "select 1 from crm.sessions where token_hash = %s", (token,)).fetchone()}  # fmt: skip
        assert kept_sessions == {"expired_6d", "live"}
        runs_left = dict(autocommit.execute(
            "select id, deals_csv is not null from crm.legacy_import_runs where id = any(%s)", (list(run.values()),)
        ).fetchall())  # fmt: skip
        assert {name: runs_left.get(rid) for name, rid in run.items()} == {
            "draft_8d": None, "draft_1d": True, "done_31d": False, "failed_29d": True}  # fmt: skip
        jobs_left = {name for name, jid in old_jobs.items() if autocommit.execute(
            "select 1 from crm_jobs.procrastinate_jobs where id = %s", (jid,)).fetchone()}  # fmt: skip
        assert jobs_left == {"succeeded_6d", "failed_29d"}
    finally:
        autocommit.execute("delete from crm.sessions where token_hash = any(%s)", (list(sessions.values()),))
        autocommit.execute("delete from crm.legacy_import_runs where id = any(%s)", (list(run.values()),))
        autocommit.execute("delete from crm_jobs.procrastinate_jobs where id = any(%s)", (list(old_jobs.values()),))


def test_stalled_jobs_of_a_dead_worker_are_retried_when_safe_else_marked_failed(job_worker, autocommit, users):
    """A worker that died (its heartbeat a minute old) left a cleanup and an import job running: the session's
    worker retries the cleanup (and runs it) and marks the import failed."""
    dead = autocommit.execute(
        "insert into crm_jobs.procrastinate_workers (last_heartbeat) values (now() - interval '1 minute') returning id"
    ).fetchone()[0]
    run_id = autocommit.execute(
        """insert into crm.legacy_import_runs (source, started_by, status, phase, deals_csv, backend_pid)
           values ('upload', %s, 'running', 'writing deals', 'x', 0) returning id""", (users["admin"]["id"],)
    ).fetchone()[0]  # fmt: skip
    left = {}
    for task, args in [("cleanup", {"timestamp": 0}), ("import_run", {"run_id": str(run_id)})]:
        left[task] = autocommit.execute(
            """insert into crm_jobs.procrastinate_jobs (queue_name, task_name, args, status, worker_id)
               values (%s, %s, %s, 'doing', %s) returning id""",
            ("maintenance" if task == "cleanup" else "imports", task, psycopg.types.json.Jsonb(args), dead),
        ).fetchone()[0]
    try:
        wait_for(autocommit, """select bool_and(status::text in ('succeeded', 'failed'))
                                  from crm_jobs.procrastinate_jobs where id = any(%s)""",
                 (list(left.values()),), what="both jobs to end")  # fmt: skip
        ended = {task: (status, attempts) for task, status, attempts in autocommit.execute(
            "select task_name, status::text, attempts from crm_jobs.procrastinate_jobs where id = any(%s)",
            (list(left.values()),))}  # fmt: skip
        # the cleanup ran again from the start (a second attempt) and succeeded; the import was not retried
        assert ended == {"cleanup": ("succeeded", 2), "import_run": ("failed", 1)}
        assert autocommit.execute("select status, error from crm.legacy_import_runs where id = %s",
                                  (run_id,)).fetchone() == ("failed", runs.INTERRUPTED)  # fmt: skip
    finally:
        autocommit.execute("delete from crm_jobs.procrastinate_jobs where id = any(%s)", (list(left.values()),))
        autocommit.execute("delete from crm.legacy_import_runs where id = %s", (run_id,))
        autocommit.execute("delete from crm_jobs.procrastinate_workers where id = %s", (dead,))
