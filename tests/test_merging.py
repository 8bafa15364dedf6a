"""Merging two companies or contacts and undoing it (dashboard/services/merging.py, merge_undo.py), at the
database: every reference moves, the chosen fields win, the audit log has the merge, the undo restores
exactly, and an undo that can no longer be clean is refused."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from flask import g

from dashboard.db import db
from dashboard.services import merge_undo, merging
from tests.conftest import fetch_as, session_token


def insert(app, users, table, who="admin", **columns):
    names = ", ".join(columns)
    params = ", ".join(f":{k}" for k in columns)
    sql = f"insert into crm.{table} ({names}) values ({params}) returning id"
    return fetch_as(app, users[who]["id"], sql, columns)[0][0]


def rows(app, users, sql, **params):
    return [tuple(r) for r in fetch_as(app, users["admin"]["id"], sql, params)]


def as_admin(app, users, action):
    """Run a service call in one transaction acting as the admin, committed (into the test's rollback)."""
    with app.test_request_context():
        g.session_token = session_token(users["admin"]["id"])  # presented by every transaction and savepoint
        try:
            result = action()
            kept = SimpleNamespace(id=result.id, snapshot=result.snapshot)  # readable after the commit
            db.session.commit()
            return kept
        except merging.MergeRefused:
            db.session.rollback()
            raise


def stage(app, users):
    return rows(app, users, "select id from crm.deal_stages where name = 'Lead'")[0][0]


def company_refs(app, users, company_id):
    """How many rows of each table name the company."""
    counts = {}
    for table in ("deals", "contacts", "activities", "meetings", "tasks", "company_activities"):
        counts[table] = rows(app, users, f"select count(*) from crm.{table} where company_id = :c", c=company_id)[0][0]
    return counts


@pytest.fixture
def companies(app, users, db_session):
    """Two companies that are one: Acme Logistics (kept) and ACME Logistics Inc (merged into it).

    The loser has 1 deal, 1 contact, 2 activities, 1 meeting, 1 task; activity links: its 2 activities'
    direct links, a manual link to an activity of the survivor's (which the survivor has too: removed, not
    moved) and a legacy link to an activity without a company (moved)."""
    rep = users["rep"]["id"]
    s = insert(app, users, "companies", name="Acme Logistics", domain="acme.com", owner_id=rep)
    lo = insert(app, users, "companies", name="ACME Logistics Inc", domain="acme-logistics.com", owner_id=rep,
                industry="Freight", phone="+1 555 0100")  # fmt: skip
    ids = {"s": s, "l": lo}
    ids["contact"] = insert(app, users, "contacts", first_name="Lou", last_name="Loser", owner_id=rep, company_id=lo)
    ids["deal"] = insert(app, users, "deals", name="L deal", stage_id=stage(app, users), owner_id=rep, company_id=lo)
    ids["s_deal"] = insert(app, users, "deals", name="S deal", stage_id=stage(app, users), owner_id=rep, company_id=s)
    ids["a1"] = insert(app, users, "activities", user_id=rep, type="call", company_id=lo)
    ids["a2"] = insert(app, users, "activities", user_id=rep, type="email", company_id=lo, contact_id=ids["contact"])
    ids["a3"] = insert(app, users, "activities", user_id=rep, type="call", company_id=s)
    ids["a4"] = insert(app, users, "activities", user_id=rep, type="note")
    fetch_as(app, users["admin"]["id"], """insert into crm.company_activities (company_id, activity_id, link_source)
             values (:l, :a3, 'manual'), (:l, :a4, 'legacy') returning company_id""", ids)  # fmt: skip
    ids["meeting"] = insert(app, users, "meetings", title="L meeting", starts_at="2026-12-01T10:00Z", owner_id=rep,
                            company_id=lo)  # fmt: skip
    ids["task"] = insert(app, users, "tasks", title="L task", assigned_to=rep, created_by=rep, company_id=lo)
    return ids


def test_merging_a_company_moves_every_reference_takes_the_chosen_fields_and_is_audited(app, users, companies):
    s, lo = companies["s"], companies["l"]
    # before: the loser has deals 1, contacts 1, activities 2, meetings 1, tasks 1, and 4 activity links
    # (a1, a2 direct, a3 manual, a4 legacy); the survivor 1 deal, 1 activity (a3, direct link)
    assert company_refs(app, users, lo) == {"deals": 1, "contacts": 1, "activities": 2, "meetings": 1, "tasks": 1,
                                            "company_activities": 4}  # fmt: skip
    assert company_refs(app, users, s) == {"deals": 1, "contacts": 0, "activities": 1, "meetings": 0, "tasks": 0,
                                           "company_activities": 1}  # fmt: skip
    done = as_admin(app, users, lambda: merging.merge("companies", s, lo, ["industry", "phone"], users["admin"]["id"]))
    # after: everything on the survivor -- deals 1 + 1, contacts 0 + 1, activities 1 + 2, meetings 1, tasks 1;
    # activity links: a3 (its own direct link; the loser's manual link to a3 is removed), a1 and a2 (the trigger
    # relinks moved activities), a4 (moved): 4
    assert company_refs(app, users, s) == {"deals": 2, "contacts": 1, "activities": 3, "meetings": 1, "tasks": 1,
                                           "company_activities": 4}  # fmt: skip
    assert rows(app, users, "select count(*) from crm.companies where id = :l", l=lo) == [(0,)]
    assert rows(app, users, "select name, domain, industry, phone from crm.companies where id = :s", s=s) == [
        ("Acme Logistics", "acme.com", "Freight", "+1 555 0100")]  # fmt: skip
    assert done.snapshot["removed"]["company_activities"][0]["activity_id"] == str(companies["a3"])
    assert done.snapshot["moved"]["company_activities.company_id"] == [str(companies["a4"])]
    # the audit log has the merge (who, which records) in the transaction that moved the rows
    [(actor, values, tx_rows)] = rows(app, users, """
        select a.actor_id, a.new_values, (select count(*) from crm.audit_log b where b.transaction_id = a.transaction_id
                                           and b.table_name = 'deals' and b.row_id = :deal and b.action = 'update')
        from crm.audit_log a where a.table_name = 'record_merges' and a.action = 'insert' and a.row_id = :merge""",
        deal=companies["deal"], merge=done.id)  # fmt: skip
    assert actor == users["admin"]["id"] and values["loser_id"] == str(lo) and values["survivor_id"] == str(s)
    assert tx_rows == 1
    assert merging.summary("companies", done.snapshot)[:2] == ["1 deal moved", "1 contact moved"]


def test_undoing_a_company_merge_restores_the_loser_and_moves_exactly_its_rows_back(app, users, companies):
    s, lo = companies["s"], companies["l"]
    before = rows(app, users, "select to_jsonb(c) - 'updated_at' from crm.companies c where id in (:s, :l) order by name",
                  s=s, l=lo)  # fmt: skip
    done = as_admin(app, users, lambda: merging.merge("companies", s, lo, ["industry"], users["admin"]["id"]))
    as_admin(app, users, lambda: merge_undo.undo(done.id, users["admin"]["id"]))
    after = rows(app, users, "select to_jsonb(c) - 'updated_at' from crm.companies c where id in (:s, :l) order by name",
                 s=s, l=lo)  # fmt: skip
    # every field is as it was but the survivor's version (merge, undo) and the scores (recomputed)
    derived = {"version", "engagement_score", "lead_score", "last_engagement_date"}
    assert [{k: v for k, v in r[0].items() if k not in derived} for r in after] == [
        {k: v for k, v in r[0].items() if k not in derived} for r in before]  # fmt: skip
    assert company_refs(app, users, lo) == {"deals": 1, "contacts": 1, "activities": 2, "meetings": 1, "tasks": 1,
                                            "company_activities": 4}  # fmt: skip
    assert company_refs(app, users, s) == {"deals": 1, "contacts": 0, "activities": 1, "meetings": 0, "tasks": 0,
                                           "company_activities": 1}  # fmt: skip
    assert rows(app, users, "select link_source from crm.company_activities where company_id = :l and activity_id = :a",
                l=lo, a=companies["a3"]) == [("manual",)]  # fmt: skip
    assert rows(app, users, "select undone_by is not null from crm.record_merges where id = :m", m=done.id) == [(True,)]
    with pytest.raises(merging.MergeRefused, match="already undone"):
        as_admin(app, users, lambda: merge_undo.undo(done.id, users["admin"]["id"]))


def test_an_undo_is_refused_when_a_moved_record_was_deleted_since(app, users, companies):
    done = as_admin(app, users, lambda: merging.merge("companies", companies["s"], companies["l"], (), users["admin"]["id"]))
    fetch_as(app, users["admin"]["id"], "delete from crm.tasks where id = :t returning id", {"t": companies["task"]})
    with pytest.raises(merging.MergeRefused, match="1 of the 1 tasks it moved were deleted or changed since"):
        as_admin(app, users, lambda: merge_undo.undo(done.id, users["admin"]["id"]))
    # nothing changed: the loser is still gone, the merge not undone
    assert rows(app, users, "select count(*) from crm.companies where id = :l", l=companies["l"]) == [(0,)]
    assert rows(app, users, "select undone_at from crm.record_merges where id = :m", m=done.id) == [(None,)]


def test_an_undo_is_refused_when_the_survivor_field_it_wrote_was_edited(app, users, companies):
    done = as_admin(app, users, lambda: merging.merge("companies", companies["s"], companies["l"], ["phone"],
                                                      users["admin"]["id"]))  # fmt: skip
    fetch_as(app, users["rep"]["id"], "update crm.companies set phone = '+1 555 9999' where id = :s returning id",
             {"s": companies["s"]})  # fmt: skip
    with pytest.raises(merging.MergeRefused, match="kept company's phone changed since"):
        as_admin(app, users, lambda: merge_undo.undo(done.id, users["admin"]["id"]))


@pytest.fixture
def contacts(app, users, db_session):
    """Pat (kept, pat@acme.com) and Pat Q (merged, pq@acme.com, a phone). Both are stakeholders of deal D and
    attendees of meeting M (the loser's rows there are removed, not moved); the loser alone is a stakeholder
    of deal E (moved), E's primary contact, an attendee of N, on one activity and one logged call.
    D's stakeholder map says X reports to the loser and the loser to Pat."""
    rep, lead = users["rep"]["id"], stage(app, users)
    ids = {"p": insert(app, users, "contacts", first_name="Pat", last_name="Lee", email="pat@acme.com", owner_id=rep),
           "q": insert(app, users, "contacts", first_name="Pat", last_name="Lee", email="pq@acme.com", owner_id=rep,
                       phone="+1 555 0101"),
           "x": insert(app, users, "contacts", first_name="Xavier", owner_id=rep)}  # fmt: skip
    ids["d"] = insert(app, users, "deals", name="D", stage_id=lead, owner_id=rep)
    ids["e"] = insert(app, users, "deals", name="E", stage_id=lead, owner_id=rep, primary_contact_id=ids["q"])
    for deal, contact in (("d", "p"), ("d", "q"), ("d", "x"), ("e", "q")):
        insert(app, users, "deal_stakeholders", deal_id=ids[deal], contact_id=ids[contact])
    mapping = {"reports_to": {str(ids["x"]): str(ids["q"]), str(ids["q"]): str(ids["p"])}}
    fetch_as(app, users["admin"]["id"], "update crm.deals set stakeholder_mapping = cast(:m as jsonb) where id = :d "
             "returning id", {"m": json.dumps(mapping), "d": ids["d"]})  # fmt: skip
    ids["m"] = insert(app, users, "meetings", title="M", starts_at="2026-12-01T10:00Z", owner_id=rep)
    ids["n"] = insert(app, users, "meetings", title="N", starts_at="2026-12-02T10:00Z", owner_id=rep)
    for meeting, contact, name in (("m", "p", "Pat"), ("m", "q", "Pat Q"), ("n", "q", "Pat Q")):
        insert(app, users, "meeting_attendees", meeting_id=ids[meeting], contact_id=ids[contact], name=name)
    ids["a"] = insert(app, users, "activities", user_id=rep, type="call", contact_id=ids["q"])
    ids["i"] = insert(app, users, "contact_interactions", contact_id=ids["q"], user_id=rep, interaction_type="call",
                      interaction_date="2026-12-01T09:00Z")  # fmt: skip
    return ids


def contact_refs(app, users, contact_id):
    tables = {"deals": "primary_contact_id", "activities": "contact_id", "deal_stakeholders": "contact_id",
              "meeting_attendees": "contact_id", "contact_interactions": "contact_id"}  # fmt: skip
    return {t: rows(app, users, f"select count(*) from crm.{t} where {c} = :c", c=contact_id)[0][0] for t, c in tables.items()}


def test_merging_contacts_keeps_one_row_per_unique_pair_and_rewrites_the_stakeholder_map(app, users, contacts):
    p, q = contacts["p"], contacts["q"]
    # before: the loser is E's primary contact (1), on 1 activity, stakeholder of D and E (2), attendee of M and
    # N (2), with 2 interactions (the activity's, made by the trigger, and the logged call)
    assert contact_refs(app, users, q) == {"deals": 1, "activities": 1, "deal_stakeholders": 2, "meeting_attendees": 2,
                                           "contact_interactions": 2}  # fmt: skip
    done = as_admin(app, users, lambda: merging.merge("contacts", p, q, ["email", "phone"], users["admin"]["id"]))
    # after: Pat has E (1), the activity (1), D and E once each (2: the loser's D row removed), M and N once each
    # (2: the loser's M row removed), both interactions (2)
    assert contact_refs(app, users, p) == {"deals": 1, "activities": 1, "deal_stakeholders": 2, "meeting_attendees": 2,
                                           "contact_interactions": 2}  # fmt: skip
    assert sorted(done.snapshot["removed"]) == ["deal_stakeholders", "meeting_attendees"]
    # the loser's email goes to the survivor once the loser is gone (emails are unique)
    assert rows(app, users, "select email, phone from crm.contacts where id = :p", p=p) == [("pq@acme.com", "+1 555 0101")]
    # X now reports to Pat; "the loser reports to Pat" would be Pat reporting to herself: gone
    [(mapping,)] = rows(app, users, "select stakeholder_mapping from crm.deals where id = :d", d=contacts["d"])
    assert mapping == {"reports_to": {str(contacts["x"]): str(p)}}

    as_admin(app, users, lambda: merge_undo.undo(done.id, users["admin"]["id"]))
    assert contact_refs(app, users, q) == {"deals": 1, "activities": 1, "deal_stakeholders": 2, "meeting_attendees": 2,
                                           "contact_interactions": 2}  # fmt: skip
    assert contact_refs(app, users, p)["deal_stakeholders"] == 1 and contact_refs(app, users, p)["meeting_attendees"] == 1
    assert rows(app, users, "select email from crm.contacts where id in (:p, :q) order by email", p=p, q=q) == [
        ("pat@acme.com",), ("pq@acme.com",)]  # fmt: skip
    [(mapping,)] = rows(app, users, "select stakeholder_mapping from crm.deals where id = :d", d=contacts["d"])
    assert mapping == {"reports_to": {str(contacts["x"]): str(q), str(q): str(p)}}


def test_an_undo_is_refused_when_another_contact_took_the_email(app, users, contacts):
    done = as_admin(app, users, lambda: merging.merge("contacts", contacts["p"], contacts["q"], (), users["admin"]["id"]))
    insert(app, users, "contacts", first_name="New", email="pq@acme.com", owner_id=users["rep"]["id"])
    with pytest.raises(merging.MergeRefused, match="another contact has the removed contact's email"):
        as_admin(app, users, lambda: merge_undo.undo(done.id, users["admin"]["id"]))


def test_a_merge_of_a_record_with_itself_or_a_missing_one_is_refused(app, users, contacts):
    with pytest.raises(merging.MergeRefused, match="cannot be merged with itself"):
        as_admin(app, users, lambda: merging.merge("contacts", contacts["p"], contacts["p"]))
    with pytest.raises(merging.MergeRefused, match="does not exist"):
        as_admin(app, users, lambda: merging.merge("contacts", contacts["p"], contacts["d"]))  # a deal's id
    assert contact_refs(app, users, contacts["q"])["deal_stakeholders"] == 2


def test_every_foreign_key_to_companies_and_contacts_is_handled_by_the_merge(admin_conn):
    """A new foreign key to companies or contacts fails here until the merge moves (or drops) its rows."""
    found = admin_conn.execute("""
        select c.confrelid::regclass::text, c.conrelid::regclass::text || '.' || a.attname
        from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
        where c.contype = 'f' and c.confrelid in ('crm.companies'::regclass, 'crm.contacts'::regclass)""").fetchall()
    for kind in ("companies", "contacts"):
        catalog = {ref.removeprefix("crm.") for target, ref in found if target == f"crm.{kind}"}
        handled = {r.name for r in merging.REFERENCES[kind]} | set(merging.DROPPED[kind])
        assert catalog == handled, kind
