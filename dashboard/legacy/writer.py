"""How the legacy import sends its statements: in order, on one connection, from a background thread.

The database spends most of an import in per-row triggers (audit, stage history,
relationship links); meanwhile the importing thread resolves and encodes the
next rows instead of waiting. Rows go in as chunked ``INSERT ... SELECT FROM
json_populate_recordset`` (:func:`insert_rows`) or as ``unnest`` arrays
(:func:`columns_of`).
"""

from __future__ import annotations

import datetime as dt
import json
import queue
import threading
import uuid
from collections.abc import Iterable
from concurrent.futures import Future
from decimal import Decimal

from psycopg import sql

INSERT_CHUNK = 5_000  # rows per INSERT statement


class BackgroundWriter:
    """The import's statements, run in order on its connection by a background thread.

    Statements run one at a time, in submission order, inside the caller's
    transaction: ``execute`` returns a future of the cursor. The first failure
    stops the thread; ``wait``, ``result`` and ``close`` raise it. ``stop`` (on
    any error in the caller) drops what is queued and waits for the statement in
    flight, so nothing runs after the caller's transaction has ended.
    """

    def __init__(self, conn, depth: int = 3):
        self.conn = conn
        self.queue: queue.Queue = queue.Queue(maxsize=depth)
        self.error: BaseException | None = None
        self.stopped = False
        self.thread = threading.Thread(target=self._run, name="legacy-import-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            item = self.queue.get()
            if item is None:
                return
            future, statement, params = item
            if self.error is not None:
                future.set_exception(self.error)  # what follows a failure fails with it
                continue
            if self.stopped:
                future.cancel()
                continue
            try:
                future.set_result(self.conn.execute(statement, params))
            except BaseException as exc:  # noqa: BLE001 - handed to the caller
                self.error = exc
                future.set_exception(exc)

    def execute(self, statement, params=None) -> Future:
        if self.error is not None:
            raise self.error
        future: Future = Future()
        self.queue.put((future, statement, params))
        return future

    def result(self, statement, params=None):
        """Run ``statement`` after everything queued and return its cursor."""
        return self.execute(statement, params).result()

    def wait(self) -> None:
        self.execute("select 1").result()

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error

    def stop(self) -> None:
        self.stopped = True
        self.queue.put(None)
        self.thread.join()


def insert_rows(writer: BackgroundWriter, table: str, columns: tuple[str, ...], rows: Iterable) -> list[Future]:
    """INSERT ``rows`` (tuples in ``columns`` order) in chunks through json_populate_recordset, queued on
    ``writer``; the futures' cursors hold the rows inserted.

    Not COPY: PostgreSQL refuses COPY FROM into a table with row-level security
    for a role that does not bypass it, and the admin page imports as crm_app.
    """
    names = sql.SQL(", ").join(map(sql.Identifier, columns))
    statement = sql.SQL(
        "insert into {table} ({names}) select {names} from json_populate_recordset(null::{table}, %s::json)"
    ).format(table=sql.Identifier("crm", table), names=names)
    return [writer.execute(statement, (_json_rows(columns, chunk),)) for chunk in _chunks(rows, INSERT_CHUNK)]


def columns_of(rows: list[tuple]) -> list[list]:
    """The rows' columns as lists: the parameters of an ``unnest(%s::type[], ...)`` statement."""
    return [list(column) for column in zip(*rows, strict=True)]


def count_rows(futures: list[Future]) -> int:
    """Rows the statements of ``futures`` wrote (waits for them; raises the first failure)."""
    return sum(f.result().rowcount for f in futures)


def _json_value(value):
    if isinstance(value, (uuid.UUID, Decimal)):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__}")


def _json_rows(columns: tuple[str, ...], rows: list[tuple]) -> str:
    """A JSON array of objects, one per row, for json_populate_recordset."""
    return json.dumps([dict(zip(columns, row, strict=True)) for row in rows], default=_json_value)


def _chunks(rows: Iterable, size: int):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
