"""The duplicate scan and the /admin/duplicates pages: a true pair is listed with its score and reasons, a
sibling pair is not, a dismissed pair stays dismissed, a merge goes through the form and its confirmation and
can be undone, hostile merge input changes nothing, and nobody but admins reaches any of it."""

from __future__ import annotations

import re

import pytest

from dashboard.services import duplicates
from tests.conftest import fetch_as
from tests.test_cli import run_crm
from tests.test_merging import insert, rows


def token(client, path="/admin/duplicates/"):
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True))[1]


def scan(client):
    response = client.post("/admin/duplicates/scan", data={"csrf_token": token(client)})
    assert response.status_code == 302
    return client.get(response.headers["Location"]).get_data(as_text=True)


@pytest.fixture
def world(app, users, db_session):
    """Hand-made records (all the rep's):

    - a true company pair: "The Brightwater Trading Co." (brightwater.com) and "Brightwater Trading Company"
      (website on a subdomain, eu.brightwater.com): the same name once the article and the legal form are set
      aside, and the same organisation's domain -> SAME, score max(1.0, 0.99) = 1.00;
    - a typo pair without domains: "Quillfeather Analytics" / "Quilfeather Analytics": one letter dropped in
      a 12-letter word -> SAME, score 0.9 + 0.08 * ratio("quillfeather analytic", "quilfeather analytic")
      = 0.9 + 0.08 * (2 * 20 / 41) = 0.978;
    - siblings sharing a phone: "Zephyrion Logistics" / "Zephyrion Financial" (+1 555 0199 both): a candidate
      (same phone) whose names differ in a word: not listed;
    - a true contact pair: Dana Whitfield <dana+crm@brightwater.com> and "Whitfield, Dana"
      <dana@mail.brightwater.com>: the same mailbox once the +tag and the mail subdomain are set aside -> 1.00;
    - two people sharing a switchboard number: Morgan Ames / Riley Stone (+1 555 0142): not listed;
    - Avery Quinn three times: at Brightwater, at Zephyrion Logistics, and with neither company nor email. The
      same name at two companies is two people (not listed); the one with nothing to tell it apart could be
      either: possible, capped at 0.65 (below the page's 0.7), twice."""
    rep = users["rep"]["id"]
    ids = {
        "bright": insert(app, users, "companies", name="The Brightwater Trading Co.", domain="brightwater.com",
                         owner_id=rep),
        "bright2": insert(app, users, "companies", name="Brightwater Trading Company",
                          website="https://eu.brightwater.com/en", owner_id=rep),
        "quill": insert(app, users, "companies", name="Quillfeather Analytics", owner_id=rep),
        "quill2": insert(app, users, "companies", name="Quilfeather Analytics", owner_id=rep),
        "zeph_log": insert(app, users, "companies", name="Zephyrion Logistics", phone="+1 555 0199", owner_id=rep),
        "zeph_fin": insert(app, users, "companies", name="Zephyrion Financial", phone="+1 (555) 0199", owner_id=rep),
        "morgan": insert(app, users, "contacts", first_name="Morgan", last_name="Ames", phone="+1 555 0142",
                         owner_id=rep),
        "riley": insert(app, users, "contacts", first_name="Riley", last_name="Stone", phone="+1-555-0142",
                        owner_id=rep),
    }  # fmt: skip
    for key, company in (("avery_b", ids["bright"]), ("avery_z", ids["zeph_log"]), ("avery", None)):
        ids[key] = insert(app, users, "contacts", first_name="Avery", last_name="Quinn", owner_id=rep, company_id=company)
    ids["dana"] = insert(app, users, "contacts", first_name="Dana", last_name="Whitfield",
                         email="dana+crm@brightwater.com", owner_id=rep, company_id=ids["bright"])  # fmt: skip
    ids["dana2"] = insert(app, users, "contacts", first_name="Whitfield, Dana", last_name="",
                          email="dana@mail.brightwater.com", owner_id=rep)  # fmt: skip
    return ids


@pytest.fixture
def admin(app, auth, users, monkeypatch):
    """The admin, logged in; the Scan button scans in the request (not a job: the test's rollback keeps it)."""
    monkeypatch.setitem(app.config, "DUPLICATE_SCAN_INLINE", True)
    auth.login(users["admin"]["email"])


def listed(app, users, kind, *ids):
    """The stored pair of these two records: (score, reasons, status), or None."""
    first, second = sorted(str(i) for i in ids)
    found = rows(app, users, "select score, reasons, status from crm.duplicate_pairs where kind = :k and "
                 "first_id = :a and second_id = :b", k=kind, a=first, b=second)  # fmt: skip
    return (float(found[0][0]), found[0][1], found[0][2]) if found else None


def test_the_scan_lists_true_pairs_with_score_and_reasons_and_never_siblings(app, client, admin, users, world):
    page = scan(client)
    assert listed(app, users, "companies", world["bright"], world["bright2"]) == (1.0, [
        "same domain", "same name once case, punctuation, abbreviations and legal forms are set aside"], "open")
    score, reasons, _ = listed(app, users, "companies", world["quill"], world["quill2"])
    assert score == 0.978 and reasons == ["names differ by a typo (quillfeather / quilfeather)"]
    assert listed(app, users, "companies", world["zeph_log"], world["zeph_fin"]) is None
    # (Dana works at Brightwater, whose domain is her double's email's)
    assert listed(app, users, "contacts", world["dana"], world["dana2"])[:2] == (
        1.0, ["same email address (case, +tag and mail subdomain aside)", "same company domain (brightwater.com)"])
    assert listed(app, users, "contacts", world["morgan"], world["riley"]) is None
    assert listed(app, users, "contacts", world["avery_b"], world["avery_z"]) is None
    for other in ("avery_b", "avery_z"):
        assert listed(app, users, "contacts", world["avery"], world[other]) == (0.65, [
            "same name once order, case, accents and middle initials are set aside",
            "nothing else in common is known (one has no company or email)"], "open")  # fmt: skip
    # the page shows the likely company pairs, best first, with their reasons; never the siblings
    assert page.index("The Brightwater Trading Co.") < page.index("Quillfeather Analytics")
    assert "1.00" in page and "0.98" in page and "same domain" in page and "Zephyrion" not in page
    contacts = client.get("/admin/duplicates/?kind=contacts").get_data(as_text=True)
    assert "Whitfield, Dana" in contacts and "same email address" in contacts and "Riley" not in contacts
    assert "Avery" not in contacts  # possible pairs only
    assert "Avery" in client.get("/admin/duplicates/?kind=contacts&possible=1").get_data(as_text=True)
    # the merge link offers to keep the older record and remove the newer (entered again)
    for older, newer in (("dana", "dana2"), ("dana2", "dana")):
        fetch_as(app, users["admin"]["id"], "update crm.contacts set created_at = now() + interval '1 day' "
                 "where id = :c returning id", {"c": world[newer]})  # fmt: skip
        fetch_as(app, users["admin"]["id"], "update crm.contacts set created_at = now() where id = :c returning id",
                 {"c": world[older]})  # fmt: skip
        page = client.get("/admin/duplicates/?kind=contacts").get_data(as_text=True)
        assert f"survivor={world[older]}&amp;loser={world[newer]}" in page


def test_the_scan_button_queues_a_job_for_a_worker_once(app, client, auth, users, db_session):
    auth.login(users["admin"]["email"])
    first = client.post("/admin/duplicates/scan", data={"csrf_token": token(client)}, follow_redirects=True)
    assert "Scan started: a background worker compares every company and contact" in first.get_data(as_text=True)
    assert 'id="scan-status">A scan is waiting for a worker' in first.get_data(as_text=True)
    again = client.post("/admin/duplicates/scan", data={"csrf_token": token(client)}, follow_redirects=True)
    assert "A scan is already waiting for a worker." in again.get_data(as_text=True)
    # one job waiting (a scan the browser tests ran through the worker may have succeeded before)
    assert rows(app, users, "select queue_name, status::text from crm_jobs.procrastinate_jobs "
                "where task_name = 'duplicate_scan' and status = 'todo'") == [("maintenance", "todo")]  # fmt: skip


def test_a_dismissed_pair_stays_dismissed_after_another_scan(app, client, admin, users, world):
    scan(client)
    [(pair_id,)] = rows(app, users, "select id from crm.duplicate_pairs where :q in (first_id, second_id)", q=world["quill"])
    response = client.post(f"/admin/duplicates/{pair_id}/dismiss", data={"csrf_token": token(client)})
    assert response.status_code == 302
    assert "Quillfeather" not in scan(client)
    assert listed(app, users, "companies", world["quill"], world["quill2"])[2] == "dismissed"


def test_merging_through_the_form_confirmation_then_undo(app, client, admin, users, world):
    kept, gone = world["bright"], world["bright2"]
    deal = insert(app, users, "deals", name="Bright deal", owner_id=users["rep"]["id"], company_id=gone,
                  stage_id=rows(app, users, "select id from crm.deal_stages where name = 'Lead'")[0][0])  # fmt: skip
    form = client.get(f"/admin/duplicates/merge?kind=companies&survivor={kept}&loser={gone}").get_data(as_text=True)
    # side by side: the fields the two differ in (name, domain, website), the removed record's website
    # preselected where the kept one has none; and what will move (1 deal)
    assert 'name="take_name" value="kept" checked' in form and 'name="take_website" value="removed" checked' in form
    assert '<span id="merge-moves">Its 1 deal will move to The Brightwater Trading Co.</span>' in form
    data = {"csrf_token": token(client), "kind": "companies", "survivor": str(kept), "loser": str(gone),
            "take_name": "kept", "take_website": "removed"}  # fmt: skip
    confirmation = client.post("/admin/duplicates/merge", data=data).get_data(as_text=True)
    assert 'name="confirm" value="yes"' in confirmation and "is removed" in confirmation
    assert rows(app, users, "select count(*) from crm.companies where id = :g", g=gone) == [(1,)]  # not yet
    done = client.post("/admin/duplicates/merge", data={**data, "confirm": "yes"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/admin/duplicates/merges")
    assert rows(app, users, "select company_id from crm.deals where id = :d", d=deal) == [(kept,)]
    assert rows(app, users, "select website from crm.companies where id = :k", k=kept) == [("https://eu.brightwater.com/en",)]
    history = client.get("/admin/duplicates/merges").get_data(as_text=True)
    assert "Brightwater Trading Company" in history and "1 deal moved" in history
    [(merge_id,)] = rows(app, users, "select id from crm.record_merges where loser_id = :g", g=gone)
    undone = client.post(f"/admin/duplicates/merges/{merge_id}/undo", data={"csrf_token": token(client)})
    assert undone.status_code == 302
    assert rows(app, users, "select company_id from crm.deals where id = :d", d=deal) == [(gone,)]
    assert rows(app, users, "select website from crm.companies where id = :k", k=kept) == [(None,)]
    again = client.post(f"/admin/duplicates/merges/{merge_id}/undo", data={"csrf_token": token(client)},
                        follow_redirects=True)  # fmt: skip
    assert "This merge was already undone." in again.get_data(as_text=True)


def state(app, users):
    """Everything a merge could change, counted."""
    return rows(app, users, """select (select count(*) from crm.companies), (select count(*) from crm.contacts),
                                      (select count(*) from crm.record_merges), (select count(*) from crm.audit_log)""")


@pytest.mark.parametrize(("survivor", "loser", "kind", "message"), [
    ("bright", "00000000-0000-4000-8000-00000000dead", "companies", "does not exist (any more)"),
    ("bright", "bright", "companies", "a record cannot be merged with itself"),
    ("bright", "dana", "companies", "does not exist (any more)"),  # a contact's id given as a company
    ("bright", "not-a-uuid", "companies", "Choose two records to merge."),
    ("bright", "bright2", "deals", "Not a valid choice"),
    ("bright", "", "companies", "Choose two records to merge."),
])  # fmt: skip
def test_hostile_merge_input_gets_a_clear_error_and_changes_nothing(app, client, admin, users, world, survivor,
                                                                     loser, kind, message):  # fmt: skip
    before = state(app, users)
    data = {"csrf_token": token(client), "kind": kind, "survivor": str(world[survivor]),
            "loser": str(world.get(loser, loser)), "confirm": "yes", "take_name": "removed"}  # fmt: skip
    response = client.post("/admin/duplicates/merge", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True) and "Nothing was merged." in response.get_data(as_text=True)
    assert state(app, users) == before


def test_an_undo_refused_says_why_and_changes_nothing(app, client, admin, users, world):
    task = insert(app, users, "tasks", title="Call Dana", assigned_to=users["rep"]["id"], created_by=users["rep"]["id"],
                  contact_id=world["dana2"])  # fmt: skip
    data = {"csrf_token": token(client), "kind": "contacts", "survivor": str(world["dana"]), "loser": str(world["dana2"]),
            "confirm": "yes"}  # fmt: skip
    assert client.post("/admin/duplicates/merge", data=data).status_code == 302
    fetch_as(app, users["rep"]["id"], "delete from crm.tasks where id = :t returning id", {"t": task})
    [(merge_id,)] = rows(app, users, "select id from crm.record_merges where loser_id = :g", g=world["dana2"])
    page = client.post(f"/admin/duplicates/merges/{merge_id}/undo", data={"csrf_token": token(client)},
                       follow_redirects=True).get_data(as_text=True)  # fmt: skip
    assert "This merge cannot be undone: 1 of the 1 tasks it moved were deleted or changed since." in page
    assert rows(app, users, "select count(*) from crm.contacts where id = :g", g=world["dana2"]) == [(0,)]


@pytest.mark.parametrize("who", ["rep", "manager"])
def test_nobody_but_admins_reaches_the_pages_or_their_writes(app, client, auth, users, world, who):
    auth.login(users[who]["email"])
    csrf = token(client, "/")
    assert client.get("/admin/duplicates/").status_code == 404
    assert client.get("/admin/duplicates/merges").status_code == 404
    assert client.get(f"/admin/duplicates/merge?kind=companies&survivor={world['bright']}&loser={world['bright2']}"
                      ).status_code == 404  # fmt: skip
    assert client.post("/admin/duplicates/scan", data={"csrf_token": csrf}).status_code == 404
    data = {"csrf_token": csrf, "kind": "companies", "survivor": str(world["bright"]), "loser": str(world["bright2"]),
            "confirm": "yes"}  # fmt: skip
    assert client.post("/admin/duplicates/merge", data=data).status_code == 404
    assert rows(app, users, "select count(*) from crm.companies where id = :g", g=world["bright2"]) == [(1,)]
    assert "Duplicates" not in client.get("/").get_data(as_text=True)


def test_the_admin_menu_links_the_page(client, admin):
    assert 'href="/admin/duplicates/"' in client.get("/").get_data(as_text=True)


def test_blocking_keys_meet_on_a_typo_and_not_on_a_sibling_word():
    """One edit in a word leaves one of its parts whole: "quillfeather" (12 letters: k = 4) and "quilfeather"
    (11: k = 3 or 4) share k = 4; their first 8 letters differ ("quillfea" / "quilfeat"), their last 8 do not
    ("lfeather"). The siblings' differing words share no part, and the other word is another "rest"."""
    a, b = duplicates.company_keys("Quillfeather Analytics", None, None, None), duplicates.company_keys(
        "Quilfeather Analytics", None, None, None)  # fmt: skip
    assert "word:0>4lfeather:analytic" in a & b
    siblings = duplicates.company_keys("Zephyrion Logistics", None, None, None) & duplicates.company_keys(
        "Zephyrion Financial", None, None, None)  # fmt: skip
    assert siblings == set()


def test_crm_duplicates_scan_prints_counts_and_time(admin_url):
    from dashboard import pg

    result = run_crm("duplicates", "scan", "--kind", "contacts", env={"DATABASE_URL": pg.libpq_url(admin_url)})
    assert result.returncode == 0, result.stderr
    assert re.match(r"contacts: \d+ records, \d+ candidate pairs compared, \d+ likely and \d+ possible duplicate "
                    r"pairs, \d+\.\d s\ntotal \d+\.\d s\n$", result.stdout)  # fmt: skip
