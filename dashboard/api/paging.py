"""Cursor pagination: rows after the last one a page showed, in the list's order (a sort key, then the
id). The cursor is opaque to clients: base64url of the sort, its direction, the last row's sort value
and id. Keyset conditions follow ``lists.Sorting``: empty values last whatever the direction, ties by
ascending id."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import and_, or_

from dashboard.api.problems import Problem, field_error


def typed(value) -> list:
    if value is None:
        return ["n", None]
    for tag, kind in (("t", datetime), ("d", date), ("m", Decimal), ("u", uuid.UUID)):
        if isinstance(value, kind):
            return [tag, value.isoformat() if tag in "td" else str(value)]
    return ["v", value]


def untyped(pair):
    tag, value = pair
    readers = {"n": lambda _: None, "t": datetime.fromisoformat, "d": date.fromisoformat, "m": Decimal,
               "u": uuid.UUID, "v": lambda v: v}  # fmt: skip
    return readers[tag](value)


def encode(sort: str, direction: str, value, row_id) -> str:
    raw = json.dumps([sort, direction, typed(value), str(row_id)], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str, sort: str, direction: str) -> tuple:
    """(last sort value, last id) of a cursor made for this sort and direction.

    Raises:
        Problem: 400 for a cursor this list did not make.
    """
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        made_for, made_dir, value, row_id = json.loads(raw)
        if (made_for, made_dir) != (sort, direction):
            raise ValueError("another order")
        return untyped(value), uuid.UUID(row_id)
    except (ValueError, TypeError, KeyError, binascii.Error, json.JSONDecodeError):
        raise Problem(400, "The cursor is not one this list made with this sort; start again without it.",
                      [field_error("cursor", "Not a cursor of this list and sort.")]) from None  # fmt: skip


def after(column, id_column, direction: str, value, row_id):
    """Rows after (value, row_id) in ORDER BY column <direction> NULLS LAST, id."""
    if value is None:
        return and_(column.is_(None), id_column > row_id)
    beyond = column > value if direction == "asc" else column < value
    return or_(beyond, and_(column == value, id_column > row_id), column.is_(None))
