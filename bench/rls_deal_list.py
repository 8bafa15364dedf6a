"""A rep's deal list at the `large` scale, with and without row-level security.

The same query the deal list issues (the rep's open deals by value, first
page, with stage names) runs 20 times as crm_app with app.user_id set (RLS
on) and 20 times as the superuser (RLS bypassed). Prints the medians, their
ratio, the same for a manager's team list, and whether the plan evaluates the
policy helpers once (InitPlan) and uses the owner index.

    python bench/rls_deal_list.py --pgdata /tmp/pgbench   # loads `large` there first if empty

Targets (issue 3): rep list median <= 5 ms and <= 1.5x the no-RLS time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import large_database, session_tokens  # noqa: E402
from dashboard import pg  # noqa: E402

RUNS = 20
REP_LIST = """
    select d.id, d.name, d.value, d.expected_close_date, s.name as stage
    from crm.deals d join crm.deal_stages s on s.id = d.stage_id
    where d.owner_id = %(owner)s and d.status = 'active'
    order by d.value desc, d.id
    limit 25"""
TEAM_LIST = """
    select d.id, d.name, d.value, d.expected_close_date, s.name as stage
    from crm.deals d join crm.deal_stages s on s.id = d.stage_id
    where d.owner_id = any(%(owners)s) and d.status = 'active'
    order by d.value desc, d.id
    limit 25"""


def timed(conn, sql: str, params: dict, token: str | None) -> float:
    """Median milliseconds of RUNS executions, each in its own transaction (acting with session ``token``)."""
    samples = []
    for run in range(RUNS + 3):
        with conn.transaction():
            if token:
                conn.execute("select set_config('app.session', %s, true)", (token,))
            start = time.perf_counter()
            rows = conn.execute(sql, params).fetchall()
            elapsed = (time.perf_counter() - start) * 1000
        if run >= 3:  # the first runs warm the caches
            samples.append(elapsed)
    assert rows, "the list is empty: is the database loaded?"
    return statistics.median(samples)


def plan_summary(conn, sql: str, params: dict, token: str) -> str:
    with conn.transaction():
        conn.execute("select set_config('app.session', %s, true)", (token,))
        plan = json.dumps(conn.execute("explain (format json) " + sql, params).fetchone()[0])
    return f"InitPlan={'InitPlan' in plan}, owner index={'index_deals_on_owner' in plan}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pgdata", type=Path, default=Path("/tmp/pgbench"))
    args = parser.parse_args()
    admin = large_database(args.pgdata)
    with psycopg.connect(pg.libpq_url(admin), autocommit=False) as superuser, \
         psycopg.connect(pg.libpq_url(pg.app_url_for(admin)), autocommit=False) as app:  # fmt: skip
        rep, deals = superuser.execute(
            """select owner_id, count(*) from crm.deals d join crm.users u on u.id = d.owner_id
               where u.role = 'rep' group by owner_id order by count(*) desc limit 1"""
        ).fetchone()
        manager, team = superuser.execute(
            """select t.manager_id, array_agg(u.id) from crm.teams t join crm.users u on u.team_id = t.id
               where t.manager_id is not null group by t.manager_id order by count(*) desc limit 1"""
        ).fetchone()
        superuser.rollback()
        total = superuser.execute("select count(*) from crm.deals").fetchone()[0]
        superuser.rollback()
        print(f"deals in database: {total:,}; the rep owns {deals:,}; the manager's team has {len(team)} people")
        tokens = session_tokens(admin, [rep, manager])
        rep_rls = timed(app, REP_LIST, {"owner": rep}, tokens[str(rep)])
        rep_plain = timed(superuser, REP_LIST, {"owner": rep}, None)
        team_owners = team + [manager]
        team_rls = timed(app, TEAM_LIST, {"owners": team_owners}, tokens[str(manager)])
        team_plain = timed(superuser, TEAM_LIST, {"owners": team_owners}, None)
        plan = plan_summary(app, REP_LIST, {"owner": rep}, tokens[str(rep)])
        print(f"rep deal list      median of {RUNS}: RLS {rep_rls:.2f} ms, no RLS {rep_plain:.2f} ms, "
              f"ratio {rep_rls / rep_plain:.2f}x  ({plan})")  # fmt: skip
        print(f"manager team list  median of {RUNS}: RLS {team_rls:.2f} ms, no RLS {team_plain:.2f} ms, "
              f"ratio {team_rls / team_plain:.2f}x")  # fmt: skip


if __name__ == "__main__":
    main()
