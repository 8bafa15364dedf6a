"""``Idempotency-Key`` on POST: the first answer to a key is stored with the change it answers (same
transaction, ``crm.api_idempotency_keys``, per token); the same key with the same request gets that
answer again (same status and body, nothing written twice); with another request, a 422 problem."""

from __future__ import annotations

import hashlib
import json

from flask import request
from sqlalchemy import text

from dashboard.api.problems import Problem, field_error
from dashboard.db import db

MAX_KEY = 255


def key() -> str | None:
    """The request's Idempotency-Key, or None.

    Raises:
        Problem: 400 for an empty or over-long key.
    """
    value = request.headers.get("Idempotency-Key")
    if value is None:
        return None
    if not 1 <= len(value.strip()) <= MAX_KEY:
        raise Problem(400, "Idempotency-Key must be 1 to 255 characters.",
                      [field_error("Idempotency-Key", "1 to 255 characters.")])  # fmt: skip
    return value.strip()


def fingerprint() -> bytes:
    """sha256 of what makes a request the same one: method, path and JSON body (key order ignored)."""
    try:
        body = json.dumps(json.loads(request.get_data(cache=True) or b"null"), sort_keys=True, separators=(",", ":"))
    except ValueError:
        body = request.get_data(cache=True).decode("utf-8", "replace")
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).digest()


def replay(used_key: str, digest: bytes):
    """The stored (status, body, location) for this key, or None when the key is new.

    Raises:
        Problem: 422 when the key was used for a different request.
    """
    row = db.session.execute(
        text("""select request_hash, status, body, location from crm.api_idempotency_keys
                where token_id = app.current_api_token_id() and key = :key"""),
        {"key": used_key},
    ).first()
    if row is None:
        return None
    if bytes(row.request_hash) != digest:
        raise Problem(422, "This Idempotency-Key was already used for a different request; use a new key.",
                      [field_error("Idempotency-Key", "Already used with another body or path.")])  # fmt: skip
    return row.status, row.body, row.location


def remember(used_key: str, digest: bytes, status: int, body: dict, location: str | None) -> None:
    """Store the answer in the current transaction (committed with the change it answers)."""
    db.session.execute(
        text("""insert into crm.api_idempotency_keys (token_id, key, user_id, request_hash, status, body, location)
                values (app.current_api_token_id(), :key, app.current_user_id(), :hash, :status, cast(:body as jsonb),
                        :location)"""),
        {"key": used_key, "hash": digest, "status": status, "body": json.dumps(body), "location": location},
    )
