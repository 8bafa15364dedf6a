"""Global search (/search, crm.search_records) and the record pickers (/pick/<kind>): what matches, in
which order, and only within what the user may see (row-level security)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from tests.conftest import add_user, execute_as, fetch_as

HTMX = {"HX-Request": "true"}
STAGE = "(select id from crm.deal_stages where name = 'Qualified')"


def add_records(app, user_id, word: str, company: str | None = None) -> dict:
    """One record of each kind whose name holds ``word``, owned by (a task: assigned to) ``user_id``."""
    ids = {}
    [(ids["company"],)] = fetch_as(app, user_id, "insert into crm.companies (name, owner_id) values (:n, :o) returning id",
                                   {"n": company or f"{word} Holdings", "o": user_id})  # fmt: skip
    [(ids["contact"],)] = fetch_as(
        app, user_id,
        "insert into crm.contacts (first_name, last_name, owner_id, company_id) values (:f, 'Person', :o, :c) returning id",
        {"f": word, "o": user_id, "c": ids["company"]},
    )  # fmt: skip
    [(ids["deal"],)] = fetch_as(
        app, user_id,
        f"""insert into crm.deals (name, value, stage_id, owner_id, expected_close_date)
            values (:n, 12500, {STAGE}, :o, '2027-03-31') returning id""",
        {"n": f"{word} renewal", "o": user_id},
    )  # fmt: skip
    [(ids["meeting"],)] = fetch_as(
        app, user_id,
        "insert into crm.meetings (title, starts_at, owner_id) values (:t, '2027-01-15 09:30+00', :o) returning id",
        {"t": f"Kick-off with {word}", "o": user_id},
    )  # fmt: skip
    [(ids["task"],)] = fetch_as(
        app, user_id,
        "insert into crm.tasks (title, assigned_to, due_date) values (:t, :o, '2027-02-01 00:00+00') returning id",
        {"t": f"Call {word} back", "o": user_id},
    )  # fmt: skip
    return ids


def search_as(app, user_id, query: str, per_kind: int = 10) -> list[tuple[str, str]]:
    """(kind, label) of crm.search_records as ``user_id`` sees it, in the function's order."""
    rows = fetch_as(app, user_id, "select kind, label from crm.search_records(:q, :n)", {"q": query, "n": per_kind})
    return [(kind, label) for kind, label in rows]


@pytest.fixture
def other_team_rep(app, users, db_session):
    """A rep of another team with another manager: the "rep5" rep1 must never see."""
    boss = add_user(app, users["admin"]["id"], "boss-elsewhere@test.example", role="manager")
    return add_user(app, users["admin"]["id"], "rep-elsewhere@test.example", manager_id=boss)


def test_search_finds_only_what_the_user_may_see(app, users, other_team_rep, db_session):
    mine = add_records(app, users["rep"]["id"], "Zebulon")
    add_records(app, users["rep2"]["id"], "Zebulon", company="Zebulon Teammate Co")
    add_records(app, other_team_rep, "Zebulon", company="Zebulon Elsewhere Co")
    # the rep: exactly their own five records, none of a teammate's or another team's
    found = search_as(app, users["rep"]["id"], "zebulon")
    assert sorted(found) == sorted([("company", "Zebulon Holdings"), ("contact", "Zebulon Person"),
                                    ("deal", "Zebulon renewal"), ("meeting", "Kick-off with Zebulon"),
                                    ("task", "Call Zebulon back")])  # fmt: skip
    ids = {str(row[0]) for row in fetch_as(app, users["rep"]["id"], "select id from crm.search_records('zebulon', 10)")}
    assert ids == {str(v) for v in mine.values()}
    # the other team's rep sees only theirs
    elsewhere = search_as(app, other_team_rep, "zebulon")
    assert ("company", "Zebulon Elsewhere Co") in elsewhere and len(elsewhere) == 5
    # the team's manager: the two reps' records (10), not the other team's
    managed = search_as(app, users["manager"]["id"], "zebulon")
    assert len(managed) == 10 and ("company", "Zebulon Elsewhere Co") not in managed
    # an admin: all three (15)
    assert len(search_as(app, users["admin"]["id"], "zebulon")) == 15


def test_search_page_respects_rls_and_links_to_records(app, client, auth, users, other_team_rep):
    mine = add_records(app, users["rep"]["id"], "Quillon")
    theirs = add_records(app, other_team_rep, "Quillon", company="Quillon Elsewhere Co")
    auth.login(users["rep"]["email"])
    page = client.get("/search?q=quillon").get_data(as_text=True)
    for kind, endpoint in [("company", "companies"), ("contact", "contacts"), ("deal", "deals"),
                           ("meeting", "meetings"), ("task", "tasks")]:  # fmt: skip
        assert f'href="/{endpoint}/{mine[kind]}"' in page
        assert str(theirs[kind]) not in page
    assert "Quillon Elsewhere Co" not in page
    # context: the contact's company, the deal's stage, value and close date, the meeting's start,
    # the task's status and due date
    assert re.search(r"Quillon Person</a>\s*<small[^>]*>Quillon Holdings</small>", page)
    assert "Qualified · 12,500 · closes 2027-03-31" in page
    assert "2027-01-15 09:30" in page
    assert "pending · due 2027-02-01" in page


def test_ranking_exact_then_prefix_then_word_then_inside_then_typo(app, users, db_session):
    rep = users["rep"]["id"]
    for name in ["Aquorvex Systems", "Big Quorvex Inc", "Quorvex", "Quorvex Labs", "Qorvex Partners"]:
        execute_as(app, rep, "insert into crm.companies (name, owner_id) values (:n, :o)", {"n": name, "o": rep})
    # rank = tier + word_similarity('quorvex', name); word similarity = shared trigrams / (the query's 8
    # ("  q"," qu",quo,uor,orv,rve,vex,"ex ") + the best stretch of the name's - shared):
    #   Quorvex          tier 4 (the whole name)          + 8/(8+8-8) = 5.0
    #   Quorvex Labs     tier 3 (starts with it)          + 8/(8+8-8) = 4.0
    #   Big Quorvex Inc  tier 2 (a later word starts so)  + 8/(8+8-8) = 3.0
    #   Aquorvex Systems tier 1 (inside a word)           + 6/(8+6-6) = 1.75  (quo..."ex ": no "  q"," qu")
    #   Qorvex Partners  tier 0 (only similar: a typo)    + 5/(8+7-5) = 0.5   ("  q",orv,rve,vex,"ex ")
    found = fetch_as(app, rep, "select label, rank from crm.search_records('Quorvex', 10) where kind = 'company'")
    assert [label for label, _ in found] == ["Quorvex", "Quorvex Labs", "Big Quorvex Inc", "Aquorvex Systems",
                                             "Qorvex Partners"]  # fmt: skip
    ranks = [float(rank) for _, rank in found]
    assert ranks[:3] == [5.0, 4.0, 3.0]
    assert ranks[3] == pytest.approx(1.75)
    assert ranks[4] == pytest.approx(0.5)


def test_typos_are_found_by_trigram_similarity(app, users, db_session):
    add_records(app, users["rep"]["id"], "Blankenship")
    # "blankenshp" (a letter missing): 11 trigrams, the stretch "  b"..nsh of "blankenship" is 9 of them:
    # word similarity 9/(11+9-9) = 0.82 >= 0.5
    found = search_as(app, users["rep"]["id"], "Blankenshp")
    assert ("company", "Blankenship Holdings") in found
    assert ("contact", "Blankenship Person") in found
    assert ("deal", "Blankenship renewal") in found
    # two words, one misspelt, in another order of case and spacing
    assert ("deal", "Blankenship renewal") in search_as(app, users["rep"]["id"], "  BLANKENSHIP   renewel ")
    # something merely sharing a letter or two is no match
    assert search_as(app, users["rep"]["id"], "Bzqxwv") == []


def test_short_queries_match_word_starts_only(app, users, db_session):
    rep = users["rep"]["id"]
    for name in ["Ombra Ltd", "New Ombra", "Rombo"]:
        execute_as(app, rep, "insert into crm.companies (name, owner_id) values (:n, :o)", {"n": name, "o": rep})
    # two characters: the start of the name (tier 3) or of a later word (tier 2); "Rombo" has "om" inside only
    assert [label for _, label in search_as(app, rep, "om") if label in ("Ombra Ltd", "New Ombra", "Rombo")] == [
        "Ombra Ltd", "New Ombra"]  # fmt: skip
    # one character: nothing at all
    assert search_as(app, rep, "o") == []
    # LIKE's wildcards are plain characters
    assert search_as(app, rep, "%%%") == [] and search_as(app, rep, "__") == []


def test_search_states_empty_short_and_nothing_found(client, auth, users):
    auth.login(users["rep"]["email"])
    assert 'id="search-empty"' in client.get("/search").get_data(as_text=True)
    assert 'id="search-short"' in client.get("/search?q=x").get_data(as_text=True)
    page = client.get("/search?q=nothing+like+this+anywhere").get_data(as_text=True)
    assert 'id="search-none"' in page and "nothing like this anywhere" in page
    # htmx gets the results fragment only; the palette its options
    fragment = client.get("/search?q=x", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and 'id="search-short"' in fragment
    palette = client.get("/search?q=nothing+like+this&palette=1", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'id="palette-none"' in palette


def test_search_groups_put_the_best_match_first(app, client, auth, users):
    rep = users["rep"]["id"]
    # "Vantor Expansion" is a deal's whole name (rank 5); the company only starts with "vantor" (rank 4)
    execute_as(app, rep, "insert into crm.companies (name, owner_id) values ('Vantor Expansion Partners', :o)", {"o": rep})
    execute_as(app, rep, f"insert into crm.deals (name, value, stage_id, owner_id) values ('Vantor Expansion', 1, {STAGE}, :o)",
             {"o": rep})  # fmt: skip
    auth.login(users["rep"]["email"])
    palette = client.get("/search?q=vantor+expansion&palette=1", headers=HTMX).get_data(as_text=True)
    assert palette.index("Deals") < palette.index("Companies")
    assert re.search(r'role="option" id="palette-deal-', palette)


def test_search_uses_the_trigram_indexes_under_rls(app, users):
    """%> and LIKE are LEAKPROOF (sql/bootstrap.sql), so under RLS the trigram indexes still serve them: a
    rep's search reads the same trigram indexes as an admin's."""
    from dashboard.db import db
    from tests.conftest import present_session

    def plan(who: str, sql: str) -> str:
        with app.app_context():
            present_session(db.session, users[who]["id"])
            db.session.execute(text("set local enable_seqscan = off"))
            found = "\n".join(r[0] for r in db.session.execute(text("explain " + sql)))
            db.session.rollback()
        return found

    # under RLS (a rep) the typo operator and LIKE still reach the trigram index; an admin's too
    assert "index_tasks_on_title_trgm" in plan("rep", "select id from crm.tasks where lower(title) operator(crm.%>) 'zeb'")
    assert "index_tasks_on_title_trgm" in plan("rep", "select id from crm.tasks where lower(title) like '%zebulon%'")
    assert "index_tasks_on_title_trgm" in plan("admin", "select id from crm.tasks where lower(title) operator(crm.%>) 'zeb'")


# --- pickers ----------------------------------------------------------------------------


def test_picker_offers_the_owners_matches_contacts_at_the_company(app, client, auth, users, other_team_rep):
    rep = users["rep"]["id"]
    mine = add_records(app, rep, "Pickwell")
    other = add_records(app, rep, "Pickford", company="Pickford Co")
    add_records(app, other_team_rep, "Pickwell", company="Pickwell Elsewhere")
    auth.login(users["rep"]["email"])
    options = client.get("/pick/companies?q=pick&field=company_id", headers=HTMX).get_data(as_text=True)
    assert re.findall(r'data-label="([^"]+)"', options) == ["Pickford Co", "Pickwell Holdings"]
    assert f'id="company_id-option-{mine["company"]}"' in options
    # contacts: filtered by the chosen company
    at = client.get(f"/pick/contacts?q=&company_id={other['company']}&field=contact_id", headers=HTMX).get_data(as_text=True)
    assert re.findall(r'data-label="([^"]+)"', at) == ["Pickford Person"]
    # a typo still finds the deal; nothing found says so
    assert "Pickwell renewal" in client.get("/pick/deals?q=pikwell+renewal&field=deal_id", headers=HTMX).get_data(as_text=True)
    assert "No matches" in client.get("/pick/deals?q=zzzzqqq&field=deal_id", headers=HTMX).get_data(as_text=True)
    # another user's records are offered only as far as row-level security shows them: not at all here
    theirs = client.get(f"/pick/companies?q=pick&field=company_id&owner={other_team_rep}", headers=HTMX).get_data(as_text=True)
    assert "Pickwell Elsewhere" not in theirs
    # a field name that is not one is refused
    assert client.get("/pick/companies?field=<script>", headers=HTMX).status_code == 400
    # opened directly, the options are a page of their own (a listbox under a heading)
    page = client.get("/pick/companies?q=pick").get_data(as_text=True)
    assert '<ul class="plain picker-page" role="listbox"' in page and "Pickwell Holdings" in page


def test_picker_lists_at_most_twenty(app, client, auth, users, db_session):
    rep = users["rep"]["id"]
    execute_as(app, rep, "insert into crm.companies (name, owner_id) select 'Many ' || g, :o from generate_series(1, 25) g",
               {"o": rep})  # fmt: skip
    auth.login(users["rep"]["email"])
    options = client.get("/pick/companies?q=many&field=company_id", headers=HTMX).get_data(as_text=True)
    assert options.count('role="option"') == 20


def test_form_pickers_scale_and_accept_any_owned_record(app, client, auth, users):
    rep = users["rep"]["id"]
    execute_as(app, rep, "insert into crm.companies (name, owner_id) select 'Scale ' || lpad(g::text, 2, '0'), :o "
               "from generate_series(1, 30) g", {"o": rep})  # fmt: skip
    [(last,)] = fetch_as(app, rep, "select id from crm.companies where name = 'Scale 30' and owner_id = :o", {"o": rep})
    auth.login(users["rep"]["email"])
    form = client.get("/contacts/new").get_data(as_text=True)
    # the picker: a combobox asking /pick/companies, a disabled hidden input for the id; without JavaScript a
    # select of "—" and the first 20 companies by name (not all 30)
    assert re.search(r'<input [^>]*role="combobox"[^>]*>', form) and 'hx-get="/pick/companies?field=company_id' in form
    assert re.search(r'<input [^>]*type="hidden"[^>]*name="company_id"[^>]*disabled>', form) or re.search(
        r'<input [^>]*name="company_id"[^>]*type="hidden"[^>]*disabled>', form)
    select = re.search(r'<select [^>]*id="company_id-select"[^>]*>(.*?)</select>', form, re.S).group(1)
    assert select.count("<option") == 21 and "Scale 20" in select and "Scale 21" not in select
    # the 30th company (in no select) is accepted: any of the owner's records is, as before
    token = auth.csrf_token("/contacts/new")
    saved = client.post("/contacts/new", data={"csrf_token": token, "first_name": "Picked", "company_id": str(last),
                                               "preferred_contact_method": "email"})  # fmt: skip
    assert saved.status_code == 302
    assert fetch_as(app, rep, "select c.name from crm.contacts p join crm.companies c on c.id = p.company_id "
                              "where p.first_name = 'Picked'") == [("Scale 30",)]  # fmt: skip
    # the edit form names the chosen company in the text box although the select's first 20 do not hold it
    [(contact,)] = fetch_as(app, rep, "select id from crm.contacts where first_name = 'Picked'")
    edit = client.get(f"/contacts/{contact}/edit").get_data(as_text=True)
    assert re.search(r'role="combobox"[^>]*value="Scale 30"|value="Scale 30"[^>]*role="combobox"', edit)
