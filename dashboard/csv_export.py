"""The one way data leaves the app as CSV: cells a spreadsheet would run as a formula are neutralised.

Stored text may start with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (``=cmd|' /C calc'!A0``
is a valid company name); Excel, LibreOffice and Google Sheets treat such a cell as a formula when the file
is opened. As OWASP's CSV injection guidance says, such text is written with a single quote in front
(``'=cmd|...``), which every spreadsheet shows as text; quotes, commas and line breaks inside a cell are
quoted by the csv module as usual.

Numbers are the exception: a value that is an ``int``, ``float`` or ``Decimal`` (not text) is written as the
number it is, so ``-5`` in a numeric column stays ``-5`` and sums still work; a number can hold no formula.
Text that merely looks like a number (a phone "+1 555 0100", a note "-5") is text and gets the quote.

Times (aware datetimes) are written in the user's zone with their offset, ISO 8601
(``2026-11-01T01:30:00-04:00``: the same instant as the stored ``05:30Z``, dashboard/timezones.py); days as they are.

Every CSV writer and ``text/csv`` response in ``dashboard/`` must come from here: tests/test_csv_export.py
fails for one anywhere else.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal

from flask import Response, request, stream_with_context

from dashboard import timezones

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what makes a spreadsheet evaluate a cell
NUMBERS = (int, float, Decimal)
FILE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
CHUNK_ROWS = 500  # rows per chunk of a streamed download


def cell(value):
    """``value`` as it is written: numbers as numbers, nothing as an empty cell, dates in ISO format (times in
    the user's zone, with the offset), and text that starts like a formula behind a single quote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, NUMBERS):
        return value
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = timezones.local(value)
    text = value.isoformat() if isinstance(value, date | datetime | time) else str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


class SafeWriter:
    """``csv.writer`` whose every cell goes through ``cell``."""

    def __init__(self, stream):
        self._writer = csv.writer(stream, lineterminator="\r\n")

    def writerow(self, row: Iterable) -> None:
        self._writer.writerow([cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


def to_csv(header: Iterable[str], rows: Iterable[Iterable]) -> str:
    """The whole file as text: the header row, then ``rows``."""
    stream = io.StringIO()
    writer = SafeWriter(stream)
    writer.writerow(header)
    writer.writerows(rows)
    return stream.getvalue()


def _headers(file_name: str) -> dict:
    name = FILE_NAME.sub("_", file_name).strip("._") or "export.csv"
    return {"Content-Disposition": f'attachment; filename="{name}"', "X-Content-Type-Options": "nosniff"}


def csv_response(file_name: str, header: Iterable[str], rows: Iterable[Iterable]) -> Response:
    """A download of ``rows`` as ``file_name`` (UTF-8 with a byte order mark, which Excel needs to read it)."""
    return Response("\ufeff" + to_csv(header, rows), mimetype="text/csv", headers=_headers(file_name))


def chunks(header: Iterable[str], rows: Iterable[Iterable], size: int = CHUNK_ROWS):
    """The file as text chunks of ``size`` rows (a byte order mark and the header first): a generator that
    pulls ``rows`` only as the download is sent."""
    stream = io.StringIO()
    writer = SafeWriter(stream)
    stream.write("\ufeff")
    writer.writerow(header)
    for number, row in enumerate(rows, 1):
        writer.writerow(row)
        if number % size == 0:
            yield stream.getvalue()
            stream.seek(0)
            stream.truncate()
    yield stream.getvalue()


def csv_stream(file_name: str, header: Iterable[str], rows: Iterable[Iterable]) -> Response:
    """A streamed download of ``rows`` (a lazy iterable, e.g. a server-side cursor) as ``file_name``: the
    response body is a generator run in the request's context (its database transaction, its user), so
    a list of 100,000 rows is never held in memory."""
    return Response(stream_with_context(chunks(header, rows)), mimetype="text/csv", headers=_headers(file_name))


def download(export, statement) -> Response:
    """The streamed download of a list: ``export`` (services/exports.py) names the file and its columns and
    reads the rows of ``statement``, the list's own query."""
    return csv_stream(export.file_name(), export.header(), export.rows(statement))


def requested() -> bool:
    """Whether the request asks for its list as CSV (``?format=csv``)."""
    return request.args.get("format") == "csv"
