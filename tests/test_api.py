"""The REST API /api/v1 (issue 17, docs/api.md): tokens, pages, ETags, idempotency, errors."""

from __future__ import annotations

import uuid

import pytest

from tests.api_helpers import Api, make_token
from tests.conftest import fetch_as


@pytest.fixture
def rep_api(app, client, users):
    return Api(client, make_token(app, users["rep"]["id"]))


def company_of(app, user_id, name: str) -> uuid.UUID:
    sql = "insert into crm.companies (name, owner_id) values (:n, :o) returning id"
    return fetch_as(app, user_id, sql, {"n": name, "o": user_id})[0][0]


def test_create_read_update_delete_a_company(app, rep_api, users):
    created = rep_api.post("/api/v1/companies", {"name": "Acme API", "domain": "acme-api.example", "size": "small"})
    assert created.status_code == 201, created.json
    body = created.json
    assert body["name"] == "Acme API" and body["owner_id"] == str(users["rep"]["id"])
    assert body["etag"] == '"v1"' and created.headers["ETag"] == '"v1"'
    assert created.headers["Location"] == f"/api/v1/companies/{body['id']}"
    read = rep_api.get(created.headers["Location"])
    assert read.status_code == 200 and read.headers["ETag"] == '"v1"' and read.json["domain"] == "acme-api.example"
    changed = rep_api.patch(created.headers["Location"], {"industry": "Tools"}, headers={"If-Match": '"v1"'})
    assert changed.status_code == 200, changed.json
    assert changed.json["industry"] == "Tools" and changed.json["domain"] == "acme-api.example"  # untouched
    assert changed.headers["ETag"] == '"v2"'
    gone = rep_api.delete(created.headers["Location"], headers={"If-Match": '"v2"'})
    assert gone.status_code == 204
    assert rep_api.get(created.headers["Location"]).status_code == 404


def test_list_pages_with_a_cursor_and_fields(app, rep_api, users):
    for n in range(5):
        company_of(app, users["rep"]["id"], f"Paged {n}")
    first = rep_api.get("/api/v1/companies?q=Paged&limit=2&fields=name")
    assert first.status_code == 200, first.json
    assert first.json["data"] == [{"id": first.json["data"][0]["id"], "name": "Paged 0"},
                                  {"id": first.json["data"][1]["id"], "name": "Paged 1"}]
    names = [r["name"] for r in first.json["data"]]
    url = first.json["next"]
    while url:
        page = rep_api.get(url).json
        names += [r["name"] for r in page["data"]]
        url = page["next"]
    assert names == [f"Paged {n}" for n in range(5)]
    backwards = rep_api.get("/api/v1/companies?q=Paged&limit=3&sort=name&dir=desc").json
    assert [r["name"] for r in backwards["data"]] == ["Paged 4", "Paged 3", "Paged 2"]
    rest = rep_api.get(backwards["next"]).json
    assert [r["name"] for r in rest["data"]] == ["Paged 1", "Paged 0"] and rest["next"] is None


def test_stale_if_match_is_412_and_changes_nothing(app, rep_api, users):
    company_id = company_of(app, users["rep"]["id"], "Stale Co")
    path = f"/api/v1/companies/{company_id}"
    assert rep_api.patch(path, {"industry": "First"}, headers={"If-Match": '"v1"'}).status_code == 200
    stale = rep_api.patch(path, {"industry": "Second"}, headers={"If-Match": '"v1"'})
    assert stale.status_code == 412 and stale.mimetype == "application/problem+json"
    assert rep_api.delete(path, headers={"If-Match": '"v1"'}).status_code == 412
    missing = rep_api.patch(path, {"industry": "Third"})
    assert missing.status_code == 428 and missing.json["errors"][0]["field"] == "If-Match"
    assert rep_api.get(path).json["industry"] == "First"


def test_idempotent_post_returns_the_first_answer(app, rep_api, users):
    key = {"Idempotency-Key": "create-once-1"}
    first = rep_api.post("/api/v1/companies", {"name": "Once Co"}, headers=key)
    again = rep_api.post("/api/v1/companies", {"name": "Once Co"}, headers=key)
    assert first.status_code == again.status_code == 201
    assert again.json == first.json and again.headers["Location"] == first.headers["Location"]
    count = fetch_as(app, users["rep"]["id"], "select count(*) from crm.companies where name = 'Once Co'")
    assert count == [(1,)]
    other = rep_api.post("/api/v1/companies", {"name": "Other Co"}, headers=key)
    assert other.status_code == 422 and other.json["errors"][0]["field"] == "Idempotency-Key"


def test_deal_create_and_stage_change(app, rep_api, users):
    stages = fetch_as(app, users["rep"]["id"], "select id from crm.deal_stages where not is_won and not is_lost order by position")
    created = rep_api.post("/api/v1/deals", {"name": "API deal", "value": 1234.5, "stage_id": str(stages[0][0])})
    assert created.status_code == 201, created.json
    assert created.json["value"] == 1234.5 and created.json["status"] == "active"
    moved = rep_api.patch(created.headers["Location"], {"stage_id": str(stages[1][0])}, headers={"If-Match": created.headers["ETag"]})
    assert moved.status_code == 200, moved.json
    notes = fetch_as(app, users["rep"]["id"], "select subject from crm.activities where deal_id = :d", {"d": created.json["id"]})
    assert len(notes) == 1 and notes[0][0].startswith("Stage changed:")


def test_nightly_cleanup_deletes_day_old_keys_and_windows(admin_url, app, users, monkeypatch):
    """jobs/api.py: keys and windows older than a day go; today's stay (rows made here, deleted after)."""
    import psycopg

    from dashboard import pg
    from dashboard.jobs import api as api_jobs
    from dashboard.jobs import queue

    monkeypatch.setattr(queue, "_database", [pg.libpq_url(admin_url)])

    with psycopg.connect(pg.libpq_url(admin_url), autocommit=True) as conn:
        conn.execute("select set_config('app.user_id', %s, false)", (str(users["rep2"]["id"]),))
        token_id = conn.execute("select id from app.create_api_token('cleanup', 'read', null)").fetchone()[0]
        try:
            insert = """insert into crm.api_idempotency_keys (token_id, key, user_id, request_hash, status, body, created_at)
                        values (%s, %s, %s, sha256('x'), 201, '{}', now() - %s::interval)"""
            for key, age in (("old", "25 hours"), ("new", "1 hour")):
                conn.execute(insert, (token_id, key, users["rep2"]["id"], age))
            for age in ("2 days", "0 days"):
                conn.execute("insert into crm.api_rate_windows (token_id, window_start, requests) values (%s, now() - %s::interval, 1)",
                             (token_id, age))  # fmt: skip
            counts = api_jobs.clean()
            assert counts["idempotency_keys"] >= 1 and counts["rate_windows"] >= 1
            left = conn.execute("select key from crm.api_idempotency_keys where token_id = %s", (token_id,)).fetchall()
            assert left == [("new",)]
            assert conn.execute("select count(*) from crm.api_rate_windows where token_id = %s", (token_id,)).fetchone()[0] == 1
        finally:
            conn.execute("delete from crm.api_tokens where id = %s", (token_id,))
