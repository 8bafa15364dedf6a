"""The REST API's refusals (issue 17, "Bad input"): each a precise application/problem+json with the field
it concerns, never a 500, and nothing written."""

from __future__ import annotations

import hashlib
import secrets
import uuid

import psycopg
import pytest
from psycopg import sql

from tests.api_helpers import Api, make_token
from tests.conftest import SUPERUSER_URL, fetch_as

PROBLEM = "application/problem+json"


@pytest.fixture
def api(app, client, users):
    return Api(client, make_token(app, users["rep"]["id"]))


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.json
    assert body["status"] == status and body["title"] and body["detail"]
    return body


def fields(body: dict) -> dict:
    return {e["field"]: e["message"] for e in body.get("errors", [])}


def companies_named(app, user_id, name: str) -> int:
    return fetch_as(app, user_id, "select count(*) from crm.companies where name = :n", {"n": name})[0][0]


def test_malformed_json_is_400(app, api, users):
    body = problem(api.post("/api/v1/companies", raw=b'{"name": "Broken",'), 400)
    assert "not valid JSON" in body["detail"]
    assert companies_named(app, users["rep"]["id"], "Broken") == 0


def test_a_body_that_is_not_an_object_is_422(api):
    assert fields(problem(api.post("/api/v1/companies", ["a"]), 422)) == {"body": "Send a JSON object."}


def test_unknown_fields_and_wrong_types_are_named(app, api, users):
    body = problem(api.post("/api/v1/companies", {"name": 5, "nickname": "x", "employee_count": "12"}), 422)
    assert set(fields(body)) == {"name", "nickname", "employee_count"}
    assert fields(body)["nickname"] == "Unknown field."
    missing = problem(api.post("/api/v1/deals", {"name": "No value"}), 422)
    assert fields(missing) == {"value": "This field is required.", "stage_id": "This field is required."}


def test_form_rules_refuse_and_write_nothing(app, api, users):
    other = fetch_as(app, users["rep2"]["id"], "insert into crm.companies (name, owner_id) values ('Rep2 Co', :o) returning id",
                     {"o": users["rep2"]["id"]})[0][0]  # fmt: skip
    stage = fetch_as(app, users["rep"]["id"], "select id from crm.deal_stages order by position limit 1")[0][0]
    deal = {"name": "Not theirs", "value": 10, "stage_id": str(stage), "company_id": str(other)}
    body = problem(api.post("/api/v1/deals", deal), 422)
    assert fields(body) == {"company_id": "Choose one from the list."}
    assert fetch_as(app, users["rep"]["id"], "select count(*) from crm.deals where name = 'Not theirs'") == [(0,)]
    blank = problem(api.post("/api/v1/companies", {"name": "   "}), 422)
    assert list(fields(blank)) == ["name"]


def test_oversized_body_is_413(app, api, monkeypatch):
    monkeypatch.setitem(app.config, "API_MAX_BODY_BYTES", 100)
    problem(api.post("/api/v1/companies", {"name": "x" * 200}), 413)


def test_wrong_media_type_method_and_accept(api):
    sent = api.client.post("/api/v1/companies", data="name=x", headers=api.headers({"Content-Type": "text/plain"}))
    problem(sent, 415)
    problem(api.send("PUT", "/api/v1/companies", {"name": "x"}), 405)
    problem(api.get("/api/v1/companies", headers={"Accept": "text/html"}), 406)
    problem(api.get("/api/v1/nothing-here"), 404)


def test_bad_query_parameters_are_400(api):
    assert "colour" in fields(problem(api.get("/api/v1/companies?colour=red"), 400))
    assert "limit" in fields(problem(api.get("/api/v1/companies?limit=1000"), 400))
    assert "sort" in fields(problem(api.get("/api/v1/companies?sort=secret"), 400))
    assert fields(problem(api.get("/api/v1/companies?fields=name,password"), 400)) == {"fields": "Unknown field: password."}
    assert "cursor" in fields(problem(api.get("/api/v1/companies?cursor=bm9wZQ"), 400))
    deals_cursor = api.get("/api/v1/deals?limit=1").json["next"]
    if deals_cursor:  # a cursor of another sort is refused, not misread
        cursor = deals_cursor.split("cursor=")[1]
        problem(api.get(f"/api/v1/deals?limit=1&sort=value&cursor={cursor}"), 400)


def test_hidden_and_missing_ids_look_alike(app, api, users):
    other = fetch_as(app, users["rep2"]["id"], "insert into crm.companies (name, owner_id) values ('Hidden', :o) returning id",
                     {"o": users["rep2"]["id"]})[0][0]  # fmt: skip
    missing = uuid.uuid4()
    hidden = problem(api.get(f"/api/v1/companies/{other}"), 404)
    absent = problem(api.get(f"/api/v1/companies/{missing}"), 404)
    assert hidden["detail"] == absent["detail"] and hidden["title"] == absent["title"]


def committed_token(user_id, **columns) -> tuple[str, uuid.UUID]:
    """A token inserted by the superuser and committed (expired ones cannot be made through the app)."""
    token = "crm_pat_" + secrets.token_urlsafe(32)[:43]
    values = {"user_id": user_id, "name": "t", "scope": "write", "token_hash": hashlib.sha256(token.encode()).digest(),
              "prefix": token[:12], **columns}  # fmt: skip
    insert = sql.SQL("insert into crm.api_tokens ({}) values ({}) returning id").format(
        sql.SQL(", ").join(map(sql.Identifier, values)), sql.SQL(", ").join(sql.Placeholder() * len(values)))
    with psycopg.connect(SUPERUSER_URL[0], autocommit=True) as conn:
        row = conn.execute(insert, list(values.values())).fetchone()
    return token, row[0]


def drop_token(token_id) -> None:
    with psycopg.connect(SUPERUSER_URL[0], autocommit=True) as conn:
        conn.execute("delete from crm.api_tokens where id = %s", (token_id,))


def test_tokens_are_refused_with_the_reason(app, client, users):
    assert "Bearer" in problem(client.get("/api/v1/companies"), 401)["detail"]
    assert problem(Api(client, "crm_pat_" + "x" * 43).get("/api/v1/companies"), 401)["detail"].startswith("The bearer token is not")
    token, token_id = committed_token(users["rep"]["id"], created_at="2026-01-01", expires_at="2026-01-02")
    try:
        expired = problem(Api(client, token).get("/api/v1/companies"), 401)
        assert "expired" in expired["detail"]
    finally:
        drop_token(token_id)
    revoked_token = make_token(app, users["rep"]["id"])
    fetch_as(app, users["rep"]["id"], "select app.revoke_api_token(id) from crm.api_tokens where prefix = :p",
             {"p": revoked_token[:12]})  # fmt: skip
    assert "revoked" in problem(Api(client, revoked_token).get("/api/v1/companies"), 401)["detail"]
    reader = Api(client, make_token(app, users["rep"]["id"], scope="read"))
    assert reader.get("/api/v1/companies").status_code == 200
    assert "read scope" in problem(reader.post("/api/v1/companies", {"name": "Read only"}), 403)["detail"]
    assert companies_named(app, users["rep"]["id"], "Read only") == 0


def test_rate_limit_is_429_with_retry_after(app, api, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", 2)
    monkeypatch.setitem(app.config, "API_RATE_WINDOW_SECONDS", 3600)
    assert api.get("/api/v1/stages").status_code == 200
    assert api.get("/api/v1/stages").status_code == 200
    limited = api.get("/api/v1/stages")
    problem(limited, 429)
    assert 1 <= int(limited.headers["Retry-After"]) <= 3600
