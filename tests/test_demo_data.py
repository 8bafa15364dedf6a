"""Demo data: deterministic for a seed, the volumes of DESIGN.md's `small`
scale, consistent with what the triggers would have written, and usable."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest

from dashboard import migrate, pg
from dashboard.demo import DemoDataExists, load_demo
from dashboard.demo.generate import TABLES
from dashboard.passwords import encode_with_salt
from tests.conftest import recreate_database

AS_OF = dt.date(2026, 11, 25)


def fresh(pg_server_url, name: str) -> str:
    url = recreate_database(pg_server_url, name)
    with psycopg.connect(pg.libpq_url(url)) as conn:
        migrate.upgrade(conn, progress=lambda _: None)
    return pg.libpq_url(url)


def checksums(conninfo: str) -> dict[str, tuple[int, str]]:
    """Per table: row count and an md5 over every row in primary-key order."""
    result = {}
    with psycopg.connect(conninfo) as conn:
        for table in TABLES:
            key = conn.execute(
                """select string_agg(a.attname, ', ' order by k.n)
                   from pg_index i cross join unnest(i.indkey) with ordinality k(attnum, n)
                   join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
                   where i.indrelid = %s::regclass and i.indisprimary""",
                (f"crm.{table}",),
            ).fetchone()[0]
            result[table] = conn.execute(
                psycopg.sql.SQL(
                    "select count(*), md5(coalesce(string_agg(t::text, '|' order by {}), '')) from crm.{} t"
                ).format(psycopg.sql.SQL(key), psycopg.sql.Identifier(table))
            ).fetchone()
    return result


@pytest.fixture(scope="module")
def demo_a(pg_server_url):
    conninfo = fresh(pg_server_url, "crm_demo_a")
    counts = load_demo(conninfo, scale="small", seed=42, as_of=AS_OF, progress=False)
    return conninfo, counts


def test_same_seed_gives_identical_data(pg_server_url, demo_a):
    conninfo_a, _ = demo_a
    conninfo_b = fresh(pg_server_url, "crm_demo_b")
    load_demo(conninfo_b, scale="small", seed=42, as_of=AS_OF, progress=False)
    first, second = checksums(conninfo_a), checksums(conninfo_b)
    # every table, row for row
    assert first == second
    assert all(count > 0 for count, _ in first.values())


def test_another_seed_gives_other_data(pg_server_url, demo_a):
    conninfo_c = fresh(pg_server_url, "crm_demo_c")
    load_demo(conninfo_c, scale="small", seed=7, as_of=AS_OF, progress=False)
    first, other = checksums(demo_a[0]), checksums(conninfo_c)
    assert first["companies"] != other["companies"] and first["activities"] != other["activities"]


def test_small_scale_volumes(demo_a):
    _, counts = demo_a
    # DESIGN.md "Scales": small
    assert counts["users"] == 11 and counts["companies"] == 300 and counts["contacts"] == 1500
    assert counts["deals"] == 600 and counts["activities"] == 20_000 and counts["meetings"] == 2000
    assert counts["tasks"] == 3000
    assert all(counts[t] > 0 for t in ("deal_stakeholders", "contact_interactions", "company_activities",
                                       "deal_meetings", "activity_meetings", "meeting_sequences",
                                       "meeting_action_items", "meeting_attendees", "legacy_deals",
                                       "legacy_activities", "targets", "deal_stage_history"))  # fmt: skip


def test_contract_users_and_teams(demo_a):
    with psycopg.connect(demo_a[0]) as conn:
        rows = conn.execute(
            """select u.email, u.role, m.email from crm.users u
               left join crm.teams t on t.id = u.team_id left join crm.users m on m.id = t.manager_id
               order by u.email"""
        ).fetchall()
        hashes = {r[0] for r in conn.execute("select password_hash from crm.users")}
        salt = conn.execute("select app.login_salt('rep1@demo.test')").fetchone()[0]
        demo_verifier = conn.execute(
            "select app.password_verifier(%s)", (encode_with_salt(salt, "demo-password"),)
        ).fetchone()[0]
    team_of = {email: manager for email, _, manager in rows}
    assert {email for email, *_ in rows} == {"admin@demo.test", "manager1@demo.test", "manager2@demo.test"} | {
        f"rep{n}@demo.test" for n in range(1, 9)
    }
    # manager1 leads rep1-4, manager2 rep5-8
    assert all(team_of[f"rep{n}@demo.test"] == "manager1@demo.test" for n in range(1, 5))
    assert all(team_of[f"rep{n}@demo.test"] == "manager2@demo.test" for n in range(5, 9))
    # one stored verifier for all, and it is the demo password's (the database keeps no hash)
    assert hashes == {demo_verifier} and "$sha256:" in demo_verifier


def test_demo_users_time_zones_and_their_days(demo_a):
    with psycopg.connect(demo_a[0]) as conn:
        zones = dict(conn.execute("select email, time_zone from crm.users").fetchall())
        # the daily totals count each activity on its user's day (the load rebuilt them with the zones)
        misplaced = conn.execute(
            """select count(*) from (
                 select a.user_id, (a.date at time zone u.time_zone)::date as day, a.type, count(*) as n
                 from crm.activities a join crm.users u on u.id = a.user_id group by 1, 2, 3) x
               full join crm.activity_daily_totals t using (user_id, day, type)
               where x.n is distinct from t.activities"""
        ).fetchone()[0]
    # manager1's team in New York but rep4 (Chicago), manager2's in London, the admin in London
    assert zones == {"admin@demo.test": "Europe/London", "manager1@demo.test": "America/New_York",
                     "manager2@demo.test": "Europe/London", "rep4@demo.test": "America/Chicago",
                     **{f"rep{n}@demo.test": "America/New_York" for n in (1, 2, 3)},
                     **{f"rep{n}@demo.test": "Europe/London" for n in (5, 6, 7, 8)}}  # fmt: skip
    assert misplaced == 0


def test_data_is_consistent_with_the_triggers(demo_a):
    with psycopg.connect(demo_a[0]) as conn:
        bad_status = conn.execute(
            """select count(*) from crm.deals d join crm.deal_stages s on s.id = d.stage_id
               where d.status <> case when s.is_won then 'won' when s.is_lost then 'lost' else 'active' end"""
        ).fetchone()[0]
        bad_depth = conn.execute(
            """select count(*) from crm.tasks t join crm.tasks p on p.id = t.parent_task_id
               where t.depth <> p.depth + 1"""
        ).fetchone()[0]
        no_history = conn.execute(
            "select count(*) from crm.deals d where not exists (select 1 from crm.deal_stage_history h where h.deal_id = d.id)"
        ).fetchone()[0]
        closed = conn.execute(
            "select count(*) filter (where status = 'won'), count(*) filter (where status = 'lost') from crm.deals"
        ).fetchone()
        legacy = conn.execute(
            "select count(*) from crm.legacy_deals l join crm.deals d on d.id = l.deal_id where d.company_id is null and d.primary_contact_id is null"
        ).fetchone()[0]
    assert (bad_status, bad_depth, no_history) == (0, 0, 0)
    # both outcomes exist for a model to learn from; about a tenth of deals carry only legacy text links
    assert closed[0] > 30 and closed[1] > 30
    assert 40 <= legacy <= 80


def test_loading_over_data_is_refused_unless_replace(demo_a):
    with pytest.raises(DemoDataExists, match="use --replace"):
        load_demo(demo_a[0], scale="small", seed=42, as_of=AS_OF, progress=False)


def test_unknown_scale(demo_a):
    with pytest.raises(ValueError, match="unknown scale"):
        load_demo(demo_a[0], scale="medium", seed=42, as_of=AS_OF, progress=False)


def test_demo_deals_have_forecast_categories_and_the_reps_quotas(demo_a):
    """Open deals at Verbal (80 %) are commit, at Opportunity (60 %) best case, earlier ones pipeline; each of the
    8 reps has a quota (at least 1,000) for each month of the as-of quarter and the next."""
    with psycopg.connect(demo_a[0]) as conn:
        categories = dict(conn.execute(
            """select s.name, array_agg(distinct d.forecast_category) from crm.deals d
               join crm.deal_stages s on s.id = d.stage_id where d.status = 'active' group by s.name"""
        ).fetchall())  # fmt: skip
        quotas = conn.execute(
            "select count(distinct user_id), count(distinct month), min(month), min(amount) >= 1000 from crm.quotas"
        ).fetchone()
    assert categories == {"Lead": ["pipeline"], "Qualified": ["pipeline"], "Opportunity": ["best_case"],
                          "Verbal": ["commit"]}  # fmt: skip
    quarter = AS_OF.replace(month=(AS_OF.month - 1) // 3 * 3 + 1, day=1)
    assert quotas == (8, 6, quarter, True)
