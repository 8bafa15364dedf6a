"""A list export of 100,000 deals (``/deals?format=csv``) through the Flask test client: seconds, bytes, and
the Python heap's peak while the body streams (tracemalloc), against the same export fetching every row at
once (one fetch of the whole result instead of batches of ``exports.BATCH``).

    python bench/export.py --pgdata /tmp/pgexport [--rows 100000]

The database is an embedded server in ``--pgdata`` with one rep who owns ``--rows`` deals (made once).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import tracemalloc
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard import create_app, migrate, pg  # noqa: E402
from dashboard.services import exports  # noqa: E402
from dashboard.users import create_user  # noqa: E402

EMAIL, PASSWORD = "exporter@bench.example", "bench-export-password-7"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def prepare(pgdata: Path, rows: int):
    admin = pg.start_embedded(pgdata.resolve())
    with psycopg.connect(pg.libpq_url(admin)) as conn:
        migrate.upgrade(conn, progress=lambda _: None)
        if conn.execute("select not exists (select from crm.users where email = %s)", (EMAIL,)).fetchone()[0]:
            create_user(conn, EMAIL, "rep", PASSWORD)
        owner = conn.execute("select id from crm.users where email = %s", (EMAIL,)).fetchone()[0]
        have = conn.execute("select count(*) from crm.deals where owner_id = %s", (owner,)).fetchone()[0]
        if have < rows:
            print(f"making {rows - have:,} deals ...", flush=True)
            conn.execute("""insert into crm.deals (name, value, owner_id, stage_id, expected_close_date)
                            select '=Deal ' || n, n, %s, (select id from crm.deal_stages order by position limit 1),
                                   current_date + (n %% 365)
                            from generate_series(%s, %s) n""", (owner, have + 1, rows))  # fmt: skip
    return admin


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pgdata", type=Path, required=True)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    admin = prepare(args.pgdata, args.rows)
    app = create_app({"SQLALCHEMY_DATABASE_URI": pg.app_url_for(admin).render_as_string(hide_password=False),
                      "LOG_LEVEL": "WARNING",  # no request log lines among the figures
                      "SECRET_KEY": "bench-" + "x" * 32})  # fmt: skip
    client = app.test_client()
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    assert client.post("/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token}).status_code == 302
    tracemalloc.start()
    start = time.perf_counter()
    response = client.get("/deals?format=csv", buffered=False)
    size = lines = 0
    for chunk in response.response:
        size += len(chunk)
        lines += chunk.count(b"\r\n")
    response.close()
    seconds = time.perf_counter() - start
    _, streamed_peak = tracemalloc.get_traced_memory()
    exports.BATCH = 10**9  # every row in one fetch: what an export that is not streamed holds
    tracemalloc.reset_peak()
    response = client.get("/deals?format=csv", buffered=False)
    for _ in response.response:
        pass
    response.close()
    _, whole_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"/deals?format=csv: {lines - 1:,} rows, {size / 1e6:.1f} MB in {seconds:.1f} s (with tracemalloc on); "
          f"Python heap peak while streaming {streamed_peak / 1e6:.1f} MB, "
          f"fetching every row at once {whole_peak / 1e6:.1f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
