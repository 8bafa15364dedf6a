"""The thresholds of ``crm.intelligence_thresholds()``: the one place every
score, risk factor, dashboard figure, totals trigger and page takes its
cut-offs from (the 0.7 win probability, the 75 top-opportunity score, the
80 / 50 high and medium scores, the 0.7 decision-maker score...).

SQL reads one with ``crm.threshold(name)``; Python reads the row here; the
templates print it through the ``thresholds()`` global (dashboard/templating.py).
"""

from __future__ import annotations

import functools
from types import MappingProxyType

from sqlalchemy import text

QUERY = "select * from crm.intelligence_thresholds()"


def read(conn) -> dict:
    """The thresholds as a dict, from a psycopg connection or an SQLAlchemy session."""
    if hasattr(conn, "cursor") and not hasattr(conn, "get_bind"):
        cursor = conn.execute(QUERY)
        names = [column.name for column in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))
    return dict(conn.execute(text(QUERY)).mappings().one())


@functools.cache
def current() -> MappingProxyType:
    """The thresholds, read through the app's session once per process (the function is immutable:
    a change to it is a deploy, which restarts the app)."""
    from dashboard.db import db

    return MappingProxyType(read(db.session))
