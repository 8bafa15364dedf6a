"""/admin/webhooks (admins only) and `crm webhooks`: registering shows the secret once, the pages list endpoints,
deliveries and their attempts, replay, test event, deactivate and delete with a confirmation."""

from __future__ import annotations

import re

import psycopg
import pytest
from standardwebhooks import Webhook

from dashboard import credentials, pg
from dashboard.webhooks import delivery
from tests.conftest import TEST_SECRET_KEY, Auth, fetch_as
from tests.test_cli import run_crm

SECRET = re.compile(r'<code id="endpoint-secret" class="secret">(whsec_[A-Za-z0-9+/=]+)</code>')


@pytest.fixture
def admin(client, auth, users):
    auth.login(users["admin"]["email"])
    return client


def register(admin, auth, **fields):
    data = {"url": "https://hooks.example.com/crm", "events": ["deal.won", "deal.lost"], "description": "ERP sync",
            "csrf_token": auth.csrf_token("/admin/webhooks/")} | fields  # fmt: skip
    return admin.post("/admin/webhooks/", data=data)


def test_register_shows_the_secret_once_and_stores_it_sealed(app, admin, auth, users, db_session):
    page = register(admin, auth)
    assert page.status_code == 201 and page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    secret = SECRET.search(html).group(1)
    Webhook(secret)  # a valid Standard Webhooks secret: whsec_ and base64 of 32 bytes
    assert len(secret) == len("whsec_") + 44
    [(endpoint_id, url, events, active, created_by)] = fetch_as(
        app, users["admin"]["id"], "select id, url, events, active, created_by from crm.webhook_endpoints")
    assert (url, events, active, created_by) == ("https://hooks.example.com/crm", ["deal.won", "deal.lost"], True,
                                                 users["admin"]["id"])  # fmt: skip
    # the secret is never on a page again (sealed in the database: the CLI test below opens it)
    for path in ("/admin/webhooks/", f"/admin/webhooks/{endpoint_id}"):
        assert secret not in admin.get(path).get_data(as_text=True)


def test_registration_errors_are_shown_next_to_the_fields(admin, auth, monkeypatch):
    monkeypatch.delenv("CRM_WEBHOOKS_ALLOW_PRIVATE", raising=False)
    page = register(admin, auth, url="http://169.254.169.254/latest", events=[])
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert "Webhooks may not call private, loopback, link-local or multicast addresses" in html
    assert "Choose at least one event." in html
    assert "169.254.169.254/latest" in html  # what was typed stays
    assert register(admin, auth, events=["deal.signed"]).status_code == 400  # not one of the checkboxes


def test_the_endpoint_page_lists_deliveries_attempts_and_replays(app, users, admin_url):
    """Deliveries and attempts are written by the worker (operator role): committed here, and the requests
    commit too (no test transaction around them); all removed after."""
    admin = app.test_client()
    auth = Auth(admin)
    auth.login(users["admin"]["email"])
    sealed = credentials.encrypt_secret(delivery.new_secret(), purpose=delivery.PURPOSE, secret=TEST_SECRET_KEY)
    with psycopg.connect(pg.libpq_url(admin_url), autocommit=True) as conn:
        endpoint = conn.execute("insert into crm.webhook_endpoints (url, events, secret) values"
                                " ('https://hooks.example.com/page', '{deal.won}', %s) returning id", (sealed,)).fetchone()[0]  # fmt: skip
        event = conn.execute("insert into crm.webhook_events (type, payload) values ('deal.won', '{}') returning id").fetchone()[0]
        failed = conn.execute("insert into crm.webhook_deliveries (event_id, endpoint_id, status, attempts) values"
                              " (%s, %s, 'failed', 2) returning id", (event, endpoint)).fetchone()[0]  # fmt: skip
        conn.execute("insert into crm.webhook_attempts (delivery_id, http_status, duration_ms, error, response_snippet)"
                     " values (%s, 500, 31, 'HTTP 500', 'upstream exploded'), (%s, null, 10002, 'timed out after 10 s', null)",
                     (failed, failed))  # fmt: skip
        try:
            html = admin.get(f"/admin/webhooks/{endpoint}").get_data(as_text=True)
            assert "deal.won" in html and "failed" in html and "2 attempts" in html
            assert "500, 31 ms, HTTP 500" in html and "upstream exploded" in html
            assert "no answer, 10002 ms, timed out after 10 s" in html
            assert delivery.message_id(event) in html
            replay = admin.post(f"/admin/webhooks/deliveries/{failed}/replay",
                                data={"csrf_token": auth.csrf_token(f"/admin/webhooks/{endpoint}")})  # fmt: skip
            assert replay.status_code == 302 and replay.headers["Location"].endswith(f"/admin/webhooks/{endpoint}")
            status, due = conn.execute("select status, next_attempt_at <= now() and pending_since <= now()"
                                       " from crm.webhook_deliveries where id = %s", (failed,)).fetchone()  # fmt: skip
            assert (status, due) == ("pending", True)
            jobs = conn.execute("select count(*) from crm_jobs.procrastinate_jobs where task_name = 'webhook_dispatch'"
                                " and status = 'todo' and scheduled_at is null").fetchone()[0]  # fmt: skip
            assert jobs >= 1  # the replay woke the worker's queue
            assert "Delivery queued again." in admin.get(f"/admin/webhooks/{endpoint}").get_data(as_text=True)
        finally:
            conn.execute("delete from crm.webhook_endpoints where id = %s", (endpoint,))
            conn.execute("delete from crm.webhook_events where id = %s", (event,))
            conn.execute("delete from crm_jobs.procrastinate_jobs where task_name = 'webhook_dispatch' and status = 'todo'")


def test_test_event_deactivate_and_delete_with_confirmation(app, admin, auth, users, db_session):
    html = register(admin, auth).get_data(as_text=True)
    endpoint = re.search(r'href="/admin/webhooks/([0-9a-f-]{36})" id="to-endpoint"', html).group(1)
    token = auth.csrf_token(f"/admin/webhooks/{endpoint}")
    assert admin.post(f"/admin/webhooks/{endpoint}/test", data={"csrf_token": token}).status_code == 302
    page = admin.get(f"/admin/webhooks/{endpoint}").get_data(as_text=True)
    assert "webhook.test" in page and "none yet" in page
    assert admin.post(f"/admin/webhooks/{endpoint}/active", data={"csrf_token": token, "active": "0"}).status_code == 302
    page = admin.get(f"/admin/webhooks/{endpoint}").get_data(as_text=True)
    assert "Inactive: nothing is sent" in page and ">Activate<" in page
    confirm = admin.get(f"/admin/webhooks/{endpoint}/delete").get_data(as_text=True)
    assert "Delete this webhook endpoint?" in confirm and "https://hooks.example.com/crm" in confirm
    assert admin.post(f"/admin/webhooks/{endpoint}/delete", data={"csrf_token": token}).status_code == 302
    assert admin.get(f"/admin/webhooks/{endpoint}").status_code == 404
    assert "No webhook endpoints yet." in admin.get("/admin/webhooks/").get_data(as_text=True)


@pytest.mark.parametrize("who", ["rep", "manager"])
def test_everyone_else_gets_404_and_no_menu_entry(client, auth, users, who):
    auth.login(users[who]["email"])
    assert client.get("/admin/webhooks/").status_code == 404
    assert "/admin/webhooks" not in client.get("/").get_data(as_text=True)


def test_the_cli_adds_lists_and_removes(admin_url):
    env = {"DATABASE_URL": pg.libpq_url(admin_url), "CRM_SECRET_KEY": TEST_SECRET_KEY}
    added = run_crm("webhooks", "add", "--url", "https://hooks.example.com/cli", "--events",
                    "deal.stage_changed,deal.won", "--description", "from the CLI", env=env)  # fmt: skip
    assert added.returncode == 0, added.stderr
    endpoint, secret = re.fullmatch(r"id: ([0-9a-f-]{36})\nsecret: (whsec_\S+)\n", added.stdout).groups()
    with psycopg.connect(pg.libpq_url(admin_url)) as conn:
        sealed = conn.execute("select secret from crm.webhook_endpoints where id = %s", (endpoint,)).fetchone()[0]
    assert credentials.decrypt_secret(sealed, purpose=delivery.PURPOSE, secret=TEST_SECRET_KEY) == secret
    listed = run_crm("webhooks", "list", env=env)
    assert f"{endpoint}  active    https://hooks.example.com/cli  deal.stage_changed,deal.won  sent 0, pending 0, failed 0" \
        in listed.stdout  # fmt: skip
    assert secret not in listed.stdout
    refused = run_crm("webhooks", "add", "--url", "https://hooks.example.com/x", "--events", "deal.signed", env=env)
    assert refused.returncode == 1 and refused.stderr.startswith("Error: Unknown event(s): deal.signed.")
    assert run_crm("webhooks", "remove", endpoint, env=env).stdout == f"removed {endpoint}\n"
    gone = run_crm("webhooks", "remove", endpoint, env=env)
    assert gone.returncode == 1 and gone.stderr.strip() == f"Error: no webhook endpoint {endpoint}"
