"""``crm duplicates scan [--kind companies|contacts]``: find the likely duplicate companies and contacts of the
whole database again (dashboard/services/duplicates.py), store them for /admin/duplicates and print counts
and times. A pair dismissed as not a duplicate stays dismissed."""

from __future__ import annotations

import click

from dashboard import vocabulary
from dashboard.cli.common import admin_transaction, one_line_errors


@click.group("duplicates")
def group():
    """Likely duplicate companies and contacts."""


@group.command("scan")
@click.option("--kind", type=click.Choice(vocabulary.DUPLICATE_KINDS), default=None, help="Only this kind.")
@one_line_errors
def scan(kind: str | None):
    """Scan every company and contact for likely duplicates; print what was found and how long it took."""
    from dashboard.services import duplicates

    with admin_transaction() as conn:
        results = duplicates.scan(conn, (kind,) if kind else tuple(vocabulary.DUPLICATE_KINDS))
    for r in results:
        click.echo(f"{r.kind}: {r.records} records, {r.candidates} candidate pairs compared, {r.likely} likely and "
                   f"{r.listed - r.likely} possible duplicate pairs, {r.seconds:.1f} s")  # fmt: skip
    click.echo(f"total {sum(r.seconds for r in results):.1f} s")
