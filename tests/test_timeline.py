"""A record's timeline (crm.record_timeline, sql/functions/timeline.sql): activities, notes, meetings,
tasks and stage changes merged newest first, paged by keyset, filtered by kind, under row-level
security. A hand-made fixture; the expected order is worked out in the comments."""

from __future__ import annotations

import re

import pytest

from tests.test_dashboard_sql import LEAD, QUALIFIED, as_user

TIMELINE = "select kind, title from crm.record_timeline(%s, %s, %s, %s, %s, %s)"


@pytest.fixture
def world(admin_conn, users):
    """Rep's company Acme, contact Pat there, deal Big at Acme with Pat; a row of every kind; rep2's call
    on Acme. Times (Nov 2026, UTC) are set by hand, so the order is known."""
    c, rep, rep2 = admin_conn, users["rep"]["id"], users["rep2"]["id"]
    ids = {}

    def one(sql, params):
        return c.execute(sql, params).fetchone()[0]

    ids["acme"] = one("insert into crm.companies (name, owner_id) values ('Acme', %s) returning id", (rep,))
    ids["pat"] = one("insert into crm.contacts (first_name, last_name, owner_id, company_id) values ('Pat', 'Lee', %s, %s) returning id",
                     (rep, ids["acme"]))  # fmt: skip
    ids["big"] = one("""insert into crm.deals (name, stage_id, owner_id, company_id, primary_contact_id)
                        values ('Big', %s, %s, %s, %s) returning id""", (LEAD, rep, ids["acme"], ids["pat"]))  # fmt: skip
    c.execute("update crm.deals set stage_id = %s where id = %s", (QUALIFIED, ids["big"]))
    # the trigger wrote "created in Lead" and "Lead -> Qualified": dated Nov 1 and Nov 8 here
    c.execute("""update crm.deal_stage_history set changed_at = case when from_stage_id is null
                 then '2026-11-01 09:00Z'::timestamptz else '2026-11-08 09:00Z' end where deal_id = %s""", (ids["big"],))
    for subject, kind, day, links in [
        ("Intro call", "call", "02", {"deal_id": ids["big"]}),  # Acme through the deal (company_activities)
        ("Pricing note", "note", "04", {"deal_id": ids["big"], "company_id": ids["acme"]}),
        ("Sent deck", "email", "06", {"contact_id": ids["pat"], "company_id": ids["acme"]}),
    ]:
        columns = ", ".join(links)
        c.execute(f"""insert into crm.activities (user_id, type, subject, date, {columns})
                      values (%s, %s, %s, %s, {", ".join(["%s"] * len(links))})""",
                  (rep, kind, subject, f"2026-11-{day} 10:00Z", *links.values()))  # fmt: skip
    # rep2's call on the rep's company: the manager reads it, the rep never does
    c.execute("insert into crm.activities (user_id, type, subject, date, company_id) values (%s, 'call', 'Rival call', '2026-11-07 10:00Z', %s)",
              (rep2, ids["acme"]))  # fmt: skip
    c.execute("""insert into crm.meetings (title, starts_at, owner_id, company_id, primary_deal_id, primary_contact_id)
                 values ('Demo', '2026-11-05 15:00Z', %s, %s, %s, %s)""", (rep, ids["acme"], ids["big"], ids["pat"]))  # fmt: skip
    c.execute("""insert into crm.tasks (title, assigned_to, created_by, deal_id, company_id, created_at, status)
                 values ('Send contract', %s, %s, %s, %s, '2026-11-03 08:00Z', 'pending')""", (rep, rep, ids["big"], ids["acme"]))  # fmt: skip
    return ids


def timeline(conn, user, record, record_id, kinds=None, before=None, limit=20):
    before_at, before_id = before or (None, None)
    return as_user(conn, user, TIMELINE, (record, record_id, kinds, before_at, before_id, limit))


def test_a_deal_timeline_merges_every_kind_newest_first(admin_conn, users, world):
    rows = timeline(admin_conn, users["rep"]["id"], "deal", world["big"])
    # Nov 8 stage change, 5 meeting, 4 note, 3 task (created), 2 call, 1 created in Lead;
    # Sent deck is on the contact and company only, not on the deal
    assert rows == [
        ("stage_change", "Lead → Qualified"), ("meeting", "Demo"), ("note", "Pricing note"),
        ("task", "Send contract"), ("activity", "Intro call"), ("stage_change", "Created in Lead"),
    ]  # fmt: skip


def test_a_company_timeline_shows_only_what_the_reader_may_see(admin_conn, users, world):
    rep_rows = timeline(admin_conn, users["rep"]["id"], "company", world["acme"])
    # the call through the deal counts for Acme; rep2's "Rival call" (Nov 7) is not the rep's to see
    assert [title for _, title in rep_rows] == ["Lead → Qualified", "Sent deck", "Demo", "Pricing note",
                                               "Send contract", "Intro call", "Created in Lead"]  # fmt: skip
    manager_rows = timeline(admin_conn, users["manager"]["id"], "company", world["acme"])
    # their manager reads both reps' rows: the rival call between the stage change and the deck
    assert [title for _, title in manager_rows][:3] == ["Lead → Qualified", "Rival call", "Sent deck"]
    # rep2 sees their own call on Acme only (the company, the deal and the rest are the rep's)
    assert timeline(admin_conn, users["rep2"]["id"], "company", world["acme"]) == [("activity", "Rival call")]


def test_a_contact_timeline_and_the_kind_filter(admin_conn, users, world):
    rows = timeline(admin_conn, users["rep"]["id"], "contact", world["pat"])
    # Pat: the deck (contact_id), the demo (primary contact), Big's stage changes (primary contact)
    assert rows == [("stage_change", "Lead → Qualified"), ("activity", "Sent deck"), ("meeting", "Demo"),
                    ("stage_change", "Created in Lead")]  # fmt: skip
    assert timeline(admin_conn, users["rep"]["id"], "company", world["acme"], ["note"]) == [("note", "Pricing note")]
    assert timeline(admin_conn, users["rep"]["id"], "deal", world["big"], ["meeting", "task"]) == [
        ("meeting", "Demo"), ("task", "Send contract")]  # fmt: skip


def test_pages_follow_each_other_without_gaps_or_repeats(admin_conn, users, world):
    rep = users["rep"]["id"]
    full = as_user(admin_conn, rep, "select kind, title, happened_at, id from crm.record_timeline('company', %s)",
                   (world["acme"],))  # fmt: skip
    seen, before = [], None
    while True:
        page = as_user(admin_conn, rep, "select kind, title, happened_at, id from crm.record_timeline('company', %s, null, %s, %s, 3)",
                       (world["acme"], *(before or (None, None))))  # fmt: skip
        seen += page
        if len(page) < 3:
            break
        before = (page[-1][2], page[-1][3])
    # 7 entries in pages of 3, 3, 1: the same entries in the same order as one page of 20
    assert seen == full and len(full) == 7


def test_bad_arguments_are_refused(admin_conn, users, world):
    import psycopg

    for record, limit in [("user", 20), ("deal", 0), ("deal", 201)]:
        with pytest.raises(psycopg.errors.InvalidParameterValue):
            timeline(admin_conn, users["rep"]["id"], record, world["big"], limit=limit)


ENTRIES = re.compile(r'<li class="timeline-entry" data-kind="(\w+)">.*?<a href="(/\w+/[0-9a-f-]{36})">([^<]+)</a>', re.S)


def test_the_timeline_on_the_page_pages_and_filters(app, client, auth, users):
    from tests.conftest import fetch_as

    rep = users["rep"]["id"]
    deal = fetch_as(app, rep, "insert into crm.deals (name, stage_id, owner_id) values ('Paged', :s, :o) returning id",
                    {"s": LEAD, "o": rep})[0][0]  # fmt: skip
    # 24 calls on the deal, one a day: with the deal's creation, 25 entries, 20 a page
    fetch_as(app, rep, """insert into crm.activities (user_id, type, subject, date, deal_id)
                          select :o, 'call', 'Call ' || lpad(n::text, 2, '0'), '2026-10-01Z'::timestamptz + n * interval '1 day', :d
                          from generate_series(1, 24) n returning 1""", {"o": rep, "d": deal})  # fmt: skip
    auth.login(users["rep"]["email"])
    body = client.get(f"/deals/{deal}").get_data(as_text=True)
    section = body[body.index('id="timeline"'):]
    entries = ENTRIES.findall(section)
    # the creation (now) first, then Call 24 .. Call 06; each entry links to its record
    assert len(entries) == 20 and entries[0][0] == "stage_change" and entries[1][2] == "Call 24"
    assert entries[-1][2] == "Call 06" and entries[1][1].startswith("/activities/")
    older = re.search(r'hx-get="([^"]+)"[^>]*id="timeline-older-link"', section).group(1).replace("&amp;", "&")
    rest = client.get(older, headers={"HX-Request": "true"}).get_data(as_text=True)
    # the older page: Call 05 .. Call 01, and no further "Older"
    assert [e[2] for e in ENTRIES.findall(rest)] == ["Call 05", "Call 04", "Call 03", "Call 02", "Call 01"]
    assert "timeline-older" not in rest and "<html" not in rest
    notes = client.get(f"/deals/{deal}/timeline?kind=note", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert ENTRIES.findall(notes) == [] and "Nothing here yet." in notes
    # someone who may not read the deal gets the 404 of a missing one
    client.post("/logout", data={"csrf_token": auth.csrf_token("/")})
    auth.login(users["rep2"]["email"])
    assert client.get(f"/deals/{deal}/timeline").status_code == 404
