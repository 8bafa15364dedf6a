"""What the benches share: a migrated `large` database to measure on, and p50/p95."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import psycopg
from sqlalchemy.engine import URL

from dashboard import migrate, pg
from dashboard.demo import load_demo


def large_database(pgdata: Path) -> URL:
    """The superuser URL of the embedded server in ``pgdata``, migrated, with the `large` demo loaded if empty."""
    admin = pg.start_embedded(pgdata.resolve())
    with psycopg.connect(pg.libpq_url(admin)) as conn:
        migrate.upgrade(conn, progress=lambda _: None)
        empty = not conn.execute("select exists (select from crm.deals)").fetchone()[0]
    if empty:
        print("loading the large scale first ...", flush=True)
        load_demo(pg.libpq_url(admin), scale="large", seed=42)
    return admin


def session_tokens(admin: URL, user_ids) -> dict[str, str]:
    """Live session tokens for these users, written as the superuser (a bench logs in with no password).

    A crm_app connection acts as a user only by presenting one: ``set_config('app.session', token, true)``."""
    with psycopg.connect(pg.libpq_url(admin), autocommit=True) as conn:
        issue = "select app.issue_session(%s, 'web', 86400)"
        return {str(user_id): conn.execute(issue, (user_id,)).fetchone()[0] for user_id in user_ids}


def percentiles(samples: list[float]) -> tuple[float, float]:
    """Median and 95th percentile (nearest rank) of ``samples``."""
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def machine_speed() -> str:
    """One line on how fast this machine runs right now: the best of three 3M-step Python loops.

    The machines here share their CPUs, and the same bench reads 1.5x slower when a neighbour is busy;
    printing this beside the figures tells a slow run from a regression (80-90 ms on a quiet
    machine here, about 1.5x that when it is busy)."""
    best = float("inf")
    for _ in range(3):
        start, total = time.perf_counter(), 0
        for step in range(3_000_000):
            total += step
        best = min(best, time.perf_counter() - start)
    return f"machine speed: a 3M-step Python loop took {best * 1000:.0f} ms (80-90 when quiet here)"
