"""Benchmark the legacy import (issue 7): seconds for a 10k-row and a 100k-row messy file, and the
precision and recall of its matching against the generator's ground truth.

For each size: a fresh database on a throwaway embedded PostgreSQL (temporary data directory),
migrated, with an admin and three reps; ``tests/legacy_data.generate`` writes the messy deals file
(case, spacing and suffix variants, typos, personal domains, in-file duplicates, 5% broken rows)
and an activities file (one per deal), and 20% of the true companies and some of their people are
inserted first (duplicates against existing rows). The import then runs exactly as the admin page
runs it: ``runs.create`` + ``runs.execute`` on the app's ``crm_app`` connection acting as the admin
under row-level security, with progress written through a second connection, skipping invalid
rows. ``--as owner`` runs it as the command line does instead (the owner/superuser connection).
Timed twice, each in a fresh database: the deals file alone (the N-row file), then the deals file
with its activities file (as many rows again; each activity also writes its company and contact
links, and every row of every table is audited by trigger).

Matching, per valid deal row whose truth says it can be linked: its company (contact) is right when
it is the one row of the database that all rows of its true company (person) got, and no other true
company (person) got it. Precision = right links / links made; recall = right links / links expected.
A second import of the same files must write nothing (re-run).

    python bench/legacy_import.py                  # 10k and 100k rows
    python bench/legacy_import.py --rows 10000     # one size
    python bench/legacy_import.py --rows 10000 --profile   # where the time goes (cProfile, top 30)
    python bench/legacy_import.py --messy [SEED ...] [--rows N]   # resolution on real exports' mess (below)

``--messy``: files of tests/messy_legacy.py (siblings sharing a stem, legal forms, ``&``/``and``, ``Intl``,
``The``, typos, ``+tag`` and subdomain addresses, personal providers, ``Last, First``, middle initials, name-only
contacts) imported the same way; prints pairwise precision/recall of companies and contacts and the share of
rows sent to review. Targets: precision >= 0.995, recall >= 0.95, review <= 3%. The rules were tuned on seeds
1-5; the default seeds 101-103 were not looked at while tuning.

Targets: 10k rows <= 10 s; precision >= 99%, recall >= 98% (SECURITY.md T23: 10k <= 30 s, <= 300 MB).
"""

from __future__ import annotations

import argparse
import atexit
import cProfile
import os
import pstats
import resource
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import session_tokens  # noqa: E402
from dashboard import migrate, pg  # noqa: E402
from dashboard.legacy import runs  # noqa: E402
from dashboard.matching import PERSONAL_EMAIL_DOMAINS  # noqa: E402
from tests.legacy_data import generate, seed_existing  # noqa: E402
from tests.messy_legacy import generate_messy, pairwise  # noqa: E402

OWNERS = ("admin@bench.example", "rep1@bench.example", "rep2@bench.example", "rep3@bench.example")


def fresh_database(server, name: str):
    with psycopg.connect(pg.libpq_url(server.set(database="postgres")), autocommit=True) as conn:
        conn.execute(psycopg.sql.SQL("drop database if exists {} with (force)").format(psycopg.sql.Identifier(name)))
        conn.execute(psycopg.sql.SQL("create database {}").format(psycopg.sql.Identifier(name)))
    url = server.set(database=name)
    with psycopg.connect(pg.libpq_url(url)) as conn:
        migrate.upgrade(conn, progress=lambda _: None)
        for email in OWNERS:
            role = "admin" if email.startswith("admin") else "rep"
            conn.execute("insert into crm.users (email, full_name, role) values (%s, %s, %s)", (email, email, role))
    return url


def matching(pairs: list[tuple[object, object]], expected: int) -> tuple[float, float, int]:
    """(precision, recall, wrong) of (true entity, database id) pairs; id None = not linked."""
    by_truth: dict = defaultdict(Counter)
    by_id: dict = defaultdict(Counter)
    for true, found in pairs:
        if found is not None:
            by_truth[true][found] += 1
            by_id[found][true] += 1
    canonical = {true: ids.most_common(1)[0][0] for true, ids in by_truth.items()}
    owner = {found: trues.most_common(1)[0][0] for found, trues in by_id.items()}
    made = sum(1 for _, found in pairs if found is not None)
    right = sum(1 for true, found in pairs if found is not None and canonical[true] == found and owner[found] == true)
    return (right / made if made else 1.0), (right / expected if expected else 1.0), made - right


def prepared(server, name: str, truth, role: str):
    """A fresh database with the companies and people that exist before the import; (import URL, admin id)."""
    url = fresh_database(server, name)
    with psycopg.connect(pg.libpq_url(url)) as conn:
        admin_id = conn.execute("select id from crm.users where role = 'admin'").fetchone()[0]
        seed_existing(conn, truth, admin_id)
    if role == "owner":
        return url, admin_id
    # crm_app acts as the admin only with a session, as the page's background import does
    token = session_tokens(url, [admin_id])[str(admin_id)]
    options = {**url.query, "options": f"-capp.session={token}"}  # no space: a URL encodes it as +
    return url.set(username=pg.APP_ROLE, password=None, query=options), admin_id


def timed_import(import_url, admin_id, deals: str, activities: str | None):
    """(report, seconds) of one import as the admin page runs it (skip invalid rows)."""
    with psycopg.connect(pg.libpq_url(import_url)) as conn, psycopg.connect(pg.libpq_url(import_url)) as side:
        run_id = runs.create(
            conn, source="csv", started_by=admin_id, file_name="deals.csv",
            activities_file_name="activities.csv" if activities else None, skip_invalid=True,
        )  # fmt: skip
        began = time.monotonic()
        report = runs.execute(conn, run_id, admin_id, deals_text=deals, activities_text=activities,
                              progress=runs.ProgressWriter(side, run_id, admin_id))  # fmt: skip
        return report, time.monotonic() - began


def bench(server, rows: int, seed: int, role: str, profile: bool) -> dict:
    print(f"\n{rows:,} rows")
    started = time.monotonic()
    deals, activities, truth = generate(seed=seed, rows=rows, owners=OWNERS, activities_per_deal=1.0, prefix="BX")
    print(f"  generated {len(deals) / 1e6:.1f} MB deals + {len(activities) / 1e6:.1f} MB activities, "
          f"{len(truth.companies):,} true companies, {len(truth.people):,} people "
          f"in {time.monotonic() - started:.1f} s")  # fmt: skip
    import_url, admin_id = prepared(server, f"legacy_bench_{rows}", truth, role)

    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    report, seconds = timed_import(import_url, admin_id, deals, None)
    if profiler:
        profiler.disable()
    url = import_url.set(username=server.username, password=server.password)
    expected = truth.expected()
    print(f"  import of the deals file as {import_url.username}: {seconds:.2f} s "
          f"({report.rows_read / seconds:,.0f} rows/s)")  # fmt: skip
    for line in report.summary_lines():
        print(f"    {line}")
    checks = {
        "committed": report.committed,
        "written + reported = read": report.rows_written + report.rows_invalid == report.rows_read,
        "written = valid rows": report.rows_written == expected["written"],
        "reported = broken rows": report.rows_invalid == expected["invalid"],
    }

    with psycopg.connect(pg.libpq_url(url)) as conn:
        found = conn.execute(
            """select l.legacy_id, d.company_id, d.primary_contact_id
               from crm.legacy_deals l join crm.deals d on d.id = l.deal_id"""
        ).fetchall()
        duplicates = conn.execute(
            """select (select count(*) - count(distinct domain) from crm.companies where domain is not null)
                    + (select count(*) - count(distinct lower(email)) from crm.contacts where email is not null)"""
        ).fetchone()[0]
    linkable = {lid: row for lid, row in truth.valid_rows().items() if not row["review"]}
    company_pairs = [(linkable[lid]["company"], company) for lid, company, _ in found if lid in linkable]
    contact_pairs = [(linkable[lid]["person"], contact) for lid, _, contact in found if lid in linkable]
    company_p, company_r, company_wrong = matching(company_pairs, len(linkable))
    contact_p, contact_r, contact_wrong = matching(contact_pairs, len(linkable))
    print(f"  matching companies: precision {100 * company_p:.2f}%, recall {100 * company_r:.2f}% "
          f"({company_wrong} wrong links of {len(linkable):,} expected)")  # fmt: skip
    print(f"  matching contacts:  precision {100 * contact_p:.2f}%, recall {100 * contact_r:.2f}% "
          f"({contact_wrong} wrong links)")  # fmt: skip
    print(f"  review queue: {report.queued_for_review:,} rows (truth: {expected['review']:,} with nothing to go on)")
    checks["no duplicate domains or emails"] = duplicates == 0

    again, again_seconds = timed_import(import_url, admin_id, deals, None)
    checks["re-run writes nothing"] = again.rows_written == 0 and again.activities_written == 0
    print(f"  re-run: {again_seconds:.2f} s, {again.rows_unchanged:,} rows already imported, "
          f"{again.rows_written} written")  # fmt: skip

    import_url, admin_id = prepared(server, f"legacy_bench_{rows}_activities", truth, role)
    full, full_seconds = timed_import(import_url, admin_id, deals, activities)
    checks["with activities: all written"] = full.committed and full.activities_written == full.activities_read
    print(f"  import of the deals file with its {full.activities_read:,}-row activities file: {full_seconds:.2f} s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS of this process so far: {peak:.0f} MB")
    for name, ok in checks.items():
        print(f"  {'ok ' if ok else 'FAIL'} {name}")
    if profiler:
        print("\n  where the first import's time went (cProfile, cumulative):")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    return {"rows": rows, "seconds": seconds, "with_activities": full_seconds, "company_precision": company_p,
            "company_recall": company_r, "contact_precision": contact_p, "contact_recall": contact_r,
            "ok": all(checks.values())}  # fmt: skip


def bench_messy(server, rows: int, seed: int, role: str) -> dict:
    """Resolution on a file with real exports' mess (tests/messy_legacy.py): pairwise precision and recall of
    companies and contacts against the ground truth, and the share of rows sent to review."""
    deals, truth = generate_messy(seed, rows, owners=OWNERS, prefix="MX")
    print(f"\nmessy file, seed {seed}: {rows:,} rows, {len(truth.companies):,} true companies, "
          f"{len(truth.people):,} people")  # fmt: skip
    import_url, admin_id = prepared(server, f"legacy_messy_{rows}_{seed}", truth, role)
    report, seconds = timed_import(import_url, admin_id, deals, None)
    url = import_url.set(username=server.username, password=server.password)
    with psycopg.connect(pg.libpq_url(url)) as conn:
        found = {lid: (company, contact) for lid, company, contact in conn.execute(
            """select l.legacy_id, d.company_id, d.primary_contact_id
               from crm.legacy_deals l join crm.deals d on d.id = l.deal_id""")}  # fmt: skip
        personal = conn.execute("select count(*) from crm.companies where domain = any(%s)",
                                (list(PERSONAL_EMAIL_DOMAINS),)).fetchone()[0]  # fmt: skip
    measured = pairwise(truth, found)
    review = report.queued_for_review / rows
    nothing = sum(row["review"] for row in truth.rows.values()) / rows
    print(f"  import: {seconds:.2f} s; companies created {report.companies_created:,} + matched "
          f"{report.companies_matched:,} for {len(truth.companies):,} true")  # fmt: skip
    for kind in ("company", "contact"):
        found_n, true_n = measured[f"{kind}_clusters"]
        print(f"  {kind:<8} pairwise precision {measured[f'{kind}_precision']:.4f}, recall "
              f"{measured[f'{kind}_recall']:.4f} ({found_n:,} found for {true_n:,} true)")  # fmt: skip
    print(f"  review: {100 * review:.2f}% of rows ({100 * nothing:.2f}% have nothing to go on); "
          f"companies at personal providers: {personal}")  # fmt: skip
    ok = (min(measured["company_precision"], measured["contact_precision"]) >= 0.995
          and min(measured["company_recall"], measured["contact_recall"]) >= 0.95 and review <= 0.03 and not personal)
    print(f"  {'ok ' if ok else 'FAIL'} targets: precision >= 0.995, recall >= 0.95, review <= 3%")
    return {"ok": ok, **measured, "review": review}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, action="append", help="file size(s) in deal rows (default 10k and 100k)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--as",
        dest="role",
        choices=["app", "owner"],
        default="app",
        help="import as crm_app under RLS (the admin page, default) or as the owner (the CLI)",
    )
    parser.add_argument("--profile", action="store_true", help="profile the first import of each size")
    parser.add_argument("--messy", type=int, nargs="*", metavar="SEED",
                        help="measure resolution on messy files (tests/messy_legacy.py) of --rows rows (default "
                             "10k), one per seed (default: 101 102 103, seeds the rules were not tuned on)")
    parser.add_argument("--pgdata", type=Path, default=None, help="data directory (default: a temporary one)")
    args = parser.parse_args()  # fmt: skip

    pgdata = args.pgdata
    if pgdata is None:
        pgdata = Path(tempfile.mkdtemp(prefix="crm-bench-")) / "pgdata"
        atexit.register(shutil.rmtree, pgdata.parent, True)  # after the server's own stop handler
    server = pg.start_embedded(pgdata.resolve())
    with psycopg.connect(pg.libpq_url(server)) as conn:
        print(f"PostgreSQL {conn.execute('show server_version').fetchone()[0]} in {pgdata}")
    if args.messy is not None:
        messy = [bench_messy(server, rows, seed, args.role)
                 for rows in args.rows or [10_000] for seed in args.messy or [101, 102, 103]]  # fmt: skip
        return 0 if all(r["ok"] for r in messy) else 1
    results = [bench(server, rows, args.seed, args.role, args.profile) for rows in args.rows or [10_000, 100_000]]
    print("\nsummary")
    for r in results:
        print(f"  {r['rows']:>7,} rows: {r['seconds']:6.2f} s ({r['with_activities']:6.2f} s with activities); "
              f"companies P {100 * r['company_precision']:.2f}% R {100 * r['company_recall']:.2f}%; "
              f"contacts P {100 * r['contact_precision']:.2f}% R {100 * r['contact_recall']:.2f}%")  # fmt: skip
    print(f"  load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
