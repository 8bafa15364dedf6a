"""The RLS matrix through the REST API: a rep's token never reads or writes another rep's rows -- not in a
list, not by id (404, as for a missing id), not by PATCH or DELETE, and never by creating a row that points
at another rep's company or deal. The database's policies decide (the API adds no filter of its own for
reads by id), so breaking a policy makes this file fail (checked once by hand, see docs/api.md)."""

from __future__ import annotations

import pytest

from tests.api_helpers import Api, make_token
from tests.conftest import fetch_as

RESOURCES = {
    "companies": "insert into crm.companies (name, owner_id) values ('Other rep co', :o) returning id",
    "contacts": "insert into crm.contacts (first_name, owner_id) values ('Other rep person', :o) returning id",
    "deals": "insert into crm.deals (name, owner_id, stage_id) values ('Other rep deal', :o, "
             "(select id from crm.deal_stages order by position limit 1)) returning id",
    "activities": "insert into crm.activities (user_id, type, subject) values (:o, 'call', 'Other rep call') returning id",
    "meetings": "insert into crm.meetings (title, starts_at, owner_id) values ('Other rep meeting', now(), :o) returning id",
    "tasks": "insert into crm.tasks (title, assigned_to, created_by) values ('Other rep task', :o, :o) returning id",
}  # fmt: skip
PATCHES = {"companies": {"name": "Taken"}, "contacts": {"first_name": "Taken"}, "deals": {"name": "Taken"},
           "activities": {"subject": "Taken"}, "meetings": {"title": "Taken"}, "tasks": {"title": "Taken"}}  # fmt: skip


@pytest.fixture
def others(app, users):
    """One row of rep2's in each resource (rep2: the rep's teammate, who sees none of the rep's rows)."""
    return {name: fetch_as(app, users["rep2"]["id"], sql, {"o": users["rep2"]["id"]})[0][0] for name, sql in RESOURCES.items()}


def listed_ids(api, name: str) -> set[str]:
    ids, url = set(), f"/api/v1/{name}?limit=100&fields=id"
    while url:
        page = api.get(url)
        assert page.status_code == 200, page.json
        ids |= {row["id"] for row in page.json["data"]}
        url = page.json["next"]
    return ids


@pytest.mark.parametrize("name", list(RESOURCES))
def test_a_reps_token_never_reads_or_writes_another_reps_rows(app, client, users, others, name):
    api = Api(client, make_token(app, users["rep"]["id"]))
    other = str(others[name])
    assert other not in listed_ids(api, name)
    assert api.get(f"/api/v1/{name}/{other}").status_code == 404
    assert api.patch(f"/api/v1/{name}/{other}", PATCHES[name], headers={"If-Match": '"v1"'}).status_code == 404
    assert api.delete(f"/api/v1/{name}/{other}", headers={"If-Match": '"v1"'}).status_code == 404
    # rep2 still has the row, unchanged; their manager sees it through the API too
    manager = Api(client, make_token(app, users["manager"]["id"]))
    seen = manager.get(f"/api/v1/{name}/{other}")
    assert seen.status_code == 200 and seen.json["version"] == 1
    assert other in listed_ids(Api(client, make_token(app, users["rep2"]["id"])), name)


def test_a_rep_cannot_create_rows_pointing_at_another_reps_records(app, client, users, others):
    api = Api(client, make_token(app, users["rep"]["id"]))
    company, deal = str(others["companies"]), str(others["deals"])
    stage = fetch_as(app, users["rep"]["id"], "select id from crm.deal_stages order by position limit 1")[0][0]
    attempts = [
        ("contacts", {"first_name": "Sneaky", "company_id": company}, "company_id"),
        ("deals", {"name": "Sneaky", "value": 1, "stage_id": str(stage), "company_id": company}, "company_id"),
        ("activities", {"subject": "Sneaky", "deal_id": deal}, "deal_id"),
        ("meetings", {"title": "Sneaky", "starts_at": "2026-12-01T10:00:00Z", "primary_deal_id": deal}, "primary_deal_id"),
        ("tasks", {"title": "Sneaky", "deal_id": deal}, "deal_id"),
    ]
    for name, body, field in attempts:
        refused = api.post(f"/api/v1/{name}", body)
        assert refused.status_code == 422, (name, refused.json)
        assert [e["field"] for e in refused.json["errors"]] == [field], name
    written = fetch_as(app, users["rep2"]["id"], """select (select count(*) from crm.contacts where first_name = 'Sneaky')
        + (select count(*) from crm.deals where name = 'Sneaky') + (select count(*) from crm.activities where subject = 'Sneaky')
        + (select count(*) from crm.meetings where title = 'Sneaky') + (select count(*) from crm.tasks where title = 'Sneaky')""")
    assert written == [(0,)]
    # nor by moving one of its own rows onto them
    own = api.post("/api/v1/companies", {"name": "Own co"})
    contact = api.post("/api/v1/contacts", {"first_name": "Own", "company_id": own.json["id"]})
    moved = api.patch(contact.headers["Location"], {"company_id": company}, headers={"If-Match": contact.headers["ETag"]})
    assert moved.status_code == 422 and api.get(contact.headers["Location"]).json["company_id"] == own.json["id"]
