"""A worker killed (SIGKILL) in the middle of a webhook request, with more events waiting, loses none: another
worker sends every one of them (the interrupted one again, with the same webhook-id)."""

from __future__ import annotations

import time
import uuid

import psycopg
import pytest

from dashboard import pg
from tests.conftest import stop_worker
from tests.test_webhooks_delivery import register, remove_endpoint, start_webhook_worker
from tests.webhook_receiver import Receiver

EVENTS = 5


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


def test_a_killed_worker_loses_no_event(app, users, admin_url, receiver, tmp_path):
    endpoint = register(app, users, receiver.url, ["company.created"])
    companies = [str(uuid.uuid4()) for _ in range(EVENTS)]
    first = second = None
    try:
        receiver.delay = 3.0  # the first request hangs: the worker is killed while it waits for the answer
        first = start_webhook_worker(admin_url, tmp_path / "first.log")
        with psycopg.connect(pg.libpq_url(admin_url), autocommit=True) as conn:
            for n, company in enumerate(companies):  # one transaction each: five events, five dispatch jobs
                conn.execute("insert into crm.companies (id, name, owner_id) values (%s, %s, %s)",
                             (company, f"Killed Worker Co {n}", users["rep"]["id"]))  # fmt: skip
        deadline = time.monotonic() + 20
        while not receiver.received and time.monotonic() < deadline:
            time.sleep(0.02)
        assert receiver.received, "the first worker never sent anything"
        first.kill()  # SIGKILL mid-request: its transaction (the delivery's lock, the attempt) dies with it
        first.wait()
        receiver.delay = 0.0
        # the next worker takes the waiting jobs, and the interrupted one (its lock is gone; the stalled-job
        # recovery of the maintenance queue would retry its job too)
        second = start_webhook_worker(admin_url, tmp_path / "second.log", "webhooks", "maintenance")
        for company in companies:
            assert receiver.wait_for(1, "company.created", company, timeout=30), f"event of {company} lost"
        with psycopg.connect(pg.libpq_url(admin_url), autocommit=True) as conn:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                states = conn.execute(
                    """select d.status from crm.webhook_deliveries d join crm.webhook_events e on e.id = d.event_id
                       where e.record_id = any(%s::uuid[])""", (companies,)).fetchall()  # fmt: skip
                if [s for (s,) in states] == ["succeeded"] * EVENTS:
                    break
                time.sleep(0.05)
            assert [s for (s,) in states] == ["succeeded"] * EVENTS
        # at least once: the interrupted request may come twice, always with the same webhook-id
        for company in companies:
            assert len({r.headers["webhook-id"] for r in receiver.of_type("company.created", company)}) == 1
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                stop_worker(process)
        with psycopg.connect(pg.libpq_url(admin_url), autocommit=True) as conn:
            conn.execute("delete from crm.companies where id = any(%s::uuid[])", (companies,))
        remove_endpoint(admin_url, endpoint.id)
