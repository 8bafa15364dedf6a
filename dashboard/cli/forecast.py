"""``crm forecast snapshot [--month YYYY-MM]`` and ``crm quota set --email E --month YYYY-MM --amount N``:
the monthly forecast snapshot (dashboard.services.forecast) and quotas, as the operator."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

import click

from dashboard.cli.common import admin_connection, one_line_errors, upgrade_database_quietly

MAX_AMOUNT = Decimal("999999999999.99")  # numeric(14,2)


def month_option(value: str | None):
    """``YYYY-MM`` as the month's first day (None: none given)."""
    from dashboard.services.forecast import FIRST_YEAR, LAST_YEAR, parse_month

    if value is None:
        return None
    month = parse_month(value)
    if month is None:
        raise click.ClickException(
            f"--month: {value[:20]!r} is not a month from {FIRST_YEAR}-01 to {LAST_YEAR}-12 (YYYY-MM)"
        )
    return month


@click.group("forecast")
def group():
    """The sales forecast."""


@group.command("snapshot")
@click.option("--month", default=None, help="YYYY-MM (default: this month, UTC).")
@one_line_errors
def snapshot(month):
    """Store every rep's forecast for the month, unless the month already has its snapshot."""
    from dashboard.services.forecast import take_forecast_snapshot

    first = month_option(month) or dt.datetime.now(dt.UTC).date().replace(day=1)
    upgrade_database_quietly()
    with admin_connection() as conn:
        written = take_forecast_snapshot(conn, first)
        taken_at, users = conn.execute(
            "select min(taken_at), count(*) from crm.forecast_snapshots where month = %s", (first,)
        ).fetchone()
    if written:
        click.echo(f"took the forecast snapshot of {first:%Y-%m}: {written} user(s)")
    elif users:
        taken = taken_at.astimezone(dt.UTC)
        click.echo(f"{first:%Y-%m} already has its snapshot (taken {taken:%Y-%m-%d %H:%M} UTC, {users} user(s))")
    else:
        click.echo(f"nobody to snapshot for {first:%Y-%m}: no active reps or managers")


@click.group("quota")
def quota_group():
    """Quotas: what a user is expected to close won in a month."""


@quota_group.command("set")
@click.option("--email", required=True, help="The user's email.")
@click.option("--month", required=True, help="YYYY-MM.")
@click.option("--amount", required=True, help="The quota (0 or more).")
@one_line_errors
def set_quota(email, month, amount):
    """Set (or replace) a user's quota for a month."""
    first = month_option(month)
    try:
        value = Decimal(amount.strip().replace(",", ""))
    except InvalidOperation:
        raise click.ClickException(f"--amount: {amount[:20]!r} is not a number") from None
    if not value.is_finite() or not 0 <= value <= MAX_AMOUNT:
        raise click.ClickException(f"--amount: must be from 0 to {MAX_AMOUNT:,}")
    upgrade_database_quietly()
    with admin_connection() as conn:
        user = conn.execute(
            "select id, full_name from crm.users where lower(email) = lower(%s)", (email.strip(),)
        ).fetchone()
        if user is None:
            raise click.ClickException(f"no user with the email {email.strip()[:320]}")
        conn.execute(
            """insert into crm.quotas (user_id, month, amount) values (%s, %s, %s)
               on conflict (user_id, month) do update set amount = excluded.amount, version = crm.quotas.version + 1""",
            (user[0], first, value.quantize(Decimal("0.01"))),
        )
    click.echo(f"quota of {user[1]} for {first:%Y-%m}: {value:,.2f}")
