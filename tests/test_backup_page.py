"""/admin/backups: admins see the last backup (time, size, status) and the recent ones, and queue a backup for a
worker; everyone else gets the 404 of a missing page. Rows are written as the operator's role (crm db backup,
the job worker) and read through the app's role under row-level security."""

from __future__ import annotations

import datetime as dt
import re

import psycopg
import pytest

from dashboard import pg
from tests.conftest import fetch_as


def token(client, path="/admin/backups/"):
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True))[1]


@pytest.fixture
def recorded(admin_url):
    """Two backups, committed as the operator, deleted after: an archive of 4,743,277 bytes (4.5 MiB) that took
    2 s, and a base backup that failed half an hour later."""
    started = dt.datetime(2026, 12, 7, 2, 15, tzinfo=dt.UTC)
    with psycopg.connect(pg.libpq_url(admin_url), autocommit=True) as conn:
        ids = [row[0] for row in conn.execute(
            """insert into crm.backups (kind, trigger, status, started_at, finished_at, location, size_bytes,
                                        schema_version, sha256, error)
               values ('archive', 'schedule', 'succeeded', %(s)s, %(s)s + interval '2 seconds',
                       '/backups/crm-20261207T021500Z.dump', 4743277, '20261207001900', repeat('a', 64), null),
                      ('base', 'admin', 'failed', %(s)s + interval '30 minutes', %(s)s + interval '31 minutes',
                       '/backups/base', null, null, null, 'pg_basebackup failed: disk full')
               returning id""", {"s": started}).fetchall()]  # fmt: skip
    yield ids
    with psycopg.connect(pg.libpq_url(admin_url), autocommit=True) as conn:
        conn.execute("delete from crm.backups where id = any(%s)", (ids,))


def test_the_admin_sees_the_last_backup_and_the_failed_one(client, auth, users, recorded):
    auth.login(users["admin"]["email"])
    page = client.get("/admin/backups/").get_data(as_text=True)
    # the last that succeeded is the archive (the later base backup failed); 4,743,277 bytes = 4.5 MiB;
    # times in the admin's zone (UTC until the browser says otherwise)
    last = re.search(r'<p id="last-backup">(.*?)</p>', page, re.S)[1]
    assert "Last backup: <strong>2026-12-07 02:15</strong>, 4.5 MiB" in " ".join(last.split())
    assert "<strong>failed</strong>: pg_basebackup failed: disk full" in page
    assert "/backups/crm-20261207T021500Z.dump" in page and "2.0 s" in page
    assert 'href="/admin/backups/"' in page  # in the menu


@pytest.mark.parametrize("who", ["rep", "manager"])
def test_others_get_a_missing_page_and_read_no_backup_rows(app, client, auth, users, recorded, who):
    auth.login(users[who]["email"])
    assert client.get("/admin/backups/").status_code == 404
    assert client.post("/admin/backups/run", data={"csrf_token": token(client, "/")}).status_code == 404
    assert fetch_as(app, users[who]["id"], "select count(*) from crm.backups")[0][0] == 0
    assert fetch_as(app, users["admin"]["id"], "select count(*) from crm.backups where id = any(:i)",
                    {"i": recorded})[0][0] == 2  # fmt: skip


def test_back_up_now_queues_one_backup_job_for_a_worker(app, client, auth, users, db_session):
    auth.login(users["admin"]["email"])
    first = client.post("/admin/backups/run", data={"csrf_token": token(client)}, follow_redirects=True)
    assert "Backup started: a background worker writes it" in first.get_data(as_text=True)
    assert 'id="backup-status">A backup is waiting for a worker' in first.get_data(as_text=True)
    again = client.post("/admin/backups/run", data={"csrf_token": token(client)}, follow_redirects=True)
    assert "A backup is already waiting for a worker." in again.get_data(as_text=True)
    jobs = fetch_as(app, users["admin"]["id"], """select queue_name, args ->> 'trigger' from crm_jobs.procrastinate_jobs
                                                  where task_name = 'backup' and status = 'todo'""")
    assert jobs == [("maintenance", "admin")]  # (in the test's transaction: no worker ever sees it)
