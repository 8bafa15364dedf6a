"""Read-only pages from a real streaming replica (dashboard/replica.py).

The replica is a hot standby of the test server, built with the embedded wheel's ``pg_basebackup -R`` and
started on a random port. Which engine ran a statement is recorded per engine: a listed page's queries run
on the replica, under row-level security (a rep's export holds only their deals); a user's own write is
on their next read (the primary serves them for the sticky window; here the replica's replay is even
paused); a replica lagging beyond the window, or down, leaves the pages to the primary.
"""

from __future__ import annotations

import time
import uuid

import psycopg
import pytest
from sqlalchemy import event

from dashboard import pg
from dashboard.db import REPLICA, db
from tests.conftest import Auth, build_app
from tests.servers import free_port, streaming_replica, wait_replayed

STICKY = 1.5


@pytest.fixture(scope="module")
def replica(pg_server_url, admin_url, users):
    """The replica's superuser URL on the test database (after the session's users exist)."""
    if "host" not in pg_server_url.query:
        pytest.skip("needs the embedded server (a socket, trust) to build a replica from")
    with streaming_replica(pg_server_url) as url:
        url = url.set(database=admin_url.database)
        wait_replayed(pg.libpq_url(admin_url), pg.libpq_url(url), timeout=30)
        yield url


@pytest.fixture(scope="module")
def deals(admin_url, users):
    """A deal each for rep and rep2 (names carry a tag), committed; removed with their activities after."""
    tag = uuid.uuid4().hex[:8]
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        stage = conn.execute("select id from crm.deal_stages where name = 'Qualified'").fetchone()[0]
        ids = {who: conn.execute("insert into crm.deals (name, stage_id, owner_id) values (%s, %s, %s) returning id",
                                 (f"Replica {who} {tag}", stage, users[who]["id"])).fetchone()[0]
               for who in ("rep", "rep2")}  # fmt: skip
    yield tag, ids
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        conn.execute("delete from crm.activities where deal_id = any(%s)", (list(ids.values()),))
        conn.execute("delete from crm.deals where id = any(%s)", (list(ids.values()),))


def replica_app(app_url, replica_url):
    """The app with the replica, and the statements each engine ran (the replica's lag check left out)."""
    app = build_app(app_url, REPLICA_DATABASE_URL=replica_url.set(username="crm_app", password=None)
                    .render_as_string(hide_password=False), REPLICA_STICKY_SECONDS=STICKY)  # fmt: skip
    ran: dict[str, list[str]] = {"primary": [], "replica": []}
    with app.app_context():
        for name, engine in (("primary", db.engines[None]), ("replica", db.engines[REPLICA])):
            event.listen(engine, "before_cursor_execute",
                         lambda _c, _cur, statement, *_a, name=name: ran[name].append(statement))  # fmt: skip
    return app, ran


def served_by(ran: dict, marker: str) -> set[str]:
    """Which engines ran a statement containing ``marker``; the lists are emptied."""
    engines = {name for name, statements in ran.items() if any(marker in s for s in statements)}
    for statements in ran.values():
        statements.clear()
    return engines


def log_in(app, email: str):
    client = app.test_client()
    assert Auth(client).login(email).status_code == 302
    time.sleep(STICKY + 0.1)  # the login is a write: the primary serves until the window has passed
    return client


def test_reports_are_served_from_the_replica_under_row_level_security(app_url, admin_url, replica, deals):
    tag, _ = deals
    wait_replayed(pg.libpq_url(admin_url), pg.libpq_url(replica))
    app, ran = replica_app(app_url, replica)
    client = log_in(app, "rep@test.example")
    export = client.get(f"/deals?format=csv&q={tag}")
    body = export.get_data(as_text=True)
    # the export was read on the replica, and shows the rep's own deal only
    assert export.status_code == 200 and served_by(ran, "FROM crm.deals") == {"replica"}
    assert f"Replica rep {tag}" in body and f"Replica rep2 {tag}" not in body
    dashboard = client.get("/")
    assert dashboard.status_code == 200 and served_by(ran, "get_crm_dashboard_data") == {"replica"}
    assert "Test Rep" in dashboard.get_data(as_text=True)
    # a page not on the list stays on the primary
    assert client.get(f"/deals?q={tag}").status_code == 200 and served_by(ran, "FROM crm.deals") == {"primary"}
    with psycopg.connect(pg.libpq_url(replica.set(username="crm_app")), autocommit=True) as conn:
        assert conn.execute("select pg_is_in_recovery()").fetchone()[0] is True


def test_a_users_own_write_is_on_their_next_read_and_a_lagging_replica_is_left_alone(
        app_url, admin_url, replica, deals):  # fmt: skip
    tag, ids = deals
    app, ran = replica_app(app_url, replica)
    client = log_in(app, "rep@test.example")
    with psycopg.connect(pg.libpq_url(replica), autocommit=True) as standby:
        standby.execute("select pg_wal_replay_pause()")  # nothing written from now on reaches the replica
        try:
            token = Auth(client).csrf_token("/activities/new")
            subject = f"Replica call {tag}"
            saved = client.post("/activities/new", data={
                "csrf_token": token, "type": "call", "status": "completed", "subject": subject, "details": "",
                "date": "2026-11-20T10:30", "amount": "", "quantity": "1", "company_id": "", "contact_id": "",
                "deal_id": str(ids["rep"])})  # fmt: skip
            assert saved.status_code == 302
            # at once: the rep's next read is the primary's, their call is there
            export = client.get(f"/activities?format=csv&q={tag}")
            assert subject in export.get_data(as_text=True) and served_by(ran, "FROM crm.activities") == {"primary"}
            # after the window, the paused replica lags beyond it (a WAL segment switch puts it 16 MB behind,
            # whatever the call wrote): still the primary
            with psycopg.connect(pg.libpq_url(admin_url), autocommit=True) as primary:
                primary.execute("select pg_switch_wal()")
            time.sleep(STICKY + 1.1)
            export = client.get(f"/activities?format=csv&q={tag}")
            assert subject in export.get_data(as_text=True) and served_by(ran, "FROM crm.activities") == {"primary"}
        finally:
            standby.execute("select pg_wal_replay_resume()")
    wait_replayed(pg.libpq_url(admin_url), pg.libpq_url(replica))
    time.sleep(1.1)  # the lag is asked again
    export = client.get(f"/activities?format=csv&q={tag}")
    # caught up: the replica serves again, with the call
    assert subject in export.get_data(as_text=True) and served_by(ran, "FROM crm.activities") == {"replica"}


def test_a_replica_that_is_down_leaves_the_pages_to_the_primary(app_url, users):
    down = app_url.set(host="127.0.0.1", port=free_port(), query={})
    app = build_app(app_url, REPLICA_DATABASE_URL=down.render_as_string(hide_password=False),
                    REPLICA_STICKY_SECONDS=0.1)  # fmt: skip
    client = app.test_client()
    assert Auth(client).login("rep@test.example").status_code == 302
    time.sleep(0.2)
    page = client.get("/")
    assert page.status_code == 200 and "Test Rep" in page.get_data(as_text=True)
