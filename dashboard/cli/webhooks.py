"""``crm webhooks add --url U --events E1,E2 [--description D]`` (prints the endpoint's id and its secret, once),
``crm webhooks list`` and ``crm webhooks remove ID``: webhook endpoints from the command line, with the
operator's connection (dashboard/services/webhooks.py; the admin page is /admin/webhooks)."""

from __future__ import annotations

import uuid

import click

from dashboard.cli.common import admin_transaction, one_line_errors, reported_as_errors


@click.group("webhooks")
def group():
    """Webhook endpoints (events POSTed to other tools, signed per Standard Webhooks)."""


@group.command("add")
@click.option("--url", required=True, help="The receiver's http(s) URL.")
@click.option("--events", required=True, help="Comma-separated events, e.g. deal.stage_changed,deal.won,deal.lost.")
@click.option("--description", default="", help="What the endpoint is for.")
@one_line_errors
def add(url: str, events: str, description: str):
    """Register an endpoint; prints its id, then its signing secret (shown this once)."""
    from dashboard import credentials
    from dashboard.services import webhooks

    with reported_as_errors(webhooks.WebhookError, credentials.CredentialError), admin_transaction() as conn:
        created = webhooks.create_endpoint(conn, url, events.split(","), description)
    click.echo(f"id: {created.id}")
    click.echo(f"secret: {created.secret}")


@group.command("list")
@one_line_errors
def list_endpoints():
    """One line per endpoint: id, active or inactive, URL, events, deliveries sent/pending/failed."""
    from dashboard.services import webhooks

    with admin_transaction() as conn:
        rows = webhooks.list_endpoints(conn)
    for row in rows:
        state = "active" if row.active else "inactive"
        click.echo(f"{row.id}  {state:8}  {row.url}  {','.join(row.events)}  "
                   f"sent {row.succeeded}, pending {row.pending}, failed {row.failed}")  # fmt: skip
    if not rows:
        click.echo("no webhook endpoints")


@group.command("remove")
@click.argument("endpoint_id")
@one_line_errors
def remove(endpoint_id: str):
    """Delete an endpoint with its deliveries and their attempts."""
    from dashboard.services import webhooks

    try:
        parsed = uuid.UUID(endpoint_id)
    except ValueError:
        raise click.ClickException(f"not an endpoint id: {endpoint_id}") from None
    with admin_transaction() as conn:
        removed = webhooks.delete_endpoint(conn, parsed)
    if not removed:
        raise click.ClickException(f"no webhook endpoint {parsed}")
    click.echo(f"removed {parsed}")
