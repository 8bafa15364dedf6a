"""crm import-legacy: validation, exact resolution against the generator's ground truth, idempotence,
dry run, all-or-nothing, a killed import, and the CLI's one-line errors."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from dashboard import migrate, pg
from dashboard.legacy import normalize as n
from dashboard.legacy.importer import import_legacy
from tests.conftest import recreate_database
from tests.legacy_data import generate, seed_existing

TABLES = ["companies", "contacts", "deals", "activities", "deal_stakeholders", "company_activities",
          "contact_interactions", "deal_meetings", "legacy_deals", "legacy_activities", "legacy_review_items",
          "legacy_import_runs", "audit_log"]  # fmt: skip


def counts(conn) -> dict:
    query = sql.SQL("select count(*) from crm.{}")
    return {t: conn.execute(query.format(sql.Identifier(t))).fetchone()[0] for t in TABLES}


@pytest.fixture
def data(admin_conn, users):
    deals, activities, truth = generate(seed=11, rows=400, owners=("admin@test.example", "rep@test.example"),
                                        activities_per_deal=1.0)  # fmt: skip
    seed_existing(admin_conn, truth, users["admin"]["id"])
    return deals, activities, truth


def test_normalisation():
    assert {n.company_name(x) for x in ["ACME, Inc.", "acme inc", "Acme Incorporated", "  Acme  Ltd "]} == {"acme"}
    assert n.company_name("Café Müller GmbH") == "cafe muller"
    assert n.person_name("Lee, Ann") == ("Ann", "Lee") == n.person_name("ANN LEE")
    assert n.company_domain("ann@GMAIL.com".lower()) is None
    assert n.company_domain("ann@acme.io") == "acme.io"
    assert n.email(" Ann@Acme.IO ") == "ann@acme.io" and n.email("ann@") is None
    assert n.phone("(201) 555-0123") == "2015550123" and n.phone("+44 20 7946 0000") == "+442079460000"


def test_skip_invalid_gives_exact_companies_contacts_and_links(admin_conn, data, users):
    deals, activities, truth = data
    before = counts(admin_conn)
    report = import_legacy(admin_conn, deals, activities, skip_invalid=True, actor_id=users["admin"]["id"])
    expected = truth.expected()
    assert report.committed
    assert report.rows_read == len(truth.rows)
    assert report.rows_written + report.rows_invalid == report.rows_read  # written + reported = read
    assert report.rows_written == expected["written"]
    assert {(p.line, p.column) for p in report.problems if p.file == "deals.csv"} == truth.bad
    assert report.companies_created == expected["companies_created"]
    assert report.companies_matched == expected["companies_matched"]
    assert report.contacts_created == expected["contacts_created"]
    assert report.contacts_matched == expected["contacts_matched"]
    assert report.queued_for_review == expected["review"]
    assert report.deals_linked == expected["deals_linked"]
    after = counts(admin_conn)
    assert after["companies"] - before["companies"] == expected["companies_created"]
    assert after["contacts"] - before["contacts"] == expected["contacts_created"]
    assert after["deals"] - before["deals"] == expected["written"]
    assert report.activities_written + report.activities_invalid == report.activities_read
    # every deal of one true company points at one company row, and no two true companies share one
    rows = admin_conn.execute(
        """select l.legacy_id, d.company_id, d.primary_contact_id from crm.legacy_deals l
           join crm.deals d on d.id = l.deal_id where l.source = 'csv'"""
    ).fetchall()
    by_truth, by_row = {}, {}
    for legacy_id, company_id, contact_id in rows:
        row = truth.rows[legacy_id]
        if row["review"]:
            assert company_id is None
            continue
        by_truth.setdefault(row["company"], set()).add(company_id)
        by_row.setdefault(company_id, set()).add(row["company"])
        assert contact_id is not None
    assert all(len(ids) == 1 for ids in by_truth.values())
    assert all(len(ids) == 1 for ids in by_row.values())
    # never two companies for a domain, never a personal domain, never two contacts for an email
    assert (
        admin_conn.execute(
            "select count(*) from crm.companies where domain = any(%s)", (list(n.PERSONAL_EMAIL_DOMAINS),)
        ).fetchone()[0]
        == 0
    )
    assert (
        admin_conn.execute(
            "select count(*) - count(distinct lower(name)) from crm.companies where domain is not null"
        ).fetchone()[0]
        >= 0
    )
    # provenance: stakeholders as decision makers, company_activities from the link found, interactions
    assert admin_conn.execute(
        """select count(*) from crm.deal_stakeholders s join crm.legacy_deals l on l.deal_id = s.deal_id
           where s.role = 'decision_maker'"""
    ).fetchone()[0] == expected["written"] - sum(
        1 for r in truth.valid_rows().values() if r["review"] and not r["email"]
    )
    sources = dict(admin_conn.execute(
        """select ca.link_source, count(*) from crm.company_activities ca join crm.activities a on a.id = ca.activity_id
           where a.activity_source = 'import' group by 1"""
    ).fetchall())  # fmt: skip
    assert set(sources) <= {"email_domain", "name_match", "fuzzy_match", "contact", "legacy", "deal", "direct"}
    assert "email_domain" in sources
    assert (
        admin_conn.execute(
            """select count(*) from crm.contact_interactions ci join crm.activities a on a.id = ci.activity_id
           where a.activity_source = 'import'"""
        ).fetchone()[0]
        > 0
    )
    review = admin_conn.execute("select reason, suggestions from crm.legacy_review_items").fetchall()
    assert {reason for reason, _ in review} == {"no_email_no_company"}

    # re-running the same files changes 0 rows (not even the audit log)
    snapshot = counts(admin_conn)
    again = import_legacy(admin_conn, deals, activities, skip_invalid=True, actor_id=users["admin"]["id"])
    assert again.rows_written == 0 and again.activities_written == 0
    assert again.rows_unchanged == expected["written"]
    assert again.rows_unchanged + again.rows_invalid == again.rows_read
    assert counts(admin_conn) == snapshot


def test_default_mode_is_all_or_nothing_and_dry_run_writes_nothing(admin_conn, data, users):
    deals, activities, truth = data
    before = counts(admin_conn)
    report = import_legacy(admin_conn, deals, activities, actor_id=users["admin"]["id"])
    assert not report.committed and report.rows_written == 0
    assert report.rows_invalid == len(truth.rows) - truth.expected()["written"]
    assert report.rows_held_back + report.rows_invalid == report.rows_read
    assert counts(admin_conn) == before
    dry = import_legacy(admin_conn, deals, activities, skip_invalid=True, dry_run=True, actor_id=users["admin"]["id"])
    assert not dry.committed and dry.rows_written == truth.expected()["written"]  # what would be written
    assert dry.companies_created == truth.expected()["companies_created"]
    assert counts(admin_conn) == before


def test_fuzzy_grey_zone_and_two_candidates_go_to_review(admin_conn, users):
    owner = users["admin"]["id"]
    for name, domain in [("Harborview Analytics", "harborview.example"), ("Stonegate Logistics", None),
                         ("Stonegate Logistics Group", "stonegate-group.example")]:  # fmt: skip
        admin_conn.execute(
            "insert into crm.companies (name, domain, owner_id) values (%s, %s, %s)", (name, domain, owner)
        )
    header = "legacy_id,name,company,contact_name,contact_email,contact_phone,value,stage,owner_email,expected_close_date,created_at\n"
    body = (
        "GZ-1,D1,Harbourvue Analitics,Ann Lee,,,10,Lead,admin@test.example,,\n"  # 3 edits in a word: could be
        "GZ-2,D2,Harborveiw Analytics,Bo Chan,,,10,Lead,admin@test.example,,\n"  # two letters swapped: a typo
        "GZ-3,D3,STONEGATE LOGISTICS LTD,Cy Dee,,,10,Lead,admin@test.example,,\n"  # two normalised candidates
        "GZ-5,D5,Harborview Robotics,Di Eu,,,10,Lead,admin@test.example,,\n"  # a sibling: a new company
        "GZ-4,D4,,,,,10,Lead,admin@test.example,,\n"  # nothing to go on
    )
    report = import_legacy(admin_conn, header + body, actor_id=owner)
    assert report.committed and report.rows_written == 5 and report.companies_created == 1
    reasons = dict(admin_conn.execute(
        """select l.legacy_id, r.reason from crm.legacy_review_items r join crm.legacy_deals l on l.id = r.legacy_deal_id"""
    ).fetchall())  # fmt: skip
    assert reasons == {"GZ-1": "fuzzy_uncertain", "GZ-3": "two_candidates", "GZ-4": "no_email_no_company"}
    link = admin_conn.execute("select company_link from crm.legacy_deals where legacy_id = 'GZ-2'").fetchone()[0]
    assert link == "fuzzy_match"
    suggestions = admin_conn.execute(
        """select r.suggestions from crm.legacy_review_items r join crm.legacy_deals l on l.id = r.legacy_deal_id
           where l.legacy_id = 'GZ-1'"""
    ).fetchone()[0]
    assert suggestions["companies"][0]["name"] == "Harborview Analytics"


def test_fuzzy_candidates_stay_exact_as_companies_are_added():
    """The index's fuzzy cache is brought up to date with the companies created since (not cleared and
    rescanned): after every addition each cached answer equals a full scan, ties kept in the order keys were added."""
    from rapidfuzz import fuzz, process

    from dashboard.legacy.resolve import Resolver
    from dashboard.matching.index import SEARCH_CUTOFF, SEARCH_LIMIT

    resolver = Resolver([(uuid.uuid4(), "Harborview Analytics", None), (uuid.uuid4(), "Stonegate Logistics", None)])
    index = resolver.index
    queries = ["harbourview analytic", "stonegate logistic", "harborview analytica", "northwind lab"]
    names = ["Harborview Analytix", "Stonegate Logistix", "Harborview Analytics Labs", "Northwind Lab",
             "Harborview Analytik", "Northwinds Labs", "Harborvue Analytics"]  # fmt: skip
    for name in names:
        for query in queries:
            full = process.extract(query, index.keys, scorer=fuzz.ratio, limit=SEARCH_LIMIT, score_cutoff=SEARCH_CUTOFF)
            assert index.fuzzy_keys(query) == [(choice, score) for choice, score, _ in full]
        resolver.create_company(name, None)


def test_staged_demo_rows_resolve_through_the_same_path(admin_conn, users):
    owner = users["admin"]["id"]
    stage = admin_conn.execute("select id from crm.deal_stages where name = 'Lead'").fetchone()[0]
    deal = admin_conn.execute(
        "insert into crm.deals (name, stage_id, owner_id) values ('Old deal', %s, %s) returning id", (stage, owner)
    ).fetchone()[0]
    admin_conn.execute(
        """insert into crm.legacy_deals (legacy_id, name, company, contact_name, contact_email, value, stage,
                                         owner_email, deal_id, source)
           values ('DM-1', 'Old deal', 'Zephyr Optics, Inc', 'Lee, Ann', 'ANN@zephyr-optics.example', '1,000',
                   'lead', 'admin@test.example', %s, 'demo')""",
        (deal,),
    )
    report = import_legacy(admin_conn, from_staging=True, actor_id=owner)
    assert report.rows_read == 1 and report.rows_written == 1 and report.deals_created == 0
    company, contact = admin_conn.execute(
        "select company_id, primary_contact_id from crm.deals where id = %s", (deal,)
    ).fetchone()
    assert admin_conn.execute("select domain from crm.companies where id = %s", (company,)).fetchone()[0] == (
        "zephyr-optics.example"
    )
    assert admin_conn.execute("select first_name, last_name from crm.contacts where id = %s", (contact,)).fetchone() == (
        "Ann", "Lee",
    )  # fmt: skip
    again = import_legacy(admin_conn, from_staging=True, actor_id=owner)
    assert again.rows_read == 0 and again.rows_written == 0


# --- the CLI -----------------------------------------------------------------------------------


def cli_command(args, admin_url):
    env = dict(os.environ, DATABASE_URL=pg.libpq_url(admin_url))
    env.pop("MIGRATION_DATABASE_URL", None)
    # the crm script of this interpreter's environment (CI does not activate the venv)
    return [str(Path(sys.executable).with_name("crm")), *args], env


def run_cli(args, admin_url, **kwargs):
    command, env = cli_command(args, admin_url)
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, **kwargs)


def test_cli_one_line_errors(tmp_path, admin_url):
    missing = run_cli(["import-legacy", str(tmp_path / "nope.csv")], admin_url)
    assert missing.returncode != 0 and missing.stderr.strip() == f"Error: {tmp_path / 'nope.csv'}: no such file"
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("id,name\n1,x\n")
    result = run_cli(["import-legacy", str(wrong)], admin_url)
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1 and "wrong headers" in result.stderr


# --- a killed import (SECURITY.md T24) ---------------------------------------------------------


@pytest.fixture
def kill_db(pg_server_url):
    """A database of its own: the command line commits, and this test kills it in the middle."""
    url = recreate_database(pg_server_url, "crm_legacy_kill")
    with psycopg.connect(pg.libpq_url(url)) as conn:
        migrate.upgrade(conn, progress=lambda _: None)
        conn.execute("insert into crm.users (email, full_name, role) values ('admin@test.example', 'Admin', 'admin')")
    yield url
    with psycopg.connect(pg.libpq_url(url.set(database="postgres")), autocommit=True) as conn:
        conn.execute("drop database if exists crm_legacy_kill with (force)")


def data_counts(conn) -> dict:
    query = sql.SQL("select count(*) from crm.{}")
    tables = ["companies", "contacts", "deals", "activities", "deal_stakeholders", "legacy_deals",
              "legacy_activities", "legacy_review_items", "company_activities", "contact_interactions"]  # fmt: skip
    return {t: conn.execute(query.format(sql.Identifier(t))).fetchone()[0] for t in tables}


def test_a_killed_import_writes_nothing_is_marked_and_a_rerun_completes(tmp_path, kill_db):
    deals, activities, truth = generate(seed=21, rows=20_000, activities_per_deal=0.5, prefix="KL")
    (tmp_path / "deals.csv").write_text(deals)
    (tmp_path / "activities.csv").write_text(activities)
    args = ["import-legacy", str(tmp_path / "deals.csv"), "--activities", str(tmp_path / "activities.csv"),
            "--skip-invalid"]  # fmt: skip
    command, env = cli_command(args, kill_db)
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    said = []
    try:
        for line in process.stderr:  # progress goes to stderr, line by line
            said.append(line.strip())
            if line.startswith("writing"):
                break
        # the import is writing (companies and contacts first): kill it where it stands
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, said
    assert said[-1] == "writing companies and contacts" and any(s.startswith("resolved 1") for s in said)

    with psycopg.connect(pg.libpq_url(kill_db), autocommit=True) as conn:
        run_id, status, pid, phase = conn.execute(
            "select id, status, backend_pid, phase from crm.legacy_import_runs"
        ).fetchone()
        # the server notices the dead client and rolls its transaction back
        deadline = time.monotonic() + 30
        while conn.execute("select count(*) from pg_stat_activity where pid = %s", (pid,)).fetchone()[0]:
            assert time.monotonic() < deadline, "the killed import's backend is still there"
            time.sleep(0.1)
        # 0 rows from the file; the run record was written outside the import and says it never completed
        assert set(data_counts(conn).values()) == {0}
        assert status == "running" and phase.startswith("writing")
        assert conn.execute("select finished_at, report from crm.legacy_import_runs").fetchone() == (None, {})

    # re-running the same command closes the interrupted run and ends with exactly the clean-import counts
    again = run_cli(args, kill_db)
    assert again.returncode == 0, again.stderr
    expected = truth.expected()
    with psycopg.connect(pg.libpq_url(kill_db)) as conn:
        counts = data_counts(conn)
        assert counts["deals"] == counts["legacy_deals"] == expected["written"]
        assert counts["companies"] == expected["companies_created"] + expected["companies_matched"]
        assert counts["contacts"] == expected["contacts_created"] + expected["contacts_matched"]
        assert counts["legacy_review_items"] == expected["review"]
        runs = dict(conn.execute("select id, (status, error) from crm.legacy_import_runs").fetchall())
    assert runs.pop(run_id) == (
        "failed",
        "The import stopped before it finished (its process ended); nothing from it was written.",
    )
    assert [status for status, _ in runs.values()] == ["completed"]
