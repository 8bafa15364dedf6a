"""No identity bleeds across pooled connections (SECURITY.md T5).

2,000 interleaved requests from 6 users and anonymous visitors, on 8 threads,
through a pool of 2 connections. Test-only routes list the deals row-level
security lets the request see (no owner filter in Python), raise after
reading, or commit and read again. Every answer must hold exactly the acting
user's rows, and every connection going back to the pool must be idle with
no user set.
"""

from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
from flask import jsonify
from flask_login import login_required
from sqlalchemy import event, select

from dashboard import pg
from dashboard.db import db
from dashboard.models import Deal
from dashboard.passwords import hash_password
from tests.conftest import TEST_PASSWORD, Auth, build_app, new_id

REQUESTS = 2000
THREADS = 8


@pytest.fixture(scope="module")
def world(admin_url):
    """Two teams, six people with three deals each, committed (threads need real commits)."""
    ids = {key: new_id() for key in ["rep_a", "rep_b", "rep_c", "manager_ab", "manager_c", "admin", "t1", "t2"]}
    password_hash = hash_password(TEST_PASSWORD)
    deals: dict[str, set] = {}
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        stage = conn.execute("select id from crm.deal_stages where name = 'Qualified'").fetchone()[0]
        conn.execute(
            "insert into crm.teams (id, name) values (%s, %s), (%s, %s)",
            (ids["t1"], f"Pool {ids['t1']}", ids["t2"], f"Pool {ids['t2']}"),
        )
        for key, role, team in [("admin", "admin", None), ("manager_ab", "manager", "t1"), ("manager_c", "manager", "t2"),
                                ("rep_a", "rep", "t1"), ("rep_b", "rep", "t1"), ("rep_c", "rep", "t2")]:  # fmt: skip
            conn.execute(
                "insert into crm.users (id, email, full_name, password_hash, role, team_id) values (%s, %s, %s, %s, %s, %s)",
                (ids[key], f"{key}-{ids[key]}@pool.example", key, password_hash, role, ids[team] if team else None),
            )
            deals[key] = {
                conn.execute(
                    "insert into crm.deals (name, stage_id, owner_id) values (%s, %s, %s) returning id",
                    (f"{key} deal {n}", stage, ids[key]),
                ).fetchone()[0]
                for n in range(3)
            }
        conn.execute("update crm.teams set manager_id = %s where id = %s", (ids["manager_ab"], ids["t1"]))
        conn.execute("update crm.teams set manager_id = %s where id = %s", (ids["manager_c"], ids["t2"]))
        all_deals = {row[0] for row in conn.execute("select id from crm.deals")}
    expected = {
        "rep_a": deals["rep_a"], "rep_b": deals["rep_b"], "rep_c": deals["rep_c"],
        "manager_ab": deals["rep_a"] | deals["rep_b"] | deals["manager_ab"],
        "manager_c": deals["rep_c"] | deals["manager_c"],
        "admin": all_deals, "anonymous": set(),
    }  # fmt: skip
    emails = {key: f"{key}-{ids[key]}@pool.example" for key in ids if not key.startswith("t")}
    yield emails, {k: {str(x) for x in v} for k, v in expected.items()}
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        user_ids = [ids[k] for k in emails]
        conn.execute("delete from crm.deals where owner_id = any(%s)", (user_ids,))
        conn.execute("delete from crm.login_attempts where user_id = any(%s)", (user_ids,))
        conn.execute("delete from crm.users where id = any(%s)", (user_ids,))
        conn.execute("delete from crm.teams where id = any(%s)", ([ids["t1"], ids["t2"]],))


def pool_app(app_url, checkins: list):
    app = build_app(
        app_url,
        SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 2, "max_overflow": 0, "pool_timeout": 30},
        LOGIN_MAX_IP_ATTEMPTS=10_000,
    )

    def visible_ids():
        return sorted(str(i) for i in db.session.scalars(select(Deal.id)))

    @app.get("/_test/visible-deals")
    @login_required
    def visible_deals():
        return jsonify(visible_ids())

    @app.get("/_test/anonymous-deals")
    def anonymous_deals():
        return jsonify(visible_ids())

    @app.get("/_test/boom")
    @login_required
    def boom():
        visible_ids()
        raise RuntimeError("fails mid-transaction")

    @app.get("/_test/commit-then-read")
    @login_required
    def commit_then_read():
        visible_ids()
        db.session.commit()
        return jsonify(visible_ids())  # a new transaction: must still be scoped

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "checkin")
    def record_state(dbapi_connection, record):
        status = dbapi_connection.info.transaction_status
        setting = dbapi_connection.execute("select current_setting('app.user_id', true)").fetchone()[0]
        dbapi_connection.rollback()
        checkins.append((status, setting))

    return app


def test_two_thousand_interleaved_requests_show_no_foreign_rows(app_url, world):
    emails, expected = world
    checkins: list = []
    app = pool_app(app_url, checkins)
    local = threading.local()

    def clients():
        if not hasattr(local, "clients"):
            local.clients = {}
            for key, email in emails.items():
                client = app.test_client()
                assert Auth(client).login(email).status_code == 302
                local.clients[key] = client
            local.clients["anonymous"] = app.test_client()
        return local.clients

    def one(request_number: int):
        rng = random.Random(request_number)
        who = rng.choice(list(emails) + ["anonymous"])
        kind = rng.choice(["list", "list", "commit", "boom"])
        client = clients()[who]
        if who == "anonymous":
            response = client.get("/_test/anonymous-deals")
            return who, kind, response.status_code, set(response.get_json())
        if kind == "boom":
            return who, kind, client.get("/_test/boom").status_code, None
        path = "/_test/visible-deals" if kind == "list" else "/_test/commit-then-read"
        response = client.get(path)
        return who, kind, response.status_code, set(response.get_json())

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(one, range(REQUESTS)))

    foreign = [
        (who, kind, seen - expected[who])
        for who, kind, status, seen in results
        if seen is not None and seen != expected[who]
    ]
    # every list showed exactly the acting user's rows: 0 foreign, 0 missing
    assert foreign == []
    booms = [status for who, kind, status, _seen in results if kind == "boom" and who != "anonymous"]
    assert booms and set(booms) == {500}
    assert len(results) == REQUESTS
    # every connection came back idle and with no user set
    assert checkins and all(status == psycopg.pq.TransactionStatus.IDLE for status, _ in checkins)
    assert {setting for _, setting in checkins} <= {"", None}
