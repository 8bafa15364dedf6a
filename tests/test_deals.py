"""Deals: list (page and htmx rows), search, filters, sort, infinite scroll,
create with field errors, edit with a stage change, stale edit, delete, mass
assignment, who may write, XSS, and the detail panels."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal
from types import SimpleNamespace

import pytest

from dashboard.services import deals as deal_service
from dashboard.views import deals as deals_view
from tests.conftest import Auth, execute_as, fetch_as

VERSION = re.compile(r'name="version" type="hidden" value="(\d+)"')
NAMES = re.compile(r'/deals/[0-9a-f-]{36}">([^<]+)</a>')
XSS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']


def stage_ids(app, users) -> dict[str, uuid.UUID]:
    return dict(fetch_as(app, users["rep"]["id"], "select name, id from crm.deal_stages"))


def add_deal(app, users, who="rep", stage="Lead", **values):
    """A deal owned by ``who`` (through RLS, as ``who``), in ``stage``."""
    columns = {"name": "Deal", "owner_id": users[who]["id"]} | values
    names = ", ".join(columns)
    params = ", ".join(f":{k}" for k in columns)
    sql = (f"insert into crm.deals ({names}, stage_id) values ({params}, "
           "(select id from crm.deal_stages where name = :stage)) returning id")  # fmt: skip
    return fetch_as(app, users[who]["id"], sql, columns | {"stage": stage})[0][0]


def add_row(app, users, table: str, who="rep", **values):
    names = ", ".join(values)
    params = ", ".join(f":{k}" for k in values)
    return fetch_as(app, users[who]["id"], f"insert into crm.{table} ({names}) values ({params}) returning id", values)[
        0
    ][0]


def one(app, users, sql: str, **params):
    return fetch_as(app, users["admin"]["id"], sql, params)


def set_ai(app, users, who: str, on: bool = True):
    execute_as(
        app,
        users["admin"]["id"],
        "update crm.users set ai_features = :on where id = :id",
        {"on": on, "id": users[who]["id"]},
    )


@pytest.fixture
def rep(client, auth, users):
    auth.login(users["rep"]["email"])
    return auth


def test_list_full_page_and_htmx_rows(app, client, rep, users):
    add_deal(app, users, name="Acme Renewal", value=1000)
    add_deal(app, users, name="Globex Expansion", value=2500)
    add_deal(app, users, who="rep2", name="Hidden Initech")
    page = client.get("/deals")
    body = page.get_data(as_text=True)
    # the full page: layout, filters, both of the rep's deals, not rep2's; the count and total value
    assert "<html" in body and 'id="search"' in body
    assert "Acme Renewal" in body and "Globex Expansion" in body and "Hidden Initech" not in body
    assert 'id="result-count">2<' in body and 'id="result-value">3,500<' in body
    assert page.headers["Vary"].count("HX-Request") == 1
    rows = client.get("/deals?q=acme", headers={"HX-Request": "true"}).get_data(as_text=True)
    # htmx gets only the rows, filtered by the search, with the new count out of band
    assert "<html" not in rows and "<tr" in rows
    assert "Acme Renewal" in rows and "Globex" not in rows
    assert 'id="result-count" hx-swap-oob="true">1<' in rows


def test_search_is_case_insensitive_and_escapes_wildcards(app, client, rep, users):
    add_deal(app, users, name="ACME platform")
    add_deal(app, users, name="100% uptime deal")
    assert "ACME platform" in client.get("/deals?q=acme PLAT").get_data(as_text=True)
    # % is a literal, not a wildcard; _ likewise
    body = client.get("/deals?q=%25", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "100% uptime deal" in body and "ACME" not in body
    assert "No deals match" in client.get("/deals?q=_", headers={"HX-Request": "true"}).get_data(as_text=True)


def test_filters_stage_status_value_and_closing_soon(app, client, rep, users):
    stages = stage_ids(app, users)
    add_deal(app, users, name="Lead small", value=100)
    add_deal(app, users, name="Lead big", value=50_000, expected_close_date="2000-01-01")
    add_deal(app, users, name="Qualified soon", stage="Qualified", value=7000)
    execute_as(
        app,
        users["rep"]["id"],
        "update crm.deals set expected_close_date = current_date + 10 where name = 'Qualified soon'",
    )
    add_deal(app, users, name="Won soon", stage="Won", value=9000)
    execute_as(
        app, users["rep"]["id"], "update crm.deals set expected_close_date = current_date + 5 where name = 'Won soon'"
    )

    def names(query: str) -> set[str]:
        return set(NAMES.findall(client.get(f"/deals?{query}", headers={"HX-Request": "true"}).get_data(as_text=True)))

    # by stage (an id from the stage select) and by status (won/lost follow the stage)
    assert names(f"stage={stages['Lead']}") == {"Lead small", "Lead big"}
    assert names("status=won") == {"Won soon"}
    # value range, both ends included
    assert names("min_value=7000&max_value=50000") == {"Lead big", "Qualified soon", "Won soon"}
    # closing in 30 days: open deals only, close date from today to today + 30
    assert names("closing=1") == {"Qualified soon"}
    # junk filter values are ignored, not errors
    assert names("stage=nope&status=maybe&min_value=abc") == {"Lead small", "Lead big", "Qualified soon", "Won soon"}


def test_owner_filter_for_managers_and_reps_see_only_their_own(app, client, auth, users):
    add_deal(app, users, name="Rep one deal")
    add_deal(app, users, who="rep2", name="Rep two deal")
    auth.login(users["manager"]["email"])
    body = client.get("/deals").get_data(as_text=True)
    # the manager sees the team's deals and an owner select listing the team
    assert "Rep one deal" in body and "Rep two deal" in body and 'id="filter-owner"' in body
    assert "Test Rep2" in body
    rows = client.get(f"/deals?owner={users['rep2']['id']}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert NAMES.findall(rows) == ["Rep two deal"]
    rep_client = app.test_client()
    Auth(rep_client).login(users["rep"]["email"])
    # a rep has no owner filter, and an owner in the query string cannot widen the list
    body = rep_client.get(f"/deals?owner={users['rep2']['id']}").get_data(as_text=True)
    assert 'id="filter-owner"' not in body and "Rep two deal" not in body and "Rep one deal" in body


def test_sort_and_unknown_sort_falls_back(app, client, rep, users):
    add_deal(app, users, name="Beta", value=300, expected_close_date="2030-03-01", deal_intelligence_score=10)
    add_deal(app, users, name="alpha", value=100, expected_close_date="2030-01-01", deal_intelligence_score=50)
    add_deal(
        app,
        users,
        name="Gamma",
        stage="Verbal",
        value=200,
        expected_close_date="2030-02-01",
        deal_intelligence_score=90,
    )

    def names(query: str) -> list[str]:
        return NAMES.findall(client.get(f"/deals?{query}").get_data(as_text=True))

    set_ai(app, users, "rep", False)

    assert names("sort=value&dir=desc") == ["Beta", "Gamma", "alpha"]
    assert names("sort=name") == ["alpha", "Beta", "Gamma"]
    by_stage = names("sort=stage&dir=desc")
    assert by_stage[0] == "Gamma" and set(by_stage[1:]) == {"alpha", "Beta"}  # Verbal, then the two Leads
    # a made-up key or direction gives the default order (expected close date, ascending)
    assert names("sort=drop+table&dir=sideways") == ["alpha", "Gamma", "Beta"]
    # the intelligence sort exists only for users with AI features (without, it is an unknown key:
    # the default column, in the direction asked for)
    assert names("sort=intelligence&dir=desc") == ["Beta", "Gamma", "alpha"]
    set_ai(app, users, "rep")
    assert names("sort=intelligence&dir=desc") == ["Gamma", "alpha", "Beta"]


def test_infinite_scroll(app, client, rep, users):
    for n in range(30):
        add_deal(app, users, name=f"Deal {n:02d}", value=n)
    first = client.get("/deals").get_data(as_text=True)
    # page size 25 and a row that loads the next page when revealed
    assert first.count('data-id="') == 25 and 'hx-trigger="revealed"' in first
    second = client.get("/deals?page=2", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert second.count('data-id="') == 5 and "Load more" not in second
    assert client.get("/deals?page=junk").status_code == 200


def test_create_with_field_errors_keeps_input_then_succeeds(app, client, rep, users):
    stages = stage_ids(app, users)
    foreign_company = add_row(app, users, "companies", who="rep2", name="Not Yours Inc", owner_id=users["rep2"]["id"])
    token = rep.csrf_token("/deals/new")
    bad = client.post(
        "/deals/new",
        data={"csrf_token": token, "name": "  ", "value": "-5", "stage_id": "nope", "expected_close_date": "2024-02-30",
              "company_id": str(foreign_company), "primary_contact_id": "junk"},
    )  # fmt: skip
    body = bad.get_data(as_text=True)
    assert bad.status_code == 200
    # each problem next to its field
    assert "This field is required." in body and "Number must be between 0 and" in body
    assert "Not a valid choice." in body and "Not a valid date value." in body
    assert body.count("Choose one from the list.") == 2 and "Not Yours Inc" not in body
    assert 'value="-5"' in body  # what the user typed is kept
    assert (
        client.post(
            "/deals/new", data={"csrf_token": token, "name": "X", "value": "NaN", "stage_id": str(stages["Lead"])}
        ).status_code
        == 200
    )
    company = add_row(app, users, "companies", name="Initech", owner_id=users["rep"]["id"])
    good = client.post(
        "/deals/new",
        data={"csrf_token": token, "name": "Initech platform", "value": "12500.50", "stage_id": str(stages["Qualified"]),
              "expected_close_date": "2030-06-30", "company_id": str(company), "budget_confirmed": "y"},
    )  # fmt: skip
    assert good.status_code == 302
    row = one(
        app,
        users,
        "select owner_id, value, stage_id, company_id, budget_confirmed, status from crm.deals where name = 'Initech platform'",
    )
    assert row == [(users["rep"]["id"], 12500.50, stages["Qualified"], company, True, "active")]


def test_create_ignores_undeclared_fields(app, client, rep, users):
    stages = stage_ids(app, users)
    token = rep.csrf_token("/deals/new")
    response = client.post(
        "/deals/new",
        data={"csrf_token": token, "name": "Sneaky", "value": "10", "stage_id": str(stages["Lead"]),
              "owner_id": str(users["rep2"]["id"]), "status": "won", "closed_at": "2020-01-01", "version": "9",
              "deal_intelligence_score": "99", "win_probability_ai": "0.99", "risk_factors": "none",
              "stakeholder_mapping": '{"reports_to": {}}', "id": str(uuid.uuid4())},
    )  # fmt: skip
    assert response.status_code == 302
    row = one(
        app,
        users,
        """select owner_id, status, closed_at, version, deal_intelligence_score, win_probability_ai,
                             stakeholder_mapping from crm.deals where name = 'Sneaky'""",
    )
    # owner is the creator; status, scores, version and the map are the database's, not the post's: scored
    # on creation, a bare Lead deal has intelligence 0 and, with no trained model, the Lead stage's 10%
    assert row == [(users["rep"]["id"], "active", None, 1, 0, Decimal("0.10"), {})]


def constraint_stage(app, users):
    """A stage the form offers but the database no longer has (deleted meanwhile)."""
    ghost = SimpleNamespace(id=uuid.uuid4(), name="Ghost")
    real = deal_service.stages

    def with_ghost():
        return [*real(), ghost]

    return ghost, with_ghost


def test_constraint_violation_becomes_a_field_error(app, client, rep, users, monkeypatch):
    ghost, with_ghost = constraint_stage(app, users)
    monkeypatch.setattr(deal_service, "stages", with_ghost)
    token = rep.csrf_token("/deals/new")
    response = client.post(
        "/deals/new", data={"csrf_token": token, "name": "Ghostly", "value": "1", "stage_id": str(ghost.id)}
    )
    # the foreign key refuses the stage; the form says so next to the stage select, and keeps the input
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "That stage no longer exists." in body and 'value="Ghostly"' in body
    assert one(app, users, "select count(*) from crm.deals where name = 'Ghostly'") == [(0,)]


def edit_form(client, auth, deal_id, **changes):
    page = client.get(f"/deals/{deal_id}/edit").get_data(as_text=True)
    stage = re.search(r'<option selected value="([0-9a-f-]{36})">', page).group(1)
    name = re.search(r'id="name" maxlength="200" name="name" required type="text" value="([^"]*)"', page)
    return {"csrf_token": auth.csrf_token(f"/deals/{deal_id}/edit"), "version": VERSION.search(page).group(1),
            "name": name.group(1) if name else "Deal", "value": "100", "stage_id": stage} | changes  # fmt: skip


def test_edit_with_stage_change_writes_history_and_a_note(app, client, rep, users):
    stages = stage_ids(app, users)
    deal = add_deal(app, users, name="Movable", value=100)
    data = edit_form(client, rep, deal, name="Movable", stage_id=str(stages["Qualified"]), value="150",
                     owner_id=str(users["rep2"]["id"]), status="lost", deal_intelligence_score="77")  # fmt: skip
    assert client.post(f"/deals/{deal}/edit", data=data).status_code == 302
    # the declared fields changed, the undeclared did not; the score is the database's, rescored in the same
    # request: the stage-change note is the deal's one completed activity (a note, neutral sentiment: .4 ->
    # medium, .6), so activity = .6 x min(1, 1/8) = .075 and the score 25 x .075 = 1.875 -> 1.88
    assert one(
        app,
        users,
        "select value, stage_id, owner_id, status, deal_intelligence_score, version from crm.deals where id = :i",
        i=deal,
    ) == [(150, stages["Qualified"], users["rep"]["id"], "active", Decimal("1.88"), 2)]
    # the trigger wrote the history (by the rep); the view wrote the note, in the same transaction
    history = one(
        app,
        users,
        "select from_stage_id, to_stage_id, changed_by from crm.deal_stage_history where deal_id = :i order by changed_at, from_stage_id nulls first",
        i=deal,
    )
    assert history == [
        (None, stages["Lead"], users["rep"]["id"]),
        (stages["Lead"], stages["Qualified"], users["rep"]["id"]),
    ]
    notes = one(app, users, "select user_id, type, subject from crm.activities where deal_id = :i", i=deal)
    assert notes == [(users["rep"]["id"], "note", "Stage changed: Lead → Qualified")]
    # the detail page shows both
    body = client.get(f"/deals/{deal}").get_data(as_text=True)
    assert "Stage changed: Lead → Qualified" in body and "Lead → <strong>Qualified</strong>" in body
    # an edit without a stage change writes no note
    assert client.post(f"/deals/{deal}/edit", data=edit_form(client, rep, deal, value="175")).status_code == 302
    assert one(app, users, "select count(*) from crm.activities where deal_id = :i", i=deal) == [(1,)]


def test_stale_edit_is_409_and_the_first_save_survives(app, client, rep, users):
    deal = add_deal(app, users, name="Contested")
    stale = edit_form(client, rep, deal)
    first = edit_form(client, rep, deal, name="Contested First")
    assert client.post(f"/deals/{deal}/edit", data=first).status_code == 302
    response = client.post(f"/deals/{deal}/edit", data=stale | {"name": "Contested Second"})
    body = response.get_data(as_text=True)
    assert response.status_code == 409 and "Someone else saved first" in body and "Test Rep" in body
    assert one(app, users, "select name, version from crm.deals where id = :i", i=deal) == [("Contested First", 2)]


def test_save_racing_another_is_409_too(app, client, rep, users, monkeypatch):
    deal = add_deal(app, users, name="Raced")
    data = edit_form(client, rep, deal, name="Raced Mine")
    apply = deals_view.apply_form

    def apply_while_someone_saves(form, obj):
        apply(form, obj)
        # another session saves between our version check and our UPDATE
        execute_as(
            app,
            users["rep"]["id"],
            "update crm.deals set name = 'Raced Theirs', version = version + 1 where id = :i",
            {"i": deal},
        )

    monkeypatch.setattr(deals_view, "apply_form", apply_while_someone_saves)
    response = client.post(f"/deals/{deal}/edit", data=data)
    # the version check in our UPDATE finds no row: 409, and our change is not written (the simulated
    # save shares the test's connection, so the request's rollback takes it along too)
    assert response.status_code == 409 and "Someone else saved first" in response.get_data(as_text=True)
    assert one(app, users, "select count(*) from crm.deals where name = 'Raced Mine'") == [(0,)]


def test_manager_reads_but_cannot_edit(app, client, auth, users):
    deal = add_deal(app, users, name="Team Deal")
    auth.login(users["manager"]["email"])
    body = client.get(f"/deals/{deal}").get_data(as_text=True)
    # visible, without edit or delete buttons; every write is the same 404 as a missing deal
    assert "Team Deal" in body and 'id="edit-deal"' not in body and 'id="delete-deal"' not in body
    token = auth.csrf_token("/")
    assert client.get(f"/deals/{deal}/edit").status_code == 404
    assert (
        client.post(f"/deals/{deal}/edit", data={"csrf_token": token, "name": "Mine now", "value": "1"}).status_code
        == 404
    )
    assert client.post(f"/deals/{deal}/delete", data={"csrf_token": token}).status_code == 404
    assert one(app, users, "select name from crm.deals where id = :i", i=deal) == [("Team Deal",)]


def test_delete_asks_then_deletes(app, client, rep, users):
    deal = add_deal(app, users, name="Doomed")
    note = add_row(
        app, users, "activities", user_id=users["rep"]["id"], type="call", subject="Call about it", deal_id=deal
    )
    confirm = client.get(f"/deals/{deal}/delete")
    assert confirm.status_code == 200 and "Delete this deal?" in confirm.get_data(as_text=True)
    assert one(app, users, "select count(*) from crm.deals where id = :i", i=deal) == [(1,)]
    response = client.post(f"/deals/{deal}/delete", data={"csrf_token": rep.csrf_token("/")})
    assert response.status_code == 302 and response.headers["Location"] == "/deals"
    # the deal and its history are gone; its activity stays, unlinked
    assert one(app, users, "select count(*) from crm.deals where id = :i", i=deal) == [(0,)]
    assert one(app, users, "select count(*) from crm.deal_stage_history where deal_id = :i", i=deal) == [(0,)]
    assert one(app, users, "select deal_id from crm.activities where id = :i", i=note) == [(None,)]


def test_htmx_delete_answers_with_client_redirect(app, client, rep, users):
    deal = add_deal(app, users, name="Doomed")
    response = client.delete(f"/deals/{deal}", headers={"HX-Request": "true", "X-CSRFToken": rep.csrf_token("/")})
    assert response.status_code == 200 and response.headers["HX-Redirect"] == "/deals"
    assert "dealsChanged" in response.headers["HX-Trigger"]
    assert one(app, users, "select count(*) from crm.deals where id = :i", i=deal) == [(0,)]


def test_detail_shows_related_panels_and_hides_ai_fields_without_the_flag(app, client, rep, users):
    rid = users["rep"]["id"]
    company = add_row(app, users, "companies", name="Panel Co", owner_id=rid)
    contact = add_row(app, users, "contacts", first_name="Ann", last_name="Lee", title="CTO", owner_id=rid)
    deal = add_deal(app, users, name="Panel Deal", company_id=company, primary_contact_id=contact,
                    deal_intelligence_score=64, win_probability_ai=0.42, risk_factors=["no_champion"])  # fmt: skip
    add_row(
        app, users, "meetings", title="Kickoff via primary", starts_at="2030-01-02", owner_id=rid, primary_deal_id=deal
    )
    linked = add_row(app, users, "meetings", title="Review via link", starts_at="2030-01-03", owner_id=rid)
    execute_as(
        app, rid, "insert into crm.deal_meetings (deal_id, meeting_id) values (:d, :m)", {"d": deal, "m": linked}
    )
    add_row(app, users, "activities", user_id=rid, type="call", subject="Discovery call", deal_id=deal)
    add_row(app, users, "tasks", title="Send proposal", assigned_to=rid, created_by=rid, deal_id=deal)
    add_row(
        app,
        users,
        "deal_stakeholders",
        who="admin",
        deal_id=deal,
        contact_id=contact,
        role="decision_maker",
        is_champion=True,
    )
    set_ai(app, users, "rep", False)
    body = client.get(f"/deals/{deal}").get_data(as_text=True)
    assert f'href="/companies/{company}">Panel Co</a>' in body and "Ann Lee" in body
    assert "Kickoff via primary" in body and "Review via link" in body
    assert "Discovery call" in body and "Send proposal" in body and "decision maker" in body and "champion" in body
    assert "Created in <strong>Lead</strong>" in body
    # scores and risk factors only with AI features
    assert 'id="intelligence"' not in body and "no champion" not in body and "42%" not in body
    set_ai(app, users, "rep")
    body = client.get(f"/deals/{deal}").get_data(as_text=True)
    assert 'id="intelligence"' in body and "no champion" in body and "42%" in body and "64.0 / 100" in body


@pytest.mark.parametrize("payload", XSS)
def test_names_render_escaped_everywhere(app, client, rep, users, payload):
    deal = add_deal(app, users, name=payload)
    contact = add_row(app, users, "contacts", first_name=payload, owner_id=users["rep"]["id"])
    add_row(app, users, "deal_stakeholders", who="admin", deal_id=deal, contact_id=contact, is_champion=True)
    pages = {
        "list": client.get("/deals"),
        "fragment": client.get("/deals", headers={"HX-Request": "true"}),
        "detail": client.get(f"/deals/{deal}"),
        "kanban": client.get("/pipeline"),
        "board fragment": client.get("/pipeline", headers={"HX-Request": "true"}),
        "stakeholder svg": client.get(f"/deals/{deal}/stakeholders"),
        "edit form": client.get(f"/deals/{deal}/edit"),
    }
    for where, response in pages.items():
        body = response.get_data(as_text=True)
        # the payload is there as text, never as markup
        assert response.status_code == 200, where
        assert "<script>alert" not in body and "<img src=x" not in body, where
        assert (
            "&lt;script&gt;alert(1)&lt;/script&gt;" in body or "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in body
        ), where
    assert "<svg" in pages["stakeholder svg"].get_data(as_text=True)
