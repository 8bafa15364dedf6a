"""The webhook outbox in the database (sql/functions/webhooks.sql, sql/triggers/webhooks.sql), without a worker:
which changes become events, their payloads, one dispatch job per transaction, and who may read what. Each
test runs in a transaction that is rolled back."""

from __future__ import annotations

import json
import re

import psycopg
import pytest

from dashboard import vocabulary
from tests.conftest import session_token

FORBIDDEN = re.compile(r"password|token|secret|hash|salt", re.I)


def add_endpoint(conn, events, active=True, url="https://hooks.example.com/in") -> str:
    return str(conn.execute(
        "insert into crm.webhook_endpoints (url, events, secret, active) values (%s, %s, '\\x00', %s) returning id",
        (url, list(events), active),
    ).fetchone()[0])  # fmt: skip


def events_of(conn, record_id) -> list[tuple[str, dict]]:
    return conn.execute("select type, payload from crm.webhook_events where record_id = %s order by type",
                        (record_id,)).fetchall()  # fmt: skip


def new_company(conn, owner, name="Outbox Co") -> str:
    return str(conn.execute("insert into crm.companies (name, owner_id) values (%s, %s) returning id",
                            (name, owner)).fetchone()[0])  # fmt: skip


def new_deal(conn, owner, stage="Lead") -> str:
    return str(conn.execute(
        "insert into crm.deals (name, stage_id, owner_id, value) select 'Outbox deal', id, %s, 1000 from crm.deal_stages"
        " where name = %s returning id", (owner, stage)).fetchone()[0])  # fmt: skip


def test_no_endpoint_no_event(admin_conn, users):
    company = new_company(admin_conn, users["rep"]["id"])
    admin_conn.execute("update crm.companies set name = 'Renamed' where id = %s", (company,))
    assert events_of(admin_conn, company) == []


def test_create_update_delete_become_events_with_the_explicit_columns(admin_conn, users):
    endpoint = add_endpoint(admin_conn, ["company.created", "company.updated", "company.deleted"])
    company = new_company(admin_conn, users["rep"]["id"])
    admin_conn.execute("update crm.companies set name = 'Renamed Co', phone = '555' where id = %s", (company,))
    admin_conn.execute("delete from crm.companies where id = %s", (company,))
    found = dict(events_of(admin_conn, company))
    assert set(found) == {"company.created", "company.updated", "company.deleted"}
    columns = admin_conn.execute("select app.webhook_columns('companies')").fetchone()[0]
    for event_type, payload in found.items():
        assert payload["type"] == event_type
        assert set(payload["data"]) == set(columns)  # exactly the listed columns
        assert payload["data"]["id"] == company
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", payload["timestamp"])
    assert found["company.created"]["data"]["name"] == "Outbox Co"
    # the update carries what changed before: name and phone (updated_at and version are bookkeeping)
    assert found["company.updated"]["data"]["name"] == "Renamed Co"
    assert found["company.updated"]["previous"] == {"name": "Outbox Co", "phone": None}
    assert found["company.deleted"]["data"]["name"] == "Renamed Co"
    # one pending delivery each, to the one endpoint
    deliveries = admin_conn.execute(
        "select d.endpoint_id::text, d.status, d.attempts from crm.webhook_deliveries d join crm.webhook_events e"
        " on e.id = d.event_id where e.record_id = %s", (company,)).fetchall()  # fmt: skip
    assert deliveries == [(endpoint, "pending", 0)] * 3


def test_payload_columns_never_include_secrets_or_scores(admin_conn):
    for table in ("companies", "contacts", "deals", "activities", "meetings", "tasks"):
        columns = admin_conn.execute("select app.webhook_columns(%s), app.computed_columns(%s)",
                                     (table, table)).fetchone()  # fmt: skip
        listed, computed = columns
        assert listed and "id" in listed, table
        assert not [c for c in listed if FORBIDDEN.search(c)], table
        assert not set(listed) & set(computed), table
        real = {r[0] for r in admin_conn.execute(
            "select attname from pg_attribute where attrelid = %s::regclass and attnum > 0 and not attisdropped",
            (f"crm.{table}",))}  # fmt: skip
        assert set(listed) <= real, (table, set(listed) - real)


def test_score_only_updates_send_nothing(admin_conn, users):
    """Rescoring writes scores on many rows: no .updated event (the trigger's WHEN skips them)."""
    add_endpoint(admin_conn, ["deal.updated", "company.updated", "contact.updated", "activity.updated"])
    company = new_company(admin_conn, users["rep"]["id"])
    deal = new_deal(admin_conn, users["rep"]["id"])
    admin_conn.execute("update crm.companies set engagement_score = 42, lead_score = 17 where id = %s", (company,))
    admin_conn.execute("update crm.deals set deal_intelligence_score = 55, win_probability_ai = 0.4,"
                       " risk_factors = '{stalled}' where id = %s", (deal,))  # fmt: skip
    admin_conn.execute("update crm.deals set updated_at = now() + interval '1 minute', version = version + 1"
                       " where id = %s", (deal,))  # fmt: skip
    assert events_of(admin_conn, company) == [] and events_of(admin_conn, deal) == []
    admin_conn.execute("update crm.deals set value = 2500 where id = %s", (deal,))
    [(event_type, payload)] = events_of(admin_conn, deal)
    assert event_type == "deal.updated" and payload["previous"] == {"value": 1000}  # jsonb numeric 1000.00 == 1000
    assert "deal_intelligence_score" not in payload["data"]


def test_a_won_deal_sends_updated_stage_changed_and_won(admin_conn, users):
    add_endpoint(admin_conn, ["deal.stage_changed", "deal.won", "deal.lost"])
    deal = new_deal(admin_conn, users["rep"]["id"])
    lead, won = (admin_conn.execute("select id::text from crm.deal_stages where name = %s", (n,)).fetchone()[0]
                 for n in ("Lead", "Won"))  # fmt: skip
    admin_conn.execute("update crm.deals set stage_id = %s where id = %s", (won, deal))
    found = dict(events_of(admin_conn, deal))
    assert set(found) == {"deal.stage_changed", "deal.won"}  # deal.updated is not subscribed
    changed = found["deal.stage_changed"]
    assert changed["data"]["stage_id"] == won and changed["data"]["stage_name"] == "Won"
    assert changed["previous"]["stage_id"] == lead and changed["previous"]["status"] == "active"
    assert found["deal.won"]["data"]["status"] == "won"


def test_inactive_endpoints_and_other_events_get_nothing(admin_conn, users):
    add_endpoint(admin_conn, ["company.created"], active=False)
    add_endpoint(admin_conn, ["contact.created"])
    company = new_company(admin_conn, users["rep"]["id"])
    assert events_of(admin_conn, company) == []


def test_one_dispatch_job_per_transaction_and_none_after_a_rollback(admin_conn, users):
    def jobs() -> int:
        return admin_conn.execute("select count(*) from crm_jobs.procrastinate_jobs where task_name = 'webhook_dispatch'"
                                  " and status = 'todo' and queue_name = 'webhooks'").fetchone()[0]  # fmt: skip

    before = jobs()
    add_endpoint(admin_conn, ["company.created"])
    for n in range(3):
        new_company(admin_conn, users["rep"]["id"], f"Batch {n}")
    assert jobs() == before + 1
    with pytest.raises(psycopg.errors.CheckViolation), admin_conn.transaction():  # a savepoint that fails
        new_company(admin_conn, users["rep"]["id"], "")
    assert jobs() == before + 1


def test_the_endpoint_events_check_is_the_vocabulary(admin_conn):
    definition = admin_conn.execute("select pg_get_constraintdef(oid) from pg_constraint"
                                    " where conname = 'check_webhook_endpoints_events_known'").fetchone()[0]  # fmt: skip
    assert set(re.findall(r"'([^']*)'::text", definition)) == set(vocabulary.WEBHOOK_EVENTS)


def as_app(conn, user_id) -> None:
    conn.execute("set local role crm_app")
    conn.execute("select set_config('app.session', %s, true)", (session_token(user_id),))


def test_the_app_never_reads_a_secret_and_only_admins_see_endpoints(admin_conn, users):
    endpoint = add_endpoint(admin_conn, ["task.created"])
    as_app(admin_conn, users["rep"]["id"])
    assert admin_conn.execute("select count(*) from crm.webhook_endpoints").fetchone()[0] == 0
    admin_conn.execute("reset role")
    as_app(admin_conn, users["admin"]["id"])
    assert admin_conn.execute("select url from crm.webhook_endpoints where id = %s", (endpoint,)).fetchone()
    with pytest.raises(psycopg.errors.InsufficientPrivilege), admin_conn.transaction():
        admin_conn.execute("select secret from crm.webhook_endpoints")
    with pytest.raises(psycopg.errors.InsufficientPrivilege), admin_conn.transaction():
        admin_conn.execute("select * from crm.webhook_endpoints")


def test_a_reps_change_still_writes_the_outbox(admin_conn, users):
    """The capture trigger runs for everyone (SECURITY DEFINER): a rep's own write becomes an event the rep
    cannot read."""
    add_endpoint(admin_conn, ["company.created"])
    as_app(admin_conn, users["rep"]["id"])
    company = new_company(admin_conn, users["rep"]["id"], "Rep Co")
    assert admin_conn.execute("select count(*) from crm.webhook_events").fetchone()[0] == 0  # hidden from the rep
    admin_conn.execute("reset role")
    [(event_type, payload)] = events_of(admin_conn, company)
    assert event_type == "company.created" and json.dumps(payload).count("Rep Co") == 1


def test_rescoring_moves_scores_and_sends_nothing(admin_conn, users):
    """The scoring functions themselves (what rescore_after_write and the nightly run call) write score
    columns only: the rows change, no event is written."""
    add_endpoint(admin_conn, ["company.updated", "deal.updated"])
    company = new_company(admin_conn, users["rep"]["id"])
    deal = new_deal(admin_conn, users["rep"]["id"])
    # scores no computation gives a new company or deal (no activity): the rescore below rewrites them
    admin_conn.execute("update crm.companies set engagement_score = 99, lead_score = 99 where id = %s", (company,))
    admin_conn.execute("update crm.deals set deal_intelligence_score = 99 where id = %s", (deal,))
    assert admin_conn.execute("select crm.rescore_companies(array[%s]::uuid[])", (company,)).fetchone()[0] == 1
    assert admin_conn.execute("select crm.rescore_deals(array[%s]::uuid[])", (deal,)).fetchone()[0] == 1
    assert admin_conn.execute("select engagement_score < 99 from crm.companies where id = %s", (company,)).fetchone()[0]
    assert events_of(admin_conn, company) == [] and events_of(admin_conn, deal) == []


def test_replay_and_test_event_wake_the_worker(admin_conn, users):
    """A replay (a delivery set pending again) and a test event's delivery each enqueue the dispatch job."""
    def jobs() -> int:
        return admin_conn.execute("select count(*) from crm_jobs.procrastinate_jobs where task_name = 'webhook_dispatch'"
                                  " and status = 'todo'").fetchone()[0]  # fmt: skip

    endpoint = add_endpoint(admin_conn, ["company.created"])
    event = admin_conn.execute("insert into crm.webhook_events (type, payload) values ('webhook.test', '{}') returning id").fetchone()[0]
    delivery = admin_conn.execute("insert into crm.webhook_deliveries (event_id, endpoint_id, status) values (%s, %s, 'failed')"
                                  " returning id", (event, endpoint)).fetchone()[0]  # fmt: skip
    before = jobs()  # a failed delivery wakes nobody
    admin_conn.execute("update crm.webhook_deliveries set status = 'pending', next_attempt_at = now() where id = %s",
                       (delivery,))  # fmt: skip
    assert jobs() == before + 1
    # the worker records a failed attempt in a transaction of its own (no job enqueued yet in it): its retry
    # time gets a job scheduled for then
    admin_conn.execute("select set_config('crm.webhook_dispatch_at', '', true)")
    admin_conn.execute("update crm.webhook_deliveries set next_attempt_at = now() + interval '1 hour' where id = %s",
                       (delivery,))  # fmt: skip
    scheduled = admin_conn.execute("select scheduled_at > now() + interval '59 minutes' from crm_jobs.procrastinate_jobs"
                                   " where task_name = 'webhook_dispatch' order by id desc limit 1").fetchone()[0]  # fmt: skip
    assert jobs() == before + 2 and scheduled  # a retry time: a job scheduled for then
