"""Contacts: list (page and htmx rows), search (served by the trigram index), filters,
sort, pagination, create, edit, stale edit, delete, manager read-only, mass
assignment, unique email, AI gating, detail panels and escaping."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import select, text

from tests.conftest import execute_as, fetch_as
from tests.test_companies import add_company

VERSION = re.compile(r'name="version" type="hidden" value="(\d+)"')
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
SCRIPT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
IMG_ESCAPED = "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"


def add_contact(app, users, who="rep", **values):
    columns = {"first_name": "Ann", "last_name": "Lee", "owner_id": users[who]["id"]} | values
    names = ", ".join(columns)
    params = ", ".join(f":{k}" for k in columns)
    return fetch_as(
        app, users[who]["id"], f"insert into crm.contacts ({names}) values ({params}) returning id", columns
    )[0][0]


def set_ai(app, users, who, on=True):
    execute_as(
        app,
        users["admin"]["id"],
        "update crm.users set ai_features = :on where id = :id",
        {"on": on, "id": users[who]["id"]},
    )


def names(body: str) -> list[str]:
    return re.findall(r'/contacts/[0-9a-f-]{36}">([^<]+)</a>', body)


@pytest.fixture
def rep(client, auth, users):
    auth.login(users["rep"]["email"])
    return auth


def test_list_full_page_and_htmx_rows(app, client, rep, users):
    add_contact(app, users, first_name="Ada", last_name="Lovelace", email="ada@example.com")
    add_contact(app, users, first_name="Grace", last_name="Hopper")
    add_contact(app, users, who="rep2", first_name="Hidden", last_name="Person")
    page = client.get("/contacts")
    body = page.get_data(as_text=True)
    # the full page: layout, filters, both of the rep's contacts, not rep2's, and the total
    assert "<html" in body and 'id="search"' in body
    assert "Ada Lovelace" in body and "Grace Hopper" in body and "Hidden Person" not in body
    assert '<small class="muted" id="result-count">2</small>' in body
    assert page.headers["Vary"].count("HX-Request") == 1
    rows = client.get("/contacts?q=love", headers={"HX-Request": "true"}).get_data(as_text=True)
    # htmx gets only the rows, filtered by the search, with the new count swapped out of band
    assert "<html" not in rows and "<tr" in rows
    assert "Ada Lovelace" in rows and "Grace Hopper" not in rows
    assert 'id="result-count" hx-swap-oob="true">1<' in rows


def test_rep_list_holds_only_own_contacts_even_those_rls_lets_them_read(app, client, rep, users):
    theirs = add_contact(app, users, who="rep2", first_name="Their", last_name="Buyer")
    add_deal(app, users, "Rep Deal", primary_contact_id=theirs)
    # rep2's contact is on the rep's deal, so the rep may open it
    assert "Their Buyer" in client.get(f"/contacts/{theirs}").get_data(as_text=True)
    # but the rep's list shows only contacts the rep owns
    assert "Their Buyer" not in client.get("/contacts").get_data(as_text=True)


def test_search_full_name_and_email_case_insensitively(app, client, rep, users):
    add_contact(app, users, first_name="Ada", last_name="Lovelace")
    add_contact(app, users, first_name="Grace", last_name="Hopper", email="grace@navy.example")
    add_contact(app, users, first_name="Percent", last_name="100%")
    # "first last" across both columns matches the full name
    assert names(client.get("/contacts?q=ADA+LOVE").get_data(as_text=True)) == ["Ada Lovelace"]
    # the email matches too
    assert names(client.get("/contacts?q=NAVY.EX").get_data(as_text=True)) == ["Grace Hopper"]
    # % is a literal, not a wildcard
    assert names(client.get("/contacts?q=%25").get_data(as_text=True)) == ["Percent 100%"]
    # nothing matches: the empty state says so
    assert "No contacts match “zzz”" in client.get("/contacts?q=zzz").get_data(as_text=True)


def explain(app, run, q="lovelace") -> str:
    """The plan of the list's name search (the SQL the view sends), with sequential scans discouraged."""
    from dashboard.db import db
    from dashboard.lists import contains
    from dashboard.models import Contact
    from dashboard.models.contact import FULL_NAME

    with app.app_context():
        statement = select(Contact.id).where(contains(FULL_NAME, q))
        sql = str(statement.compile(db.engine, compile_kwargs={"literal_binds": True})).replace("%%", "%")
    return run("set local enable_seqscan = off", f"explain {sql}")


def test_name_search_uses_the_trigram_index_expression(app, admin_conn):
    def run(*statements):
        rows = [admin_conn.execute(s) for s in statements][-1]
        return "\n".join(row[0] for row in rows)

    # the view's expression is exactly the index's: the planner (as a superuser, no RLS) can use it
    assert "index_contacts_on_full_name_trgm" in explain(app, run)


def test_name_search_uses_the_trigram_index_under_rls(app):
    """lower(), || and LIKE are marked LEAKPROOF by sql/bootstrap.sql; without that, row-level
    security would keep them out of index conditions and every search would scan."""
    from dashboard.db import db

    def run(*statements):
        with app.app_context():
            rows = [db.session.execute(text(s)) for s in statements][-1]
            plan = "\n".join(row[0] for row in rows)
            db.session.rollback()
        return plan

    # as the app role, under RLS, the name search could use the trigram index
    assert "index_contacts_on_full_name_trgm" in explain(app, run)


def test_sort_and_unknown_sort_falls_back(app, client, rep, users):
    zeta = add_company(app, users, name="Zeta Co")
    alpha = add_company(app, users, name="alpha Co")
    add_contact(app, users, first_name="Bea", last_name="Brown", company_id=alpha)
    add_contact(app, users, first_name="adam", last_name="Ant", company_id=zeta)
    add_contact(app, users, first_name="Cid", last_name="Clay")
    # by name descending
    assert names(client.get("/contacts?sort=name&dir=desc").get_data(as_text=True)) == [
        "Cid Clay",
        "Bea Brown",
        "adam Ant",
    ]
    # by company: alpha Co, Zeta Co, then the contact without a company
    assert names(client.get("/contacts?sort=company").get_data(as_text=True)) == ["Bea Brown", "adam Ant", "Cid Clay"]
    # a made-up key or direction gives the default order (name, ascending), not an error
    assert names(client.get("/contacts?sort=drop+table&dir=sideways").get_data(as_text=True)) == [
        "adam Ant",
        "Bea Brown",
        "Cid Clay",
    ]


def test_engagement_sort_and_decision_maker_filter_need_ai_features(app, client, rep, users):
    add_contact(app, users, first_name="Low", last_name="One", engagement_score=10, decision_maker_score=0.2)
    add_contact(app, users, first_name="High", last_name="Two", engagement_score=90, decision_maker_score=0.9)
    set_ai(app, users, "rep", on=False)
    # without AI features the score sort falls back to name (engagement would put Low One first)
    assert names(client.get("/contacts?sort=engagement&dir=asc").get_data(as_text=True)) == ["High Two", "Low One"]
    # ... and the decision-maker filter is ignored and not offered
    assert names(client.get("/contacts?decision_makers=1").get_data(as_text=True)) == ["High Two", "Low One"]
    assert "Decision makers" not in client.get("/contacts").get_data(as_text=True)
    set_ai(app, users, "rep")
    # with AI features: sorted by engagement, and only decision makers (score >= 0.7) when asked
    assert names(client.get("/contacts?sort=engagement&dir=asc").get_data(as_text=True)) == ["Low One", "High Two"]
    assert names(client.get("/contacts?decision_makers=1").get_data(as_text=True)) == ["High Two"]


def test_filters_and_pagination(app, client, rep, users):
    acme = add_company(app, users, name="Acme")
    for n in range(30):
        add_contact(app, users, first_name=f"P{n:02d}", last_name="X", job_seniority="senior" if n % 3 == 0 else "mid",
                    company_id=acme if n < 4 else None)  # fmt: skip
    senior = client.get("/contacts?seniority=senior").get_data(as_text=True)
    # 10 senior contacts, all on page 1 (page size 25), no "load more"
    assert senior.count('data-id="') == 10 and "Load more" not in senior
    # the company filter keeps the 4 contacts at Acme
    assert client.get(f"/contacts?company={acme}").get_data(as_text=True).count('data-id="') == 4
    # a junk company id or seniority is ignored, not an error
    assert client.get("/contacts?company=junk&seniority=boss").get_data(as_text=True).count('data-id="') == 25
    first = client.get("/contacts").get_data(as_text=True)
    assert first.count('data-id="') == 25 and "Load more" in first and 'hx-trigger="revealed"' in first
    second = client.get("/contacts?page=2", headers={"HX-Request": "true"}).get_data(as_text=True)
    # the second page holds the last 5 and no further "load more"
    assert second.count('data-id="') == 5 and "Load more" not in second
    assert client.get("/contacts?page=junk").status_code == 200


def test_create_with_field_errors_then_success(app, client, rep, users):
    mine = add_company(app, users, name="Mine Inc")
    theirs = add_company(app, users, who="rep2", name="Theirs Inc")
    token = rep.csrf_token("/contacts/new")
    bad = client.post(
        "/contacts/new",
        data={"csrf_token": token, "first_name": "  ", "last_name": "Typed Last", "email": "not an email",
              "company_id": str(theirs), "job_seniority": "boss", "preferred_contact_method": "email"},
    )  # fmt: skip
    body = bad.get_data(as_text=True)
    assert bad.status_code == 200
    # each problem is shown next to its field
    assert "This field is required." in body and "Enter an email address like name@example.com." in body
    # someone else's company (or a made-up seniority) is not a choice
    assert body.count("Not a valid choice.") == 2 and "Theirs Inc" not in body
    # what the user typed is kept
    assert 'value="not an email"' in body and 'value="Typed Last"' in body
    good = client.post(
        "/contacts/new",
        data={"csrf_token": token, "first_name": " Joan ", "last_name": "Clarke", "email": " Joan@Example.COM ",
              "company_id": str(mine), "job_seniority": "executive", "preferred_contact_method": "phone",
              "owner_id": str(users["rep2"]["id"]), "engagement_score": "99", "decision_maker_score": "1",
              "interaction_count": "50", "version": "7", "id": "00000000-0000-0000-0000-000000000001"},
    )  # fmt: skip
    assert good.status_code == 302
    row = fetch_as(
        app, users["admin"]["id"],
        """select first_name, email, company_id, owner_id, engagement_score, decision_maker_score, interaction_count,
                  version, job_seniority, preferred_contact_method, id::text like '00000000%'
           from crm.contacts where last_name = 'Clarke'""",
    )  # fmt: skip
    # trimmed, email lower-cased; owner is the creator; posted scores, counts, version and id ignored
    # scored in the same request: decision maker .6 x .8 (executive) + .4 x 0 (no stakeholder role) = .48
    assert row == [
        ("Joan", "joan@example.com", mine, users["rep"]["id"], 0, Decimal("0.48"), 0, 1, "executive", "phone", False)
    ]
    # the new contact's page opens
    assert "Joan Clarke" in client.get(good.headers["Location"]).get_data(as_text=True)


def test_htmx_create_answers_with_client_redirect_and_event(app, client, rep, users):
    token = rep.csrf_token("/contacts/new")
    headers = {"HX-Request": "true"}
    invalid = client.post("/contacts/new", data={"csrf_token": token, "first_name": ""}, headers=headers)
    body = invalid.get_data(as_text=True)
    # an invalid htmx submit gets the form fragment back with 200 (htmx swaps it in place)
    assert invalid.status_code == 200 and "<html" not in body and 'id="contact-form"' in body
    ok = client.post("/contacts/new", data={"csrf_token": token, "first_name": "Htmx", "preferred_contact_method": "email"},
                     headers=headers)  # fmt: skip
    # success: a client-side redirect to the new contact and an event for widgets that list contacts
    assert ok.status_code == 200 and ok.headers["HX-Redirect"].startswith("/contacts/")
    assert "contactsChanged" in ok.headers["HX-Trigger"]


def test_duplicate_email_is_a_field_error_that_reveals_nothing(app, client, rep, users):
    add_contact(app, users, who="rep2", first_name="Secret", last_name="Person", email="taken@example.com",
                phone="+1 555 0100")  # fmt: skip
    token = rep.csrf_token("/contacts/new")
    response = client.post(
        "/contacts/new",
        data={"csrf_token": token, "first_name": "Mine", "email": "TAKEN@example.com", "preferred_contact_method": "email"},
    )  # fmt: skip
    body = response.get_data(as_text=True)
    # the user learns the email is taken, and nothing about who has it
    assert response.status_code == 200 and "Another contact already uses this email." in body
    assert "Secret" not in body and "Person" not in body and "555 0100" not in body
    # nothing was written
    assert fetch_as(app, users["admin"]["id"], "select count(*) from crm.contacts where first_name = 'Mine'") == [(0,)]


def edit_form(client, auth, contact_id, **changes):
    page = client.get(f"/contacts/{contact_id}/edit").get_data(as_text=True)
    return {"csrf_token": auth.csrf_token(f"/contacts/{contact_id}/edit"), "version": VERSION.search(page).group(1),
            "first_name": "Ann", "last_name": "Lee", "preferred_contact_method": "email"} | changes  # fmt: skip


def test_edit_then_stale_edit_is_409(app, client, rep, users):
    contact = add_contact(app, users)
    stale = edit_form(client, rep, contact)
    first = edit_form(client, rep, contact, first_name="First", email="first@example.com")
    response = client.post(f"/contacts/{contact}/edit", data=first)
    # the save goes to the contact's page
    assert response.status_code == 302 and response.headers["Location"] == f"/contacts/{contact}"
    response = client.post(f"/contacts/{contact}/edit", data=stale | {"first_name": "Second"})
    # the second, stale save is refused and explained; the first one survives
    assert response.status_code == 409 and "Someone else saved first" in response.get_data(as_text=True)
    row = fetch_as(
        app, users["rep"]["id"], "select first_name, email, version from crm.contacts where id = :i", {"i": contact}
    )
    assert row == [("First", "first@example.com", 2)]


def test_edit_keeps_a_company_the_editor_cannot_see(app, client, rep, users):
    hidden = add_company(app, users, who="rep2", name="Hidden Co")
    contact = add_contact(app, users)
    execute_as(
        app, users["admin"]["id"], "update crm.contacts set company_id = :c where id = :i", {"c": hidden, "i": contact}
    )
    data = edit_form(client, rep, contact, company_id=str(hidden), title="New title")
    body = client.get(f"/contacts/{contact}/edit").get_data(as_text=True)
    # the current link is an option, without the hidden company's name
    assert "(current, not visible to you)" in body and "Hidden Co" not in body
    assert client.post(f"/contacts/{contact}/edit", data=data).status_code == 302
    assert fetch_as(
        app, users["admin"]["id"], "select company_id, title from crm.contacts where id = :i", {"i": contact}
    ) == [(hidden, "New title")]


def test_mass_assignment_on_edit_changes_nothing_else(app, client, rep, users):
    contact = add_contact(app, users)
    data = edit_form(client, rep, contact, owner_id=str(users["rep2"]["id"]), engagement_score="99",
                     decision_maker_score="1", id="00000000-0000-0000-0000-000000000001")  # fmt: skip
    assert client.post(f"/contacts/{contact}/edit", data=data).status_code == 302
    row = fetch_as(
        app,
        users["admin"]["id"],
        "select owner_id, engagement_score, decision_maker_score from crm.contacts where id = :i",
        {"i": contact},
    )
    # still the rep's contact, scores the database's, not the post's: rescored in the same request, no
    # interactions (engagement 0) and decision maker .6 x .3 (seniority unknown) + .4 x 0 (no role) = .18
    assert row == [(users["rep"]["id"], 0, Decimal("0.18"))]


def test_manager_reads_but_cannot_edit(app, client, auth, users):
    contact = add_contact(app, users, first_name="Team", last_name="Contact")
    auth.login(users["manager"]["email"])
    # the manager sees the team member's contact in the list and on its page, without edit buttons
    assert "Team Contact" in client.get("/contacts").get_data(as_text=True)
    page = client.get(f"/contacts/{contact}").get_data(as_text=True)
    assert "Team Contact" in page and 'id="edit-contact"' not in page
    # editing or deleting answers 404, like a missing contact
    assert client.get(f"/contacts/{contact}/edit").status_code == 404
    token = auth.csrf_token("/")
    assert client.post(f"/contacts/{contact}/delete", data={"csrf_token": token}).status_code == 404
    assert fetch_as(app, users["admin"]["id"], "select count(*) from crm.contacts where id = :i", {"i": contact}) == [
        (1,)
    ]


def test_lists_show_owned_contacts_and_pages_open_those_reached_through_a_deal(app, db_session, users):
    """The list is the rep's own contacts (a manager's: the team's). A contact owned outside the team but
    the primary contact of the rep's deal is not listed, and opens from the deal to rep and manager."""
    from tests.conftest import Auth
    from tests.test_deals import add_deal

    add_contact(app, users, first_name="Owned", last_name="Here")
    outside = add_contact(app, users, who="admin", first_name="Outside", last_name="Buyer")
    add_deal(app, users, name="Reach deal", primary_contact_id=outside)
    for who, count in [("rep", 1), ("manager", 1)]:
        client = app.test_client()
        Auth(client).login(users[who]["email"])
        body = client.get("/contacts").get_data(as_text=True)
        assert names(body) == ["Owned Here"], who
        assert f'<small class="muted" id="result-count">{count}</small>' in body, who
        page = client.get(f"/contacts/{outside}")
        assert page.status_code == 200 and "Outside Buyer" in page.get_data(as_text=True), who


def test_delete_asks_then_deletes(app, client, rep, users):
    contact = add_contact(app, users, first_name="Doomed")
    confirm = client.get(f"/contacts/{contact}/delete")
    # a confirmation page first; nothing is deleted yet
    assert confirm.status_code == 200 and "Delete this contact?" in confirm.get_data(as_text=True)
    assert fetch_as(app, users["rep"]["id"], "select count(*) from crm.contacts where id = :i", {"i": contact}) == [
        (1,)
    ]
    response = client.post(f"/contacts/{contact}/delete", data={"csrf_token": rep.csrf_token("/")})
    # then it is gone and the user is back on the list
    assert response.status_code == 302 and response.headers["Location"] == "/contacts"
    assert fetch_as(app, users["rep"]["id"], "select count(*) from crm.contacts where id = :i", {"i": contact}) == [
        (0,)
    ]


def test_htmx_delete_answers_with_client_redirect(app, client, rep, users):
    contact = add_contact(app, users, first_name="Doomed")
    response = client.delete(f"/contacts/{contact}", headers={"HX-Request": "true", "X-CSRFToken": rep.csrf_token("/")})
    # htmx follows HX-Redirect to the list, and contact widgets hear contactsChanged
    assert response.status_code == 200 and response.headers["HX-Redirect"] == "/contacts"
    assert "contactsChanged" in response.headers["HX-Trigger"]
    assert fetch_as(app, users["rep"]["id"], "select count(*) from crm.contacts where id = :i", {"i": contact}) == [
        (0,)
    ]


def add_deal(app, users, name, **values):
    stage = fetch_as(app, users["rep"]["id"], "select id from crm.deal_stages order by position limit 1")[0][0]
    columns = {"name": name, "owner_id": users["rep"]["id"], "stage_id": stage} | values
    params = ", ".join(f":{k}" for k in columns)
    return fetch_as(
        app, users["rep"]["id"], f"insert into crm.deals ({', '.join(columns)}) values ({params}) returning id", columns
    )[0][0]


def test_detail_shows_company_deals_interactions_and_activities(app, client, rep, users):
    company = add_company(app, users, name="Panel Co")
    contact = add_contact(app, users, first_name="Pat", last_name="Panel", company_id=company)
    add_deal(app, users, "Primary Deal", primary_contact_id=contact)
    stakeholder_deal = add_deal(app, users, "Committee Deal")
    add_deal(app, users, "Unrelated Deal")
    execute_as(app, users["admin"]["id"],
               "insert into crm.deal_stakeholders (deal_id, contact_id, role, influence_level, is_champion) values (:d, :c, 'budget_holder', 'high', true)",
               {"d": stakeholder_deal, "c": contact})  # fmt: skip
    rid = users["rep"]["id"]
    fetch_as(
        app,
        rid,
        "insert into crm.activities (user_id, type, subject, details, contact_id, date) values (:o, 'call', 'Discovery call', 'Talked budget', :c, '2026-11-20Z') returning id",
        {"o": rid, "c": contact},
    )
    set_ai(app, users, "rep", on=False)
    body = client.get(f"/contacts/{contact}").get_data(as_text=True)
    # the company links to its page
    assert f'href="/companies/{company}" id="contact-company">Panel Co</a>' in body
    # deals as primary contact and as stakeholder (with role, influence, champion), not others
    assert "Primary Deal" in body and "primary contact" in body
    assert "Committee Deal" in body and "budget holder · high influence" in body and "champion" in body
    assert "Unrelated Deal" not in body
    # the activity and the interaction the database derived from it
    assert "Discovery call" in body and "Talked budget" in body and "2026-11-20" in body
    # scores are hidden without AI features
    assert 'id="scores"' not in body and "Decision-maker score" not in body
    set_ai(app, users, "rep")
    # with AI features the engagement and decision-maker scores show
    assert "Decision-maker score" in client.get(f"/contacts/{contact}").get_data(as_text=True)


@pytest.mark.parametrize("field", ["first_name", "last_name", "title"])
def test_text_fields_render_escaped_on_list_fragment_and_detail(app, client, rep, users, field):
    company = add_company(app, users, name=IMG)
    payload = SCRIPT + IMG
    contact = add_contact(app, users, company_id=company, **{field: payload})
    for body in (
        client.get("/contacts").get_data(as_text=True),
        client.get("/contacts", headers={"HX-Request": "true"}).get_data(as_text=True),
        client.get(f"/contacts/{contact}").get_data(as_text=True),
        client.get(f"/contacts/{contact}/edit").get_data(as_text=True),
    ):
        # the user sees the characters as text: no script tag or injected image reaches the page
        assert SCRIPT not in body and IMG not in body
        assert SCRIPT_ESCAPED in body and IMG_ESCAPED in body
