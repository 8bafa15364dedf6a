"""The notify task's producer and the bell at the `large` scale's shape.

Loads no demo: in a throwaway embedded database (``--pgdata``, default /tmp/pgbench-notify) it writes, with
generate_series, what the producer reads at the `large` scale (60 users in 6 zones, 100,000 deals over the
stages with rotting days, 300,000 tasks with due days over 18 months, 200,000 meetings) and 5,000 unread
notices for one user, then times:

* ``crm.produce_notifications(now)`` -- the first pass (everything due now is new) and the next ones (nothing
  new: what runs every minute), median of 10;
* the bell's count (capped at 100) and the first page of /notifications for the user with 5,000, as crm_app
  under row-level security, median of 50, and whether the count is an index-only scan.

    python bench/notifications.py [--pgdata /tmp/pgbench-notify]

Targets: a pass with nothing new <= 100 ms; the bell <= 2 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine_speed, session_tokens  # noqa: E402
from dashboard import migrate, pg  # noqa: E402

ZONES = ["America/New_York", "America/Chicago", "America/Los_Angeles", "Europe/London", "Europe/Berlin",
         "Asia/Singapore"]  # fmt: skip
FILL = [
    """insert into crm.users (email, full_name, role, time_zone)
       select 'bench' || i || '@notify.example', 'Bench ' || i, case when i = 1 then 'admin' else 'rep' end,
              (%(zones)s::text[])[1 + i %% 6]
       from generate_series(1, 60) i""",
    "update crm.deal_stages set rotting_days = 14 + position where not is_won and not is_lost",
    """insert into crm.deals (name, stage_id, owner_id, stage_changed_at, value)
       select 'Deal ' || i,
              (select array_agg(id) from crm.deal_stages)[1 + i %% (select count(*) from crm.deal_stages)],
              (select array_agg(id) from crm.users where email like 'bench%%')[1 + i %% 60],
              now() - make_interval(hours => (i * 7919) %% (24 * 120)), i
       from generate_series(1, 100000) i""",
    """insert into crm.tasks (title, due_date, status, completed_at, assigned_to)
       select 'Task ' || i, date_trunc('day', now()) - make_interval(days => 500 - (i %% 560)),
              case when i %% 3 = 0 then 'completed' else 'pending' end, case when i %% 3 = 0 then now() end,
              (select array_agg(id) from crm.users where email like 'bench%%')[1 + i %% 60]
       from generate_series(1, 300000) i""",
    """insert into crm.meetings (title, starts_at, owner_id)
       select 'Meeting ' || i, now() - interval '365 days' + make_interval(mins => i * 5 / 2),
              (select array_agg(id) from crm.users where email like 'bench%%')[1 + i %% 60]
       from generate_series(1, 200000) i""",
    """insert into crm.notifications (user_id, kind, record_id, occurrence, title, in_app, email_status, created_at)
       select (select id from crm.users where email = 'bench2@notify.example'), 'task_due', gen_random_uuid(), i::text,
              'Old ' || i, true, 'none', now() - make_interval(mins => i)
       from generate_series(1, 5000) i""",
    "analyze",
]
BELL = """select count(*) from (select 1 from crm.notifications
           where user_id = app.active_user_id() and in_app and read_at is null limit 100) n"""
LIST = """select id, kind, record_id, title, at, detail, read_at, created_at from crm.notifications
           where user_id = app.active_user_id() and in_app order by created_at desc, id desc limit 26"""


def median_ms(conn, sql: str, params: dict, runs: int, token: str | None = None) -> float:
    samples = []
    for _ in range(runs):
        with conn.transaction() as tx:
            if token:
                conn.execute("select set_config('app.session', %s, true)", (token,))
            start = time.perf_counter()
            conn.execute(sql, params).fetchall()
            samples.append((time.perf_counter() - start) * 1000)
            if "produce" in sql:
                raise psycopg.Rollback(tx)  # every pass sees the same state
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pgdata", default="/tmp/pgbench-notify", type=Path)
    args = parser.parse_args()
    admin = pg.start_embedded(args.pgdata.resolve())
    with psycopg.connect(pg.libpq_url(admin), autocommit=True) as conn:
        migrate.upgrade(conn, progress=lambda _: None)
        if not conn.execute("select exists (select from crm.users where email like 'bench%%')").fetchone()[0]:
            print("writing the rows ...", flush=True)
            for statement in FILL:
                conn.execute(statement, {"zones": ZONES})
        counts = conn.execute("""select (select count(*) from crm.deals), (select count(*) from crm.tasks),
                                        (select count(*) from crm.meetings)""").fetchone()  # fmt: skip
        print(f"{counts[0]:,} deals, {counts[1]:,} tasks, {counts[2]:,} meetings, 60 users")
        conn.execute("delete from crm.notifications where title not like 'Old %%'")  # earlier runs' notices
        conn.autocommit = False
        first = median_ms(conn, "select * from crm.produce_notifications(now())", {}, 3)
        made = conn.execute("select coalesce(sum(produced), 0) from crm.produce_notifications(now())").fetchone()[0]
        conn.commit()
        again = median_ms(conn, "select * from crm.produce_notifications(now())", {}, 10)
        print(f"produce_notifications: first pass {first:.0f} ms ({made:,} notices), each next pass {again:.1f} ms")
        user = conn.execute("select id from crm.users where email = 'bench2@notify.example'").fetchone()[0]
        conn.commit()
    token = session_tokens(admin, [user])[str(user)]
    with psycopg.connect(pg.libpq_url(admin.set(username=pg.APP_ROLE, password=None))) as app:
        bell, page = median_ms(app, BELL, {}, 50, token), median_ms(app, LIST, {}, 50, token)
        with app.transaction():
            app.execute("select set_config('app.session', %s, true)", (token,))
            plan = "\n".join(r[0] for r in app.execute("explain " + BELL).fetchall())
    print(f"bell count: {bell:.2f} ms ({'index-only scan' if 'Index Only Scan' in plan else 'NOT index-only'}); "
          f"first page of /notifications: {page:.2f} ms (user with 5,000+ notices)")
    print(machine_speed())


if __name__ == "__main__":
    main()
