"""Benchmark the demo-data load and check the loaded data's integrity.

Starts a throwaway embedded PostgreSQL (a temporary data directory, removed at
exit, unless ``--pgdata`` names one), applies the migrations, runs
``load_demo(scale=..., seed=...)`` and prints the load time, rows and size per
table, and the database size. Then, because the load runs with triggers and
foreign-key checks off, it checks what those would have enforced: every
foreign key resolves (taken from the catalog, so new ones are covered), deal
status and closed_at follow the stage, stage history is a consistent path,
task depth follows the parent, meeting sequences and relationship rows agree
with their parents.

    python bench/load_large.py                 # large, seed 42
    python bench/load_large.py --scale small
    python bench/load_large.py --pgdata /tmp/pgbench --keep-data

Exit status 1 if a check fails.
"""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import logging
import shutil
import sys
import tempfile
import time
from pathlib import Path

import psycopg
from psycopg import sql

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard import migrate, pg  # noqa: E402
from dashboard.demo import load_demo  # noqa: E402
from dashboard.demo.generate import TABLES  # noqa: E402

# name -> query returning the number of offending rows
CHECKS = {
    "deal status follows stage": """
        select count(*) from crm.deals d join crm.deal_stages s on s.id = d.stage_id
        where d.status <> case when s.is_won then 'won' when s.is_lost then 'lost' else 'active' end
           or (d.status = 'active') <> (d.closed_at is null)""",
    "deal has stage history ending at its stage": """
        select count(*) from crm.deals d
        where d.stage_id is distinct from (
            select h.to_stage_id from crm.deal_stage_history h where h.deal_id = d.id
            order by h.changed_at desc limit 1)
           or d.stage_changed_at <> (select max(h.changed_at) from crm.deal_stage_history h where h.deal_id = d.id)
           or (d.closed_at is not null and d.closed_at <> d.stage_changed_at)""",
    "stage history is a path (first from null, each from = previous to)": """
        select count(*) from (
            select h.from_stage_id,
                   lag(h.to_stage_id) over (partition by h.deal_id order by h.changed_at) as previous_to,
                   row_number() over (partition by h.deal_id order by h.changed_at) as n
            from crm.deal_stage_history h) x
        where (x.n = 1 and x.from_stage_id is not null)
           or (x.n > 1 and x.from_stage_id is distinct from x.previous_to)""",
    "stage history rows after a closing stage": """
        select count(*) from crm.deal_stage_history h
        join crm.deal_stages s on s.id = h.from_stage_id where s.is_won or s.is_lost""",
    "task depth follows parent": """
        select count(*) from crm.tasks t left join crm.tasks p on p.id = t.parent_task_id
        where t.depth <> coalesce(p.depth + 1, 1) or t.depth > 5""",
    "activities after a deal closed (other than the sale)": """
        select count(*) from crm.activities a join crm.deals d on d.id = a.deal_id
        where d.closed_at is not null and a.date > d.closed_at and a.type <> 'sale'""",
    "meetings after a deal closed": """
        select count(*) from crm.meetings m join crm.deals d on d.id = m.primary_deal_id
        where d.closed_at is not null and m.starts_at > d.closed_at""",
    "deal_meetings disagree with meetings.primary_deal_id": """
        select count(*) from crm.deal_meetings dm join crm.meetings m on m.id = dm.meeting_id
        where m.primary_deal_id is distinct from dm.deal_id or m.meeting_outcome is distinct from dm.outcome""",
    "meeting sequence out of order": """
        select count(*) from (
            select s.sequence_number, s.previous_meeting_id,
                   row_number() over w as n, lag(s.meeting_id) over w as previous
            from crm.meeting_sequences s join crm.meetings m on m.id = s.meeting_id
            window w as (partition by s.deal_id order by m.starts_at, s.sequence_number)) x
        where x.sequence_number <> x.n or x.previous_meeting_id is distinct from x.previous""",
    "company_activities disagree with activities.company_id": """
        select count(*) from crm.company_activities ca join crm.activities a on a.id = ca.activity_id
        where a.company_id is distinct from ca.company_id""",
    "activity_meetings disagree with meeting owner": """
        select count(*) from crm.activity_meetings am join crm.activities a on a.id = am.activity_id
        join crm.meetings m on m.id = am.meeting_id where a.user_id <> m.owner_id""",
    "legacy deals with a company or contact link": """
        select count(*) from crm.legacy_deals l join crm.deals d on d.id = l.deal_id
        where d.company_id is not null or d.primary_contact_id is not null""",
    "deals without a company that are not legacy": """
        select count(*) from crm.deals d where d.company_id is null
          and not exists (select from crm.legacy_deals l where l.deal_id = d.id)""",
    "legacy activities pointing at no legacy deal": """
        select count(*) from crm.legacy_activities a where a.deal_legacy_id is not null
          and not exists (select from crm.legacy_deals l where l.legacy_id = a.deal_legacy_id)""",
    "stakeholder not at the deal's company": """
        select count(*) from crm.deal_stakeholders s join crm.deals d on d.id = s.deal_id
        join crm.contacts c on c.id = s.contact_id where c.company_id is distinct from d.company_id""",
    "completed tasks after as_of or before created": """
        select count(*) from crm.tasks where completed_at > %(now)s or completed_at < created_at""",
    "past rows dated after as_of (activities completed, interactions)": """
        select (select count(*) from crm.activities where status = 'completed' and date > %(now)s)
             + (select count(*) from crm.contact_interactions where interaction_date > %(now)s)""",
    "contract users missing or misplaced": """
        select 11 - count(*) from crm.users u left join crm.users m on m.id = u.manager_id
        where u.email = 'admin@demo.test' and u.role = 'admin'
           or u.email in ('manager1@demo.test', 'manager2@demo.test') and u.role = 'manager'
           or u.email ~ '^rep[1-4]@demo\\.test$' and m.email = 'manager1@demo.test'
           or u.email ~ '^rep[5-8]@demo\\.test$' and m.email = 'manager2@demo.test'""",
    "team manager is not the members' manager": """
        select count(*) from crm.users u join crm.teams t on t.id = u.team_id
        where u.role = 'rep' and u.manager_id is distinct from t.manager_id""",
}


# the loader drops and rebuilds secondary indexes: they must come back identical
INDEX_DEFINITIONS = """
    select i.indexname, i.indexdef, obj_description(format('%I.%I', i.schemaname, i.indexname)::regclass, 'pg_class')
    from pg_indexes i where i.schemaname = 'crm' order by 1"""


def foreign_key_checks(conn: psycopg.Connection) -> dict[str, sql.Composed]:
    """One orphan check per foreign key in schema crm, built from the catalog."""
    rows = conn.execute("""
        select c.conname, cl.relname, pl.relname,
               array(select a.attname from unnest(c.conkey) with ordinality k(n, i)
                     join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.i),
               array(select a.attname from unnest(c.confkey) with ordinality k(n, i)
                     join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n order by k.i)
        from pg_constraint c
        join pg_class cl on cl.oid = c.conrelid join pg_namespace n on n.oid = cl.relnamespace
        join pg_class pl on pl.oid = c.confrelid
        where c.contype = 'f' and n.nspname = 'crm'
        order by 1""").fetchall()
    checks = {}
    for name, child, parent, columns, referenced in rows:
        not_null = sql.SQL(" and ").join(sql.SQL("c.{} is not null").format(sql.Identifier(col)) for col in columns)
        match = sql.SQL(" and ").join(
            sql.SQL("p.{} = c.{}").format(sql.Identifier(r), sql.Identifier(col))
            for col, r in zip(columns, referenced, strict=True))
        checks[f"fk {name}"] = sql.SQL(
            "select count(*) from {} c where {} and not exists (select from {} p where {})").format(
            sql.Identifier("crm", child), not_null, sql.Identifier("crm", parent), match)
    return checks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=["small", "large"], default="large")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD (default today)")
    parser.add_argument("--pgdata", type=Path, default=None,
                        help="data directory of the embedded server (default: a temporary one)")
    parser.add_argument("--keep-data", action="store_true", help="keep the temporary data directory")
    parser.add_argument("--replace", action="store_true", help="reload over existing data (with --pgdata)")
    parser.add_argument("--no-progress", action="store_true")
    parser.add_argument("--no-checks", action="store_true", help="skip the integrity checks")
    args = parser.parse_args()

    pgdata = args.pgdata
    if pgdata is None:
        pgdata = Path(tempfile.mkdtemp(prefix="crm-bench-")) / "pgdata"
        if not args.keep_data:
            # registered before the server starts, so it runs after the server's own stop handler
            atexit.register(shutil.rmtree, pgdata.parent, True)
    started = time.monotonic()
    url = pg.libpq_url(pg.start_embedded(pgdata.resolve()))
    with psycopg.connect(url) as conn:
        migrate.upgrade(conn, progress=lambda _: None)
        version = conn.execute("show server_version").fetchone()[0]
    print(f"PostgreSQL {version} in {pgdata} (ready in {time.monotonic() - started:.1f}s)")

    with psycopg.connect(url) as conn:
        indexes_before = conn.execute(INDEX_DEFINITIONS).fetchall()
    logging.basicConfig(format="%(message)s")
    logging.getLogger("dashboard.demo").setLevel(logging.INFO)
    started = time.monotonic()
    counts = load_demo(url, scale=args.scale, seed=args.seed, as_of=args.as_of, replace=args.replace,
                       progress=not args.no_progress)
    elapsed = time.monotonic() - started
    print(f"\nload_demo(scale={args.scale!r}, seed={args.seed}): {elapsed:.1f}s "
          f"({sum(counts.values()) / elapsed:,.0f} rows/s)\n")

    failures = 0
    with psycopg.connect(url, autocommit=True) as conn:
        print(f"{'table':<24}{'rows':>12}{'total size':>14}")
        for table in TABLES:
            size = conn.execute("select pg_size_pretty(pg_total_relation_size(%s))", (f"crm.{table}",)).fetchone()[0]
            print(f"{table:<24}{counts[table]:>12,}{size:>14}")
        print(f"{'total':<24}{sum(counts.values()):>12,}")
        db_size = conn.execute("select pg_size_pretty(pg_database_size(current_database()))").fetchone()[0]
        print(f"\ndatabase size: {db_size}")

        if not args.no_checks:
            as_of = args.as_of or dt.date.today()
            now = dt.datetime.combine(as_of, dt.time(12), tzinfo=dt.UTC)
            print("\nintegrity checks:")
            checks = {**foreign_key_checks(conn), **CHECKS}
            indexes_after = conn.execute(INDEX_DEFINITIONS).fetchall()
            same = indexes_after == indexes_before
            failures += not same
            print(f"  {'ok  ' if same else 'FAIL'} indexes after the load are those of the migrations "
                  f"({len(indexes_after)})")
            started = time.monotonic()
            for name, query in checks.items():
                bad = conn.execute(query, {"now": now} if "%(now)s" in str(query) else None).fetchone()[0]
                failures += bad != 0
                print(f"  {'ok  ' if bad == 0 else 'FAIL'} {name}" + (f": {bad} rows" if bad else ""))
            print(f"{len(checks)} checks, {failures} failed ({time.monotonic() - started:.1f}s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
