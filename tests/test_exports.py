"""CSV exports of every list (``?format=csv``): what the list shows, its filters and sort applied, under
row-level security, formulas neutralised, streamed from a server-side cursor."""

from __future__ import annotations

import csv
import io
import types

import pytest

from tests.conftest import fetch_as, query


def insert(app, users, who, table, **columns):
    names = ", ".join(columns)
    params = ", ".join(f":{k}" for k in columns)
    return fetch_as(app, users[who]["id"], f"insert into crm.{table} ({names}) values ({params}) returning id", columns)[0][0]


def read(response) -> list[dict]:
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")  # Excel reads UTF-8 only with the mark
    return list(csv.DictReader(io.StringIO(body[1:])))


@pytest.fixture
def rep(auth, users):
    auth.login(users["rep"]["email"])
    return auth


def lead(app, users, who):
    return fetch_as(app, users[who]["id"], "select id from crm.deal_stages where name = 'Lead'")[0][0]


# one row per list, for the rep and for rep2 (who must never show up in the rep's file)
ROWS = {
    "companies": ("Name", lambda app, users, who, name: insert(app, users, who, "companies", name=name, owner_id=users[who]["id"])),
    "contacts": ("Last name", lambda app, users, who, name: insert(app, users, who, "contacts", first_name="Pat", last_name=name,
                                                               owner_id=users[who]["id"])),
    "deals": ("Name", lambda app, users, who, name: insert(app, users, who, "deals", name=name, owner_id=users[who]["id"],
                                                       stage_id=lead(app, users, who))),
    "activities": ("Subject", lambda app, users, who, name: insert(app, users, who, "activities", type="call", subject=name,
                                                               user_id=users[who]["id"])),
    "meetings": ("Title", lambda app, users, who, name: insert(app, users, who, "meetings", title=name, owner_id=users[who]["id"],
                                                           starts_at="2999-11-20 10:00+00")),  # upcoming: the default
    "tasks": ("Title", lambda app, users, who, name: insert(app, users, who, "tasks", title=name, assigned_to=users[who]["id"])),
}  # fmt: skip


@pytest.mark.parametrize("entity", sorted(ROWS))
def test_an_export_holds_the_users_rows_and_never_another_reps(app, client, rep, users, entity):
    column, add = ROWS[entity]
    add(app, users, "rep", "Mine one")
    add(app, users, "rep", "Mine two")
    add(app, users, "rep2", "Rep2 secret")
    response = client.get(f"/{entity}?format=csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith(f'attachment; filename="{entity}-')
    names = sorted(row[column] for row in read(response))
    assert names == ["Mine one", "Mine two"]  # rep2's row is not there (RLS: the export runs as the rep)


def test_an_export_follows_the_lists_filters_and_sort(app, client, rep, users):
    stage = lead(app, users, "rep")
    for name, value in [("Small", 100), ("Big", 5000), ("Medium", 1200), ("Tiny", 10)]:
        insert(app, users, "rep", "deals", name=name, owner_id=users["rep"]["id"], stage_id=stage, value=value)
    rows = read(client.get("/deals?min_value=100&sort=value&dir=desc&page=3&format=csv"))
    # value >= 100, largest first; every page (page=3 is ignored: the export is the whole list)
    assert [(r["Name"], r["Value"], r["Stage"]) for r in rows] == [
        ("Big", "5000.00", "Lead"), ("Medium", "1200.00", "Lead"), ("Small", "100.00", "Lead")]  # fmt: skip
    assert [r["Name"] for r in read(client.get("/deals?q=sma&format=csv"))] == ["Small"]


def test_formulas_in_stored_text_are_neutralised(app, client, rep, users):
    insert(app, users, "rep", "companies", name="=HYPERLINK(\"https://evil.example\")", owner_id=users["rep"]["id"],
           industry="+cmd|' /C calc'!A0", phone="@SUM(A1)")  # fmt: skip
    (row,) = read(client.get("/companies?format=csv"))
    assert row["Name"] == "'=HYPERLINK(\"https://evil.example\")"
    assert row["Industry"] == "'+cmd|' /C calc'!A0"
    assert row["Phone"] == "'@SUM(A1)"


def test_the_admin_user_list_exports_for_admins_only(app, client, auth, users):
    auth.login(users["admin"]["email"])
    rows = read(client.get("/admin/users?q=test+rep&format=csv"))
    assert [(r["Name"], r["Email"], r["Role"]) for r in rows] == [
        ("Test Rep", "rep@test.example", "rep"), ("Test Rep2", "rep2@test.example", "rep")]  # fmt: skip
    client.post("/logout", data={"csrf_token": auth.csrf_token("/")})
    auth.login(users["rep"]["email"])
    assert client.get("/admin/users?format=csv").status_code == 404


def test_the_list_page_links_to_its_export_with_its_filters(client, rep):
    body = client.get("/deals?status=active&min_value=5&page=2").get_data(as_text=True)
    assert 'href="/deals?status=active&amp;min_value=5&amp;format=csv" id="export-csv"' in body
    # a list opened without filters shows its default view (open tasks, upcoming meetings): so does its export
    defaults = {"meetings": "when=upcoming&amp;sort=start&amp;dir=asc&amp;", "tasks": "status=open&amp;sort=due&amp;dir=asc&amp;"}
    for entity in ("companies", "contacts", "activities", "meetings", "tasks"):
        link = f'href="/{entity}?{defaults.get(entity, "")}format=csv" id="export-csv"'
        assert link in client.get(f"/{entity}").get_data(as_text=True)


def test_an_export_is_streamed_from_a_server_side_cursor(app, client, rep, users, monkeypatch):
    """3,000 companies in chunks of 500 rows: the body is a generator, and while its first chunk is out the
    query is an open server-side cursor in pg_cursors (rows are fetched BATCH at a time, never all)."""
    monkeypatch.setattr("dashboard.services.exports.BATCH", 700)
    fetch_as(app, users["rep"]["id"], "insert into crm.companies (name, owner_id) select 'Co ' || lpad(n::text, 4, '0'), :o "
             "from generate_series(1, 3000) n returning 1", {"o": users["rep"]["id"]})  # fmt: skip
    response = client.get("/companies?format=csv", buffered=False)
    assert response.is_streamed
    chunks = iter(response.response)
    first = next(chunks)
    assert first.startswith("\ufeffName,Domain".encode())
    assert first.count(b"\r\n") == 1 + 500  # the header and the first 500 rows
    cursors = [statement for (statement,) in query(app, "select statement from pg_cursors")]
    assert any("crm.companies" in statement for statement in cursors)
    rest = b"".join(chunks)
    response.close()
    lines = (first + rest).decode("utf-8-sig").splitlines()
    assert len(lines) == 3001 and lines[1].startswith("Co 0001") and lines[-1].startswith("Co 3000")


def test_the_export_generator_holds_one_chunk(app):
    """The chunk writer empties its buffer after each chunk: what is held is one chunk, not the file."""
    from dashboard.csv_export import chunks

    gen = chunks(["n"], ([n] for n in range(2000)), size=500)
    assert isinstance(gen, types.GeneratorType)
    sizes = [len(chunk) for chunk in gen]
    # header (2 chars + CRLF + BOM) + rows 0..499: 500 rows of 1-3 digits; each later chunk 500 rows of 3-4 digits
    assert len(sizes) == 5 and max(sizes) <= 500 * 6 and sizes[-1] == 0
