"""Activities: list (page and htmx rows), search, filters (type, status, date
range, links), sort, pagination, counts, create (and the interaction the
database derives from it), edit, stale edit, delete, htmx events, manager
read-only, mass assignment, AI gating and escaping."""

from __future__ import annotations

import re

import pytest

from tests.conftest import fetch_as
from tests.test_companies import add_company
from tests.test_contacts import IMG, IMG_ESCAPED, SCRIPT, SCRIPT_ESCAPED, add_contact, add_deal, set_ai

VERSION = re.compile(r'name="version" type="hidden" value="(\d+)"')


def add_activity(app, users, who="rep", **values):
    columns = {"type": "call", "subject": "Call", "user_id": users[who]["id"]} | values
    names = ", ".join(columns)
    params = ", ".join(f":{k}" for k in columns)
    return fetch_as(
        app, users[who]["id"], f"insert into crm.activities ({names}) values ({params}) returning id", columns
    )[0][0]


def subjects(body: str) -> list[str]:
    return re.findall(r'/activities/[0-9a-f-]{36}">([^<]+)</a>', body)


def section(body: str, element_id: str) -> str:
    """The HTML of the <section id=...> on a detail page."""
    return re.search(rf'<section class="card[^"]*" id="{element_id}">(.*?)</section>', body, re.S).group(1)


@pytest.fixture
def rep(client, auth, users):
    auth.login(users["rep"]["email"])
    return auth


def test_list_full_page_and_htmx_rows_with_counts(app, client, rep, users):
    add_activity(app, users, subject="Intro call")
    add_activity(app, users, type="email", subject="Pricing email")
    add_activity(app, users, type="email", subject="Follow-up email")
    add_activity(app, users, who="rep2", subject="Hidden call")
    page = client.get("/activities")
    body = page.get_data(as_text=True)
    # the full page: layout, filters, the rep's activities only, the total and the count per type
    assert "<html" in body and 'id="search"' in body and 'id="from"' in body
    assert sorted(subjects(body)) == ["Follow-up email", "Intro call", "Pricing email"]
    assert (
        'id="result-count">3<' in body
        and '<span class="tag">call 1</span>' in body
        and '<span class="tag">email 2</span>' in body
    )
    assert page.headers["Vary"].count("HX-Request") == 1
    rows = client.get("/activities?q=EMAIL", headers={"HX-Request": "true"}).get_data(as_text=True)
    # htmx gets only the rows, filtered by the search, with the new counts swapped out of band
    assert "<html" not in rows and "<tr" in rows
    assert sorted(subjects(rows)) == ["Follow-up email", "Pricing email"]
    assert 'id="result-count" hx-swap-oob="true">2<' in rows and 'id="list-summary" hx-swap-oob="true"' in rows


def test_search_matches_subject_or_details_and_escapes_wildcards(app, client, rep, users):
    add_activity(app, users, subject="Kickoff", details="Discussed the ROLLOUT plan")
    add_activity(app, users, subject="Rollout review")
    add_activity(app, users, subject="Discount 100% off")
    # the search finds the word in the details of one and the subject of another
    assert sorted(subjects(client.get("/activities?q=rollout").get_data(as_text=True))) == ["Kickoff", "Rollout review"]
    # % is a literal, not a wildcard
    assert subjects(client.get("/activities?q=%25").get_data(as_text=True)) == ["Discount 100% off"]
    # nothing matches: the empty state says so
    assert "No activities match “zzz”" in client.get("/activities?q=zzz").get_data(as_text=True)


def test_filters_by_type_status_and_links(app, client, rep, users):
    company = add_company(app, users, name="Filter Co")
    contact = add_contact(app, users, first_name="Fil")
    deal = add_deal(app, users, "Filter Deal")
    add_activity(app, users, subject="Linked to company", company_id=company)
    add_activity(app, users, subject="Linked to contact", contact_id=contact, status="pending")
    add_activity(app, users, subject="Linked to deal", deal_id=deal, type="proposal")
    # each filter keeps only its activity
    assert subjects(client.get(f"/activities?company={company}").get_data(as_text=True)) == ["Linked to company"]
    assert subjects(client.get(f"/activities?contact={contact}").get_data(as_text=True)) == ["Linked to contact"]
    assert subjects(client.get(f"/activities?deal={deal}").get_data(as_text=True)) == ["Linked to deal"]
    assert subjects(client.get("/activities?type=proposal").get_data(as_text=True)) == ["Linked to deal"]
    assert subjects(client.get("/activities?status=pending").get_data(as_text=True)) == ["Linked to contact"]
    # junk ids and unknown types are ignored, not errors
    assert len(subjects(client.get("/activities?company=junk&type=party&status=x").get_data(as_text=True))) == 3


def test_date_range_is_inclusive_and_explains_bad_ranges(app, client, rep, users):
    add_activity(app, users, subject="Early", date="2026-11-01T12:00Z")
    add_activity(app, users, subject="Start", date="2026-11-10T00:00Z")
    add_activity(app, users, subject="End", date="2026-11-15T23:59Z")
    add_activity(app, users, subject="Late", date="2026-11-16T00:00Z")
    # both days are included, in UTC
    body = client.get("/activities?from=2026-11-10&to=2026-11-15").get_data(as_text=True)
    assert subjects(body) == ["End", "Start"] and 'id="range-error"' not in body
    # open-ended ranges work on either side
    assert subjects(client.get("/activities?from=2026-11-16").get_data(as_text=True)) == ["Late"]
    assert subjects(client.get("/activities?to=2026-11-01").get_data(as_text=True)) == ["Early"]
    reversed_range = client.get("/activities?from=2026-11-15&to=2026-11-10").get_data(as_text=True)
    # a reversed range is explained and not applied (all four show)
    assert "The “from” date is after the “to” date; the date filter is not applied." in reversed_range
    assert len(subjects(reversed_range)) == 4
    for junk in ("2026-13-01", "15/11/2026", "20261115", "9999-12-31T00", "2026-W46-1"):
        invalid = client.get("/activities", query_string={"to": junk}, headers={"HX-Request": "true"})
        # an impossible or differently written date is explained in the fragment too (swapped out of band)
        assert invalid.status_code == 200 and "Enter dates as YYYY-MM-DD" in invalid.get_data(as_text=True), junk
    # the last possible day is a valid end (no overflow)
    assert client.get("/activities?to=9999-12-31").status_code == 200


def counts_shown(body: str) -> tuple[str, list[str]]:
    total = re.search(r'id="result-count"[^>]*>([^<]+)<', body).group(1)
    return total, re.findall(r'<span class="tag">([a-z]+ [0-9,]+)</span>', body)


def add_counted_activities(app, users):
    add_activity(app, users, subject="Call 10th", date="2026-11-10T00:00Z")
    add_activity(app, users, subject="Call 15th late", date="2026-11-15T23:59Z", status="cancelled")
    add_activity(app, users, type="email", subject="Email 15th", date="2026-11-15T08:00Z")
    add_activity(app, users, type="email", subject="Email 16th", date="2026-11-16T00:00Z")
    add_activity(app, users, who="rep2", subject="Their call", date="2026-11-12T09:00Z")


def test_counts_follow_type_day_and_other_filters(app, client, rep, users):
    add_counted_activities(app, users)
    # type and days (UTC, both included): the counts come from the daily totals
    # 10th-15th: two calls (the cancelled one is an activity too) and one email
    assert counts_shown(client.get("/activities?from=2026-11-10&to=2026-11-15").get_data(as_text=True)) == (
        "3", ["call 2", "email 1"]
    )
    assert counts_shown(client.get("/activities?type=email").get_data(as_text=True)) == ("2", ["email 2"])
    # a status or a search is not in the totals: counted from the matching rows (one cancelled call)
    assert counts_shown(client.get("/activities?status=cancelled").get_data(as_text=True)) == ("1", ["call 1"])
    assert counts_shown(client.get("/activities?q=15th").get_data(as_text=True)) == ("2", ["call 1", "email 1"])


def test_manager_counts_the_teams_activities(app, client, auth, users):
    add_counted_activities(app, users)
    auth.login(users["manager"]["email"])
    # the manager's list counts the team's activities: the rep's four and rep2's call
    assert counts_shown(client.get("/activities").get_data(as_text=True)) == ("5", ["call 3", "email 2"])
    assert counts_shown(client.get("/activities?mine=1").get_data(as_text=True)) == ("0", [])


def test_sort_and_unknown_sort_falls_back(app, client, rep, users):
    add_activity(app, users, subject="Old sale", type="sale", amount=500, date="2026-01-01Z")
    add_activity(app, users, subject="Mid call", type="call", date="2026-06-01Z")
    add_activity(app, users, subject="New sale", type="sale", amount=90, date="2026-11-01Z")
    # newest first by default
    assert subjects(client.get("/activities").get_data(as_text=True)) == ["New sale", "Mid call", "Old sale"]
    # by amount, largest first, activities without an amount last
    assert subjects(client.get("/activities?sort=amount&dir=desc").get_data(as_text=True)) == [
        "Old sale",
        "New sale",
        "Mid call",
    ]
    # by type (call before sale), then by id
    assert subjects(client.get("/activities?sort=type&dir=asc").get_data(as_text=True))[0] == "Mid call"
    # a made-up key or direction gives the default order (date, newest first), not an error
    assert subjects(client.get("/activities?sort=1;drop&dir=up").get_data(as_text=True)) == [
        "New sale",
        "Mid call",
        "Old sale",
    ]


def test_pagination_with_infinite_scroll(app, client, rep, users):
    for n in range(30):
        add_activity(app, users, subject=f"A{n:02d}", date=f"2026-10-{n + 1:02d}T10:00Z")
    first = client.get("/activities").get_data(as_text=True)
    # 25 rows and a row that loads the next page when revealed
    assert first.count('data-id="') == 25 and 'hx-trigger="revealed"' in first and "page=2" in first
    second = client.get("/activities?page=2", headers={"HX-Request": "true"}).get_data(as_text=True)
    # the last 5 (oldest) and no further "load more"
    assert subjects(second) == ["A04", "A03", "A02", "A01", "A00"] and "Load more" not in second


def form_data(token, **changes):
    return {"csrf_token": token, "type": "call", "status": "completed", "subject": "", "details": "",
            "date": "2026-11-20T10:30", "amount": "", "quantity": "1", "company_id": "", "contact_id": "",
            "deal_id": ""} | changes  # fmt: skip


def test_an_empty_form_saves_nothing_and_says_why(app, client, rep, users):
    token = rep.csrf_token("/activities/new")
    response = client.post("/activities/new", data=form_data(token))
    body = response.get_data(as_text=True)
    # no subject and no link: the form comes back with both reasons, and nothing was logged
    assert response.status_code == 200 and 'id="activity-form"' in body
    assert "This field is required." in section_of(body, "field-subject")
    assert "a company, a contact or a deal (at least one)" in section_of(body, "field-company_id")
    assert fetch_as(app, users["rep"]["id"], "select count(*) from crm.activities") == [(0,)]
    # a subject and one link (a deal alone) are enough
    deal = add_deal(app, users, name="Only a deal")
    saved = client.post("/activities/new", data=form_data(token, subject="Called", deal_id=str(deal)))
    assert saved.status_code == 302
    assert fetch_as(app, users["rep"]["id"], "select subject, deal_id, company_id from crm.activities") == [
        ("Called", deal, None)
    ]


def section_of(body: str, element_id: str) -> str:
    """The HTML of the form field <div id=...> (up to the next field)."""
    start = body.index(f'id="{element_id}"')
    end = body.find('<div class="field', start)
    return body[start:end if end > 0 else None]


def test_create_with_field_errors_then_success(app, client, rep, users):
    theirs = add_contact(app, users, who="rep2", first_name="Theirs", last_name="Contact")
    company = add_company(app, users, name="Mine Co")
    token = rep.csrf_token("/activities/new")
    bad = client.post("/activities/new", data=form_data(
        token, type="party", subject="Typed subject", date="yesterday", amount="-5", quantity="0", contact_id=str(theirs),
    ))  # fmt: skip
    body = bad.get_data(as_text=True)
    assert bad.status_code == 200
    # each problem shows next to its field; someone else's contact is not a choice, and not named
    assert body.count("Not a valid choice.") == 2 and "Theirs Contact" not in body
    assert (
        "Not a valid datetime value." in body
        and "Number must be between 1 and" in body
        and "Number must be between 0 and" in body
    )
    # what the user typed is kept
    assert 'value="Typed subject"' in body and 'value="yesterday"' in body
    not_a_sale = client.post("/activities/new", data=form_data(token, amount="10"))
    # an amount on anything but a sale is refused with a reason
    assert "Only sales have an amount" in not_a_sale.get_data(as_text=True)
    good = client.post("/activities/new", data=form_data(
        token, type="sale", subject="Closed", amount="1234.50", quantity="3", company_id=str(company),
        user_id=str(users["rep2"]["id"]), sentiment_score="0.9", engagement_quality="excellent", urgency_score="1",
        activity_source="import", version="9", id="00000000-0000-0000-0000-000000000001",
    ))  # fmt: skip
    assert good.status_code == 302
    row = fetch_as(app, users["admin"]["id"],
                   """select user_id, type, amount::text, quantity, company_id, date, sentiment_score, engagement_quality,
                             urgency_score, activity_source, version, id::text like '00000000%' from crm.activities where subject = 'Closed'""")  # fmt: skip
    # the owner is the creator, the date is read as UTC; posted scores, source, version and id are ignored
    assert len(row) == 1
    user_id, kind, amount, quantity, company_id, date, *ignored = row[0]
    assert (user_id, kind, amount, quantity, company_id) == (users["rep"]["id"], "sale", "1234.50", 3, company)
    assert date.isoformat().startswith("2026-11-20T10:30:00") and date.utcoffset().total_seconds() == 0
    # the computed fields are what the server derives for the same activity posted without the extras
    twin = client.post("/activities/new", data=form_data(
        token, type="sale", subject="Closed twin", amount="1234.50", quantity="3", company_id=str(company)))  # fmt: skip
    assert twin.status_code == 302
    twin_row = fetch_as(app, users["admin"]["id"],
                        """select sentiment_score, engagement_quality, urgency_score, activity_source, version,
                                  id::text like '00000000%' from crm.activities where subject = 'Closed twin'""")  # fmt: skip
    assert ignored == list(twin_row[0]) and ignored[3:] == ["manual", 1, False]


def test_creating_with_a_contact_adds_an_interaction_to_the_contact_page(app, client, rep, users):
    contact = add_contact(app, users, first_name="Ivy", last_name="Interact")
    form = client.get(f"/activities/new?contact={contact}").get_data(as_text=True)
    # the contact's "Log activity" link preselects the contact
    assert f'<option selected value="{contact}">Ivy Interact</option>' in form
    before = section(client.get(f"/contacts/{contact}").get_data(as_text=True), "interactions")
    assert "No interactions yet." in before
    token = rep.csrf_token("/activities/new")
    data = form_data(
        token, type="email", subject="Sent the deck", details="Deck and pricing attached", contact_id=str(contact)
    )
    assert client.post("/activities/new", data=data).status_code == 302
    after = section(client.get(f"/contacts/{contact}").get_data(as_text=True), "interactions")
    # the database trigger logged the email as an outbound interaction with the activity's details
    assert "No interactions yet." not in after
    assert '<span class="tag">email</span>' in after and "outbound" in after and "Deck and pricing attached" in after
    assert "2026-11-20" in after


def test_htmx_writes_trigger_activities_changed(app, client, rep, users):
    headers = {"HX-Request": "true"}
    company = str(add_company(app, users))
    token = rep.csrf_token("/activities/new")
    invalid = client.post("/activities/new", data=form_data(token, quantity="0"), headers=headers)
    # an invalid htmx submit returns the form fragment with 200, so htmx swaps it in
    assert invalid.status_code == 200 and "<html" not in invalid.get_data(as_text=True)
    assert 'id="activity-form"' in invalid.get_data(as_text=True)
    created = client.post("/activities/new", data=form_data(token, subject="Via htmx", company_id=company),
                          headers=headers)  # fmt: skip
    # success: a client-side redirect to the new activity, and listeners hear activitiesChanged
    assert created.status_code == 200 and created.headers["HX-Redirect"].startswith("/activities/")
    assert "activitiesChanged" in created.headers["HX-Trigger"]
    activity = created.headers["HX-Redirect"].rsplit("/", 1)[1]
    version = VERSION.search(client.get(f"/activities/{activity}/edit").get_data(as_text=True)).group(1)
    edited = client.post(
        f"/activities/{activity}/edit", data=form_data(token, subject="Edited", version=version, company_id=company),
        headers=headers,
    )
    assert (
        edited.headers["HX-Redirect"] == f"/activities/{activity}"
        and "activitiesChanged" in edited.headers["HX-Trigger"]
    )
    deleted = client.delete(f"/activities/{activity}", headers=headers | {"X-CSRFToken": token})
    assert deleted.headers["HX-Redirect"] == "/activities" and "activitiesChanged" in deleted.headers["HX-Trigger"]
    assert fetch_as(app, users["rep"]["id"], "select count(*) from crm.activities where id = :i", {"i": activity}) == [
        (0,)
    ]


def edit_form(client, auth, activity_id, **changes):
    """What the edit page posts: its version and the links it shows selected, with ``changes``."""
    page = client.get(f"/activities/{activity_id}/edit").get_data(as_text=True)
    token = auth.csrf_token(f"/activities/{activity_id}/edit")
    links = {name: selected_option(page, name) for name in ("company_id", "contact_id", "deal_id")}
    return form_data(token, subject="Call", version=VERSION.search(page).group(1), **links) | changes


def selected_option(page: str, name: str) -> str:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    found = re.search(r'<option selected value="([^"]*)"', select)
    return found.group(1) if found else ""


def test_edit_then_stale_edit_is_409(app, client, rep, users):
    activity = add_activity(app, users, company_id=add_company(app, users))
    stale = edit_form(client, rep, activity)
    first = edit_form(client, rep, activity, subject="First save", status="pending")
    response = client.post(f"/activities/{activity}/edit", data=first)
    # the save goes to the activity's page
    assert response.status_code == 302 and response.headers["Location"] == f"/activities/{activity}"
    response = client.post(f"/activities/{activity}/edit", data=stale | {"subject": "Second save"})
    # the stale save is refused and explained; the first one survives
    assert response.status_code == 409 and "Someone else saved first" in response.get_data(as_text=True)
    row = fetch_as(
        app, users["rep"]["id"], "select subject, status, version from crm.activities where id = :i", {"i": activity}
    )
    assert row == [("First save", "pending", 2)]


def test_mass_assignment_on_edit_changes_nothing_else(app, client, rep, users):
    company = add_company(app, users)
    activity = add_activity(app, users, company_id=company)
    twin = add_activity(app, users, company_id=company)
    data = edit_form(client, rep, activity, user_id=str(users["rep2"]["id"]), sentiment_score="-1",
                     outcome_prediction="negative", id="00000000-0000-0000-0000-000000000001")  # fmt: skip
    assert client.post(f"/activities/{activity}/edit", data=data).status_code == 302
    assert client.post(f"/activities/{twin}/edit", data=edit_form(client, rep, twin)).status_code == 302
    sql = "select user_id, sentiment_score, outcome_prediction from crm.activities where id = :i"
    row = fetch_as(app, users["admin"]["id"], sql, {"i": activity})
    # still the rep's activity; its computed fields are the server's, the same as an identical edit without extras
    assert row == fetch_as(app, users["admin"]["id"], sql, {"i": twin}) and row[0][0] == users["rep"]["id"]


def test_manager_reads_but_cannot_edit(app, client, auth, users):
    activity = add_activity(app, users, subject="Team call")
    auth.login(users["manager"]["email"])
    # the manager sees the team member's activity in the list and on its page, without edit buttons
    assert "Team call" in client.get("/activities").get_data(as_text=True)
    page = client.get(f"/activities/{activity}").get_data(as_text=True)
    assert "Team call" in page and 'id="edit-activity"' not in page
    # editing or deleting answers 404, like a missing activity
    assert client.get(f"/activities/{activity}/edit").status_code == 404
    assert client.post(f"/activities/{activity}/delete", data={"csrf_token": auth.csrf_token("/")}).status_code == 404
    assert fetch_as(
        app, users["admin"]["id"], "select count(*) from crm.activities where id = :i", {"i": activity}
    ) == [(1,)]


def test_delete_asks_then_deletes_with_its_links(app, client, rep, users):
    contact = add_contact(app, users)
    activity = add_activity(app, users, subject="Doomed", contact_id=contact)
    confirm = client.get(f"/activities/{activity}/delete")
    # a confirmation page first; nothing is deleted yet
    assert confirm.status_code == 200 and "Delete this activity?" in confirm.get_data(as_text=True)
    assert fetch_as(
        app, users["rep"]["id"], "select count(*) from crm.contact_interactions where activity_id = :i", {"i": activity}
    ) == [(1,)]
    response = client.post(f"/activities/{activity}/delete", data={"csrf_token": rep.csrf_token("/")})
    # then it is gone, with the interaction it recorded, and the user is back on the list
    assert response.status_code == 302 and response.headers["Location"] == "/activities"
    assert fetch_as(app, users["rep"]["id"], "select count(*) from crm.activities where id = :i", {"i": activity}) == [
        (0,)
    ]
    assert fetch_as(
        app, users["rep"]["id"], "select count(*) from crm.contact_interactions where activity_id = :i", {"i": activity}
    ) == [(0,)]


def test_detail_links_and_ai_fields_only_with_ai_features(app, client, rep, users):
    company = add_company(app, users, name="Link Co")
    contact = add_contact(app, users, first_name="Lia", last_name="Link")
    deal = add_deal(app, users, "Link Deal")
    activity = add_activity(app, users, subject="Linked", company_id=company, contact_id=contact, deal_id=deal,
                            sentiment_score=0.75, engagement_quality="excellent", outcome_prediction="positive",
                            urgency_score=0.4)  # fmt: skip
    set_ai(app, users, "rep", on=False)
    body = client.get(f"/activities/{activity}").get_data(as_text=True)
    # the company and contact link to their pages; the deal is named
    assert f'href="/companies/{company}" id="activity-company">Link Co</a>' in body
    assert f'href="/contacts/{contact}" id="activity-contact">Lia Link</a>' in body and "Link Deal" in body
    # without AI features the insights are hidden
    assert 'id="insights"' not in body and "excellent" not in body and "+0.75" not in body
    set_ai(app, users, "rep")
    body = client.get(f"/activities/{activity}").get_data(as_text=True)
    # with AI features: sentiment, engagement quality, outcome prediction, urgency
    assert 'id="insights"' in body and "+0.75" in body and "excellent" in body and "positive" in body and "0.40" in body


def test_manager_can_link_only_own_records_not_the_teams(app, client, auth, users):
    team_contact = add_contact(app, users, first_name="Team", last_name="Member")
    auth.login(users["manager"]["email"])
    # the manager may read the rep's contact ...
    assert client.get(f"/contacts/{team_contact}").status_code == 200
    form = client.get("/activities/new").get_data(as_text=True)
    # ... but the activity form offers only the manager's own contacts
    assert "Team Member" not in form
    token = auth.csrf_token("/activities/new")
    response = client.post("/activities/new", data=form_data(token, subject="Sneaky", contact_id=str(team_contact)))
    # posting the id anyway is refused, and nothing is written
    assert response.status_code == 200 and "Not a valid choice." in response.get_data(as_text=True)
    assert fetch_as(app, users["admin"]["id"], "select count(*) from crm.activities where subject = 'Sneaky'") == [(0,)]


def test_edit_form_lists_only_the_owners_records(app, client, rep, users):
    add_company(app, users, name="My Co")
    add_company(app, users, who="rep2", name="Their Co")
    add_deal(app, users, "My Deal")
    activity = add_activity(app, users)
    body = client.get(f"/activities/{activity}/edit").get_data(as_text=True)
    # the selects offer the rep's own company and deal, not rep2's
    assert "My Co" in body and "My Deal" in body and "Their Co" not in body


@pytest.mark.parametrize("field", ["subject", "details"])
def test_text_fields_render_escaped_on_list_fragment_and_detail(app, client, rep, users, field):
    contact = add_contact(app, users, first_name="Plain", last_name="Name")
    activity = add_activity(app, users, contact_id=contact, **{field: SCRIPT + IMG})
    for body in (
        client.get("/activities").get_data(as_text=True),
        client.get("/activities", headers={"HX-Request": "true"}).get_data(as_text=True),
        client.get(f"/activities/{activity}").get_data(as_text=True),
        client.get(f"/activities/{activity}/edit").get_data(as_text=True),
        client.get(f"/contacts/{contact}").get_data(as_text=True),
    ):
        # the user sees the characters as text: no script tag or injected image reaches the page
        assert SCRIPT not in body and IMG not in body
        assert SCRIPT_ESCAPED in body and IMG_ESCAPED in body


def test_logging_an_activity_rescores_its_company_and_sentiment(app, client, auth, users):
    rid = users["rep"]["id"]
    company = fetch_as(
        app, rid, "insert into crm.companies (name, owner_id) values ('Scored', :o) returning id", {"o": rid}
    )[0][0]
    auth.login(users["rep"]["email"])
    token = auth.csrf_token("/activities/new")
    response = client.post(
        "/activities/new",
        data={"csrf_token": token, "type": "call", "status": "completed", "subject": "Great call",
              "details": "Great call, they loved the demo and want a proposal.", "date": "2026-11-20T10:00",
              "quantity": "1", "company_id": str(company), "contact_id": "", "deal_id": ""},
    )  # fmt: skip
    assert response.status_code == 302
    row = fetch_as(
        app, rid,
        """select a.sentiment_score > 0, c.last_engagement_date is not null
           from crm.activities a join crm.companies c on c.id = a.company_id where a.company_id = :c""",
        {"c": company},
    )  # fmt: skip
    # in the same request: the note's sentiment is positive and the company shows it was engaged
    assert row == [(True, True)]
