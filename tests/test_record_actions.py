"""Acting from a record page: each page offers the actions that fit it, pre-filled with the record's
links, and the form returns to the record after saving (``next``, a path on this site only) or on cancel."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.conftest import fetch_as
from tests.test_dashboard_sql import LEAD

ACTION = re.compile(r'<a class="button secondary small" href="([^"]+)" id="action-([\w-]+)"')


@pytest.fixture
def world(app, users):
    rep = users["rep"]["id"]

    def one(sql, **params):
        return fetch_as(app, rep, sql, {"o": rep} | params)[0][0]

    company = one("insert into crm.companies (name, owner_id) values ('Acme', :o) returning id")
    contact = one("insert into crm.contacts (first_name, last_name, owner_id, company_id) values ('Pat', 'Lee', :o, :c) returning id",
                  c=company)  # fmt: skip
    deal = one("""insert into crm.deals (name, stage_id, owner_id, company_id, primary_contact_id)
                  values ('Big', :s, :o, :c, :p) returning id""", s=LEAD, c=company, p=contact)  # fmt: skip
    return {"company": company, "contact": contact, "deal": deal}


def actions(body: str) -> dict[str, str]:
    return {form: unescape(url) for url, form in ACTION.findall(body)}


def test_each_record_page_offers_its_actions_with_its_links(client, auth, users, world):
    auth.login(users["rep"]["email"])
    deal = actions(client.get(f"/deals/{world['deal']}").get_data(as_text=True))
    # a deal: log an activity, add a task, schedule a meeting, each knowing the deal, its company and contact
    assert sorted(deal) == ["activity-form", "meeting-form", "task-form"]
    for url in deal.values():
        assert f"deal={world['deal']}" in url and f"company={world['company']}" in url
        assert f"contact={world['contact']}" in url and f"next=/deals/{world['deal']}" in url
    company = actions(client.get(f"/companies/{world['company']}").get_data(as_text=True))
    # a company adds a new deal and a new contact at it
    assert sorted(company) == ["activity-form", "contact-form", "deal-form", "meeting-form", "task-form"]
    assert company["contact-form"] == f"/contacts/new?next=/companies/{world['company']}&company={world['company']}"
    contact = actions(client.get(f"/contacts/{world['contact']}").get_data(as_text=True))
    assert sorted(contact) == ["activity-form", "deal-form", "meeting-form", "task-form"]


@pytest.mark.parametrize(("form", "selected"), [
    ("/tasks/new", ("deal_id", "company_id", "contact_id")),
    ("/meetings/new", ("primary_deal_id", "company_id", "primary_contact_id")),
    ("/deals/new", ("company_id", "primary_contact_id")),
    ("/contacts/new", ("company_id",)),
    ("/activities/new", ("deal_id", "company_id", "contact_id")),
])  # fmt: skip
def test_the_forms_come_pre_filled_and_post_back_to_themselves(client, auth, users, world, form, selected):
    auth.login(users["rep"]["email"])
    query = f"deal={world['deal']}&company={world['company']}&contact={world['contact']}&next=/deals/{world['deal']}"
    body = client.get(f"{form}?{query}").get_data(as_text=True)
    ids = {"deal_id": world["deal"], "primary_deal_id": world["deal"], "company_id": world["company"],
           "contact_id": world["contact"], "primary_contact_id": world["contact"]}  # fmt: skip
    for name in selected:
        select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', body, re.S).group(1)
        assert f'<option selected value="{ids[name]}">' in select, name
    # the form posts to the same address (links and next kept); Cancel goes back to the deal
    assert f'action="{form}?{query}"' in unescape(body)
    assert f'href="/deals/{world["deal"]}">Cancel</a>' in body


def test_saving_returns_to_the_record_and_never_to_another_site(app, client, auth, users, world):
    auth.login(users["rep"]["email"])
    token = auth.csrf_token("/activities/new")
    data = {"csrf_token": token, "type": "call", "status": "completed", "subject": "From the deal page",
            "date": "2026-11-20T10:30", "quantity": "1", "deal_id": str(world["deal"])}  # fmt: skip
    saved = client.post(f"/activities/new?deal={world['deal']}&next=/deals/{world['deal']}", data=data)
    assert saved.status_code == 302 and saved.headers["Location"] == f"/deals/{world['deal']}"
    page = client.get(f"/deals/{world['deal']}").get_data(as_text=True)
    timeline = page[page.index('id="timeline"'):]
    assert "From the deal page" in timeline
    for evil in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        response = client.post(f"/activities/new?next={evil}", data=data | {"subject": "Elsewhere"})
        assert response.headers["Location"].startswith("/activities/"), evil
    assert fetch_as(app, users["rep"]["id"], "select count(*) from crm.activities where deal_id = :d", {"d": world["deal"]}) == [(4,)]


def test_others_see_no_actions_on_a_record_they_only_read(client, auth, users, world):
    auth.login(users["manager"]["email"])
    # the manager reads the rep's deal, but its forms would offer only the manager's own records to link
    body = client.get(f"/deals/{world['deal']}").get_data(as_text=True)
    assert "Big" in body and actions(body) == {}


def test_names_of_records_are_links(app, client, auth, users, world):
    rep = users["rep"]["id"]
    task = fetch_as(app, rep, "insert into crm.tasks (title, assigned_to, deal_id) values ('Chase', :o, :d) returning id",
                    {"o": rep, "d": world["deal"]})[0][0]  # fmt: skip
    auth.login(users["rep"]["email"])
    company = client.get(f"/companies/{world['company']}").get_data(as_text=True)
    # a company's contacts and deals
    assert f'<a href="/contacts/{world["contact"]}">Pat Lee</a>' in company
    assert f'<a href="/deals/{world["deal"]}">Big</a>' in company
    deal = client.get(f"/deals/{world['deal']}").get_data(as_text=True)
    assert f'<a href="/tasks/{task}">Chase</a>' in deal
    # list rows: a deal's company, shown for the deals the user sees
    rows = client.get("/deals?all=1").get_data(as_text=True)
    assert f'<a href="/companies/{world["company"]}">Acme</a>' in rows
