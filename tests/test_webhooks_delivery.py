"""Webhooks delivered by a real `crm worker` (queue webhooks) to a real HTTP receiver on loopback: signatures
that verify with the standardwebhooks package, retries, a rolled-back change sending nothing.

The changes are committed (the worker sees only committed rows); each test removes its records and the module
removes its endpoint, so later files see none of it.
"""

from __future__ import annotations

import time
import uuid
from collections import deque

import psycopg
import pytest
from standardwebhooks import Webhook

from dashboard import pg
from dashboard.db import db
from dashboard.services import webhooks
from tests.conftest import present_session, start_worker, stop_worker
from tests.webhook_receiver import Receiver

# loopback allowed (the receiver), retries 0.3 s then 0.6 s apart, due jobs looked for every 0.2 s
WEBHOOK_ENV = {"CRM_WEBHOOKS_ALLOW_PRIVATE": "true", "CRM_WEBHOOKS_BACKOFF_SECONDS": "0.3",
               "CRM_WORKER_POLL_SECONDS": "0.2"}  # fmt: skip
EVENTS = ["company.created", "company.updated", "company.deleted", "deal.stage_changed", "deal.won"]


def start_webhook_worker(admin_url, log_path, *queues: str):
    with pytest.MonkeyPatch.context() as patch:
        for name, value in WEBHOOK_ENV.items():
            patch.setenv(name, value)
        return start_worker(admin_url, "--queues", ",".join(queues or ("webhooks",)), log_path=log_path)


def register(app, users, url: str, events=EVENTS) -> webhooks.NewEndpoint:
    """An endpoint registered by the admin through the app's session (crm_app), committed."""
    with app.app_context(), pytest.MonkeyPatch.context() as patch:
        patch.setenv("CRM_WEBHOOKS_ALLOW_PRIVATE", "true")  # a loopback receiver
        present_session(db.session, users["admin"]["id"])
        endpoint = webhooks.create_endpoint(db.session, url, events, "test receiver", users["admin"]["id"])
        db.session.commit()
    return endpoint


def remove_endpoint(admin_url, endpoint_id) -> None:
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        event_ids = [r[0] for r in conn.execute("select event_id from crm.webhook_deliveries where endpoint_id = %s",
                                                 (endpoint_id,))]  # fmt: skip
        conn.execute("delete from crm.webhook_endpoints where id = %s", (endpoint_id,))
        conn.execute("delete from crm.webhook_events e where e.id = any(%s) and not exists"
                     " (select from crm.webhook_deliveries d where d.event_id = e.id)", (event_ids,))  # fmt: skip


@pytest.fixture(scope="module")
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture(scope="module")
def endpoint(app, users, admin_url, receiver):
    created = register(app, users, receiver.url)
    yield created
    remove_endpoint(admin_url, created.id)


@pytest.fixture(scope="module")
def webhook_worker(admin_url, users, endpoint, tmp_path_factory):
    process = start_webhook_worker(admin_url, tmp_path_factory.mktemp("webhooks") / "worker.log")
    yield process
    stop_worker(process)


@pytest.fixture
def committed(admin_url):
    """A superuser connection whose statements commit; the companies and deals a test names in ``made`` are
    deleted afterwards."""
    made: list[tuple[str, str]] = []
    with psycopg.connect(pg.libpq_url(admin_url), autocommit=True) as conn:
        conn.made = made
        yield conn
        for table, row_id in reversed(made):
            conn.execute(f"delete from crm.{table} where id = %s", (row_id,))


def add_company(conn, users, name: str, company: str | None = None) -> str:
    company = company or str(uuid.uuid4())
    conn.execute("insert into crm.companies (id, name, owner_id) values (%s, %s, %s)", (company, name, users["rep"]["id"]))
    conn.made.append(("companies", company))
    return company


def delivery_rows(conn, record_id, event_type: str):
    return conn.execute(
        """select d.status, d.attempts, array_agg(a.http_status order by a.attempted_at, a.id)
           from crm.webhook_deliveries d join crm.webhook_events e on e.id = d.event_id
           left join crm.webhook_attempts a on a.delivery_id = d.id
           where e.record_id = %s and e.type = %s group by d.id""", (record_id, event_type)).fetchall()  # fmt: skip


def test_a_committed_change_arrives_signed(committed, users, receiver, endpoint, webhook_worker):
    company = add_company(committed, users, "Signed Delivery Co")
    [request] = receiver.wait_for(1, "company.created", company)
    # the receiver's side of the spec: the standardwebhooks package verifies the signature and the timestamp
    payload = Webhook(endpoint.secret).verify(request.body, request.headers)
    assert payload["type"] == "company.created"
    assert payload["data"]["name"] == "Signed Delivery Co" and payload["data"]["id"] == company
    assert request.headers["webhook-id"].startswith("msg_")
    assert request.headers["webhook-signature"].startswith("v1,")
    assert request.headers["content-type"] == "application/json"
    assert abs(int(request.headers["webhook-timestamp"]) - time.time()) < 60
    with pytest.raises(Exception, match="signature"):
        Webhook("whsec_" + "A" * 43 + "=").verify(request.body, request.headers)  # another secret: refused
    deadline = time.monotonic() + 5
    while delivery_rows(committed, company, "company.created")[0][0] != "succeeded" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert delivery_rows(committed, company, "company.created") == [("succeeded", 1, [200])]


def test_after_two_failures_the_event_arrives_once(committed, users, receiver, endpoint, webhook_worker):
    company = str(uuid.uuid4())
    receiver.statuses_for[company] = deque([500, 500])
    add_company(committed, users, "Flaky Receiver Co", company)
    requests = receiver.wait_for(3, "company.created", company)
    time.sleep(1.5)  # longer than the next backoff would be: no fourth request comes
    requests = receiver.of_type("company.created", company)
    assert len(requests) == 3
    assert len({r.headers["webhook-id"] for r in requests}) == 1  # the same message each time
    assert requests[1].at - requests[0].at >= 0.3 and requests[2].at - requests[1].at >= 0.6  # backoff doubles
    assert delivery_rows(committed, company, "company.created") == [("succeeded", 3, [500, 500, 200])]
    assert receiver.statuses_for[company] == deque()


def test_a_rolled_back_change_sends_nothing(committed, users, receiver, endpoint, webhook_worker, admin_url):
    name = f"Rolled Back {uuid.uuid4().hex[:6]}"
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        rolled_back = conn.execute("insert into crm.companies (name, owner_id) values (%s, %s) returning id",
                                   (name, users["rep"]["id"])).fetchone()[0]  # fmt: skip
        conn.rollback()
    marker = add_company(committed, users, "Committed After Co")  # committed later: once it arrives, the
    assert receiver.wait_for(1, "company.created", marker)  # worker has had every earlier event
    assert receiver.of_type("company.created", rolled_back) == []
    assert committed.execute("select count(*) from crm.webhook_events where record_id = %s",
                             (rolled_back,)).fetchone()[0] == 0  # fmt: skip


def test_a_won_deal_sends_stage_changed_and_won(committed, users, receiver, endpoint, webhook_worker):
    deal = str(committed.execute(
        "insert into crm.deals (name, stage_id, owner_id) select 'Webhook deal', id, %s from crm.deal_stages"
        " where name = 'Lead' returning id", (users["rep"]["id"],)).fetchone()[0])  # fmt: skip
    committed.made.append(("deals", deal))
    committed.execute("update crm.deals set stage_id = (select id from crm.deal_stages where name = 'Won')"
                      " where id = %s", (deal,))  # fmt: skip
    [won] = receiver.wait_for(1, "deal.won", deal)
    [changed] = receiver.wait_for(1, "deal.stage_changed", deal)
    assert Webhook(endpoint.secret).verify(won.body, won.headers)["data"]["status"] == "won"
    assert changed.json["data"]["stage_name"] == "Won" and changed.json["previous"]["status"] == "active"
    assert won.headers["webhook-id"] != changed.headers["webhook-id"]  # two events, two messages


def test_replay_and_test_event_arrive(app, users, committed, receiver, endpoint, webhook_worker):
    """Through the service as the admin (what the page's buttons do): a test event, then the replay of the
    company's delivered event, which comes again with the same webhook-id."""
    company = add_company(committed, users, "Replayed Co")
    [first] = receiver.wait_for(1, "company.created", company)
    deadline = time.monotonic() + 5
    while delivery_rows(committed, company, "company.created")[0][0] != "succeeded" and time.monotonic() < deadline:
        time.sleep(0.05)
    delivery_id = committed.execute(
        "select d.id from crm.webhook_deliveries d join crm.webhook_events e on e.id = d.event_id"
        " where e.record_id = %s", (company,)).fetchone()[0]  # fmt: skip
    with app.app_context():
        present_session(db.session, users["admin"]["id"])
        webhooks.send_test(db.session, endpoint.id)
        assert webhooks.replay(db.session, delivery_id) == endpoint.id
        db.session.commit()
    [test] = receiver.wait_for(1, "webhook.test")
    assert Webhook(endpoint.secret).verify(test.body, test.headers)["data"]["endpoint_id"] == str(endpoint.id)
    again = receiver.wait_for(2, "company.created", company)
    assert len(again) == 2 and again[1].headers["webhook-id"] == first.headers["webhook-id"]
    Webhook(endpoint.secret).verify(again[1].body, again[1].headers)  # signed anew at its own timestamp
