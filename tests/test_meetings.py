"""Meetings: list (page and htmx rows), search, filters, sort, pagination,
create, edit, stale edit, delete, mass assignment, escaping; the outcome
automation (once, all-or-nothing), action items, attendees and deal links."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from dashboard.services import meetings as meetings_view
from tests.conftest import fetch_as

VERSION = re.compile(r'name="version" type="hidden" value="(\d+)"')
TITLES = re.compile(r'/meetings/[0-9a-f-]{36}">([^<]+)</a>')
XSS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']


def insert(app, users, who, table, **columns):
    names = ", ".join(columns)
    params = ", ".join(f":{k}" for k in columns)
    sql = f"insert into crm.{table} ({names}) values ({params}) returning id"
    return fetch_as(app, users[who]["id"], sql, columns)[0][0]


def add_meeting(app, users, who="rep", **values):
    columns = {"title": "Kickoff", "starts_at": "2026-11-20 10:00+00", "owner_id": users[who]["id"]} | values
    return insert(app, users, who, "meetings", **columns)


def add_deal(app, users, who="rep", name="Big Deal"):
    stage = fetch_as(app, users[who]["id"], "select id from crm.deal_stages order by position limit 1")[0][0]
    return insert(app, users, who, "deals", name=name, stage_id=stage, owner_id=users[who]["id"])


def one(app, users, sql, **params):
    """A single value, read as the admin (sees everything)."""
    return fetch_as(app, users["admin"]["id"], sql, params)[0][0]


@pytest.fixture
def rep(client, auth, users):
    auth.login(users["rep"]["email"])
    return auth


def htmx_post(client, auth, url, data):
    return client.post(url, data=data, headers={"HX-Request": "true", "X-CSRFToken": auth.csrf_token("/")})


# --- list ---------------------------------------------------------------------


def test_list_full_page_and_htmx_rows_with_search(app, client, rep, users):
    add_meeting(app, users, title="Acme discovery call")
    add_meeting(app, users, title="Globex demo")
    add_meeting(app, users, who="rep2", title="Hidden Initech review")
    page = client.get("/meetings?all=1")  # every meeting: by default the list shows upcoming ones only
    body = page.get_data(as_text=True)
    # the full page: layout, filters, the rep's two meetings, not rep2's
    assert "<html" in body and 'id="search"' in body
    assert "Acme discovery call" in body and "Globex demo" in body and "Hidden Initech" not in body
    assert page.headers["Vary"].count("HX-Request") == 1
    rows = client.get("/meetings?q=ACME", headers={"HX-Request": "true"}).get_data(as_text=True)
    # htmx gets only the rows, searched case-insensitively, with the count swapped out of band
    assert "<html" not in rows and "<tr" in rows and 'id="result-count" hx-swap-oob="true">1<' in rows
    assert "Acme discovery call" in rows and "Globex demo" not in rows
    # % is a literal in the search, not a wildcard
    assert "No meetings match" in client.get("/meetings?q=%25").get_data(as_text=True)


def test_filters_type_outcome_time_and_date_range(app, client, rep, users):
    now = datetime.now(UTC)
    add_meeting(app, users, title="Old demo", meeting_type="demo", meeting_outcome="positive",
                starts_at=now - timedelta(days=30))  # fmt: skip
    add_meeting(app, users, title="Soon closing", meeting_type="closing", starts_at=now + timedelta(days=3))
    add_meeting(app, users, title="Fixed date", starts_at=datetime(2026, 3, 15, 9, tzinfo=UTC))
    titles = lambda url: TITLES.findall(client.get(url).get_data(as_text=True))  # noqa: E731
    # each filter narrows the list to what it names
    assert titles("/meetings?type=demo") == ["Old demo"]
    assert titles("/meetings?outcome=positive") == ["Old demo"]
    assert titles("/meetings?when=upcoming") == ["Soon closing"]
    assert "Soon closing" not in titles("/meetings?when=past")
    assert titles("/meetings?from=2026-03-15&to=2026-03-15") == ["Fixed date"]
    # a reversed range says so and shows every meeting instead of none
    body = client.get("/meetings?from=2026-04-01&to=2026-03-01").get_data(as_text=True)
    assert "The “from” date is after the “to” date, so the date range was not applied." in body
    assert len(TITLES.findall(body)) == 3
    # junk filter values are ignored, not errors
    assert len(titles("/meetings?type=bogus&from=yesterday&when=later")) == 3


def test_sort_and_unknown_sort_falls_back(app, client, rep, users):
    add_meeting(app, users, title="Beta", starts_at="2026-01-02 10:00+00", meeting_type="demo")
    add_meeting(app, users, title="alpha", starts_at="2026-01-03 10:00+00", meeting_type="closing")
    add_meeting(app, users, title="Gamma", starts_at="2026-01-01 10:00+00", meeting_type="other")
    titles = lambda url: TITLES.findall(client.get(url).get_data(as_text=True))  # noqa: E731
    # by title (case-insensitive) and by type
    assert titles("/meetings?sort=title&dir=asc") == ["alpha", "Beta", "Gamma"]
    assert titles("/meetings?sort=type&dir=asc") == ["alpha", "Beta", "Gamma"]
    # a made-up key or direction gives the default: newest start first
    assert titles("/meetings?sort=drop+table&dir=sideways") == ["alpha", "Beta", "Gamma"]
    assert titles("/meetings?sort=start&dir=asc") == ["Gamma", "Beta", "alpha"]


def test_pagination_loads_more_rows(app, client, rep, users):
    for n in range(30):
        add_meeting(app, users, title=f"Meeting {n:02d}")
    first = client.get("/meetings?all=1").get_data(as_text=True)
    # 25 rows, then a "load more" row that fetches page 2 when revealed
    assert first.count('data-id="') == 25 and 'hx-trigger="revealed"' in first
    second = client.get("/meetings?all=1&page=2", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert second.count('data-id="') == 5 and "Load more" not in second


# --- create, edit, delete ---------------------------------------------------------


def test_create_with_field_errors_keeps_input_then_success(app, client, rep, users):
    others = add_meeting(app, users, who="rep2")
    rep2_company = insert(app, users, "rep2", "companies", name="Rep2 Co", owner_id=users["rep2"]["id"])
    company = insert(app, users, "rep", "companies", name="Mine Co", owner_id=users["rep"]["id"])
    token = rep.csrf_token("/meetings/new")
    bad = client.post("/meetings/new", data={
        "csrf_token": token, "title": "  ", "starts_at": "2026-11-20T10:00", "ends_at": "2026-11-20T09:00",
        "meeting_type": "demo", "company_id": str(rep2_company), "summary": "Keep this text",
    })  # fmt: skip
    body = bad.get_data(as_text=True)
    # the form comes back with a message next to each field and the typed input kept
    assert bad.status_code == 200
    assert "This field is required." in body and "The meeting must end after it starts." in body
    assert "Choose one from the list." in body and "Keep this text" in body and 'value="2026-11-20T09:00"' in body
    good = client.post("/meetings/new", data={
        "csrf_token": token, "title": "Discovery", "starts_at": "2026-11-20T10:00", "ends_at": "2026-11-20T11:00",
        "meeting_type": "discovery", "company_id": str(company), "owner_id": str(users["rep2"]["id"]),
        "meeting_outcome": "positive", "follow_up_created": "y", "sentiment_score": "1", "version": "9",
        "id": str(others),
    })  # fmt: skip
    assert good.status_code == 302
    row = fetch_as(app, users["admin"]["id"],
                   "select owner_id, company_id, meeting_outcome, follow_up_created, sentiment_score, version, starts_at "
                   "from crm.meetings where title = 'Discovery'")  # fmt: skip
    # the owner is the creator; outcome, flags, score and version are not the user's to post; times are UTC
    assert row == [(users["rep"]["id"], company, "pending", False, None, 1, datetime(2026, 11, 20, 10, tzinfo=UTC))]


def edit_form(client, auth, meeting_id, **changes):
    page = client.get(f"/meetings/{meeting_id}/edit").get_data(as_text=True)
    return {"csrf_token": auth.csrf_token("/"), "version": VERSION.search(page).group(1), "title": "Kickoff",
            "starts_at": "2026-11-20T10:00", "meeting_type": "other"} | changes  # fmt: skip


def test_edit_then_stale_edit_is_409(app, client, rep, users):
    meeting = add_meeting(app, users)
    page = client.get(f"/meetings/{meeting}/edit").get_data(as_text=True)
    # the edit form shows the stored start in UTC for the datetime-local input
    assert 'value="2026-11-20T10:00"' in page
    stale = edit_form(client, rep, meeting)
    first = edit_form(client, rep, meeting, title="Kickoff First", summary="Went well")
    assert client.post(f"/meetings/{meeting}/edit", data=first).status_code == 302
    response = client.post(f"/meetings/{meeting}/edit", data=stale | {"title": "Kickoff Second"})
    # the second, stale save is refused and says who saved first; the first save survives
    assert response.status_code == 409 and "Someone else saved first" in response.get_data(as_text=True)
    assert fetch_as(app, users["rep"]["id"], "select title, summary, version from crm.meetings where id = :i",
                    {"i": meeting}) == [("Kickoff First", "Went well", 2)]  # fmt: skip


def test_manager_reads_but_cannot_edit(app, client, auth, users):
    meeting = add_meeting(app, users, title="Team meeting")
    auth.login(users["manager"]["email"])
    body = client.get(f"/meetings/{meeting}").get_data(as_text=True)
    # the manager sees the meeting without edit buttons or panel forms
    assert "Team meeting" in body and 'id="edit-meeting"' not in body and 'id="record-outcome"' not in body
    assert client.get(f"/meetings/{meeting}/edit").status_code == 404
    token = auth.csrf_token("/")
    assert (
        client.post(
            f"/meetings/{meeting}/outcome", data={"csrf_token": token, "meeting_outcome": "positive"}
        ).status_code
        == 404
    )
    assert one(app, users, "select meeting_outcome from crm.meetings where id = :i", i=meeting) == "pending"


def test_delete_asks_then_deletes(app, client, rep, users):
    meeting = add_meeting(app, users, title="Doomed")
    confirm = client.get(f"/meetings/{meeting}/delete")
    # a confirmation page first; nothing is deleted yet
    assert confirm.status_code == 200 and "Delete this meeting?" in confirm.get_data(as_text=True)
    assert one(app, users, "select count(*) from crm.meetings where id = :i", i=meeting) == 1
    response = client.post(f"/meetings/{meeting}/delete", data={"csrf_token": rep.csrf_token("/")})
    assert response.status_code == 302
    assert one(app, users, "select count(*) from crm.meetings where id = :i", i=meeting) == 0


def test_htmx_delete_answers_with_client_redirect(app, client, rep, users):
    meeting = add_meeting(app, users, title="Doomed")
    response = client.delete(f"/meetings/{meeting}", headers={"HX-Request": "true", "X-CSRFToken": rep.csrf_token("/")})
    # htmx follows HX-Redirect to the list, and listening widgets hear meetingsChanged
    assert response.status_code == 200 and response.headers["HX-Redirect"] == "/meetings"
    assert "meetingsChanged" in response.headers["HX-Trigger"]
    assert one(app, users, "select count(*) from crm.meetings where id = :i", i=meeting) == 0


@pytest.mark.parametrize("payload", XSS)
def test_user_text_renders_escaped(app, client, rep, users, payload):
    meeting = add_meeting(app, users, title=f"T {payload}", summary=payload, next_steps=payload)
    contact = insert(app, users, "rep", "contacts", first_name=payload, owner_id=users["rep"]["id"])
    insert(app, users, "rep", "meeting_action_items", meeting_id=meeting, description=payload)
    insert(app, users, "rep", "meeting_attendees", meeting_id=meeting, contact_id=contact, name=payload)
    for url in ("/meetings?all=1", f"/meetings/{meeting}", f"/meetings/{meeting}/edit"):
        body = client.get(url).get_data(as_text=True)
        # the payload shows as text: never as a tag or an attribute break-out
        assert payload not in body and "<script>alert" not in body and "<img src=x" not in body, url
        assert "&lt;" in body, url


# --- the outcome and its follow-up ---------------------------------------------------


FOLLOW_UPS = """select (select count(*) from crm.activity_meetings am join crm.activities a on a.id = am.activity_id
                        where am.meeting_id = :m),
                       (select count(*) from crm.tasks where meeting_id = :m),
                       (select count(*) from crm.deal_meetings where meeting_id = :m)"""


def test_outcome_creates_one_activity_and_one_task_even_when_posted_twice(app, client, rep, users):
    company = insert(app, users, "rep", "companies", name="Acme", owner_id=users["rep"]["id"])
    deal = add_deal(app, users)
    meeting = add_meeting(app, users, title="Pricing call", company_id=company, primary_deal_id=deal)
    first = htmx_post(client, rep, f"/meetings/{meeting}/outcome", {"meeting_outcome": "positive"})
    # the outcome panel comes back saying the follow-up was created; task and activity lists are told to refresh
    assert first.status_code == 200 and "created the follow-up task" in first.get_data(as_text=True)
    assert {"tasksChanged", "activitiesChanged"} <= set(first.headers["HX-Trigger"].split('"'))
    second = htmx_post(client, rep, f"/meetings/{meeting}/outcome", {"meeting_outcome": "negative"})
    assert "Updated the outcome." in second.get_data(as_text=True)
    # exactly one activity, one task and one deal link, whatever the number of posts
    assert fetch_as(app, users["admin"]["id"], FOLLOW_UPS, {"m": meeting}) == [(1, 1, 1)]
    activity = fetch_as(
        app,
        users["admin"]["id"],
        """
        select a.type, a.status, a.company_id, a.deal_id, a.user_id from crm.activities a
        join crm.activity_meetings am on am.activity_id = a.id where am.meeting_id = :m""",
        {"m": meeting},
    )
    assert activity == [("meeting", "completed", company, deal, users["rep"]["id"])]
    task = fetch_as(
        app,
        users["admin"]["id"],
        """
        select auto_generated, assigned_to, deal_id, company_id, title,
               (due_date at time zone 'UTC') - (now() at time zone 'UTC')::date from crm.tasks
        where meeting_id = :m""",
        {"m": meeting},
    )[0]
    # the task is the rep's, automatic, for the meeting's deal and company, due the day after a positive
    # meeting: a due day (stored at 00:00 UTC of the day), tomorrow in the user's zone (none set: UTC)
    assert task[:5] == (True, users["rep"]["id"], deal, company, "Follow up: Pricing call")
    assert task[5] == timedelta(days=1)
    meeting_row = fetch_as(
        app,
        users["admin"]["id"],
        "select meeting_outcome, follow_up_created from crm.meetings where id = :m",
        {"m": meeting},
    )
    # the meeting and its deal link carry the latest outcome
    assert meeting_row == [("negative", True)]
    assert one(app, users, "select outcome from crm.deal_meetings where meeting_id = :m", m=meeting) == "negative"


def test_no_show_logs_a_no_show_activity_and_a_task_in_two_days(app, client, rep, users):
    meeting = add_meeting(app, users, title="Ghosted")
    response = client.post(
        f"/meetings/{meeting}/outcome", data={"csrf_token": rep.csrf_token("/"), "meeting_outcome": "no_show"}
    )
    # without htmx: back to the meeting page with a flash
    assert response.status_code == 302 and response.headers["Location"] == f"/meetings/{meeting}"
    status = one(
        app,
        users,
        "select a.status from crm.activities a join crm.activity_meetings am on am.activity_id = a.id where am.meeting_id = :m",
        m=meeting,
    )
    assert status == "no_show"
    title, due = fetch_as(
        app, users["admin"]["id"], "select title, (due_date at time zone 'UTC') - (now() at time zone 'UTC')::date"
        " from crm.tasks where meeting_id = :m", {"m": meeting}
    )[0]
    # the due day after tomorrow (00:00 UTC of that day; the user has no zone: UTC)
    assert title == "Reschedule: Ghosted" and due == timedelta(days=2)
    # the meeting page lists the follow-up task
    assert "Reschedule: Ghosted" in client.get(f"/meetings/{meeting}").get_data(as_text=True)


def test_outcome_reuses_the_meetings_existing_calendar_activity(app, client, rep, users):
    meeting = add_meeting(app, users, title="Synced")
    activity = insert(
        app, users, "rep", "activities", user_id=users["rep"]["id"], type="meeting", activity_source="calendar"
    )
    fetch_as(app, users["rep"]["id"], "insert into crm.activity_meetings (activity_id, meeting_id) values (:a, :m) returning activity_id",
             {"a": activity, "m": meeting})  # fmt: skip
    client.post(
        f"/meetings/{meeting}/outcome", data={"csrf_token": rep.csrf_token("/"), "meeting_outcome": "cancelled"}
    )
    # the meeting already had its activity (from calendar sync): it gets the status, no second one appears
    assert fetch_as(app, users["admin"]["id"], FOLLOW_UPS, {"m": meeting}) == [(1, 1, 0)]
    assert one(app, users, "select status from crm.activities where id = :a", a=activity) == "cancelled"


def test_outcome_is_refused_when_not_one_of_the_choices(app, client, rep, users):
    meeting = add_meeting(app, users)
    response = htmx_post(client, rep, f"/meetings/{meeting}/outcome", {"meeting_outcome": "pending"})
    # the panel says what is wrong and nothing is written
    assert response.status_code == 200 and "Not a valid choice." in response.get_data(as_text=True)
    assert fetch_as(app, users["admin"]["id"], FOLLOW_UPS, {"m": meeting}) == [(0, 0, 0)]


@pytest.mark.parametrize("failing_step", ["meeting", "activity", "task", "deal"])
def test_outcome_failure_after_any_write_leaves_nothing_behind(app, client, rep, users, monkeypatch, failing_step):
    deal = add_deal(app, users)
    meeting = add_meeting(app, users, primary_deal_id=deal)
    audit_before = one(app, users, "select count(*) from crm.audit_log")

    def fail(step):
        if step == failing_step:
            raise RuntimeError(f"injected failure after {step}")

    monkeypatch.setattr(meetings_view, "after_write", fail)
    response = client.post(
        f"/meetings/{meeting}/outcome", data={"csrf_token": rep.csrf_token("/"), "meeting_outcome": "positive"}
    )
    # the user gets the generic error page; no activity, task, deal link or audit row was kept
    assert response.status_code == 500 and "Something went wrong on our side." in response.get_data(as_text=True)
    assert fetch_as(app, users["admin"]["id"], FOLLOW_UPS, {"m": meeting}) == [(0, 0, 0)]
    assert fetch_as(
        app,
        users["admin"]["id"],
        "select meeting_outcome, follow_up_created, version from crm.meetings where id = :m",
        {"m": meeting},
    ) == [("pending", False, 1)]
    assert one(app, users, "select count(*) from crm.audit_log") == audit_before
    # once the fault is gone, the same post does the whole thing
    monkeypatch.setattr(meetings_view, "after_write", lambda step: None)
    client.post(f"/meetings/{meeting}/outcome", data={"csrf_token": rep.csrf_token("/"), "meeting_outcome": "positive"})
    assert fetch_as(app, users["admin"]["id"], FOLLOW_UPS, {"m": meeting}) == [(1, 1, 1)]


# --- action items, attendees, deal links -----------------------------------------------


def test_action_item_becomes_a_task_once(app, client, rep, users):
    meeting = add_meeting(app, users)
    added = htmx_post(client, rep, f"/meetings/{meeting}/action-items",
                      {"description": "Send the proposal", "priority": "high", "deadline": "2026-12-01"})  # fmt: skip
    # the action items panel comes back with the new item
    assert added.status_code == 200 and "Send the proposal" in added.get_data(as_text=True)
    item = one(app, users, "select id from crm.meeting_action_items where meeting_id = :m", m=meeting)
    first = htmx_post(client, rep, f"/meetings/{meeting}/action-items/task", {"item_id": str(item)})
    assert "Created a task for you." in first.get_data(as_text=True) and "tasksChanged" in first.headers["HX-Trigger"]
    second = htmx_post(client, rep, f"/meetings/{meeting}/action-items/task", {"item_id": str(item)})
    # the second click creates nothing and says why
    assert "already has a task" in second.get_data(as_text=True)
    tasks = fetch_as(
        app,
        users["admin"]["id"],
        """
        select t.title, t.priority, t.assigned_to, t.due_date, t.auto_generated from crm.tasks t
        join crm.meeting_action_items i on i.task_id = t.id where i.id = :i""",
        {"i": item},
    )
    assert tasks == [("Send the proposal", "high", users["rep"]["id"], datetime(2026, 12, 1, tzinfo=UTC), False)]
    assert one(app, users, "select count(*) from crm.tasks where meeting_id = :m", m=meeting) == 1
    done = htmx_post(client, rep, f"/meetings/{meeting}/action-items/done", {"item_id": str(item), "done": "1"})
    # marked done: the item shows a done tag
    assert ">done<" in done.get_data(as_text=True)
    assert one(app, users, "select is_done from crm.meeting_action_items where id = :i", i=item) is True


def test_action_item_of_another_meeting_is_404(app, client, rep, users):
    mine, other = add_meeting(app, users), add_meeting(app, users, who="rep2")
    item = insert(app, users, "rep2", "meeting_action_items", meeting_id=other, description="Theirs")
    response = htmx_post(client, rep, f"/meetings/{mine}/action-items/task", {"item_id": str(item)})
    # an item id from elsewhere (or junk) is simply not found
    assert response.status_code == 404
    assert htmx_post(client, rep, f"/meetings/{mine}/action-items/done", {"item_id": "junk"}).status_code == 404
    assert one(app, users, "select count(*) from crm.tasks where title = 'Theirs'") == 0


def test_attendee_add_and_remove(app, client, rep, users):
    meeting = add_meeting(app, users)
    contact = insert(
        app,
        users,
        "rep",
        "contacts",
        first_name="Ann",
        last_name="Lee",
        email="ann@acme.example",
        owner_id=users["rep"]["id"],
    )
    theirs = insert(
        app, users, "rep2", "contacts", first_name="Secret", last_name="Person", owner_id=users["rep2"]["id"]
    )
    added = htmx_post(client, rep, f"/meetings/{meeting}/attendees", {"contact_id": str(contact)})
    # the attendees panel now lists Ann, and she is no longer offered in the select
    body = added.get_data(as_text=True)
    assert (
        "Added Ann Lee." in body and "ann@acme.example" in body and f'value="{contact}"' not in body.split("<select")[1]
    )
    again = htmx_post(client, rep, f"/meetings/{meeting}/attendees", {"contact_id": str(contact)})
    assert "Ann Lee is already an attendee." in again.get_data(as_text=True)
    refused = htmx_post(client, rep, f"/meetings/{meeting}/attendees", {"contact_id": str(theirs)})
    # another rep's contact cannot be added by posting its id
    assert "Choose one from the list." in refused.get_data(as_text=True)
    attendee = one(app, users, "select id from crm.meeting_attendees where meeting_id = :m", m=meeting)
    removed = htmx_post(client, rep, f"/meetings/{meeting}/attendees/remove", {"attendee_id": str(attendee)})
    assert "Removed Ann Lee." in removed.get_data(as_text=True) and "No attendees recorded." in removed.get_data(
        as_text=True
    )
    assert one(app, users, "select count(*) from crm.meeting_attendees where meeting_id = :m", m=meeting) == 0


def test_deal_link_fills_deal_meetings_and_unlinks(app, client, rep, users):
    meeting = add_meeting(app, users, meeting_outcome="positive")
    deal = add_deal(app, users, name="Expansion")
    theirs = add_deal(app, users, who="rep2", name="Not yours")
    linked = htmx_post(client, rep, f"/meetings/{meeting}/deals", {"deal_id": str(deal)})
    # the linked deals panel lists the deal with the meeting's outcome
    assert "Linked the deal." in linked.get_data(as_text=True) and "Expansion" in linked.get_data(as_text=True)
    assert fetch_as(app, users["admin"]["id"], "select deal_id, outcome, link_source from crm.deal_meetings where meeting_id = :m",
                    {"m": meeting}) == [(deal, "positive", "manual")]  # fmt: skip
    refused = htmx_post(client, rep, f"/meetings/{meeting}/deals", {"deal_id": str(theirs)})
    # another rep's deal cannot be linked
    assert "Choose one of your deals." in refused.get_data(as_text=True)
    unlinked = htmx_post(client, rep, f"/meetings/{meeting}/deals/unlink", {"deal_id": str(deal)})
    assert "Unlinked the deal." in unlinked.get_data(as_text=True) and "No deals linked." in unlinked.get_data(
        as_text=True
    )
    assert one(app, users, "select count(*) from crm.deal_meetings where meeting_id = :m", m=meeting) == 0


def test_detail_shows_links_and_ai_scores_only_with_ai_features(app, client, auth, users):
    company = insert(app, users, "rep", "companies", name="Panel Co", owner_id=users["rep"]["id"])
    meeting = add_meeting(app, users, company_id=company, summary="We agreed on a pilot", sentiment_score=0.5)
    theirs = add_meeting(app, users, who="rep2", sentiment_score=-0.5, meeting_quality_score=0.9)
    auth.login(users["rep"]["email"])
    body = client.get(f"/meetings/{meeting}").get_data(as_text=True)
    # rep has AI features: company link, summary, and the sentiment panel
    assert f'href="/companies/{company}"' in body and "We agreed on a pilot" in body
    assert "Sentiment and quality" in body and "+0.50" in body
    client.post("/logout", data={"csrf_token": auth.csrf_token("/")})
    auth.login(users["rep2"]["email"])
    # rep2 has them off: no sentiment or quality anywhere
    body = client.get(f"/meetings/{theirs}").get_data(as_text=True)
    assert "Sentiment and quality" not in body and "-0.50" not in body


LINKED_DEALS = re.compile(r'Linked deals <small class="muted">(\d+)</small>')


def test_the_primary_deal_is_a_linked_deal(app, client, rep, users):
    deal = add_deal(app, users, name="Primary Co deal")
    token = rep.csrf_token("/meetings/new")
    saved = client.post("/meetings/new", data={
        "csrf_token": token, "title": "Scoping", "starts_at": "2026-11-20T10:00", "ends_at": "2026-11-20T11:00",
        "meeting_type": "discovery", "primary_deal_id": str(deal),
    })  # fmt: skip
    assert saved.status_code == 302
    meeting = one(app, users, "select id from crm.meetings where title = 'Scoping'")
    # saving the meeting linked its primary deal (the deal counts it), once
    assert fetch_as(app, users["admin"]["id"], "select deal_id, link_source from crm.deal_meetings where meeting_id = :m",
                    {"m": meeting}) == [(deal, "primary_deal")]  # fmt: skip
    body = client.get(f"/meetings/{meeting}").get_data(as_text=True)
    # the page says the same thing twice: the primary deal, and one linked deal (without an Unlink button)
    assert "Primary Co deal" in body and LINKED_DEALS.findall(body) == ["1"]
    assert 'aria-label="Unlink Primary Co deal"' not in body and "(primary: change it on the meeting" in body


def test_an_older_meeting_lists_its_primary_deal_as_linked(app, client, rep, users):
    deal = add_deal(app, users, name="Old primary")
    other = add_deal(app, users, name="Also linked")
    # saved before the link existed: a primary deal and no deal_meetings row for it, one manual link
    meeting = add_meeting(app, users, primary_deal_id=deal)
    fetch_as(app, users["rep"]["id"], "insert into crm.deal_meetings (deal_id, meeting_id, link_source) "
             "values (:d, :m, 'manual') returning deal_id", {"d": other, "m": meeting})
    body = client.get(f"/meetings/{meeting}").get_data(as_text=True)
    assert LINKED_DEALS.findall(body) == ["2"]
    panel = body[body.index('id="linked-deals"'):]
    assert panel.index("Also linked") < panel.index("Old primary")  # by name
