"""The app behind PgBouncer in transaction mode (docs/scaling.md): no identity or data bleeds between users.

Debian's PgBouncer runs in front of the test database with a pool of 2 server connections; the app's
engine (8 connections, ``CRM_DATABASE_POOLER=pgbouncer``) points at it, so consecutive transactions of one
client connection land on different server connections and one server connection serves many users. 2,000
interleaved requests of six people and anonymous visitors on 8 threads: the deal list page and a test-only
route answering who the database thinks is acting (``app.current_user_id()``, its name) and which deals
row-level security shows. Every answer must be exactly the acting user's.
"""

from __future__ import annotations

import random
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
from flask import jsonify
from flask_login import current_user, login_required
from sqlalchemy import text

from dashboard import pg
from dashboard.db import db
from dashboard.passwords import hash_password
from tests.conftest import TEST_PASSWORD, Auth, build_app, new_id
from tests.servers import pgbouncer

REQUESTS = 2000
THREADS = 8
PEOPLE = [("rep_a", "rep", "t1"), ("rep_b", "rep", "t1"), ("rep_c", "rep", "t2"), ("manager_ab", "manager", "t1"),
          ("manager_c", "manager", "t2"), ("admin", "admin", None)]  # fmt: skip


@pytest.fixture(scope="module")
def world(admin_url):
    """Two teams, six people (full names carry a per-run tag) with two deals each, committed."""
    tag = new_id().hex[:6]
    ids = {key: new_id() for key, _, _ in PEOPLE} | {"t1": new_id(), "t2": new_id()}
    names = {key: f"Bouncer {key.replace('_', ' ').title()} {tag}" for key, _, _ in PEOPLE}
    deals: dict[str, set] = {}
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        stage = conn.execute("select id from crm.deal_stages where name = 'Qualified'").fetchone()[0]
        for team in ("t1", "t2"):
            conn.execute("insert into crm.teams (id, name) values (%s, %s)", (ids[team], f"Bouncer {team} {tag}"))
        for key, role, team in PEOPLE:
            conn.execute(
                "insert into crm.users (id, email, full_name, password_hash, role, team_id) values (%s, %s, %s, %s, %s, %s)",
                (ids[key], f"{key}-{tag}@bouncer.example", names[key], hash_password(TEST_PASSWORD), role,
                 ids[team] if team else None),
            )  # fmt: skip
            deals[key] = {
                conn.execute("insert into crm.deals (name, stage_id, owner_id) values (%s, %s, %s) returning id",
                             (f"Bounced {key} {tag} {n}", stage, ids[key])).fetchone()[0]  # fmt: skip
                for n in range(2)
            }
        for manager, team in (("manager_ab", "t1"), ("manager_c", "t2")):
            conn.execute("update crm.teams set manager_id = %s where id = %s", (ids[manager], ids[team]))
        all_deals = {row[0] for row in conn.execute("select id from crm.deals")}
    visible = {"rep_a": deals["rep_a"], "rep_b": deals["rep_b"], "rep_c": deals["rep_c"],
               "manager_ab": deals["rep_a"] | deals["rep_b"] | deals["manager_ab"],
               "manager_c": deals["rep_c"] | deals["manager_c"], "admin": all_deals, "anonymous": set()}  # fmt: skip
    yield {"tag": tag, "names": names, "emails": {key: f"{key}-{tag}@bouncer.example" for key in names},
           "visible": {k: {str(x) for x in v} for k, v in visible.items()}}  # fmt: skip
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        people = [ids[key] for key, _, _ in PEOPLE]
        conn.execute("delete from crm.deals where owner_id = any(%s)", (people,))
        conn.execute("delete from crm.sessions where user_id = any(%s)", (people,))
        conn.execute("delete from crm.login_attempts where user_id = any(%s)", (people,))
        conn.execute("delete from crm.users where id = any(%s)", (people,))
        conn.execute("delete from crm.teams where id = any(%s)", ([ids["t1"], ids["t2"]],))


@pytest.fixture(scope="module")
def bouncer(pg_server_url, admin_url):
    """PgBouncer in front of the test database; yields crm_app's URL through it."""
    if "host" not in pg_server_url.query:
        pytest.skip("needs the embedded server (a socket, trust) to put PgBouncer in front of")
    with pgbouncer(pg_server_url, admin_url.database, "bouncer-secret") as url:
        yield url


def bouncer_app(url):
    app = build_app(url, DATABASE_POOLER="pgbouncer",
                    SQLALCHEMY_ENGINE_OPTIONS={"pool_size": THREADS, "max_overflow": 0, "pool_timeout": 30})  # fmt: skip

    @app.get("/_test/who")
    def who():
        current_user.is_authenticated  # noqa: B018 -- loads the user: the session token the transactions present
        row = db.session.execute(text(
            """select (select full_name from crm.users where id = app.current_user_id()),
                      array(select id::text from crm.deals order by id), pg_backend_pid()""")).one()  # fmt: skip
        return jsonify(name=row[0], deals=row[1], backend=row[2])

    @app.get("/_test/commit-then-who")
    @login_required
    def commit_then_who():
        db.session.execute(text("select 1"))
        db.session.commit()  # the next transaction may be on another server connection: still this user
        return who()

    @app.get("/_test/boom")
    @login_required
    def boom():
        db.session.execute(text("select count(*) from crm.deals"))
        raise RuntimeError("fails mid-transaction")

    return app


def test_the_app_runs_in_transaction_mode(bouncer):
    """Nothing session-level: no prepared statements (4 client connections repeating one query over 2
    server connections: psycopg would prepare it on one and run it on another), times in UTC set per
    transaction, no token left behind."""
    app = bouncer_app(bouncer)

    def repeat(_):
        with app.app_context():
            for _ in range(30):
                db.session.execute(text("select count(*) from crm.deal_stages where name = :n"), {"n": "Qualified"})
                zone = db.session.execute(text("show timezone")).scalar()
                db.session.commit()
            return zone

    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(repeat, range(4))) == ["UTC"] * 4
    with app.app_context():
        assert db.session.execute(text("select current_setting('app.session', true)")).scalar() == ""
        db.session.rollback()


def test_two_thousand_interleaved_requests_through_pgbouncer_show_no_foreign_rows(bouncer, world):
    app = bouncer_app(bouncer)
    local = threading.local()
    emails, names, visible, tag = world["emails"], world["names"], world["visible"], world["tag"]

    def clients():
        if not hasattr(local, "clients"):
            local.clients = {"anonymous": app.test_client()}
            for key, email in emails.items():
                local.clients[key] = app.test_client()
                assert Auth(local.clients[key]).login(email).status_code == 302
        return local.clients

    def one(number: int):
        rng = random.Random(number)
        who = rng.choice([*emails, "anonymous"])
        # the deal list page (a full page, ~15 statements) one request in twenty: the test-only routes carry the
        # count, the page checks the real path
        kind = "who" if who == "anonymous" else rng.choices(["who", "commit", "page", "boom"], [10, 6, 1, 3])[0]
        client = clients()[who]
        if kind == "boom":
            return who, kind, client.get("/_test/boom").status_code, None
        if kind == "page":
            response = client.get("/deals?q=" + tag)
            html = response.get_data(as_text=True)
            shown = set(re.findall(rf"Bounced (\w+) {tag} \d", html))
            account = re.search(r'id="account-link"[^>]*>([^<]*)</a>', html).group(1)
            return who, kind, response.status_code, (account, shown)
        response = client.get("/_test/who" if kind == "who" else "/_test/commit-then-who")
        body = response.get_json()
        return who, kind, response.status_code, (body["name"], set(body["deals"]), body["backend"])

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(one, range(REQUESTS)))

    assert len(results) == REQUESTS
    assert {status for _, kind, status, _ in results if kind != "boom"} == {200}
    assert {status for _, kind, status, _ in results if kind == "boom"} == {500}
    bled = []
    for who, kind, _, seen in results:
        if kind in ("who", "commit"):
            name, deals, _ = seen
            ours = {d for d in deals if d in set().union(*visible.values())}
            if name != names.get(who) or ours != visible[who]:
                bled.append((who, kind, name, ours ^ visible[who]))
        elif kind == "page":
            account, shown = seen
            owners = {"rep_a", "rep_b", "manager_ab"} if who == "manager_ab" else {"rep_c", "manager_c"} \
                if who == "manager_c" else set(names) if who == "admin" else {who}  # fmt: skip
            if account != names[who] or shown != owners:
                bled.append((who, kind, account, shown))
    # every answer named only the acting user and showed exactly their rows
    assert bled == []
    # and the 2 server connections behind PgBouncer served every user in turn
    backends = {}
    for who, kind, _, seen in results:
        if kind in ("who", "commit"):
            backends.setdefault(seen[2], set()).add(who)
    assert 1 <= len(backends) <= 2
    assert all(len(users) == len(emails) + 1 for users in backends.values()), backends
