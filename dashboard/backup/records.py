"""The record of each backup taken (``crm.backups``), for the admin page: written by the operator's role."""

from __future__ import annotations

import datetime as dt

import psycopg
from sqlalchemy.engine import URL

from dashboard import pg


def record(url: URL, kind: str, trigger: str, started_at: dt.datetime, location: str, *, size_bytes: int | None = None,
           schema_version: str | None = None, sha256: str | None = None, error: str | None = None) -> bool:
    """Add one row to ``crm.backups`` (status from ``error``); False when the database has no such table yet
    (a schema older than the backups migration)."""
    with psycopg.connect(pg.libpq_url(url), autocommit=True) as conn:
        if not conn.execute("select to_regclass('crm.backups') is not null").fetchone()[0]:
            return False
        conn.execute(
            """insert into crm.backups (kind, trigger, status, started_at, location, size_bytes, schema_version,
                                        sha256, error)
               values (%s, %s, %s, least(%s, now()), %s, %s, %s, %s, %s)""",
            (kind, trigger, "failed" if error else "succeeded", started_at, location, size_bytes, schema_version,
             sha256, error),
        )  # fmt: skip
    return True
