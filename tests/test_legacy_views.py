"""The legacy import pages: upload, report, dry run, bad files, failed and interrupted runs, re-runs,
the review queue (one-transaction resolutions, answering twice) and admin-only access.

The app here imports in the request (LEGACY_IMPORT_INLINE) so the import stays inside the test's
rollback; it is the same ``runs.execute`` the background thread runs (the browser test drives that
one). Either way the import runs on the app's crm_app connection under row-level security."""

from __future__ import annotations

import io
import re
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.db import db
from dashboard.legacy import importer
from dashboard.legacy import review as queue
from tests.conftest import build_app, execute_as, fetch_as, present_session, query
from tests.legacy_data import generate

UPLOAD_LIMIT = 200_000
OWNERS = ("admin@test.example", "rep@test.example")
HEADER = ",".join(importer.DEAL_COLUMNS) + "\n"
TABLES = ["companies", "contacts", "deals", "activities", "deal_stakeholders", "legacy_deals", "legacy_activities",
          "legacy_review_items"]  # fmt: skip


@pytest.fixture(scope="module")
def app(app_url, users):
    return build_app(app_url, LEGACY_IMPORT_INLINE=True, LEGACY_UPLOAD_MAX_BYTES=UPLOAD_LIMIT)


@pytest.fixture
def admin(client, auth, users):
    auth.login(users["admin"]["email"])
    return auth.csrf_token("/admin/legacy/")


def counts(app, users) -> dict:
    """Rows per table as the admin sees them (everything)."""
    sql = " union all ".join(f"select '{t}', count(*) from crm.{t}" for t in TABLES)
    return dict(fetch_as(app, users["admin"]["id"], sql))


def runs(app, users) -> list:
    """The runs this test started (its transaction's now(); runs earlier test files committed through the
    job worker are older)."""
    return fetch_as(
        app,
        users["admin"]["id"],
        "select id, status, dry_run, rows_written from crm.legacy_import_runs where started_at >= now() "
        "order by started_at",
    )


def upload(client, token, deals: bytes | None, activities: bytes | None = None, **options):
    data = {"csrf_token": token}
    if deals is not None:
        data["deals"] = (io.BytesIO(deals), "legacy deals.csv")
    if activities is not None:
        data["activities"] = (io.BytesIO(activities), "activities.csv")
    data.update({name: "y" for name, on in options.items() if on})
    return client.post("/admin/legacy/", data=data, content_type="multipart/form-data")


def number(page: str, element_id: str) -> int:
    match = re.search(rf'id="{element_id}">([\d,]+)<', page)
    assert match, element_id
    return int(match.group(1).replace(",", ""))


def run_id_of(response) -> str:
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return response.headers["Location"].rsplit("/", 1)[-1]


# --- upload and report -------------------------------------------------------------------


def test_admin_uploads_a_file_and_sees_the_report(app, client, admin, users):
    deals, activities, truth = generate(seed=5, rows=120, owners=OWNERS, activities_per_deal=0.5, prefix="WV")
    expected = truth.expected()
    before = counts(app, users)
    # the upload page offers the form, with the columns expected
    page = client.get("/admin/legacy/").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and "legacy_id,name,company" in page
    response = upload(client, admin, deals.encode(), activities.encode(), skip_invalid=True)
    run_id = run_id_of(response)
    page = client.get(f"/admin/legacy/runs/{run_id}").get_data(as_text=True)
    # the report shows what happened, with the generator's exact numbers
    assert "Imported:" in page
    assert number(page, "rows-read") == len(truth.rows)
    assert number(page, "rows-written") == expected["written"]
    assert number(page, "rows-invalid") == expected["invalid"]
    assert number(page, "rows-review") == expected["review"]
    assert number(page, "companies-created") == expected["companies_created"] + expected["companies_matched"]
    assert number(page, "contacts-created") == expected["contacts_created"] + expected["contacts_matched"]
    assert number(page, "deals-linked") == expected["deals_linked"]
    # every bad row is listed with line, column and reason
    for line, column in sorted(truth.bad)[:10]:
        assert re.search(rf"<td class=\"num\">{line}</td><td>{re.escape(column)}</td>", page), (line, column)
    # the database holds exactly that, written by the admin's crm_app session under RLS
    after = counts(app, users)
    assert after["deals"] - before["deals"] == expected["written"]
    assert after["companies"] - before["companies"] == expected["companies_created"] + expected["companies_matched"]
    assert after["legacy_review_items"] - before["legacy_review_items"] == expected["review"]
    assert query(app, "select current_user")[0][0] == "crm_app"
    (rid, status, dry_run, written), *_ = runs(app, users)
    assert (str(rid), status, dry_run) == (run_id, "completed", False)
    assert written == expected["written"] + sum(1 for _ in activities.splitlines()[1:])
    # a committed run no longer keeps its files; the run list links to it
    assert fetch_as(app, users["admin"]["id"], "select deals_csv from crm.legacy_import_runs where id = :i",
                    {"i": run_id})[0][0] is None
    listing = client.get("/admin/legacy/").get_data(as_text=True)
    assert f"/admin/legacy/runs/{run_id}" in listing and "committed" in listing


def test_dry_run_writes_nothing_and_can_then_run_for_real(app, client, admin, users):
    deals, _, truth = generate(seed=6, rows=60, owners=OWNERS, prefix="DR")
    before = counts(app, users)
    run_id = run_id_of(upload(client, admin, deals.encode(), dry_run=True, skip_invalid=True))
    page = client.get(f"/admin/legacy/runs/{run_id}").get_data(as_text=True)
    assert "Dry run: nothing was written" in page
    assert number(page, "rows-written") == truth.expected()["written"]  # what an import would write
    assert counts(app, users) == before
    # "Import for real" runs the same file again with the same options, this time committing
    assert 'id="rerun-commit"' in page
    response = client.post(f"/admin/legacy/runs/{run_id}/rerun", data={"csrf_token": admin, "skip_invalid": "y"})
    again = run_id_of(response)
    assert again != run_id
    assert "Imported:" in client.get(f"/admin/legacy/runs/{again}").get_data(as_text=True)
    assert counts(app, users)["deals"] - before["deals"] == truth.expected()["written"]
    # the dry run's file moved to the new run: the dry run cannot be re-run a second time
    refused = client.post(f"/admin/legacy/runs/{run_id}/rerun", data={"csrf_token": admin}, follow_redirects=True)
    assert "no longer kept" in refused.get_data(as_text=True)
    assert len(runs(app, users)) == 2


def test_invalid_rows_stop_the_import_until_skipped(app, client, admin, users):
    deals, _, truth = generate(seed=8, rows=200, owners=OWNERS, prefix="AN")
    assert truth.bad
    before = counts(app, users)
    run_id = run_id_of(upload(client, admin, deals.encode()))
    page = client.get(f"/admin/legacy/runs/{run_id}").get_data(as_text=True)
    # all or nothing: the page says nothing was written and why, and offers to skip the bad rows
    assert "Nothing was written" in page and 'id="rerun-commit-skip"' in page
    assert number(page, "rows-invalid") == truth.expected()["invalid"]
    assert counts(app, users) == before
    response = client.post(f"/admin/legacy/runs/{run_id}/rerun", data={"csrf_token": admin, "skip_invalid": "y"})
    page = client.get(f"/admin/legacy/runs/{run_id_of(response)}").get_data(as_text=True)
    assert "Imported:" in page and number(page, "rows-written") == truth.expected()["written"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"id,name\n1,x\n", "wrong headers (missing legacy_id"),
        (HEADER.encode() + "L-1,Caf\u00e9,Acme,,,,1,Lead,admin@test.example,,\n".encode("latin-1"), "not UTF-8 text"),
        (HEADER.encode("utf-16-le"), "contains NUL bytes"),
        (None, "Choose the legacy deals CSV file"),
        (b"", "The file is empty"),
        (b"   \n", "The file is empty"),
        (HEADER.encode() + b"x" * UPLOAD_LIMIT, "larger than 195 KB"),
    ],
    ids=["wrong-headers", "latin-1", "utf-16", "no-file", "empty", "blank", "too-big"],
)
def test_a_bad_file_gives_a_clear_message_and_writes_nothing(app, client, admin, users, content, message):
    before = counts(app, users)
    response = upload(client, admin, content, dry_run=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page and 'class="field-error"' in page
    assert counts(app, users) == before and runs(app, users) == []


def test_a_too_large_upload_is_refused_before_it_is_read(app, client, admin, users):
    response = upload(client, admin, HEADER.encode() + b"x" * (2 * UPLOAD_LIMIT + 1024 * 1024))
    # 413 with the page and a message, not a bare error
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "The upload is larger than" in page and 'id="upload-form"' in page
    assert runs(app, users) == []


def test_an_activities_file_with_wrong_headers_is_refused(app, client, admin, users):
    deals, _, _ = generate(seed=9, rows=10, owners=OWNERS, prefix="AH")
    response = upload(client, admin, deals.encode(), b"legacy_id,owner\n1,x\n")
    assert "activities.csv: wrong headers" in response.get_data(as_text=True)
    assert runs(app, users) == []


@pytest.mark.parametrize("who", ["rep", "manager"])
def test_reps_and_managers_get_404(app, client, auth, users, who):
    auth.login(users[who]["email"])
    token = auth.csrf_token("/")
    for path in ("/admin/legacy/", "/admin/legacy/review"):
        assert client.get(path).status_code == 404
    deals, _, _ = generate(seed=10, rows=10, owners=OWNERS, prefix="NA")
    assert upload(client, token, deals.encode()).status_code == 404
    assert runs(app, users) == []
    # and no link to it in their navigation
    assert "/admin/legacy" not in client.get("/").get_data(as_text=True)


def test_admins_see_the_navigation_entry(client, admin):
    assert 'href="/admin/legacy/"' in client.get("/").get_data(as_text=True)


# --- failed, interrupted and running runs ------------------------------------------------


def test_a_failing_import_leaves_a_failed_run_and_nothing_else_and_can_be_retried(
    app, client, admin, users, monkeypatch
):
    deals, _, truth = generate(seed=12, rows=40, owners=OWNERS, bad_share=0.0, prefix="FL")
    before = counts(app, users)

    def broken(*args, **kwargs):  # fails after companies, contacts, deals and activities were written
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(importer, "infer_deal_meetings", broken)
    run_id = run_id_of(upload(client, admin, deals.encode()))
    page = client.get(f"/admin/legacy/runs/{run_id}").get_data(as_text=True)
    # the run says it failed, with a reference for the log and no internals; nothing was written
    assert 'data-state="failed"' in page and "The import failed (reference" in page
    assert "disk on fire" not in page and "RuntimeError" not in page
    assert counts(app, users) == before
    monkeypatch.undo()
    retried = run_id_of(client.post(f"/admin/legacy/runs/{run_id}/rerun", data={"csrf_token": admin}))
    page = client.get(f"/admin/legacy/runs/{retried}").get_data(as_text=True)
    assert "Imported:" in page and number(page, "rows-written") == truth.expected()["written"]


def test_an_interrupted_run_shows_as_such_and_is_retried(app, client, admin, users):
    deals, _, truth = generate(seed=13, rows=30, owners=OWNERS, bad_share=0.0, prefix="IR")
    # what a killed import leaves: a running row whose backend no longer exists (pid 0 never does)
    run_id = fetch_as(
        app, users["admin"]["id"],
        """insert into crm.legacy_import_runs (source, file_name, started_by, status, backend_pid, heartbeat_at,
                                               deals_csv, phase)
           values ('upload', 'deals.csv', :a, 'running', 0, now(), :csv, 'writing deals') returning id""",
        {"a": users["admin"]["id"], "csv": deals},
    )[0][0]  # fmt: skip
    page = client.get(f"/admin/legacy/runs/{run_id}").get_data(as_text=True)
    assert 'data-state="interrupted"' in page and "stopped before it finished" in page
    assert "hx-trigger" not in page.split('id="run-status"')[1].split(">")[0]  # no polling of a dead run
    retried = run_id_of(client.post(f"/admin/legacy/runs/{run_id}/rerun", data={"csrf_token": admin}))
    assert "Imported:" in client.get(f"/admin/legacy/runs/{retried}").get_data(as_text=True)
    old = fetch_as(app, users["admin"]["id"], "select status, error from crm.legacy_import_runs where id = :i",
                   {"i": run_id})[0]  # fmt: skip
    assert old[0] == "failed" and "stopped before it finished" in old[1]


def test_a_running_import_is_polled_until_it_ends(app, client, admin, users):
    run_id = fetch_as(
        app, users["admin"]["id"],
        """insert into crm.legacy_import_runs (source, started_by, status, backend_pid, heartbeat_at, phase,
                                               progress_done, progress_total)
           values ('staging', :a, 'running', pg_backend_pid(), now(), 'resolving', 500, 2000) returning id""",
        {"a": users["admin"]["id"]},
    )[0][0]  # fmt: skip
    fragment = client.get(f"/admin/legacy/runs/{run_id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    # htmx gets the status block alone, polling its own URL, with the progress
    assert "<html" not in fragment and 'hx-trigger="every 1s"' in fragment
    assert "Resolving: 500 of 2,000" in fragment and 'aria-valuenow="25"' in fragment
    # a running import cannot be started twice
    refused = client.post(f"/admin/legacy/runs/{run_id}/rerun", data={"csrf_token": admin}, follow_redirects=True)
    assert "still running" in refused.get_data(as_text=True)
    execute_as(app, users["admin"]["id"],
               "update crm.legacy_import_runs set status = 'completed', finished_at = now() where id = :i",
               {"i": run_id})  # fmt: skip
    fragment = client.get(f"/admin/legacy/runs/{run_id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "hx-trigger" not in fragment and 'data-state="completed"' in fragment


def test_staged_rows_are_resolved_from_the_page(app, client, admin, users):
    fetch_as(
        app, users["admin"]["id"],
        """insert into crm.legacy_deals (legacy_id, name, company, contact_name, contact_email, value, stage,
                                         owner_email, source)
           values ('ST-1', 'Staged deal', 'Zephyr Optics, Inc', 'Lee, Ann', 'ann@zephyr-optics.example', '1,000',
                   'lead', 'admin@test.example', 'demo') returning id""",
    )  # fmt: skip
    assert 'id="migrate-staging"' in client.get("/admin/legacy/").get_data(as_text=True)
    response = client.post("/admin/legacy/staging", data={"csrf_token": admin})
    page = client.get(f"/admin/legacy/runs/{run_id_of(response)}").get_data(as_text=True)
    assert "Imported:" in page and number(page, "rows-read") == 1 and number(page, "companies-created") == 1


# --- the review queue --------------------------------------------------------------------


@pytest.fixture
def queued(app, client, admin, users):
    """An import that queued three rows: a fuzzy grey-zone name, two equal candidates, nothing to go on."""
    owner = users["admin"]["id"]
    for name, domain in [("Harborview Analytics", "harborview.example"), ("Stonegate Logistics", None),
                         ("Stonegate Logistics Group", "stonegate-group.example")]:  # fmt: skip
        fetch_as(app, owner, "insert into crm.companies (name, domain, owner_id) values (:n, :d, :o) returning id",
                 {"n": name, "d": domain, "o": owner})  # fmt: skip
    body = (
        "GZ-1,Grey deal,Harbourvue Analitics,Ann Lee,,,10,Lead,rep@test.example,,\n"
        "GZ-3,Twin deal,STONEGATE LOGISTICS LTD,Cy Dee,,,10,Lead,admin@test.example,,\n"
        "GZ-4,Bare deal,,,,,10,Lead,admin@test.example,,\n"
    )
    run_id_of(upload(client, admin, (HEADER + body).encode()))
    items = fetch_as(
        app, owner,
        """select l.legacy_id, r.id, l.deal_id from crm.legacy_review_items r
           join crm.legacy_deals l on l.id = r.legacy_deal_id where r.status = 'pending'""",
    )  # fmt: skip
    return {legacy_id: (item_id, deal_id) for legacy_id, item_id, deal_id in items}


def company_id(app, users, name):
    return fetch_as(app, users["admin"]["id"], "select id from crm.companies where name = :n", {"n": name})[0][0]


def test_resolving_a_review_item_links_the_deal_and_removes_it_from_the_queue(app, client, admin, users, queued):
    assert set(queued) == {"GZ-1", "GZ-3", "GZ-4"}
    item_id, deal_id = queued["GZ-1"]
    listing = client.get("/admin/legacy/review").get_data(as_text=True)
    assert "GZ-1" in listing and "fuzzy uncertain" in listing and "Harborview Analytics" in listing
    page = client.get(f"/admin/legacy/review/{item_id}").get_data(as_text=True)
    harborview = company_id(app, users, "Harborview Analytics")
    # the suggestion is offered with its score, and so are a new company and the row's contact
    assert f'value="{harborview}"' in page and "Harborview Analytics (match" in page
    assert "A new contact: Ann Lee" in page
    before = counts(app, users)
    response = client.post(f"/admin/legacy/review/{item_id}", data={"csrf_token": admin, "company": str(harborview),
                                                                   "contact": "new"})  # fmt: skip
    assert response.status_code == 303
    # the deal has its company and a new contact (owned by the deal's owner) as decision maker
    deal = fetch_as(
        app, users["admin"]["id"],
        """select d.company_id, c.first_name, c.last_name, c.company_id, c.owner_id, s.role, l.company_link, l.contact_link
           from crm.deals d join crm.contacts c on c.id = d.primary_contact_id
           join crm.deal_stakeholders s on s.deal_id = d.id and s.contact_id = c.id
           join crm.legacy_deals l on l.deal_id = d.id where d.id = :d""",
        {"d": deal_id},
    )  # fmt: skip
    assert deal == [(harborview, "Ann", "Lee", harborview, users["rep"]["id"], "decision_maker", "manual", "manual")]
    after = counts(app, users)
    assert after["contacts"] - before["contacts"] == 1 and after["companies"] == before["companies"]
    # it left the queue, and its page says who resolved it
    listing = client.get("/admin/legacy/review").get_data(as_text=True)
    assert f'id="item-{item_id}"' not in listing and f'id="item-{queued["GZ-3"][0]}"' in listing
    page = client.get(f"/admin/legacy/review/{item_id}").get_data(as_text=True)
    assert "Linked to" in page and "Harborview Analytics" in page and "Test Admin" in page

    # answering again (a double submit, a second admin) changes nothing and says so
    again = client.post(f"/admin/legacy/review/{item_id}", data={"csrf_token": admin, "company": "new",
                                                                "new_company_name": "Other Co", "contact": "new"},
                        follow_redirects=True)  # fmt: skip
    assert "already answered" in again.get_data(as_text=True)
    assert counts(app, users) == after
    assert fetch_as(app, users["admin"]["id"], "select company_id from crm.deals where id = :d", {"d": deal_id}) == [
        (harborview,)
    ]


def test_a_new_company_or_another_existing_one(app, client, admin, users, queued):
    twin_item, twin_deal = queued["GZ-3"]
    bare_item, bare_deal = queued["GZ-4"]
    # a new company needs a name
    response = client.post(f"/admin/legacy/review/{twin_item}", data={"csrf_token": admin, "company": "new",
                                                                     "new_company_name": " ", "contact": "none"})  # fmt: skip
    assert "Enter a name for the new company." in response.get_data(as_text=True)
    client.post(f"/admin/legacy/review/{twin_item}", data={"csrf_token": admin, "company": "new",
                                                          "new_company_name": "Stonegate Logistics Ltd (UK)", "contact": "new"})  # fmt: skip
    created = fetch_as(app, users["admin"]["id"],
                       "select c.name, c.owner_id from crm.deals d join crm.companies c on c.id = d.company_id where d.id = :d",
                       {"d": twin_deal})  # fmt: skip
    assert created == [("Stonegate Logistics Ltd (UK)", users["admin"]["id"])]
    # another existing company, by domain; an unknown one is refused with a message
    response = client.post(f"/admin/legacy/review/{bare_item}", data={"csrf_token": admin, "company": "other",
                                                                     "other_company": "nope.example", "contact": "none"})  # fmt: skip
    assert "No company is named" in response.get_data(as_text=True)
    client.post(f"/admin/legacy/review/{bare_item}", data={"csrf_token": admin, "company": "other",
                                                          "other_company": "Harborview.example", "contact": "none"})  # fmt: skip
    assert fetch_as(app, users["admin"]["id"], "select company_id from crm.deals where id = :d", {"d": bare_deal}) == [
        (company_id(app, users, "Harborview Analytics"),)
    ]
    listing = client.get("/admin/legacy/review").get_data(as_text=True)
    assert f'id="item-{twin_item}"' not in listing and f'id="item-{bare_item}"' not in listing


@pytest.mark.parametrize("step", ["claim", "company", "contact", "deal", "links"])
def test_a_resolution_is_all_or_nothing(app, db_session, users, queued, step):
    item_id, deal_id = queued["GZ-1"]
    before = counts(app, users)

    def fail(at):
        if at == step:
            raise RuntimeError(f"failure after {at}")

    with app.test_request_context():
        present_session(db.session, users["admin"]["id"])
        with pytest.raises(RuntimeError):
            queue.resolve(db.session, item_id, users["admin"]["id"], company="new", new_company_name="Half Co",
                          contact="new", fail_after=fail)  # fmt: skip
        db.session.rollback()
    # a failure after any write leaves nothing: no company, no contact, the deal and the item unchanged
    assert counts(app, users) == before
    state = fetch_as(app, users["admin"]["id"],
                     """select r.status, d.company_id, d.primary_contact_id from crm.legacy_review_items r
                        join crm.legacy_deals l on l.id = r.legacy_deal_id join crm.deals d on d.id = l.deal_id
                        where r.id = :i""", {"i": item_id})  # fmt: skip
    assert state == [("pending", None, None)]


def test_skipping_a_review_item_asks_first(app, client, admin, users, queued):
    item_id, deal_id = queued["GZ-4"]
    page = client.get(f"/admin/legacy/review/{item_id}/dismiss").get_data(as_text=True)
    assert "Skip this row?" in page and 'id="confirm-dismiss-button"' in page
    assert fetch_as(app, users["admin"]["id"], "select status from crm.legacy_review_items where id = :i",
                    {"i": item_id}) == [("pending",)]  # fmt: skip
    client.post(f"/admin/legacy/review/{item_id}/dismiss", data={"csrf_token": admin})
    assert fetch_as(app, users["admin"]["id"], "select status from crm.legacy_review_items where id = :i",
                    {"i": item_id}) == [("dismissed",)]  # fmt: skip
    again = client.post(f"/admin/legacy/review/{item_id}/dismiss", data={"csrf_token": admin}, follow_redirects=True)
    assert "already answered" in again.get_data(as_text=True)
    assert fetch_as(app, users["admin"]["id"], "select company_id from crm.deals where id = :d", {"d": deal_id}) == [
        (None,)
    ]


def test_the_resolve_form_never_answers_5xx(app, client, admin, users, queued):
    item_id, _ = queued["GZ-3"]
    path = f"/admin/legacy/review/{item_id}"
    fields = ["company", "new_company_name", "other_company", "contact"]
    values = st.one_of(
        st.text(max_size=30),
        st.sampled_from(["new", "other", "keep", "none", "\x00", "x" * 5000, str(uuid.uuid4()), "=cmd|' /C calc'!A0"]),
    )

    @settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(st.fixed_dictionaries({}, optional={name: values for name in fields}))
    def post(data):
        response = client.post(path, data={"csrf_token": admin, **data})
        assert response.status_code < 500, (data, response.status_code)
        assert "Traceback" not in response.get_data(as_text=True)

    post()
