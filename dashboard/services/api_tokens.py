"""Personal access tokens of the REST API: create, list, revoke, and check a presented one.

The rules live in the database (sql/functions/tokens.sql): only a token's hash is stored, crm_app
never reads it nor writes the table, a user creates tokens for themselves only and revokes their own (an
admin anyone's). Every function here takes a psycopg connection in the caller's transaction, acting as
the user: the web app passes its own (``db_connection()``), the CLI an operator connection with
``app.user_id`` set, so the page and ``crm tokens`` share one path.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import psycopg
from psycopg.rows import class_row

from dashboard import vocabulary


class TokenError(ValueError):
    """A token cannot be created as asked (the database's own message)."""


@dataclass(frozen=True)
class TokenCheck:
    """What a presented token is: ``status`` is ``ok`` or why it is refused (vocabulary.API_TOKEN_REFUSALS)."""

    status: str
    token_id: uuid.UUID | None = None
    user_id: uuid.UUID | None = None
    scope: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclass(frozen=True)
class TokenRow:
    """A token as its owner (or an admin) sees it: never the token or its hash."""

    id: uuid.UUID
    user_id: uuid.UUID
    name: str
    scope: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None

    @property
    def state(self) -> str:
        """live, revoked or expired (as of now)."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= datetime.now(self.expires_at.tzinfo):
            return "expired"
        return "live"


def create(conn: psycopg.Connection, name: str, scope: str, expires_days: int | None) -> tuple[uuid.UUID, str]:
    """A new token of the acting user: its id and the token itself (shown once, never stored)."""
    if scope not in vocabulary.API_TOKEN_SCOPES:
        raise TokenError(f"a token's scope is one of {', '.join(vocabulary.API_TOKEN_SCOPES)}")
    try:
        with conn.transaction():
            row = conn.execute(
                "select id, token from app.create_api_token(%s, %s, %s)", (name, scope, expires_days)
            ).fetchone()
    except (psycopg.errors.CheckViolation, psycopg.errors.InsufficientPrivilege) as exc:
        raise TokenError(exc.diag.message_primary or str(exc)) from None
    return row[0], row[1]


def list_for(conn: psycopg.Connection, user_id: uuid.UUID) -> list[TokenRow]:
    """A user's tokens, newest first (row-level security: own, or anyone's for an admin)."""
    with conn.cursor(row_factory=class_row(TokenRow)) as cur:
        return cur.execute(
            """select id, user_id, name, scope, prefix, created_at, expires_at, last_used_at, revoked_at
               from crm.api_tokens where user_id = %s order by created_at desc, id""",
            (user_id,),
        ).fetchall()


def revoke(conn: psycopg.Connection, token_id: uuid.UUID) -> bool:
    """Revoke a live token the acting user may revoke; False if there was none."""
    return bool(conn.execute("select app.revoke_api_token(%s)", (token_id,)).fetchone()[0])


def check(conn: psycopg.Connection, presented: str) -> TokenCheck:
    """Whose a presented token is, or why it is refused; a live token's last use is recorded."""
    if not presented.startswith(vocabulary.API_TOKEN_PREFIX) or len(presented) > 200:
        return TokenCheck("invalid")
    status, token_id, user_id, scope = conn.execute(
        "select status, token_id, user_id, scope from app.api_token_status(%s)", (presented,)
    ).fetchone()
    return TokenCheck(status, token_id, user_id, scope)
