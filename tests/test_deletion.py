"""Deleting through the app (issue 14, findings 1 and 5): a delete that would cascade into another
rep's rows is refused with the reason and changes nothing; the audit log no longer shows what a
delete removed; and every confirmation states exactly what the database then deletes and unlinks."""

from __future__ import annotations

import html
import re

import pytest

from dashboard.services.deletion import NOUNS
from tests.conftest import execute_as, fetch_as


def insert(app, users, who: str, table: str, **columns):
    """Insert one row acting as ``who`` (under row-level security); its id, if it has one."""
    names = ", ".join(columns)
    values = ", ".join(f":{k}" for k in columns)
    statement = f"insert into crm.{table} ({names}) values ({values})"
    if table in ("activity_meetings", "deal_meetings"):  # composite keys, no id
        return execute_as(app, users[who]["id"], statement, columns)
    return fetch_as(app, users[who]["id"], statement + " returning id", columns)[0][0]


def first_stage(app, users):
    return fetch_as(app, users["rep"]["id"], "select id from crm.deal_stages order by position limit 1")[0][0]


@pytest.fixture
def rep(client, auth, users):
    auth.login(users["rep"]["email"])
    return auth


def stakeholder_on_rep2s_deal(app, users):
    """Rep's contact, a stakeholder (with notes) on rep2's deal, which rep cannot see."""
    contact = insert(app, users, "rep", "contacts", first_name="Shared", last_name="Buyer", owner_id=users["rep"]["id"])
    deal = insert(app, users, "rep2", "deals", name="Rep2 Secret Deal", stage_id=first_stage(app, users),
                  owner_id=users["rep2"]["id"])  # fmt: skip
    stakeholder = insert(app, users, "admin", "deal_stakeholders", deal_id=deal, contact_id=contact,
                         notes="rep2 private notes")  # fmt: skip
    return contact, deal, stakeholder


def test_deleting_own_contact_that_is_a_stakeholder_on_another_reps_deal_is_refused(app, client, rep, users):
    contact, deal, stakeholder = stakeholder_on_rep2s_deal(app, users)
    # the confirmation says why, without naming the deal, and offers no delete button
    page = client.get(f"/contacts/{contact}/delete").get_data(as_text=True)
    assert "This contact cannot be deleted" in page
    assert "This contact is a stakeholder on deals you cannot edit; ask their owner or an admin" in html.unescape(page)
    assert 'id="confirm-delete-button"' not in page and "Rep2 Secret Deal" not in page
    # posting anyway: 409 with the reason; the contact and rep2's stakeholder row stay
    response = client.post(f"/contacts/{contact}/delete", data={"csrf_token": rep.csrf_token("/")})
    body = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 409 and "is a stakeholder on deals you cannot edit" in body
    assert "Rep2 Secret Deal" not in body
    assert fetch_as(app, users["admin"]["id"], "select count(*) from crm.contacts where id = :i", {"i": contact}) == [
        (1,)
    ]
    kept = fetch_as(app, users["admin"]["id"], "select deal_id, notes from crm.deal_stakeholders where id = :i",
                    {"i": stakeholder})  # fmt: skip
    assert kept == [(deal, "rep2 private notes")]


def test_an_admin_may_delete_that_contact(app, client, auth, users):
    contact, _, stakeholder = stakeholder_on_rep2s_deal(app, users)
    auth.login(users["admin"]["email"])
    page = client.get(f"/contacts/{contact}/delete").get_data(as_text=True)
    assert "Deleted with it: 1 stakeholder role." in page and 'id="confirm-delete-button"' in page
    assert client.post(f"/contacts/{contact}/delete", data={"csrf_token": auth.csrf_token("/")}).status_code == 302
    assert fetch_as(app, users["admin"]["id"], "select count(*) from crm.deal_stakeholders where id = :i",
                    {"i": stakeholder}) == [(0,)]  # fmt: skip


def test_moving_a_contact_whose_activities_are_another_reps_is_a_field_error(app, client, rep, users):
    """The relinking trigger would move rep2's activity links: the edit is refused next to the field."""
    old = insert(app, users, "rep", "companies", name="Old Co", owner_id=users["rep"]["id"])
    new = insert(app, users, "rep", "companies", name="New Co", owner_id=users["rep"]["id"])
    contact = insert(app, users, "rep", "contacts", first_name="Moved", last_name="Person",
                     owner_id=users["rep"]["id"], company_id=old)  # fmt: skip
    insert(app, users, "admin", "activities", user_id=users["rep2"]["id"], type="call", contact_id=contact)
    page = client.get(f"/contacts/{contact}/edit").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    form = {"first_name": "Moved", "last_name": "Person", "company_id": str(new), "version": version,
            "csrf_token": rep.csrf_token(f"/contacts/{contact}/edit")}  # fmt: skip
    response = client.post(f"/contacts/{contact}/edit", data=form)
    assert response.status_code == 200
    assert "Other users&#39; activities with this contact are linked to its company" in response.get_data(as_text=True)
    assert fetch_as(app, users["admin"]["id"], "select company_id from crm.contacts where id = :i", {"i": contact}) == [
        (old,)
    ]


def test_after_a_delete_the_deleted_rows_are_not_readable_in_the_audit_log(app, client, rep, users):
    """Finding 1's second half: the deleter could read what the delete removed (notes included)."""
    contact = insert(app, users, "rep", "contacts", first_name="Gone", last_name="Soon", owner_id=users["rep"]["id"])
    deal = insert(app, users, "rep", "deals", name="Own Deal", stage_id=first_stage(app, users),
                  owner_id=users["rep"]["id"])  # fmt: skip
    insert(app, users, "admin", "deal_stakeholders", deal_id=deal, contact_id=contact, notes="whispered notes")
    audit = "select count(*) from crm.audit_log where table_name = :t and row_id = :i"
    # while the contact exists, rep reads the audit row of what rep did to it
    assert fetch_as(app, users["rep"]["id"], audit, {"t": "contacts", "i": contact}) == [(1,)]
    assert client.post(f"/contacts/{contact}/delete", data={"csrf_token": rep.csrf_token("/")}).status_code == 302
    notes = "select count(*) from crm.audit_log where old_values ->> 'notes' = 'whispered notes'"
    # the delete was logged (the admin reads it) ...
    assert fetch_as(app, users["admin"]["id"], notes) == [(1,)]
    # ... but the deleter no longer reads the deleted rows: not the stakeholder's notes, not the contact
    assert fetch_as(app, users["rep"]["id"], notes) == [(0,)]
    assert fetch_as(app, users["rep"]["id"], audit, {"t": "contacts", "i": contact}) == [(0,)]
    # and the deal, still visible, keeps its readable history
    assert fetch_as(app, users["rep"]["id"], audit, {"t": "deals", "i": deal}) == [(1,)]


# --- confirmations against reality ---------------------------------------------------


def rep_world(app, users) -> dict:
    """Rep's company with contacts, a deal, activities, a meeting and tasks, linked every way."""
    me, w = users["rep"]["id"], {}
    w["company"] = insert(app, users, "rep", "companies", name="World Co", owner_id=me)
    w["contact"] = insert(app, users, "rep", "contacts", first_name="Kay", last_name="One", owner_id=me,
                          company_id=w["company"])  # fmt: skip
    w["contact2"] = insert(app, users, "rep", "contacts", first_name="Kay", last_name="Two", owner_id=me,
                           company_id=w["company"])  # fmt: skip
    w["deal"] = insert(app, users, "rep", "deals", name="World Deal", stage_id=first_stage(app, users), owner_id=me,
                       company_id=w["company"], primary_contact_id=w["contact"])  # fmt: skip
    for contact in (w["contact"], w["contact2"]):
        insert(app, users, "admin", "deal_stakeholders", deal_id=w["deal"], contact_id=contact)
    w["activity"] = insert(app, users, "rep", "activities", user_id=me, type="call", details="talked",
                           company_id=w["company"], contact_id=w["contact"], deal_id=w["deal"])  # fmt: skip
    insert(app, users, "rep", "activities", user_id=me, type="email", contact_id=w["contact2"])
    w["meeting"] = insert(app, users, "rep", "meetings", title="World Meeting", starts_at="2026-01-05T10:00Z",
                          owner_id=me, company_id=w["company"], primary_contact_id=w["contact"],
                          primary_deal_id=w["deal"])  # fmt: skip
    # (with an email: an attendee that is only a contact cannot lose it, check_meeting_attendees_contact_or_user)
    insert(app, users, "rep", "meeting_attendees", meeting_id=w["meeting"], contact_id=w["contact"], name="Kay One",
           email="kay@example.com")  # fmt: skip
    insert(app, users, "rep", "deal_meetings", deal_id=w["deal"], meeting_id=w["meeting"])
    insert(app, users, "rep", "activity_meetings", activity_id=w["activity"], meeting_id=w["meeting"])
    insert(app, users, "rep", "meeting_sequences", deal_id=w["deal"], meeting_id=w["meeting"], sequence_number=1)
    insert(app, users, "rep", "contact_interactions", contact_id=w["contact"], user_id=me, meeting_id=w["meeting"],
           interaction_type="meeting", interaction_date="2026-01-05T10:00Z")  # fmt: skip
    w["task"] = insert(app, users, "rep", "tasks", title="World Task", assigned_to=me, created_by=me,
                       company_id=w["company"], contact_id=w["contact"], deal_id=w["deal"],
                       meeting_id=w["meeting"])  # fmt: skip
    insert(app, users, "rep", "tasks", title="World Subtask", assigned_to=me, created_by=me, parent_task_id=w["task"])
    insert(app, users, "rep", "meeting_action_items", meeting_id=w["meeting"], description="send deck",
           task_id=w["task"])  # fmt: skip
    return w


def rows(app, users) -> dict[tuple, dict]:
    """Every row of the tables a confirmation names, as the admin sees them, without bookkeeping and
    score columns (rescoring after a delete is not an unlink)."""
    found = {}
    for table in NOUNS:
        statement = (f"select to_jsonb(t) - app.computed_columns('{table}') - 'updated_at' - 'version'"
                     f" - 'depth' from crm.{table} t")  # fmt: skip
        for (row,) in fetch_as(app, users["admin"]["id"], statement):
            key = row.get("id") or tuple(row.get(k) for k in ("company_id", "deal_id", "activity_id", "meeting_id"))
            found[(table, key)] = row
    return found


def stated(page: str, lead: str) -> dict[str, int]:
    """The "N things" a confirmation lists after ``lead``."""
    match = re.search(re.escape(lead) + r"[^:]*: ([^.]+)\.", html.unescape(page))
    if not match:
        return {}
    return {noun: int(count) for count, noun in (item.split(" ", 1) for item in match.group(1).split(", "))}


def noun(table: str, count: int, what: str) -> str:
    one, several = ("subtask", "subtasks") if (what, table) == ("task", "tasks") else NOUNS[table]
    return one if count == 1 else several


@pytest.mark.parametrize(("what", "key", "url"), [
    ("company", "company", "companies"), ("contact", "contact", "contacts"), ("deal", "deal", "deals"),
    ("meeting", "meeting", "meetings"), ("activity", "activity", "activities"), ("task", "task", "tasks"),
])  # fmt: skip
def test_the_confirmation_states_what_the_delete_then_removes_and_unlinks(app, client, rep, users, what, key, url):
    world = rep_world(app, users)
    page = client.get(f"/{url}/{world[key]}/delete").get_data(as_text=True)
    before = rows(app, users)
    response = client.post(f"/{url}/{world[key]}/delete", data={"csrf_token": rep.csrf_token("/")})
    assert response.status_code == 302
    after = rows(app, users)
    # what disappeared (the record itself aside) and what stayed but changed
    gone, changed = {}, {}
    for (table, row_key), row in before.items():
        if (table, row_key) == (url, str(world[key])):
            continue
        bucket = gone if (table, row_key) not in after else changed if after[(table, row_key)] != row else None
        if bucket is not None:
            bucket[table] = bucket.get(table, 0) + 1
    assert gone or changed, "the world links the record every way"
    assert stated(page, "Deleted with it") == {noun(t, n, what): n for t, n in gone.items()}
    assert stated(page, "Kept, without the link") == {noun(t, n, what): n for t, n in changed.items()}
