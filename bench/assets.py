"""Bytes the dashboard transfers on a first and a repeat visit, in a real Chromium with its cache.

Starts (or reuses) an embedded PostgreSQL in ``--pgdata`` with today's small demo data, serves the
app on a loopback port, logs in as rep1 in Debian's Chromium (Playwright), empties the browser's
cache, and opens ``/`` twice: a first visit (nothing cached) and a repeat visit (the same browser, as
a person coming back to the page). Counts what the network delivered per response as Chromium's
DevTools protocol reports it (``Network.loadingFinished``: encoded bytes, headers included; cache
hits count 0) and the encoded body sizes alone. Targets (issue 15): first visit <= 600 KB, repeat
visit <= 30 KB.

    python bench/assets.py --pgdata /tmp/pgbench-assets
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import shutil
import sys
import tempfile
import threading
from pathlib import Path

import psycopg
from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard import create_app, migrate, pg  # noqa: E402
from dashboard.demo import DEMO_PASSWORD, load_demo  # noqa: E402

TARGETS = {"first": 600 * 1024, "repeat": 30 * 1024}
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def demo_database(pgdata: Path):
    """The superuser URL of the embedded server in ``pgdata``, migrated, with scored small demo data."""
    admin = pg.start_embedded(pgdata.resolve())
    with psycopg.connect(pg.libpq_url(admin)) as conn:
        migrate.upgrade(conn, progress=lambda _: None)
        empty = not conn.execute("select exists (select from crm.users)").fetchone()[0]
    if empty:
        print("loading the small demo data first ...", flush=True)
        load_demo(pg.libpq_url(admin), scale="small", seed=42, as_of=dt.date.today(), progress=False)
        from dashboard.intelligence import scores

        with psycopg.connect(pg.libpq_url(admin)) as conn:
            scores.rescore_all(conn, full_sentiment=True)
    return admin


def serve(admin, instance: Path) -> str:
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": pg.app_url_for(admin).render_as_string(hide_password=False),
        "SECRET_KEY": "bench-" + "x" * 40, "STATIC_BUILD_DIR": str(instance / "static-build"),
    })  # fmt: skip
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


class Meter:
    """Per-response transferred bytes from the DevTools protocol."""

    def __init__(self, cdp):
        self.urls, self.rows = {}, []
        cdp.on("Network.responseReceived", lambda e: self.urls.__setitem__(e["requestId"], e["response"]))
        cdp.on("Network.loadingFinished", self._finished)
        cdp.send("Network.enable")

    def _finished(self, event):
        response = self.urls.get(event["requestId"], {})
        if response.get("url", "").startswith("data:"):  # Plotly's inline icons: nothing on the network
            return
        cached = response.get("fromDiskCache") or response.get("fromMemoryCache")
        total = 0 if cached else int(event["encodedDataLength"])
        headers = 0 if cached else int(response.get("encodedDataLength") or 0)
        self.rows.append((response.get("url", "?"), response.get("status"), total, max(total - headers, 0)))

    def take(self) -> list[tuple]:
        rows, self.rows = self.rows, []
        return rows


def visit(page, meter: Meter, url: str) -> list[tuple]:
    page.goto(url, wait_until="networkidle")
    page.wait_for_function("document.querySelectorAll('[data-figure] .main-svg').length > 0")
    page.wait_for_timeout(300)
    return meter.take()


def report(name: str, rows: list[tuple]) -> int:
    total = sum(row[2] for row in rows)
    print(f"\n{name} visit: {total / 1024:.1f} KB transferred, {sum(r[3] for r in rows) / 1024:.1f} KB of bodies")
    for url, status, size, body in rows:
        short = url.split("127.0.0.1", 1)[-1].split(":", 1)[-1].lstrip("0123456789")
        print(f"  {status} {size / 1024:8.1f} KB  (body {body / 1024:7.1f} KB)  {short}")
    verdict = "ok" if total <= TARGETS[name] else "OVER TARGET"
    print(f"  target <= {TARGETS[name] // 1024} KB: {verdict}")
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pgdata", type=Path, default=Path("/tmp/pgbench-assets"))
    args = parser.parse_args()
    base = serve(demo_database(args.pgdata), args.pgdata.resolve().parent / "bench-assets-instance")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench-assets-chromium-") as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, viewport={"width": 1440, "height": 900},
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
        )  # fmt: skip
        page = context.new_page()
        page.goto(f"{base}/login")
        page.fill("#email", "rep1@demo.test")
        page.fill("#password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/")
        cdp = context.new_cdp_session(page)
        cdp.send("Network.clearBrowserCache")
        meter = Meter(cdp)
        first = report("first", visit(page, meter, f"{base}/"))
        repeat = report("repeat", visit(page, meter, f"{base}/"))
        context.close()
    print(f"\ndashboard: first visit {first / 1024:.1f} KB, repeat visit {repeat / 1024:.1f} KB")


if __name__ == "__main__":
    main()
