"""The duplicate scan at the `large` scale (50,000 companies, 250,000 contacts).

Runs ``dashboard.services.duplicates.scan`` twice: as the owner (what ``crm duplicates scan`` does) and as
``crm_app`` acting as an admin under row-level security (the Scan button of /admin/duplicates), each in a
transaction that is rolled back. Prints per kind: records, candidate pairs compared, pairs listed, seconds;
then a few listed pairs with their score and reasons, and the machine-speed line.

    python bench/duplicates.py --pgdata /tmp/pgbench-dup   # loads `large` there first if empty
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import large_database, machine_speed, session_tokens  # noqa: E402
from dashboard import pg  # noqa: E402
from dashboard.services import duplicates  # noqa: E402

NAMES = {
    "companies": "select id::text, name from crm.companies",
    "contacts": "select id::text, concat(first_name, ' ', last_name, ' <', email, '>') from crm.contacts",
}


def run(url, token: str | None, label: str, show: int) -> None:
    engine = create_engine(url.render_as_string(hide_password=False))
    with engine.connect() as conn:
        if token:
            conn.execute(text("select set_config('app.session', :t, true)"), {"t": token})
            conn.execute(text("set local statement_timeout = 0"))
        started = time.perf_counter()
        results = duplicates.scan(conn)
        total = time.perf_counter() - started
        for r in results:
            print(f"{label}: {r.kind}: {r.records} records, {r.candidates} candidate pairs, "
                  f"{r.listed} listed ({r.likely} likely), {r.seconds:.1f} s")  # fmt: skip
        print(f"{label}: whole scan {total:.1f} s")
        for r in results:
            names = dict(conn.execute(text(NAMES[r.kind])).all()) if show else {}
            for a, b, score, reasons in r.pairs[:show]:
                print(f"  {score:.2f}  {names.get(a)}  |  {names.get(b)}  --  {'; '.join(reasons)}")
        conn.rollback()
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pgdata", type=Path, required=True)
    parser.add_argument("--show", type=int, default=8, help="listed pairs to print per kind")
    args = parser.parse_args()
    admin = large_database(args.pgdata)
    print(machine_speed())
    run(admin, None, "owner", args.show)
    with create_engine(admin.render_as_string(hide_password=False)).connect() as conn:
        admin_id = conn.execute(text("select id from crm.users where role = 'admin' and is_active limit 1")).scalar()
    token = session_tokens(admin, [admin_id])[str(admin_id)]
    run(pg.app_url_for(admin), token, "crm_app as admin", 0)
    print(machine_speed())


if __name__ == "__main__":
    main()
