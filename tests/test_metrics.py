"""Numbers to watch (issue 19): /metrics in Prometheus's format for loopback or the metrics token, one JSON log
line per request with its request id, and the admins' health page."""

from __future__ import annotations

import json
import logging
import re
import uuid

import psycopg
import pytest
from prometheus_client.parser import text_string_to_metric_families

from dashboard.request_log import JsonFormatter
from tests.conftest import build_app

TOKEN = "metrics-token-" + "t" * 30
REMOTE = {"REMOTE_ADDR": "203.0.113.9"}


def families(response) -> dict:
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    return {family.name: family for family in text_string_to_metric_families(response.get_data(as_text=True))}


def sample(found: dict, family: str, name: str, **labels) -> float:
    """The value of one sample (0 when it has not been counted yet)."""
    if family not in found:
        return 0.0
    matches = [s.value for s in found[family].samples if s.name == name and all(s.labels.get(k) == v for k, v in labels.items())]
    return sum(matches)


@pytest.fixture(scope="module")
def proxied_app(app_url, users):
    """One reverse proxy in front, and a metrics token."""
    return build_app(app_url, TRUSTED_PROXIES=1, METRICS_TOKEN=TOKEN)


@pytest.fixture(scope="module")
def token_app(app_url, users):
    return build_app(app_url, METRICS_TOKEN=TOKEN)


# --- /metrics: format and figures ------------------------------------------------


def test_metrics_parse_and_say_the_database_is_up(app):
    found = families(app.test_client().get("/metrics"))
    assert sample(found, "crm_database_up", "crm_database_up") == 1
    for name in ("crm_http_request_duration_seconds", "crm_db_pool_connections_in_use", "crm_db_pool_connections_max"):
        assert name in found, name
    assert found["crm_http_request_duration_seconds"].type == "histogram"
    # each app built in this process adds its pool: at least the session app's 2 (pool_size 2, no overflow)
    assert sample(found, "crm_db_pool_connections_max", "crm_db_pool_connections_max") >= 2


def test_request_histogram_and_status_classes_move_per_endpoint(app):
    client = app.test_client()
    before = families(client.get("/metrics"))
    client.get("/login")
    client.get("/login")
    client.get("/no-such-page")
    client.get(f"/companies/{uuid.uuid4()}")  # anonymous: redirected to the login page
    after = families(client.get("/metrics"))

    def moved(name, **labels):
        family = "crm_http_request_duration_seconds" if name.startswith("crm_http_request") else "crm_http_responses"
        return sample(after, family, name, **labels) - sample(before, family, name, **labels)

    assert moved("crm_http_request_duration_seconds_count", endpoint="auth.login", method="GET") == 2
    assert moved("crm_http_request_duration_seconds_bucket", endpoint="auth.login", method="GET", le="+Inf") == 2
    assert moved("crm_http_responses_total", endpoint="auth.login", status_class="2xx") == 2
    # an unknown URL is counted under "none", never under its path
    assert moved("crm_http_responses_total", endpoint="none", status_class="4xx") == 1
    assert moved("crm_http_responses_total", endpoint="companies.show", status_class="3xx") == 1
    labels = {value for family in after.values() for s in family.samples for value in s.labels.values()}
    assert not any("/" in value for value in labels), "a raw path became a label"


def test_record_not_found_counts_404s_of_signed_in_users_on_record_urls(app, client, auth, users):
    auth.login(users["rep"]["email"])
    before = families(client.get("/metrics"))
    assert client.get(f"/deals/{uuid.uuid4()}").status_code == 404
    assert client.get(f"/deals/{uuid.uuid4()}/edit").status_code == 404
    assert client.get("/no-such-page").status_code == 404  # not a record URL: not counted
    after = families(client.get("/metrics"))
    assert sample(after, "crm_record_not_found", "crm_record_not_found_total") - sample(
        before, "crm_record_not_found", "crm_record_not_found_total") == 2  # fmt: skip


def test_job_queue_figures_per_queue(admin_conn):
    """A hand-made queue, in the test's own transaction (rolled back): two jobs waiting, deferred 90 s and 30 s
    ago; one todo but scheduled in an hour (not due: not waiting); one running; one failed 1 hour ago and one
    failed 2 days ago (only the first is within 24 hours)."""
    queue = f"observe-{uuid.uuid4().hex[:8]}"
    admin_conn.execute("set local search_path = crm_jobs, public")

    def job(status: str, scheduled: str | None = None) -> int:
        return admin_conn.execute(
            f"insert into procrastinate_jobs (queue_name, task_name, status, scheduled_at) values (%s, 'observe_test', %s, {scheduled or 'null'}) returning id",
            (queue, status),
        ).fetchone()[0]

    def event(job_id: int, kind: str, seconds_ago: int) -> None:
        admin_conn.execute("delete from procrastinate_events where job_id = %s and type = %s", (job_id, kind))
        admin_conn.execute("insert into procrastinate_events (job_id, type, at) values (%s, %s, now() - make_interval(secs => %s))",
                           (job_id, kind, seconds_ago))  # fmt: skip

    event(job("todo"), "deferred", 90)
    event(job("todo"), "deferred", 30)
    event(job("todo", "now() + interval '1 hour'"), "deferred", 600)
    job("doing")
    event(job("failed"), "failed", 3600)
    event(job("failed"), "failed", 2 * 86400)
    rows = admin_conn.execute("select figure, value from app.operations_figures() where queue = %s", (queue,)).fetchall()
    figures = dict(rows)
    assert figures["crm_job_queue_depth"] == 2
    assert 90 <= figures["crm_job_queue_oldest_age_seconds"] < 120  # the one deferred 90 s ago
    assert figures["crm_jobs_running"] == 1
    assert figures["crm_jobs_failed_24h"] == 1


# --- /metrics: who may read it -----------------------------------------------------


def test_metrics_answer_loopback_and_hide_from_remote_clients(app):
    client = app.test_client()
    assert client.get("/metrics").status_code == 200  # the test client is 127.0.0.1
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "::1"}).status_code == 200
    remote = client.get("/metrics", environ_base=REMOTE)
    assert remote.status_code == 404 and "crm_" not in remote.get_data(as_text=True)
    # no proxy is trusted: a forwarded request comes through a proxy on this machine from someone else
    assert client.get("/metrics", headers={"X-Forwarded-For": "127.0.0.1"}).status_code == 404
    assert client.get("/metrics", headers={"Forwarded": "for=198.51.100.4"}).status_code == 404
    # a token without one configured is refused
    assert client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 403


def test_metrics_token_lets_remote_scrapers_in(token_app):
    client = token_app.test_client()
    assert client.get("/metrics", environ_base=REMOTE).status_code == 404
    assert client.get("/metrics", environ_base=REMOTE, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    for wrong in (f"Bearer {TOKEN}x", "Bearer ", f"Basic {TOKEN}", TOKEN):
        assert client.get("/metrics", environ_base=REMOTE, headers={"Authorization": wrong}).status_code == 403, wrong
    # from loopback a wrong token is refused too (the header says who is asking)
    assert client.get("/metrics", headers={"Authorization": "Bearer nope"}).status_code == 403


def test_trusted_proxy_cannot_make_a_remote_client_local(proxied_app):
    client = proxied_app.test_client()
    # through the local proxy, for a remote client: the proxy appends the address it saw
    assert client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 404
    # the client forged 127.0.0.1 in front; the proxy appended its real address: the last one counts
    assert client.get("/metrics", headers={"X-Forwarded-For": "127.0.0.1, 203.0.113.9"}).status_code == 404
    # a remote peer (not our proxy) claiming to forward for loopback
    assert client.get("/metrics", environ_base=REMOTE, headers={"X-Forwarded-For": "127.0.0.1"}).status_code == 404
    # a scraper on this machine, through the local proxy
    assert client.get("/metrics", headers={"X-Forwarded-For": "127.0.0.1"}).status_code == 200
    assert client.get("/metrics", environ_base=REMOTE, headers={"X-Forwarded-For": "203.0.113.9",
                      "Authorization": f"Bearer {TOKEN}"}).status_code == 200  # fmt: skip


def test_short_metrics_token_is_refused_at_start(app_url):
    with pytest.raises(RuntimeError, match="CRM_METRICS_TOKEN"):
        build_app(app_url, METRICS_TOKEN="short")


# --- request ids and JSON logs --------------------------------------------------------


def request_lines(caplog) -> list[dict]:
    formatter = JsonFormatter()
    return [json.loads(formatter.format(r)) for r in caplog.records if r.name == "dashboard.requests"]


def test_one_json_line_per_request_with_the_incoming_request_id(app, caplog):
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="dashboard.requests"):
        response = app.test_client().get("/login", headers={"X-Request-ID": "lb-2f9c1e77-aa01"})
    assert response.headers["X-Request-ID"] == "lb-2f9c1e77-aa01"
    (line,) = request_lines(caplog)
    assert line["request_id"] == "lb-2f9c1e77-aa01"
    assert (line["level"], line["method"], line["endpoint"], line["status"], line["user_id"]) == (
        "info", "GET", "auth.login", 200, None)  # fmt: skip
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", line["time"])


@pytest.mark.parametrize("incoming", ["short", "<script>alert(1)</script>", "a" * 65, "id with spaces 123", "é" * 10])
def test_an_insane_request_id_is_replaced(app, incoming):
    response = app.test_client().get("/login", headers={"X-Request-ID": incoming})
    assert re.fullmatch(r"[0-9a-f]{12}", response.headers["X-Request-ID"])


def test_log_line_names_the_user_by_id_never_email_nor_query(app, client, auth, users, caplog):
    auth.login(users["rep"]["email"])
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="dashboard.requests"):
        client.get("/search?q=rep2%40test.example")
    (line,) = request_lines(caplog)
    assert line["user_id"] == str(users["rep"]["id"]) and line["endpoint"] == "search.index"
    assert "@" not in json.dumps(line) and "q=" not in json.dumps(line)


def test_error_page_shows_the_request_id_of_its_header(client):
    response = client.get("/no-such-page", headers={"X-Request-ID": "trace-0001-abcdef"})
    assert response.status_code == 404
    assert response.headers["X-Request-ID"] == "trace-0001-abcdef"
    assert "Request id: <code>trace-0001-abcdef</code>" in response.get_data(as_text=True)


# --- the health page ----------------------------------------------------------------------


def test_health_page_is_for_admins_only(client, auth, users):
    assert client.get("/admin/health").status_code == 302  # to the login page
    for who in ("rep", "manager"):
        auth.login(users[who]["email"])
        assert client.get("/admin/health").status_code == 404, who
        client.post("/logout", data={"csrf_token": auth.csrf_token("/")})


def test_health_page_shows_the_figures_and_the_slowest_statements(app, client, auth, users):
    auth.login(users["admin"]["email"])
    client.get(f"/deals/{uuid.uuid4()}")  # one more record 404 for a signed-in user
    page = client.get("/admin/health").get_data(as_text=True)
    assert 'id="database-state">answering' in page
    assert int(re.search(r'id="record-not-found">(\d+)<', page).group(1)) >= 1
    assert "<code>deals.show</code>" in page and "<code>crm_database_up</code>" in page
    # the embedded test server preloads pg_stat_statements (dashboard/pg.py): the app's statements are listed
    assert 'id="statements"' in page and page.count('<td data-label="Calls">') >= 5


def test_slowest_statements_are_the_app_roles_and_for_admins_only(app, admin_url, users):
    from tests.conftest import fetch_as

    with psycopg.connect(str(admin_url.set(drivername="postgresql").render_as_string(hide_password=False)), autocommit=True) as conn:
        conn.execute("select pg_sleep(0.3) as observe_marker_column")  # the superuser's: 300 ms, never listed
    rows = fetch_as(app, users["admin"]["id"], "select query from app.slowest_statements(100)")
    assert rows and not any("observe_marker_column" in query for (query,) in rows)
    with pytest.raises(Exception, match="only admins"):
        fetch_as(app, users["rep"]["id"], "select query from app.slowest_statements(5)")


def test_webhook_figures(admin_conn):
    """Hand-made deliveries in the test's own transaction, counted against the figures just before: one
    delivery failed 2 hours ago (counted) and one failed 2 days ago (not); two pending, since 10 days (the
    oldest pending anywhere) and 1 minute; attempts: a 500 30 minutes ago and no answer 10 minutes ago
    (failed within the hour), a 200 5 minutes ago and a 500 2 hours ago (not)."""

    def figures():
        return dict(admin_conn.execute("select figure, value from app.operations_figures() where queue is null").fetchall())

    before = figures()
    endpoint = admin_conn.execute("insert into crm.webhook_endpoints (url, events, secret, active) values "
                                  "('https://hooks.example/x', '{deal.created}', '\\x00', false) returning id").fetchone()[0]  # fmt: skip
    event = admin_conn.execute("insert into crm.webhook_events (type, payload) values ('webhook.test', '{}') returning id").fetchone()[0]

    def delivery(status: str, last_attempt: str | None, pending_since: str) -> uuid.UUID:
        other = admin_conn.execute("insert into crm.webhook_events (type, payload) values ('webhook.test', '{}') returning id").fetchone()[0]
        return admin_conn.execute(
            f"insert into crm.webhook_deliveries (event_id, endpoint_id, status, last_attempt_at, pending_since) "
            f"values (%s, %s, %s, {last_attempt or 'null'}, {pending_since}) returning id", (other, endpoint, status)).fetchone()[0]  # fmt: skip

    delivery("failed", "now() - interval '2 hours'", "now() - interval '1 day'")
    delivery("failed", "now() - interval '2 days'", "now() - interval '3 days'")
    delivery("pending", None, "now() - interval '10 days'")
    target = delivery("pending", None, "now() - interval '1 minute'")
    for status, ago in (("500", "30 minutes"), ("null", "10 minutes"), ("200", "5 minutes"), ("500", "2 hours")):
        admin_conn.execute(f"insert into crm.webhook_attempts (delivery_id, attempted_at, http_status, duration_ms) "
                           f"values (%s, now() - interval '{ago}', {status}, 10)", (target,))  # fmt: skip
    assert event
    after = figures()
    assert after["crm_webhook_deliveries_failed_24h"] - before["crm_webhook_deliveries_failed_24h"] == 1
    assert after["crm_webhook_attempts_failed_1h"] - before["crm_webhook_attempts_failed_1h"] == 2
    assert after["crm_webhook_deliveries_pending"] - before["crm_webhook_deliveries_pending"] == 2
    assert 10 * 86400 <= after["crm_webhook_oldest_pending_age_seconds"] < 10 * 86400 + 60


def test_backup_figures(admin_conn):
    """Hand-made backups in the test's own transaction (rolled back; none else is newer than a minute in the
    future): a success of 2,048 bytes that finished 90 s ago, an older success of 10 bytes (a day ago), a failure
    2 hours ago (counted) and one 2 days ago (not). The figures before them count any other failure."""
    before = dict(admin_conn.execute("select figure, value from app.operations_figures() where queue is null").fetchall())
    admin_conn.execute("delete from crm.backups")  # the last success is one of ours (rolled back with the test)
    for status, size, ago, error in (("succeeded", 2048, "90 seconds", None), ("succeeded", 10, "1 day", None),
                                     ("failed", None, "2 hours", "disk full"), ("failed", None, "2 days", "no space")):
        admin_conn.execute(
            "insert into crm.backups (kind, trigger, status, started_at, finished_at, location, size_bytes, error) "
            f"values ('archive', 'schedule', %s, now() - interval '{ago}' - interval '1 second', now() - interval '{ago}', "
            "'/backups/x.dump', %s, %s)", (status, size, error))  # fmt: skip
    after = dict(admin_conn.execute("select figure, value from app.operations_figures() where queue is null").fetchall())
    assert 90 <= after["crm_backup_last_success_age_seconds"] < 120
    assert after["crm_backup_last_success_size_bytes"] == 2048
    assert after["crm_backups_failed_24h"] == 1
    assert "crm_backups_failed_24h" in before
