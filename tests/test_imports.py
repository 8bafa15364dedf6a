"""Record imports from the web: upload, column mapping (auto-matched, saved), dry run, per-row errors with line
and column, duplicates (skip, update, create), all or nothing, run as the user under row-level security.

The app imports in the request (LEGACY_IMPORT_INLINE) so the import stays inside the test's rollback: the
same ``runs.execute`` the background thread runs (the browser test drives that one)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from tests.conftest import build_app, fetch_as

FIXTURES = Path(__file__).parent / "fixtures" / "imports"


@pytest.fixture(scope="module")
def app(app_url, users):
    return build_app(app_url, LEGACY_IMPORT_INLINE=True)


@pytest.fixture
def rep(client, auth, users):
    auth.login(users["rep"]["email"])
    return auth.csrf_token("/imports")


def upload(client, token, entity: str, content: bytes, name: str = "file.csv"):
    data = {"csrf_token": token, "entity": entity, "file": (io.BytesIO(content), name)}
    return client.post("/imports", data=data, content_type="multipart/form-data")


def map_url(response) -> str:
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    return response.headers["Location"]


def start(client, token, url: str, mapping: dict[int, str] | None = None, **options):
    """Post the mapping page: the auto-matched selects as the page offers them unless ``mapping`` says."""
    page = client.get(url).get_data(as_text=True)
    options.setdefault("dry_run", True)  # the page's checkbox is ticked
    data = {"csrf_token": token, "duplicates": options.pop("duplicates", "skip")}
    for number, field in re.findall(r'<select name="map-(\d+)"[^>]*>.*?(?:<option value="([a-z_]*)" selected>|</select>)',
                                    page, re.S):  # fmt: skip
        data[f"map-{number}"] = field
    for number, field in (mapping or {}).items():
        data[f"map-{number}"] = field
    data.update({name: "y" for name, on in options.items() if on is True})
    data.update({name: value for name, value in options.items() if isinstance(value, str)})
    response = client.post(url, data=data)
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    return client.get(response.headers["Location"]).get_data(as_text=True)


def run_row(app, users, who="rep", run_id=None):
    """The user's one record import (in a test's transaction every run starts at the same now()), or ``run_id``."""
    rows = fetch_as(app, users[who]["id"], "select status, rows_read, rows_written, rows_reported, report from "
                    "crm.legacy_import_runs where entity is not null and (id = :i or :i is null)", {"i": run_id})  # fmt: skip
    assert len(rows) == 1
    return rows[0]


def names(app, users, table: str, column: str = "name", who="rep"):
    return sorted(r[0] for r in fetch_as(app, users[who]["id"], f"select {column} from crm.{table}"))


def problems(report) -> list[tuple]:
    return [(p["line"], p["column"], p["reason"]) for p in report["problems"]]


# --- companies: HubSpot -----------------------------------------------------------------------------


def test_a_hubspot_company_export_with_a_bad_row_writes_nothing_then_imports_the_valid_rows(app, client, rep, users):
    url = map_url(upload(client, rep, "companies", (FIXTURES / "hubspot_companies.csv").read_bytes(), "hs.csv"))
    page = client.get(url).get_data(as_text=True)
    # the headers were matched without a choice: Company name -> Name, Company Domain Name -> Domain...
    assert re.search(r'data-header="Company name">\s*<option value="">— ignore —</option>.*?<option value="name" selected', page, re.S)
    assert "3 rows" in page
    body = start(client, rep, url, dry_run=False)
    status, read, written, reported, report = run_row(app, users)
    # all or nothing: line 5 (after the blank line 4) has 1,2 employees; the two valid rows are held back
    assert (status, read, written, reported) == ("completed", 3, 0, 1)
    assert problems(report) == [(5, "Number of Employees", "not a whole number")]
    assert report["rows_held_back"] == 2 and names(app, users, "companies") == []
    assert "Nothing was written" in body and 'id="again-commit-skip"' in body
    # import the valid rows, skipping the invalid one: the same file, mapping and options
    run_id = re.search(r'action="/imports/runs/([0-9a-f-]+)/again"', body)[1]
    again = client.post(f"/imports/runs/{run_id}/again", data={"csrf_token": rep, "skip_invalid": "y"})
    assert again.status_code == 303
    status, read, written, reported, report = run_row(app, users, run_id=again.headers["Location"].rsplit("/", 1)[1])
    assert (status, read, written, reported, report["created"]) == ("completed", 3, 2, 1, 2)
    rows = fetch_as(app, users["rep"]["id"], "select name, domain, industry, phone, employee_count, annual_revenue, owner_id "
                    "from crm.companies order by name")  # fmt: skip
    # "www.globex.example" loses its www; "1,500,000" is 1500000; both belong to the importing rep
    assert [tuple(r) for r in rows] == [
        ("Acme Analytics", "acme-analytics.example", "Software", "+1 555 0100", 120, 1500000, users["rep"]["id"]),
        ("Globex", "globex.example", "Energy", None, 45, None, users["rep"]["id"]),
    ]


def test_a_dry_run_reports_what_an_import_would_do_and_writes_nothing(app, client, rep, users):
    content = b"Name,Domain\nAcme,acme.example\nBeta,beta.example\n"
    body = start(client, rep, map_url(upload(client, rep, "companies", content)))  # dry run is the default
    assert "Dry run: nothing was written. An import would create 2, update 0 and skip 0." in body
    assert names(app, users, "companies") == []
    run_id = re.search(r'action="/imports/runs/([0-9a-f-]+)/again"', body)[1]
    client.post(f"/imports/runs/{run_id}/again", data={"csrf_token": rep})
    assert names(app, users, "companies") == ["Acme", "Beta"]


def insert_company(app, users, who, name, domain):
    return fetch_as(app, users[who]["id"], "insert into crm.companies (name, domain, owner_id) values (:n, :d, :o) "
                    "returning id", {"n": name, "d": domain, "o": users[who]["id"]})[0][0]  # fmt: skip


@pytest.mark.parametrize(("duplicates", "expected", "counts"), [
    ("skip", ["Acme Old", "Zeta"], (1, 0, 1)),  # the existing Acme stays; Zeta is new
    ("update", ["Acme New", "Zeta"], (1, 1, 0)),  # the existing Acme takes the file's name
])  # fmt: skip
def test_duplicates_by_domain_are_skipped_or_updated(app, client, rep, users, duplicates, expected, counts):
    insert_company(app, users, "rep", "Acme Old", "acme.example")
    content = b"Company name,Website\nAcme New,https://www.acme.example/\nZeta,zeta.example\n"
    start(client, rep, map_url(upload(client, rep, "companies", content)), dry_run=False, duplicates=duplicates)
    assert names(app, users, "companies") == expected
    report = run_row(app, users)[4]
    assert (report["created"], report["updated"], report["skipped"]) == counts


def test_create_refuses_a_second_company_with_the_same_domain(app, client, rep, users):
    insert_company(app, users, "rep", "Acme Old", "acme.example")
    content = b"Name,Domain\nAcme Again,acme.example\nAcme Twice,ACME.example\n"
    start(client, rep, map_url(upload(client, rep, "companies", content)), dry_run=False, duplicates="create")
    report = run_row(app, users)[4]
    assert problems(report) == [(2, "Domain", "acme.example is already used (it must be unique)"),
                                (3, "Domain", "acme.example is already used (it must be unique)")]  # fmt: skip
    assert names(app, users, "companies") == ["Acme Old"]


def test_a_domain_held_by_a_company_the_user_cannot_see_is_reported_not_leaked(app, client, rep, users):
    """rep2's company is invisible to the rep: the row is refused as a duplicate of a record the rep cannot
    see (the database's unique index), and nothing of rep2's changes."""
    hidden = insert_company(app, users, "rep2", "Secret Co", "secret.example")
    content = b"Name,Domain\nMine,mine.example\nClash,secret.example\n"
    start(client, rep, map_url(upload(client, rep, "companies", content)), dry_run=False, duplicates="update")
    report = run_row(app, users)[4]
    assert problems(report) == [(3, "Domain", "is already used by a record you cannot see (it must be unique)")]
    assert report["rows_held_back"] == 1 and names(app, users, "companies") == []
    assert fetch_as(app, users["admin"]["id"], "select name from crm.companies where id = :i", {"i": hidden}) == [("Secret Co",)]


def test_update_refuses_a_record_the_user_sees_but_may_not_change(app, client, auth, users):
    """The manager sees the rep's company; updating it from a file is refused for that row."""
    insert_company(app, users, "rep", "Rep Co", "rep-co.example")
    auth.login(users["manager"]["email"])
    token = auth.csrf_token("/imports")
    content = b"Name,Domain\nRenamed,rep-co.example\n"
    start(client, token, map_url(upload(client, token, "companies", content)), dry_run=False, duplicates="update")
    report = run_row(app, users, "manager")[4]
    assert problems(report) == [(2, "Domain", "matches a record of another user, which you may not change")]
    assert names(app, users, "companies") == ["Rep Co"]


# --- contacts: Salesforce, Latin-1 and semicolons ------------------------------------------------------------


def test_a_salesforce_contact_export_in_latin1_links_and_creates_companies(app, client, rep, users):
    insert_company(app, users, "rep", "Acme Analytics", "acme-analytics.example")
    url = map_url(upload(client, rep, "contacts", (FIXTURES / "salesforce_contacts.csv").read_bytes()))
    start(client, rep, url, dry_run=False, skip_invalid=True)
    report = run_row(app, users)[4]
    assert problems(report) == [(4, "Email", "not an email address like name@example.com")]
    rows = fetch_as(app, users["rep"]["id"], "select c.first_name, c.last_name, c.email, c.title, co.name from crm.contacts c "
                    "left join crm.companies co on co.id = c.company_id order by c.first_name")  # fmt: skip
    # José links to the existing Acme Analytics; Zoë's Newco GmbH did not exist and was created
    assert [tuple(r) for r in rows] == [
        ("José", "García", "jose.garcia@acme-analytics.example", "CFO", "Acme Analytics"),
        ("Zoë", "Müller", "zoe.mueller@newco.example", "VP Sales", "Newco GmbH"),
    ]
    assert report["companies_created"] == 1


def test_a_full_name_column_is_split(app, client, rep, users):
    content = b"Person - Name,Person - Email\nAda Lovelace King,ada@example.com\nPlato,plato@example.com\n"
    start(client, rep, map_url(upload(client, rep, "contacts", content)), dry_run=False)
    rows = fetch_as(app, users["rep"]["id"], "select first_name, last_name from crm.contacts order by first_name")
    assert [tuple(r) for r in rows] == [("Ada", "Lovelace King"), ("Plato", "")]  # last_name defaults to ""


# --- deals: Pipedrive and Salesforce -------------------------------------------------------------------------


def test_a_pipedrive_deal_export_maps_money_dates_and_stages(app, client, rep, users):
    insert_company(app, users, "rep", "Acme Analytics", "acme-analytics.example")
    fetch_as(app, users["rep"]["id"], "insert into crm.contacts (first_name, email, owner_id) values ('José', "
             "'jose.garcia@acme-analytics.example', :o) returning id", {"o": users["rep"]["id"]})  # fmt: skip
    url = map_url(upload(client, rep, "deals", (FIXTURES / "pipedrive_deals.csv").read_bytes()))
    start(client, rep, url, dry_run=False)
    rows = fetch_as(app, users["rep"]["id"], """
        select d.name, d.value, s.name, d.expected_close_date, co.name, ct.first_name, d.status
        from crm.deals d join crm.deal_stages s on s.id = d.stage_id left join crm.companies co on co.id = d.company_id
        left join crm.contacts ct on ct.id = d.primary_contact_id order by d.name""")
    from datetime import date
    from decimal import Decimal

    assert [tuple(r) for r in rows] == [
        # "1.234,50 €" is 1234.50, "Negotiations Started" our Verbal, 31.03.2026 the 31st of March
        ("Acme renewal", Decimal("1234.50"), "Verbal", date(2026, 3, 31), "Acme Analytics", "José", "active"),
        # "$12,000.00" is 12000, "Closed Won" our Won (closing the deal), 03/01/2026 the 1st of March (US)
        ("Globex expansion", Decimal("12000.00"), "Won", date(2026, 3, 1), "Globex", None, "won"),
        # "EUR 1234", "Proposal Made" is our Opportunity
        ("Newco pilot", Decimal("1234.00"), "Opportunity", date(2026, 4, 15), "Newco GmbH", None, "active"),
    ]


def test_every_bad_cell_is_reported_with_its_line_and_column(app, client, rep, users):
    url = map_url(upload(client, rep, "deals", (FIXTURES / "salesforce_opportunities.csv").read_bytes()))
    start(client, rep, url, dry_run=False)
    report = run_row(app, users)[4]
    assert problems(report) == [
        (3, "Amount", "not an amount like 1234.50, $1,234.50 or 1.234,50 €"),
        (3, "Close Date", "31/31/2026 is not a day of the calendar"),
        (3, "Stage", "unknown stage 'Nowhere' (ours: Lead, Qualified, Opportunity, Verbal, Won, Lost)"),
    ]
    assert (report["rows_invalid"], report["rows_held_back"]) == (1, 2) and names(app, users, "deals") == []


# --- mappings ----------------------------------------------------------------------------------------------


def test_a_saved_mapping_is_offered_again_and_is_the_users_own(app, client, auth, rep, users):
    content = b"Firma,Netz\nAcme,acme.example\n"
    url = map_url(upload(client, rep, "companies", content))
    assert 'value="name" selected' not in client.get(url).get_data(as_text=True)  # German headers: no match
    start(client, rep, url, mapping={0: "name", 1: "domain"}, save_as="German CRM")
    saved = fetch_as(app, users["rep"]["id"], "select name, entity, columns from crm.import_mappings")
    assert [tuple(r) for r in saved] == [("German CRM", "companies", {"Firma": "name", "Netz": "domain"})]
    second = map_url(upload(client, rep, "companies", b"Firma,Netz\nBeta,beta.example\n"))
    mapping_id = fetch_as(app, users["rep"]["id"], "select id from crm.import_mappings")[0][0]
    page = client.get(f"{second}?mapping={mapping_id}").get_data(as_text=True)
    assert 'data-header="Firma">' in page and page.count(" selected>") >= 2
    # rep2 neither sees the mapping nor the rep's runs
    assert fetch_as(app, users["rep2"]["id"], "select count(*) from crm.import_mappings")[0][0] == 0
    assert fetch_as(app, users["rep2"]["id"], "select count(*) from crm.legacy_import_runs")[0][0] == 0


def test_a_mapping_without_a_name_is_refused_on_the_mapping_page(app, client, rep, users):
    url = map_url(upload(client, rep, "companies", b"Foo,Bar\n1,2\n"))
    response = client.post(url, data={"csrf_token": rep, "duplicates": "skip", "map-0": "", "map-1": "domain"})
    assert response.status_code == 200
    assert "Map a column to Name: every row needs one." in response.get_data(as_text=True)
    assert run_row(app, users)[0] == "draft"


def test_an_unreadable_upload_is_refused_before_anything_is_stored(app, client, rep, users):
    response = upload(client, rep, "companies", b"\n\n")
    assert response.status_code == 400 and "The file is empty." in response.get_data(as_text=True)
    assert fetch_as(app, users["rep"]["id"], "select count(*) from crm.legacy_import_runs")[0][0] == 0


def test_lost_deals_get_their_reason_and_updates_keep_the_stage_when_the_file_has_none(app, client, rep, users):
    """A HubSpot-style file: a lost deal with a reason of ours, one with none ("Not recorded"); then a second
    file updates a deal's value only: its stage stays."""
    content = (b"Deal Name,Deal Stage,Amount,Closed Lost Reason\n"
               b"Lost to price,closedlost,100,Price\nLost quietly,Closed Lost,200,\nOpen one,Qualified to buy,300,\n")  # fmt: skip
    start(client, rep, map_url(upload(client, rep, "deals", content)), dry_run=False)
    got = fetch_as(app, users["rep"]["id"], """select d.name, s.name, r.name from crm.deals d join crm.deal_stages s on
                   s.id = d.stage_id left join crm.lost_reasons r on r.id = d.lost_reason_id order by d.name""")  # fmt: skip
    assert [tuple(r) for r in got] == [("Lost quietly", "Lost", "Not recorded"), ("Lost to price", "Lost", "Price"),
                                       ("Open one", "Qualified", None)]  # fmt: skip
    start(client, rep, map_url(upload(client, rep, "deals", b"Deal Name,Amount\nOpen one,350\n")), dry_run=False,
          duplicates="update")  # fmt: skip
    got = fetch_as(app, users["rep"]["id"], "select s.name, d.value from crm.deals d join crm.deal_stages s "
                   "on s.id = d.stage_id where d.name = 'Open one'")  # fmt: skip
    from decimal import Decimal

    assert [tuple(r) for r in got] == [("Qualified", Decimal("350.00"))]


def test_an_unknown_lost_reason_is_reported(app, client, rep, users):
    content = b"Deal Name,Deal Stage,Lost Reason\nGone,Closed Lost,Aliens\n"
    start(client, rep, map_url(upload(client, rep, "deals", content)), dry_run=False)
    report = run_row(app, users)[4]
    assert problems(report) == [(2, "Lost Reason", "unknown lost reason 'Aliens' (ours: Price, Competitor, No budget, "
                                 "No decision, Timing, Not recorded)")]  # fmt: skip


def test_hostile_values_in_every_field_never_answer_5xx(app, client, rep, users):
    from tests.hostile import HOSTILE

    url = map_url(upload(client, rep, "companies", b"Name,Domain\nAcme,acme.example\n"))
    for value in HOSTILE:
        data = {"csrf_token": rep, "entity": value, "file": (io.BytesIO(value.encode("utf-8", "surrogatepass")), value)}
        assert client.post("/imports", data=data, content_type="multipart/form-data").status_code < 500, value
        fields = {"duplicates": value, "save_as": value, "map-0": value, "map-1": value, "dry_run": "y"}
        assert client.post(url, data={"csrf_token": rep, **fields}).status_code < 500, value
        assert client.get(f"{url}?mapping={value}").status_code < 500, value


def test_a_deal_export_with_forecast_categories_imports_them(app, client, rep, users):
    """Open deals take the file's category; a closed deal's ("closed_won", as our export writes it) follows its
    stage and stores the default; a category we do not have is reported on its line."""
    content = (b"Name,Stage,Value,Forecast category\n"
               b"Sure thing,Verbal,5000,Commit\nMaybe,Opportunity,2000,best_case\nDone,Won,1000,closed_won\n")  # fmt: skip
    url = map_url(upload(client, rep, "deals", content))
    start(client, rep, url, dry_run=False)
    rows = fetch_as(app, users["rep"]["id"], "select name, forecast_category, status from crm.deals order by name")
    assert [tuple(r) for r in rows] == [("Done", "pipeline", "won"), ("Maybe", "best_case", "active"),
                                        ("Sure thing", "commit", "active")]  # fmt: skip


def test_an_unknown_forecast_category_is_reported(app, client, rep, users):
    url = map_url(upload(client, rep, "deals", b"Name,Forecast category\nX,upside\n"))
    start(client, rep, url, dry_run=False)
    assert problems(run_row(app, users)[4]) == [(2, "Forecast category", "not a forecast category: pipeline, "
                                                                          "best case or commit")]  # fmt: skip
