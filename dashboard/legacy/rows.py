"""Legacy CSV rows: reading the files and validating every row before anything is written.

Each problem is reported as (file, line, column, reason): headers, field count,
emails, numbers, stages, owners, dates, field sizes and formula-injection cells.
A wrong header makes the whole file unusable (:class:`LegacyFileError`); a bad
row only makes that row invalid.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from dashboard.legacy import normalize as n

DEAL_COLUMNS = [
    "legacy_id", "name", "company", "contact_name", "contact_email", "contact_phone", "value", "stage",
    "owner_email", "expected_close_date", "created_at",
]  # fmt: skip
ACTIVITY_COLUMNS = [
    "legacy_id", "owner_email", "type", "status", "client_name", "contact_identifier", "details", "date",
    "amount", "deal_legacy_id",
]  # fmt: skip
MAX_FIELD = 1000  # any cell but activity details
MAX_DETAILS = 20000
MAX_FILE_BYTES = 200 * 1024 * 1024
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ACTIVITY_TYPES = {
    "call": "call", "phone call": "call", "phone": "call", "email": "email", "e-mail": "email", "meeting": "meeting",
    "note": "note", "outbound": "outbound", "proposal": "proposal", "sale": "sale",
}  # fmt: skip
ACTIVITY_STATUSES = {"pending": "pending", "completed": "completed", "cancelled": "cancelled", "no_show": "no_show",
                     "done": "completed", "": "completed"}  # fmt: skip
_PHONE_CHARS = re.compile(r"^\+?[\d\s().\-/x]+$")


class LegacyFileError(Exception):
    """The file cannot be imported at all (missing, unreadable, wrong headers): one line for the CLI."""


@dataclass
class Problem:
    file: str
    line: int
    column: str
    reason: str


# --- reading ---------------------------------------------------------------------------------


def read_csv(text: str, columns: list[str], file: str, problems: list[Problem]) -> list[tuple[int, dict]]:
    """(line, row) for every well-formed record; malformed ones become problems. Wrong headers raise."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = next(reader)
    except StopIteration:
        raise LegacyFileError(f"{file}: the file is empty") from None
    except csv.Error as exc:
        raise LegacyFileError(f"{file}: line 1: malformed CSV ({exc})") from None
    check_header(header, columns, file)
    rows = []
    line = reader.line_num
    while True:
        start = line + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(file, start, "*", f"malformed CSV: {exc}"))
            line = reader.line_num
            continue
        line = reader.line_num
        if not record or record == [""]:
            continue  # blank line
        if len(record) != len(columns):
            problems.append(
                Problem(file, start, "*", f"malformed row: expected {len(columns)} fields, got {len(record)}")
            )
            continue
        rows.append((start, dict(zip(columns, record, strict=True))))
    return rows


def check_header(header: list[str], columns: list[str], file: str) -> None:
    """Raise LegacyFileError unless ``header`` names ``columns`` in order (case and spaces aside)."""
    header = [h.strip().lower() for h in header]
    if header != columns:
        missing = [c for c in columns if c not in header]
        extra = [c for c in header if c not in columns]
        detail = (f"missing {', '.join(missing)}" if missing else "") + (
            f"{'; ' if missing else ''}unexpected {', '.join(extra[:5])}" if extra else ""
        ) or "columns out of order"
        raise LegacyFileError(f"{file}: wrong headers ({detail}); expected: {','.join(columns)}")


def check_file_header(text: str, columns: list[str], file: str) -> None:
    """The first record of ``text`` must be the expected header (a quick check before an import is queued)."""
    try:
        header = next(csv.reader(io.StringIO(text.lstrip("\ufeff")[:65536])), None)
    except csv.Error as exc:
        raise LegacyFileError(f"{file}: line 1: malformed CSV ({exc})") from None
    if not header:
        raise LegacyFileError(f"{file}: the file is empty")
    check_header(header, columns, file)


# --- parsing and validation ----------------------------------------------------------------


def parse_amount(value: str) -> Decimal | None:
    text = value.strip().replace(",", "").replace("$", "").replace("£", "").replace("€", "").strip()
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError("not a number") from None
    if not amount.is_finite() or abs(amount) >= Decimal("1e12"):
        raise ValueError("not a number")
    if amount < 0:
        raise ValueError("negative value")
    return amount.quantize(Decimal("0.01"))


def parse_date(value: str) -> dt.date | None:
    text = value.strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%Y/%m/%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    raise ValueError("not a date (YYYY-MM-DD)")


def parse_datetime(value: str) -> dt.datetime | None:
    text = value.strip()
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError("not a date-time (YYYY-MM-DD HH:MM[:SS])") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    if not 1990 <= moment.year <= 2100:
        raise ValueError("date out of range")
    return moment


def _cell_problems(row: dict, numeric: set[str], sizes: dict[str, int]) -> list[tuple[str, str]]:
    found = []
    for column, value in row.items():
        if len(value) > sizes.get(column, MAX_FIELD):
            found.append((column, f"field too long ({len(value)} characters, at most {sizes.get(column, MAX_FIELD)})"))
        elif "\x00" in value:
            found.append((column, "contains a NUL character"))
        elif column not in numeric and value.lstrip(" ").startswith(FORMULA_START):
            if column in ("contact_phone", "contact_identifier") and _PHONE_CHARS.match(value.strip()):
                continue  # +44 20 ... is a phone number, not a formula
            found.append((column, "formula-like cell (starts with =, +, -, @, tab or CR)"))
    return found


def _record_problems(found: list[tuple[str, str]], file: str, line: int, problems: list[Problem]) -> bool:
    """Add the first problem of each cell in ``found`` to ``problems``; True if the row had any."""
    seen_columns = set()
    for column, reason in found:
        if column not in seen_columns:  # one problem per cell
            problems.append(Problem(file, line, column, reason))
            seen_columns.add(column)
    return bool(found)


# --- validated rows --------------------------------------------------------------------------


@dataclass
class DealRow:
    line: int
    legacy_id: str
    name: str
    company: str
    contact_name: str
    contact_email: str | None
    contact_phone: str
    value: Decimal
    stage_id: uuid.UUID
    owner_id: uuid.UUID
    expected_close_date: dt.date | None
    created_at: dt.datetime | None
    raw: dict
    staged_id: uuid.UUID | None = None  # crm.legacy_deals.id (staging path)
    deal_id: uuid.UUID | None = None


@dataclass
class ActivityRow:
    line: int
    legacy_id: str
    owner_id: uuid.UUID
    type: str
    status: str
    client_name: str
    contact_identifier: str
    details: str
    date: dt.datetime
    amount: Decimal | None
    deal_legacy_id: str
    raw: dict
    staged_id: uuid.UUID | None = None


def repeated_legacy_id(legacy_id: str, line: int, seen: dict[str, int], file: str, problems: list) -> bool:
    """Report a legacy_id this file already had (True); otherwise remember its line."""
    if legacy_id in seen:
        problems.append(Problem(file, line, "legacy_id", f"duplicate legacy_id (first on line {seen[legacy_id]})"))
        return True
    if legacy_id:
        seen[legacy_id] = line
    return False


def _owner_id(row: dict, owners: dict, found: list[tuple[str, str]]):
    """The active user the row's owner_email names, or None with the problem added to ``found``."""
    owner_id = owners.get(row["owner_email"].strip().lower())
    if owner_id is None:
        found.append(("owner_email", f"unknown owner {row['owner_email'][:60]!r}"))
    return owner_id


def validate_deal(line, row, file, stages, owners, problems) -> DealRow | None:
    found = _cell_problems(row, {"value"}, {})
    legacy_id = row["legacy_id"].strip()
    if not legacy_id:
        found.append(("legacy_id", "required"))
    if not n.clean(row["name"]):
        found.append(("name", "required"))
    email_text = row["contact_email"].strip()
    address = n.email(email_text) if email_text else None
    if email_text and address is None:
        found.append(("contact_email", f"invalid email address {email_text[:60]!r}"))
    value = None
    try:
        value = parse_amount(row["value"]) or Decimal("0.00")
    except ValueError as exc:
        found.append(("value", f"{exc} {row['value'][:40]!r}"))
    stage_id = stages.get(row["stage"].strip().lower())
    if stage_id is None:
        found.append(("stage", f"unknown stage {row['stage'][:40]!r}"))
    owner_id = _owner_id(row, owners, found)
    close = created = None
    try:
        close = parse_date(row["expected_close_date"])
    except ValueError as exc:
        found.append(("expected_close_date", str(exc)))
    try:
        created = parse_datetime(row["created_at"])
    except ValueError as exc:
        found.append(("created_at", str(exc)))
    if _record_problems(found, file, line, problems):
        return None
    return DealRow(line, legacy_id, n.clean(row["name"])[:200], row["company"], row["contact_name"], address,
                   row["contact_phone"], value, stage_id, owner_id, close, created, row)  # fmt: skip


def validate_activity(line, row, file, owners, known_deals, problems) -> ActivityRow | None:
    found = _cell_problems(row, {"amount"}, {"details": MAX_DETAILS})
    legacy_id = row["legacy_id"].strip()
    if not legacy_id:
        found.append(("legacy_id", "required"))
    owner_id = _owner_id(row, owners, found)
    kind = ACTIVITY_TYPES.get(n.clean(row["type"]).lower())
    if kind is None:
        found.append(("type", f"unknown activity type {row['type'][:40]!r}"))
    status = ACTIVITY_STATUSES.get(n.clean(row["status"]).lower())
    if status is None:
        found.append(("status", f"unknown status {row['status'][:40]!r}"))
    when = amount = None
    try:
        when = parse_datetime(row["date"])
        if when is None:
            found.append(("date", "required"))
    except ValueError as exc:
        found.append(("date", str(exc)))
    try:
        amount = parse_amount(row["amount"])
    except ValueError as exc:
        found.append(("amount", f"{exc} {row['amount'][:40]!r}"))
    deal_ref = row["deal_legacy_id"].strip()
    if deal_ref and deal_ref not in known_deals:
        found.append(("deal_legacy_id", f"unknown legacy deal {deal_ref[:40]!r}"))
    if _record_problems(found, file, line, problems):
        return None
    return ActivityRow(line, legacy_id, owner_id, kind, status, row["client_name"], row["contact_identifier"],
                       row["details"][:MAX_DETAILS], when, amount, deal_ref, row)  # fmt: skip
