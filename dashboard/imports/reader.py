"""A CSV file as people export it, read into rows: a byte order mark or none, UTF-8 or else Latin-1
(Windows-1252, which Excel writes), ``,`` or ``;`` or tab between fields, blank lines, rows with more or
fewer fields than the header (extra fields are ignored, missing ones are empty)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

MAX_FILE_BYTES = 50 * 1024 * 1024
DELIMITERS = (",", ";", "\t")
MAX_HEADERS = 200


class ImportFileError(ValueError):
    """The file cannot be imported at all (empty, binary, no header); nothing is written."""


@dataclass
class ParsedFile:
    """The header, then (line number, {header: value}) for every non-blank row."""

    headers: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    delimiter: str = ","
    encoding: str = "utf-8"
    text: str = ""  # the decoded file


def decode(raw: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 (with or without a BOM), else Windows-1252 / Latin-1."""
    if b"\x00" in raw:
        raise ImportFileError("The file contains NUL bytes: it is not a text CSV (UTF-16?). Save it as CSV UTF-8.")
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


def sniff_delimiter(text: str) -> str:
    """The delimiter the header line uses most: ``;`` (European Excel), tab, or ``,``."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def parse(text: str, encoding: str = "utf-8") -> ParsedFile:
    """The rows of ``text``; raises ImportFileError for a file with no header."""
    text = text.lstrip("\ufeff")
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers: list[str] | None = None
    parsed = ParsedFile(headers=[], delimiter=delimiter, encoding=encoding)
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue  # blank line
            if headers is None:
                headers = _headers(record)
                continue
            values = [cell.strip() for cell in record[: len(headers)]]
            values += [""] * (len(headers) - len(values))
            parsed.rows.append((reader.line_num, dict(zip(headers, values, strict=True))))
    except csv.Error as exc:
        raise ImportFileError(f"line {reader.line_num}: malformed CSV ({exc})") from None
    if headers is None:
        raise ImportFileError("The file is empty: no header row.")
    parsed.headers = headers
    return parsed


def _headers(record: list[str]) -> list[str]:
    """The header row, trimmed; an empty or repeated header gets a name of its own (column 3, name (2))."""
    if len(record) > MAX_HEADERS:
        raise ImportFileError(f"The header has {len(record)} columns; at most {MAX_HEADERS} are read.")
    headers: list[str] = []
    for number, cell in enumerate(record, 1):
        name = cell.strip() or f"column {number}"
        base, copy = name, 2
        while name in headers:
            name, copy = f"{base} ({copy})", copy + 1
        headers.append(name)
    return headers


def read(raw: bytes) -> ParsedFile:
    """Decode and parse an uploaded file."""
    if not raw.strip():
        raise ImportFileError("The file is empty.")
    if len(raw) > MAX_FILE_BYTES:
        raise ImportFileError(f"The file is larger than {MAX_FILE_BYTES // 1024 // 1024} MB.")
    text, encoding = decode(raw)
    parsed = parse(text, encoding)
    parsed.text = text
    return parsed
