"""The stakeholder map: an org chart everyone who sees the deal may read;
admins save rows and "reports to" links in one transaction; bad links
(self, cycle, outsider) are field errors that write nothing; the database
refuses the same things; an injected failure mid-save leaves nothing."""

from __future__ import annotations

import re
from decimal import Decimal

import psycopg
import pytest
from sqlalchemy.exc import DBAPIError

from dashboard.services import stakeholders as deals_view
from tests.conftest import Auth, execute_as
from tests.test_deals import add_deal, add_row, one

VERSION = re.compile(r'name="version" type="hidden" value="(\d+)"')
ROW = re.compile(r'id="rows-(\d+)-contact_id" name="rows-\d+-contact_id" type="hidden" value="([0-9a-f-]{36})"')


@pytest.fixture
def deal(app, users, client):
    """The rep's deal at Acme with Ann (CEO), Bob and Cid on the map; Dee at Acme is not on it yet;
    Xena belongs to rep2 at another company."""
    rid = users["rep"]["id"]
    acme = add_row(app, users, "companies", name="Acme", owner_id=rid)
    people = {
        first: add_row(app, users, "contacts", first_name=first, last_name=last, title=title, company_id=acme, owner_id=rid)
        for first, last, title in [("Ann", "Boss", "CEO"), ("Bob", "Middle", "VP Sales"), ("Cid", "Low", "Engineer"),
                                   ("Dee", "New", "CFO")]
    }  # fmt: skip
    people["Xena"] = add_row(
        app, users, "contacts", who="rep2", first_name="Xena", last_name="Foreign", owner_id=users["rep2"]["id"]
    )
    deal_id = add_deal(app, users, name="Mapped deal", company_id=acme)
    for first in ("Ann", "Bob", "Cid"):
        add_row(app, users, "deal_stakeholders", who="admin", deal_id=deal_id, contact_id=people[first])
    return {"id": deal_id, **{k: str(v) for k, v in people.items()}}


@pytest.fixture
def admin(client, auth, users):
    auth.login(users["admin"]["email"])
    return auth


def form_data(client, auth, deal) -> tuple[dict, dict]:
    """The map form as the admin's page has it (every row unchanged), and contact id -> row index."""
    page = client.get(f"/deals/{deal['id']}/stakeholders").get_data(as_text=True)
    rows = {contact: index for index, contact in ROW.findall(page)}
    data = {"csrf_token": auth.csrf_token(f"/deals/{deal['id']}/stakeholders"), "version": VERSION.search(page).group(1),
            "new-contact_id": "", "new-role": "other", "new-influence_level": "medium", "new-reports_to": ""}  # fmt: skip
    for contact, index in rows.items():
        data |= {
            f"rows-{index}-contact_id": contact,
            f"rows-{index}-role": "other",
            f"rows-{index}-influence_level": "medium",
        }
    return data, rows


def field(rows: dict, deal: dict, who: str, name: str) -> str:
    return f"rows-{rows[deal[who]]}-{name}"


def snapshot(app, users, deal) -> tuple:
    stakeholders = one(
        app, users,
        """select contact_id, role, influence_level, relationship_strength, is_champion, notes, version
           from crm.deal_stakeholders where deal_id = :d order by contact_id""", d=deal["id"],
    )  # fmt: skip
    mapping = one(app, users, "select stakeholder_mapping, version from crm.deals where id = :d", d=deal["id"])
    audit = one(app, users, "select count(*) from crm.audit_log")
    return stakeholders, mapping, audit


def test_admin_saves_a_map_with_reports_to_links(app, client, admin, users, deal):
    data, rows = form_data(client, admin, deal)
    data |= {
        field(rows, deal, "Ann", "role"): "decision_maker", field(rows, deal, "Ann", "influence_level"): "critical",
        field(rows, deal, "Bob", "reports_to"): deal["Ann"], field(rows, deal, "Bob", "is_champion"): "y",
        field(rows, deal, "Bob", "relationship_strength"): "0.8", field(rows, deal, "Bob", "role"): "champion",
        field(rows, deal, "Cid", "reports_to"): deal["Bob"], field(rows, deal, "Cid", "notes"): "Runs the pilot",
        "new-contact_id": deal["Dee"], "new-role": "budget_holder", "new-influence_level": "high", "new-reports_to": deal["Ann"],
    }  # fmt: skip
    response = client.post(f"/deals/{deal['id']}/stakeholders", data=data)
    assert response.status_code == 302 and response.headers["Location"] == f"/deals/{deal['id']}/stakeholders"
    # the rows and the links were written together
    rows_now = {str(r[0]): r[1:5] for r in snapshot(app, users, deal)[0]}
    assert rows_now == {
        deal["Ann"]: ("decision_maker", "critical", None, False),
        deal["Bob"]: ("champion", "medium", Decimal("0.80"), True),
        deal["Cid"]: ("other", "medium", None, False),
        deal["Dee"]: ("budget_holder", "high", None, False),
    }
    mapping, version = one(
        app, users, "select stakeholder_mapping, version from crm.deals where id = :d", d=deal["id"]
    )[0]
    assert mapping == {"reports_to": {deal["Bob"]: deal["Ann"], deal["Cid"]: deal["Bob"], deal["Dee"]: deal["Ann"]}}
    assert version == 2
    # the chart: four boxes, three "reports to" lines, Bob highlighted as the champion
    body = client.get(f"/deals/{deal['id']}/stakeholders").get_data(as_text=True)
    assert body.count('<g class="org-box') == 4 and body.count('class="org-link"') == 3
    assert '<g class="org-box champion" transform="translate(' in body and "★ champion" in body
    assert re.search(rf'<g class="org-box champion"[^>]*data-contact-id="{deal["Bob"]}"', body)


def test_the_chart_puts_managers_above_their_reports(app, client, admin, users, deal):
    execute_as(app, users["admin"]["id"], "update crm.deals set stakeholder_mapping = :m where id = :d",
               {"m": f'{{"reports_to": {{"{deal["Bob"]}": "{deal["Ann"]}", "{deal["Cid"]}": "{deal["Ann"]}"}}}}',
                "d": deal["id"]})  # fmt: skip
    body = client.get(f"/deals/{deal['id']}/stakeholders").get_data(as_text=True)
    at = {cid: (float(x), float(y)) for x, y, cid in
          re.findall(r'transform="translate\(([\d.]+) ([\d.]+)\)" data-contact-id="([0-9a-f-]{36})"', body)}  # fmt: skip
    # Ann on top, centred over Bob and Cid, who share the row below
    assert at[deal["Ann"]][1] < at[deal["Bob"]][1] == at[deal["Cid"]][1]
    assert at[deal["Ann"]][0] == (at[deal["Bob"]][0] + at[deal["Cid"]][0]) / 2


def test_org_chart_tolerates_bad_stored_links():
    people = [{"id": i} for i in "abcd"]
    # a cycle, a self-link and a link to someone not on the chart: every box drawn once, no crash
    chart = deals_view.org_chart(people, {"a": "b", "b": "a", "c": "c", "d": "zzz"})
    assert sorted(b["id"] for b in chart["boxes"]) == ["a", "b", "c", "d"]
    assert len(chart["lines"]) == 1 and chart["width"] > 0


BAD_MAPS = [
    ("self-link", lambda d: {("Bob", "reports_to"): d["Bob"]}, "A stakeholder cannot report to themselves."),
    ("cycle", lambda d: {("Ann", "reports_to"): d["Bob"], ("Bob", "reports_to"): d["Cid"], ("Cid", "reports_to"): d["Ann"]},
     "These links go round in a circle: Ann Boss → Bob Middle → Cid Low → Ann Boss."),
    ("foreign contact", lambda d: {("Bob", "reports_to"): d["Xena"]}, "Choose someone who is on this deal&#39;s map."),
    ("contact not on the map", lambda d: {("Bob", "reports_to"): d["Dee"]}, "Choose someone who is on this deal&#39;s map."),
    ("removed manager", lambda d: {("Ann", "remove"): "y", ("Bob", "reports_to"): d["Ann"]},
     "Choose someone who is on this deal&#39;s map."),
    ("junk id", lambda d: {("Bob", "reports_to"): "not-a-uuid"}, "Choose someone who is on this deal&#39;s map."),
    ("new foreign contact", lambda d: {"new-contact_id": d["Xena"]}, "Choose a contact at this deal&#39;s company or of its owner."),
    ("new contact already there", lambda d: {"new-contact_id": d["Ann"]}, "This contact is already on the map."),
    ("new junk id", lambda d: {"new-contact_id": "x' or 1=1"}, "Choose a contact at this deal&#39;s company or of its owner."),
    ("strength out of range", lambda d: {("Ann", "relationship_strength"): "1.5"}, "Number must be between 0 and 1."),
    ("bad role", lambda d: {("Ann", "role"): "king"}, "Not a valid choice."),
]  # fmt: skip


@pytest.mark.parametrize(("case", "changes", "message"), BAD_MAPS, ids=[c[0] for c in BAD_MAPS])
def test_bad_maps_are_field_errors_and_write_nothing(app, client, admin, users, deal, case, changes, message):
    data, rows = form_data(client, admin, deal)
    for key, value in changes(deal).items():
        data[field(rows, deal, *key) if isinstance(key, tuple) else key] = value
    before = snapshot(app, users, deal)
    response = client.post(f"/deals/{deal['id']}/stakeholders", data=data)
    body = response.get_data(as_text=True)
    # the form again, with the message next to the field; the database is untouched
    assert response.status_code == 200 and 'id="stakeholder-form"' in body
    assert message in body, case
    assert snapshot(app, users, deal) == before
    # the blank "add someone" row stays blank (its "reports to" keeps the "—" choice)
    assert 'id="new-reports_to" name="new-reports_to"><option selected value="">—</option>' in body


def test_rep_sees_the_chart_but_no_form_and_gets_404_on_post(app, client, auth, users, deal):
    execute_as(app, users["admin"]["id"], "update crm.deals set stakeholder_mapping = :m where id = :d",
               {"m": f'{{"reports_to": {{"{deal["Bob"]}": "{deal["Ann"]}"}}}}', "d": deal["id"]})  # fmt: skip
    auth.login(users["rep"]["email"])
    body = client.get(f"/deals/{deal['id']}/stakeholders").get_data(as_text=True)
    # the chart and a read-only table that names Bob's manager; no form
    assert "<svg" in body and body.count('<g class="org-box') == 3 and 'class="org-link"' in body
    assert 'id="stakeholder-form"' not in body and "Stakeholder maps are edited by admins." in body
    assert re.search(r"Bob Middle.*?<td>Ann Boss</td>", body, re.S)
    before = snapshot(app, users, deal)
    response = client.post(f"/deals/{deal['id']}/stakeholders",
                           data={"csrf_token": auth.csrf_token("/"), "version": "1", "new-contact_id": deal["Dee"]})  # fmt: skip
    assert response.status_code == 404 and snapshot(app, users, deal) == before
    manager = app.test_client()
    Auth(manager).login(users["manager"]["email"])
    # the manager reads it too; rep2 gets the same 404 as a missing deal
    assert "<svg" in manager.get(f"/deals/{deal['id']}/stakeholders").get_data(as_text=True)
    rep2 = app.test_client()
    Auth(rep2).login(users["rep2"]["email"])
    assert rep2.get(f"/deals/{deal['id']}/stakeholders").status_code == 404


# a save that updates Ann, keeps Bob, removes Cid, adds Dee and writes the links: five writes
FAIL_AT = ["save Ann", "save Bob", "remove Cid", "save Dee", "mapping"]


@pytest.mark.parametrize("step", range(1, len(FAIL_AT) + 1), ids=FAIL_AT)
def test_failure_after_any_write_leaves_nothing(app, client, admin, users, deal, monkeypatch, step):
    data, rows = form_data(client, admin, deal)
    data |= {field(rows, deal, "Ann", "role"): "decision_maker", field(rows, deal, "Cid", "remove"): "y",
             field(rows, deal, "Bob", "reports_to"): deal["Ann"], "new-contact_id": deal["Dee"],
             "new-reports_to": deal["Bob"]}  # fmt: skip
    calls = []

    def failing(what):
        calls.append(what)
        if len(calls) == step:
            raise RuntimeError(f"injected failure after write {step} ({what})")

    monkeypatch.setattr(deals_view, "map_written", failing)
    before = snapshot(app, users, deal)
    response = client.post(f"/deals/{deal['id']}/stakeholders", data=data)
    # a generic 500, and not one row changed, added, removed or audited
    assert response.status_code == 500 and "injected" not in response.get_data(as_text=True)
    assert len(calls) == step
    assert snapshot(app, users, deal) == before
    # without the failure the same save goes through
    monkeypatch.setattr(deals_view, "map_written", lambda what: None)
    assert client.post(f"/deals/{deal['id']}/stakeholders", data=data).status_code == 302
    assert len(snapshot(app, users, deal)[0]) == 3


def test_stale_map_save_is_409(app, client, admin, users, deal):
    stale, rows = form_data(client, admin, deal)
    first, _ = form_data(client, admin, deal)
    assert (
        client.post(
            f"/deals/{deal['id']}/stakeholders", data=first | {field(rows, deal, "Ann", "role"): "legal"}
        ).status_code
        == 302
    )
    before = snapshot(app, users, deal)
    response = client.post(
        f"/deals/{deal['id']}/stakeholders", data=stale | {field(rows, deal, "Ann", "role"): "gatekeeper"}
    )
    assert response.status_code == 409 and "Someone else saved first" in response.get_data(as_text=True)
    assert snapshot(app, users, deal) == before


def db_error(excinfo) -> psycopg.Error:
    return excinfo.value.orig


def test_the_database_refuses_map_changes_by_non_admins(app, client, users, deal):
    # the rep may update their deal row, but not its map (the trigger, behind RLS)
    with pytest.raises(DBAPIError) as caught:
        execute_as(app, users["rep"]["id"], "update crm.deals set stakeholder_mapping = '{\"reports_to\": {}}' where id = :d",
                   {"d": deal["id"]})  # fmt: skip
    assert isinstance(db_error(caught), psycopg.errors.InsufficientPrivilege)
    # other columns of their own deal are still theirs to change
    assert (
        execute_as(app, users["rep"]["id"], "update crm.deals set name = 'Renamed' where id = :d", {"d": deal["id"]})
        == 1
    )


@pytest.mark.parametrize(
    ("links", "why"),
    [
        (lambda d: {d["Bob"]: d["Bob"]}, "self-link"),
        (lambda d: {d["Bob"]: d["Ann"], d["Ann"]: d["Bob"]}, "cycle"),
        (lambda d: {d["Ann"]: d["Bob"], d["Bob"]: d["Cid"], d["Cid"]: d["Ann"]}, "longer cycle"),
        (lambda d: {d["Bob"]: d["Xena"]}, "outsider"),
        (lambda d: {d["Bob"]: 42}, "not an id"),
    ],
    ids=["self", "cycle", "long cycle", "outsider", "number"],
)
def test_the_database_refuses_invalid_links_from_admins_too(app, client, users, deal, links, why):
    import json

    with pytest.raises(DBAPIError) as caught:
        execute_as(app, users["admin"]["id"], "update crm.deals set stakeholder_mapping = :m where id = :d",
                   {"m": json.dumps({"reports_to": links(deal)}), "d": deal["id"]})  # fmt: skip
    assert db_error(caught).diag.constraint_name == "check_deals_stakeholder_mapping_valid", why
    # a valid map passes
    valid = json.dumps({"reports_to": {deal["Bob"]: deal["Ann"], deal["Cid"]: deal["Bob"]}})
    assert execute_as(app, users["admin"]["id"], "update crm.deals set stakeholder_mapping = :m where id = :d",
                      {"m": valid, "d": deal["id"]}) == 1  # fmt: skip
