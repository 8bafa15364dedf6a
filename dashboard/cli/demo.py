"""``crm demo-data``: deterministic synthetic demo data (the generator lives in dashboard.demo)."""

from __future__ import annotations

import datetime

import click

from dashboard import pg
from dashboard.cli.common import admin_connection, one_line_errors, reported_as_errors, upgrade_database_quietly

# the users of the small scale that `crm serve --demo` names (dashboard.demo.accounts makes them)
DEMO_USERS = ["admin@demo.test", "manager1@demo.test", "manager2@demo.test"] + [
    f"rep{n}@demo.test" for n in range(1, 9)
]


@click.command("demo-data")
@click.option("--scale", type=click.Choice(["small", "large"]), default="small", show_default=True)
@click.option("--seed", type=int, default=42, show_default=True)
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Date the data ends on (default today).")
@click.option("--replace", is_flag=True, help="Delete existing data first.")
@one_line_errors
def demo_data(scale: str, seed: int, as_of, replace: bool):
    """Load deterministic synthetic demo data."""
    from dashboard.demo import DemoDataExists, load_demo

    upgrade_database_quietly()
    url = pg.libpq_url(pg.admin_url())
    with reported_as_errors(DemoDataExists):
        counts = load_demo(url, scale=scale, seed=seed, as_of=as_of.date() if as_of else None, replace=replace)
    click.echo(", ".join(f"{table} {count:,}" for table, count in counts.items()))


def load_first_demo() -> None:
    """``crm serve --demo`` on an empty database: today's small demo data, scored so the demo shows scores."""
    from dashboard.demo import load_demo
    from dashboard.intelligence import scores

    click.echo("loading demo data (small scale)...")
    load_demo(pg.libpq_url(pg.admin_url()), scale="small", seed=42, as_of=datetime.date.today())
    click.echo("scoring the demo data...")
    with admin_connection() as conn:
        scores.rescore_all(conn, full_sentiment=True)


def echo_demo_users() -> None:
    from dashboard.demo import DEMO_PASSWORD

    click.echo(f"demo users (password {DEMO_PASSWORD}): " + ", ".join(DEMO_USERS))
