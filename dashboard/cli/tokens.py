"""``crm tokens create|list|revoke``: personal access tokens of the REST API, as the operator acting for
a user (the rules live in dashboard.services.api_tokens and sql/functions/tokens.sql)."""

from __future__ import annotations

import uuid

import click

from dashboard import vocabulary
from dashboard.cli.common import (
    active_user_id,
    admin_connection,
    one_line_errors,
    reported_as_errors,
    upgrade_database_quietly,
)


@click.group("tokens")
def group():
    """Personal access tokens of the REST API."""


def _acting_as(conn, email: str) -> uuid.UUID:
    """Act as the active user with this email for the rest of the transaction (the trusted app.user_id)."""
    user_id = active_user_id(conn, email)
    conn.execute("select set_config('app.user_id', %s, true)", (str(user_id),))
    return user_id


@group.command("create")
@click.option("--email", required=True, help="The user the token acts as.")
@click.option("--name", required=True, help="What uses it (1-100 characters).")
@click.option("--scope", type=click.Choice(vocabulary.API_TOKEN_SCOPES), default="read", show_default=True)
@click.option("--expires-days", type=click.IntRange(1, vocabulary.API_TOKEN_MAX_EXPIRY_DAYS), default=None,
              help="Days until it expires (default: never).")  # fmt: skip
@one_line_errors
def create(email, name, scope, expires_days):
    """Create a token and print it, once, on one line (only its hash is kept)."""
    from dashboard.services import api_tokens

    upgrade_database_quietly()
    with admin_connection() as conn, reported_as_errors(api_tokens.TokenError):
        _acting_as(conn, email)
        _, token = api_tokens.create(conn, name, scope, expires_days)
    click.echo(token)


@group.command("list")
@click.option("--email", required=True)
@one_line_errors
def list_tokens(email):
    """A user's tokens: id, state, scope, prefix, last use, name (never the token)."""
    from dashboard.services import api_tokens

    upgrade_database_quietly()
    with admin_connection() as conn:
        user_id = _acting_as(conn, email)
        tokens = api_tokens.list_for(conn, user_id)
    for t in tokens:
        used = f"{t.last_used_at:%Y-%m-%d %H:%M}Z" if t.last_used_at else "never used"
        click.echo(f"{t.id}  {t.state:<7}  {t.scope:<5}  {t.prefix}…  {used}  {t.name}")
    if not tokens:
        click.echo("no tokens", err=True)


@group.command("revoke")
@click.option("--id", "token_id", type=click.UUID, required=True)
@one_line_errors
def revoke(token_id):
    """Revoke a token (whoever's it is): requests with it are refused from now on."""
    upgrade_database_quietly()
    with admin_connection() as conn:
        revoked = conn.execute(
            "update crm.api_tokens set revoked_at = now() where id = %s and revoked_at is null", (token_id,)
        ).rowcount
    if not revoked:
        raise click.ClickException(f"no live token {token_id}")
    click.echo(f"revoked {token_id}")
