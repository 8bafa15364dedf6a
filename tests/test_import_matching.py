"""The record import finds duplicates and links with dashboard.matching's rules (hand-made files; each row's
expected fate in a comment)."""

from __future__ import annotations

from tests.conftest import fetch_as
from tests.test_imports import app, insert_company, map_url, names, rep, run_row, start, upload  # noqa: F401


def test_company_duplicates_by_org_domain_name_key_and_typo_but_not_siblings(app, client, rep, users):  # noqa: F811
    insert_company(app, users, "rep", "Acme Logistics Inc", "acme-logistics.example")
    content = (b"Name,Domain\n"
               b"The Acme Logistics Co.,\n"  # The + Co.: the existing company (skipped)
               b"Acme Logistcs,\n"  # a typo: the same (skipped)
               b"ACME LOGISTICS,mail.acme-logistics.example\n"  # the organisation's domain (skipped)
               b"Acme Financial,\n"  # a sibling: another company (created)
               b"Acme Financial Ltd,\n")  # the file's own Acme Financial again (skipped)  # fmt: skip
    start(client, rep, map_url(upload(client, rep, "companies", content)), dry_run=False)
    report = run_row(app, users)[4]
    assert (report["created"], report["updated"], report["skipped"]) == (1, 0, 4)
    assert names(app, users, "companies") == ["Acme Financial", "Acme Logistics Inc"]


def test_contact_duplicates_by_mailbox_and_by_name_at_the_company(app, client, rep, users):  # noqa: F811
    company = insert_company(app, users, "rep", "Kestrel Media", "kestrel.example")
    fetch_as(app, users["rep"]["id"], "insert into crm.contacts (first_name, last_name, email, company_id, owner_id) "
             "values ('Jane', 'Roe', 'jane@kestrel.example', :c, :o), ('Sam', 'Lee', null, :c, :o) returning id",
             {"c": company, "o": users["rep"]["id"]})  # fmt: skip
    content = (b"Name,Email,Company\n"
               b"Jane Roe,Jane+CRM@Mail.Kestrel.example,Kestrel Media\n"  # +tag and subdomain: Jane (skipped)
               b"\"Lee, Sam\",,The Kestrel Media Co.\n"  # no email: Sam Lee at Kestrel (skipped)
               b"\"Lee, Ann\",,Kestrel Media\n")  # a new person, Last, First (created)  # fmt: skip
    start(client, rep, map_url(upload(client, rep, "contacts", content)), dry_run=False)
    report = run_row(app, users)[4]
    assert (report["created"], report["skipped"], report["companies_created"]) == (1, 2, 0)
    rows = fetch_as(app, users["rep"]["id"], "select first_name, last_name, company_id from crm.contacts "
                    "where first_name = 'Ann'")  # fmt: skip
    assert [tuple(r) for r in rows] == [("Ann", "Lee", company)]


def test_a_deal_links_to_the_company_its_name_means(app, client, rep, users):  # noqa: F811
    acme = insert_company(app, users, "rep", "Acme Company", None)
    atlas = insert_company(app, users, "rep", "Atlas International Trading", "atlas.example")
    content = (b"Deal name,Company\n"
               b"D1,The Acme Co.\n"  # Acme Company
               b"D2,Atlas Intl. Trading Corp\n"  # Atlas International Trading
               b"D3,Atlas Intl Shipping\n")  # another word: a new company  # fmt: skip
    start(client, rep, map_url(upload(client, rep, "deals", content)), dry_run=False)
    assert run_row(app, users)[4]["companies_created"] == 1
    rows = dict(fetch_as(app, users["rep"]["id"], "select name, company_id from crm.deals"))
    assert rows["D1"] == acme and rows["D2"] == atlas and rows["D3"] not in (acme, atlas)
