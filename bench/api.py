"""The REST API at the `large` scale through the Flask test client: lists and single-record reads as the
rep with the most deals and as their manager, each request 50 times (in rounds of every request) after a
warm-up; p50/p95 in milliseconds. Targets (issue 17): list p95 <= 30 ms, read p95 <= 15 ms.

    python bench/api.py --pgdata /tmp/pgbench-api   # loads `large` there first if empty
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import large_database, machine_speed, percentiles  # noqa: E402
from bench.pages import measure  # noqa: E402
from dashboard import create_app, pg  # noqa: E402

TARGETS = {"list": 30.0, "read": 15.0}


def api_token(admin, user_id) -> str:
    """A read token of ``user_id``, created as that user (app.create_api_token) by the superuser."""
    with psycopg.connect(pg.libpq_url(admin), autocommit=True) as conn:
        conn.execute("select set_config('app.user_id', %s, false)", (str(user_id),))
        return conn.execute("select token from app.create_api_token('bench', 'read', null)").fetchone()[0]


class Bearer:
    """A test client that sends a bearer token (what ``measure`` calls ``get`` on)."""

    def __init__(self, client, token: str):
        self.client, self.headers = client, {"Authorization": f"Bearer {token}"}

    def get(self, path: str):
        return self.client.get(path, headers=self.headers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pgdata", type=Path, default=Path("/tmp/pgbench-api"))
    args = parser.parse_args()
    admin = large_database(args.pgdata)
    print(machine_speed())
    with psycopg.connect(pg.libpq_url(admin)) as conn:
        rep_id, company, deal, contact, activity, meeting, task, manager_id = conn.execute(
            """select u.id,
                      (select c.id from crm.companies c where c.owner_id = u.id order by c.id limit 1),
                      (select d.id from crm.deals d where d.owner_id = u.id order by d.id limit 1),
                      (select c.id from crm.contacts c where c.owner_id = u.id order by c.id limit 1),
                      (select a.id from crm.activities a where a.user_id = u.id order by a.id limit 1),
                      (select m.id from crm.meetings m where m.owner_id = u.id order by m.id limit 1),
                      (select t.id from crm.tasks t where t.assigned_to = u.id order by t.id limit 1),
                      (select t.manager_id from crm.teams t where t.id = u.team_id)
               from crm.users u where u.role = 'rep'
               order by (select count(*) from crm.deals d where d.owner_id = u.id) desc limit 1"""
        ).fetchone()
    app = create_app({"SQLALCHEMY_DATABASE_URI": pg.app_url_for(admin).render_as_string(hide_password=False),
                      "LOG_LEVEL": "WARNING",  # no request log lines among the figures
                      "SECRET_KEY": "bench-" + "x" * 40, "API_RATE_LIMIT": 10**9})  # fmt: skip
    rep = Bearer(app.test_client(), api_token(admin, rep_id))
    manager = Bearer(app.test_client(), api_token(admin, manager_id))
    requests = [
        ("rep", "list", "/api/v1/companies"), ("rep", "list", "/api/v1/contacts"), ("rep", "list", "/api/v1/deals"),
        ("rep", "list", "/api/v1/deals?status=active&sort=value&dir=desc"), ("rep", "list", "/api/v1/activities"),
        ("rep", "list", "/api/v1/meetings"), ("rep", "list", "/api/v1/tasks"),
        ("rep", "list", "/api/v1/companies?q=an"),
        ("rep", "read", f"/api/v1/companies/{company}"), ("rep", "read", f"/api/v1/contacts/{contact}"),
        ("rep", "read", f"/api/v1/deals/{deal}"), ("rep", "read", f"/api/v1/activities/{activity}"),
        ("rep", "read", f"/api/v1/meetings/{meeting}"), ("rep", "read", f"/api/v1/tasks/{task}"),
        ("manager", "list", "/api/v1/companies"), ("manager", "list", "/api/v1/contacts"),
        ("manager", "list", "/api/v1/deals"), ("manager", "list", "/api/v1/activities"),
        ("manager", "list", "/api/v1/meetings"), ("manager", "list", "/api/v1/tasks?view=team"),
        ("manager", "read", f"/api/v1/deals/{deal}"), ("manager", "read", f"/api/v1/companies/{company}"),
    ]  # fmt: skip
    results = measure([(rep if who == "rep" else manager, path) for who, _, path in requests])
    print(f"{'who':8} {'kind':5} {'request':50} {'p50 ms':>8} {'p95 ms':>8}  status")
    worst = {"list": 0.0, "read": 0.0}
    for (who, kind, path), (samples, status) in zip(requests, results, strict=True):
        p50, p95 = percentiles(samples)
        worst[kind] = max(worst[kind], p95)
        print(f"{who:8} {kind:5} {re.sub(r'[0-9a-f-]{36}', '<id>', path):50} {p50:8.1f} {p95:8.1f}  {status}")
    for kind, target in TARGETS.items():
        print(f"worst {kind} p95: {worst[kind]:.1f} ms (target <= {target:.0f} ms)")


if __name__ == "__main__":
    main()
