"""Stored text that a spreadsheet would execute is neutralised wherever data leaves as CSV (issue 14,
finding 5): one writer, ``dashboard/csv_export.py``, and a source gate that every CSV the app writes uses it."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask

import dashboard
from dashboard.csv_export import FORMULA_START, SafeWriter, cell, csv_response, to_csv


def read_back(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


@pytest.mark.parametrize(
    "text",
    ["=cmd|' /C calc'!A0", "+1 555 0100", "-5", "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A9)", "\t=1+1", "\r=1+1",
     '=HYPERLINK("https://evil.example","click")'],
)  # fmt: skip
def test_text_that_starts_like_a_formula_is_written_behind_a_quote(text):
    assert read_back(to_csv(["name"], [[text]])) == [["name"], ["'" + text]]


def test_every_formula_start_is_covered():
    assert set(FORMULA_START) == {"=", "+", "-", "@", "\t", "\r"}
    for start in FORMULA_START:
        assert cell(start + "1") == "'" + start + "1"


def test_plain_text_and_quoting_are_unchanged():
    rows = [["Acme, Inc.", 'Say "hi"', "line\nbreak", "a=b", " =not a formula", "", "😀"]]
    assert read_back(to_csv(["a", "b", "c", "d", "e", "f", "g"], rows))[1] == rows[0]


def test_numbers_stay_numbers_and_other_values_are_spelled_out():
    """A number can hold no formula: -5 in a numeric column is written as -5 (sums keep working), while the
    text "-5" is text and gets the quote. Nothing is an empty cell, dates are ISO, booleans true/false."""
    row = [
        -5,
        Decimal("-1250.50"),
        -0.5,
        "-5",
        None,
        True,
        date(2026, 11, 25),
        datetime(2026, 11, 25, 9, 30, tzinfo=UTC),
    ]
    assert read_back(to_csv(list("abcdefgh"), [row]))[1] == [
        "-5", "-1250.50", "-0.5", "'-5", "", "true", "2026-11-25", "2026-11-25T09:30:00+00:00",
    ]  # fmt: skip


def test_the_writer_neutralises_every_row_it_writes():
    stream = io.StringIO()
    writer = SafeWriter(stream)
    writer.writerow(["=header"])
    writer.writerows([["@one"], ["+two"]])
    assert read_back(stream.getvalue()) == [["'=header"], ["'@one"], ["'+two"]]


def test_a_download_is_an_attachment_with_a_safe_name():
    with Flask(__name__).test_request_context():
        response = csv_response('../deals "Q4".csv', ["name", "value"], [["=1+1", -5]])
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="deals_Q4_.csv"'
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff") and read_back(body) == [["name", "value"], ["'=1+1", "-5"]]


# every CSV the app writes goes through csv_export: no other csv writer or text/csv response in dashboard/
WRITES_CSV = re.compile(r"csv\.(?:writer|DictWriter)\b|[\"']text/csv[\"']")


def test_no_csv_is_written_anywhere_else():
    package = Path(dashboard.__file__).parent
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if path.name != "csv_export.py" and WRITES_CSV.search(path.read_text())
    ]
    assert offenders == [], "write CSV with dashboard.csv_export (SafeWriter, to_csv, csv_response)"
    assert WRITES_CSV.search((package / "csv_export.py").read_text())  # the gate looks for the right thing
