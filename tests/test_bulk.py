"""Bulk actions on the deal, task, company and contact lists: one confirmation that says what will change,
one transaction, and rows the user may not change refuse the whole action, named."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.conftest import fetch_as

EFFECT = re.compile(r'<p class="bulk-effect">([^<]+)</p>')
PROBLEM = re.compile(r'id="bulk-problem">([^<]+)<')


def insert(app, users, who, table, **columns):
    names = ", ".join(columns)
    params = ", ".join(f":{k}" for k in columns)
    return fetch_as(app, users[who]["id"], f"insert into crm.{table} ({names}) values ({params}) returning id", columns)[0][0]


def stage(app, users, name):
    return fetch_as(app, users["rep"]["id"], "select id from crm.deal_stages where name = :n", {"n": name})[0][0]


def deal(app, users, who, name, stage_name="Lead", **values):
    return insert(app, users, who, "deals", name=name, owner_id=users[who]["id"], stage_id=stage(app, users, stage_name),
                  **values)  # fmt: skip


def rows(app, users, sql, **params):
    return [tuple(r) for r in fetch_as(app, users["admin"]["id"], sql, params)]


def token(client, path="/deals"):
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True))[1]


def confirm(client, entity, action, ids=(), **fields):
    data = {"csrf_token": token(client, f"/{entity}"), "action": action, "ids": [str(i) for i in ids], **fields}
    return client.post(f"/{entity}/bulk", data=data)


def apply_confirmed(client, page: str, entity: str):
    """Post the confirmation page's form as the user would (its hidden fields)."""
    fields = re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">', page)
    data: dict = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return client.post(f"/{entity}/bulk/apply", data=data)


@pytest.fixture
def rep(auth, users):
    auth.login(users["rep"]["email"])


def test_a_stage_change_says_what_moves_then_moves_them_all_with_notes(app, client, rep, users):
    a = deal(app, users, "rep", "Alpha", "Lead")
    b = deal(app, users, "rep", "Beta", "Qualified")
    c = deal(app, users, "rep", "Gamma", "Won")
    deal(app, users, "rep", "Untouched", "Lead")
    response = confirm(client, "deals", "stage", [a, b, c], stage_id=str(stage(app, users, "Won")))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    # Alpha from Lead, Beta from Qualified; Gamma is already Won
    assert EFFECT.findall(page) == ["2 deals will move to Won (1 from Lead, 1 from Qualified); 1 already are there.",
                                    "Each move is noted on the deal&#39;s timeline."]  # fmt: skip
    assert rows(app, users, "select count(*) from crm.deals where stage_id = :s", s=stage(app, users, "Won")) == [(1,)]
    done = apply_confirmed(client, page, "deals")
    assert done.status_code == 303 and done.headers["Location"] == "/deals"
    assert rows(app, users, "select name, status from crm.deals order by name") == [
        ("Alpha", "won"), ("Beta", "won"), ("Gamma", "won"), ("Untouched", "active")]  # fmt: skip
    # each move is on its deal's timeline (2 notes: Gamma did not move)
    notes = rows(app, users, "select subject from crm.activities where type = 'note' order by subject")
    assert notes == [("Stage changed: Lead → Won",), ("Stage changed: Qualified → Won",)]
    assert "Change stage: 2 deals changed." in client.get("/deals").get_data(as_text=True)


def test_rows_the_user_may_not_change_refuse_the_whole_action(app, client, auth, users):
    """The manager sees the rep's deal but may not change its close date: nothing changes, the deal is named."""
    own = deal(app, users, "manager", "Manager deal")
    theirs = deal(app, users, "rep", "Rep deal")
    auth.login(users["manager"]["email"])
    response = confirm(client, "deals", "close_date", [own, theirs], close_date="2027-01-31")
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert PROBLEM.findall(page) == ["You may not change 1 of the selected deals; nothing was changed."]
    assert f'href="/deals/{theirs}">Rep deal</a>' in page
    # and the apply step refuses the same way (a forged confirmation)
    forged = client.post("/deals/bulk/apply", data={"csrf_token": token(client), "action": "close_date",
                                                     "close_date": "2027-01-31", "ids": [str(own), str(theirs)]})  # fmt: skip
    assert forged.status_code == 409
    assert rows(app, users, "select count(*) from crm.deals where expected_close_date is not null") == [(0,)]


def test_ids_the_user_cannot_see_are_refused_without_their_names(app, client, rep, users):
    mine = deal(app, users, "rep", "Mine")
    hidden = deal(app, users, "rep2", "Rep2 secret")
    page = confirm(client, "deals", "delete", [mine, hidden]).get_data(as_text=True)
    assert PROBLEM.findall(page) == ["1 of the selected deals no longer exist or are not yours to see."]
    assert "Rep2 secret" not in page and f"<code>{hidden}</code>" in page
    assert rows(app, users, "select count(*) from crm.deals") == [(2,)]


def test_a_manager_reassigns_their_peoples_deals_through_the_one_rule(app, client, auth, users):
    a = deal(app, users, "rep", "Alpha")
    b = deal(app, users, "rep", "Beta")
    auth.login(users["manager"]["email"])
    page = confirm(client, "deals", "reassign", [a, b], owner_id=str(users["rep2"]["id"])).get_data(as_text=True)
    assert EFFECT.findall(page) == ["2 deals will go to Test Rep2."]
    apply_confirmed(client, page, "deals")
    assert rows(app, users, "select name, owner_id from crm.deals order by name") == [
        ("Alpha", users["rep2"]["id"]), ("Beta", users["rep2"]["id"])]  # fmt: skip


def test_a_rep_is_offered_no_reassignment_and_a_forged_one_is_refused(app, client, rep, users):
    a = deal(app, users, "rep", "Alpha")
    assert 'value="reassign"' not in client.get("/deals").get_data(as_text=True)
    response = confirm(client, "deals", "reassign", [a], owner_id=str(users["rep2"]["id"]))
    assert response.status_code == 409
    # rep2 is not a user the rep may even see
    assert PROBLEM.findall(response.get_data(as_text=True)) == ["You may not hand deals to that owner; nothing was changed."]
    response = confirm(client, "deals", "reassign", [a], owner_id=str(users["rep"]["id"]))  # to themself: the rule says no
    assert PROBLEM.findall(response.get_data(as_text=True)) == [
        "You may not hand 1 of the selected deals to that owner; nothing was changed."]  # fmt: skip
    assert rows(app, users, "select owner_id from crm.deals") == [(users["rep"]["id"],)]


def test_all_tasks_matching_the_filter_are_completed(app, client, rep, users):
    for title in ("Call Acme", "Call Globex", "Email Initech"):
        insert(app, users, "rep", "tasks", title=title, assigned_to=users["rep"]["id"])
    insert(app, users, "rep2", "tasks", title="Call rep2's client", assigned_to=users["rep2"]["id"])
    page = confirm(client, "tasks", "complete", scope="filter", query="q=call&page=2").get_data(as_text=True)
    # the list's own filter (q=call, the rep's tasks; every page): rep2's task is not the rep's to list
    assert EFFECT.findall(page) == ["2 tasks will be completed."]
    apply_confirmed(client, page, "tasks")
    assert rows(app, users, "select title, status from crm.tasks order by title") == [
        ("Call Acme", "completed"), ("Call Globex", "completed"), ("Call rep2's client", "pending"),
        ("Email Initech", "pending")]  # fmt: skip


def test_a_delete_previews_what_the_database_deletes_and_unlinks(app, client, rep, users):
    acme = insert(app, users, "rep", "companies", name="Acme", owner_id=users["rep"]["id"])
    globex = insert(app, users, "rep", "companies", name="Globex", owner_id=users["rep"]["id"])
    insert(app, users, "rep", "contacts", first_name="Ann", company_id=acme, owner_id=users["rep"]["id"])
    deal(app, users, "rep", "Acme deal", company_id=acme)
    deal(app, users, "rep", "Globex deal", company_id=globex)
    page = confirm(client, "companies", "delete", [acme, globex]).get_data(as_text=True)
    # the contact and both deals stay, without their company
    assert EFFECT.findall(page) == ["2 companies will be deleted.",
                                    "Kept, without the link to these companies: 1 contact, 2 deals."]  # fmt: skip
    apply_confirmed(client, page, "companies")
    assert rows(app, users, "select count(*) from crm.companies") == [(0,)]
    assert rows(app, users, "select name, company_id from crm.deals order by name") == [("Acme deal", None),
                                                                                         ("Globex deal", None)]  # fmt: skip


def test_a_close_date_for_every_deal_matching_a_filter(app, client, rep, users):
    deal(app, users, "rep", "Small", value=10)
    deal(app, users, "rep", "Big", value=5000)
    page = confirm(client, "deals", "close_date", scope="filter", query="min_value=100",
                   close_date="2027-03-31").get_data(as_text=True)  # fmt: skip
    assert EFFECT.findall(page) == ["1 deal will close on 2027-03-31."]
    apply_confirmed(client, page, "deals")
    assert rows(app, users, "select name, expected_close_date from crm.deals order by name") == [
        ("Big", date(2027, 3, 31)), ("Small", None)]  # fmt: skip


@pytest.mark.parametrize(("fields", "message"), [
    ({"action": "stage"}, "Choose the stage."),
    ({"action": "close_date", "close_date": "31.03.2027"}, "Enter the close date as YYYY-MM-DD."),
    ({"action": "launch"}, "Choose what to do with the selected rows."),
    ({"action": "delete"}, "Select the deals to change."),
])  # fmt: skip
def test_an_incomplete_action_says_what_is_missing(app, client, rep, users, fields, message):
    response = client.post("/deals/bulk", data={"csrf_token": token(client), **fields})
    assert response.status_code == 409 and PROBLEM.findall(response.get_data(as_text=True)) == [message]


def test_the_list_pages_offer_the_bulk_bar(client, rep):
    for entity, actions in [("deals", ["stage", "close_date", "delete"]), ("tasks", ["complete", "delete"]),
                            ("companies", ["delete"]), ("contacts", ["delete"])]:  # fmt: skip
        body = client.get(f"/{entity}").get_data(as_text=True)
        assert f'action="/{entity}/bulk"' in body and f'data-bulk="{entity}"' in body
        assert re.findall(r'<option value="([a-z_]+)">', body.split('id="bulk-action"')[1].split("</select>")[0]) == actions


def test_a_move_to_a_lost_stage_needs_a_reason_and_records_it(app, client, rep, users):
    a = deal(app, users, "rep", "Alpha")
    lost = str(stage(app, users, "Lost"))
    refused = confirm(client, "deals", "stage", [a], stage_id=lost)
    assert refused.status_code == 409 and PROBLEM.findall(refused.get_data(as_text=True)) == ["Choose why the deals were lost."]
    price = fetch_as(app, users["rep"]["id"], "select id from crm.lost_reasons where name = 'Price'")[0][0]
    page = confirm(client, "deals", "stage", [a], stage_id=lost, lost_reason_id=str(price)).get_data(as_text=True)
    assert EFFECT.findall(page)[:2] == ["1 deal will move to Lost (1 from Lead).", "Lost because: Price."]
    apply_confirmed(client, page, "deals")
    assert rows(app, users, "select d.status, r.name from crm.deals d join crm.lost_reasons r on r.id = d.lost_reason_id") == [
        ("lost", "Price")]  # fmt: skip


def test_hostile_values_in_every_field_never_answer_5xx(app, client, rep, users):
    from tests.hostile import HOSTILE

    a = deal(app, users, "rep", "Alpha")
    names = ("action", "scope", "query", "owner_id", "stage_id", "close_date", "lost_reason_id", "ids")
    for entity in ("deals", "tasks", "companies", "contacts"):
        for step in ("", "/apply"):
            for value in HOSTILE:
                data = {"csrf_token": token(client), **dict.fromkeys(names, value)}
                response = client.post(f"/{entity}/bulk{step}", data=data)
                assert response.status_code < 500, (entity, step, value)
                data.update(action="close_date", ids=[str(a), value])
                assert client.post(f"/{entity}/bulk{step}", data=data).status_code < 500, (entity, step, value)
