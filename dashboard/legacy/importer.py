"""``crm import-legacy``: validate legacy CSV files, then write everything in ONE transaction.

Phases:

1. **Read and validate** every row (headers, field count, emails, numbers,
   stages, owners, dates, field sizes, formula-injection cells). Each problem
   is reported as (file, line, column, reason).
2. **Resolve and write** inside one transaction: companies and contacts (see
   ``resolve``), deals, the staged legacy rows with their provenance,
   activities, deal_stakeholders, company_activities provenance, inferred
   deal_meetings, review items and the import-run row. Any failure (or a
   killed process) rolls all of it back. Rows are written in chunks as they
   are resolved, by a background thread on the same connection and in the same
   transaction (``_Writer``), so resolving the next rows overlaps the database's
   per-row triggers instead of waiting for them.

Default mode is all-or-nothing: with any invalid row nothing is written.
``skip_invalid`` writes the valid rows. ``dry_run`` runs everything and rolls
back. For every run ``read = written + invalid + unchanged + held_back``
(unchanged: legacy ids already imported; held_back: valid rows not written
because another row was invalid). Re-running a file changes nothing.

``from_staging`` resolves the rows already in ``crm.legacy_deals`` /
``crm.legacy_activities`` with ``migrated_at`` null (the demo data's legacy
rows) through the same code path; their existing deals get their links.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import queue
import re
import threading
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation

import psycopg
from psycopg import sql

from dashboard.legacy import normalize as n
from dashboard.legacy.resolve import LINK_STRENGTH, Resolver

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
MAX_STORED_PROBLEMS = 10_000  # the run record keeps this many problems (all are counted)
INSERT_CHUNK = 5_000  # rows per INSERT statement
# one import at a time: two imports of overlapping files would race on the legacy ids
IMPORT_LOCK = 7_201_125  # pg_try_advisory_xact_lock key
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


class ImportBusyError(LegacyFileError):
    """Another import holds the import lock; nothing was written (retry when it has finished)."""


@dataclass
class Problem:
    file: str
    line: int
    column: str
    reason: str


@dataclass
class Report:
    rows_read: int = 0
    rows_written: int = 0
    rows_invalid: int = 0
    rows_unchanged: int = 0
    rows_held_back: int = 0
    activities_read: int = 0
    activities_written: int = 0
    activities_invalid: int = 0
    activities_unchanged: int = 0
    activities_held_back: int = 0
    companies_created: int = 0
    companies_matched: int = 0
    contacts_created: int = 0
    contacts_matched: int = 0
    deals_created: int = 0
    deals_linked: int = 0
    stakeholders_created: int = 0
    meetings_linked: int = 0
    queued_for_review: int = 0
    coverage_before: dict = field(default_factory=dict)
    coverage_after: dict = field(default_factory=dict)
    links: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False
    committed: bool = False
    run_id: str | None = None

    def as_dict(self, max_problems: int | None = None) -> dict:
        data = asdict(self)
        data["problems"] = [asdict(p) for p in self.problems[:max_problems]]
        data["problems_total"] = len(self.problems)
        return data

    def summary_lines(self) -> list[str]:
        cb, ca = self.coverage_before, self.coverage_after
        state = "dry run, nothing written" if self.dry_run else ("committed" if self.committed else "nothing written")
        return [
            f"deals: {self.rows_read} read, {self.rows_written} written, {self.rows_invalid} invalid, "
            f"{self.rows_unchanged} already imported, {self.rows_held_back} held back ({state})",
            f"activities: {self.activities_read} read, {self.activities_written} written, "
            f"{self.activities_invalid} invalid, {self.activities_unchanged} already imported, "
            f"{self.activities_held_back} held back",
            f"companies: {self.companies_created} created, {self.companies_matched} matched; "
            f"contacts: {self.contacts_created} created, {self.contacts_matched} matched",
            f"deals: {self.deals_created} created, {self.deals_linked} linked to a company; "
            f"{self.stakeholders_created} stakeholders, {self.meetings_linked} meetings linked; "
            f"{self.queued_for_review} queued for review",
            f"coverage (deals with a company / with a contact): before {_pct(cb, 'company_pct')} / "
            f"{_pct(cb, 'contact_pct')}, after {_pct(ca, 'company_pct')} / {_pct(ca, 'contact_pct')}",
        ]


def _pct(coverage: dict, key: str) -> str:
    return "—" if coverage.get(key) is None else f"{coverage[key]}%"


# --- reading and validation --------------------------------------------------------------------


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
    owner_id = owners.get(row["owner_email"].strip().lower())
    if owner_id is None:
        found.append(("owner_email", f"unknown owner {row['owner_email'][:60]!r}"))
    close = created = None
    try:
        close = parse_date(row["expected_close_date"])
    except ValueError as exc:
        found.append(("expected_close_date", str(exc)))
    try:
        created = parse_datetime(row["created_at"])
    except ValueError as exc:
        found.append(("created_at", str(exc)))
    seen_columns = set()
    for column, reason in found:
        if column not in seen_columns:  # one problem per cell
            problems.append(Problem(file, line, column, reason))
            seen_columns.add(column)
    if found:
        return None
    return DealRow(line, legacy_id, n.clean(row["name"])[:200], row["company"], row["contact_name"], address,
                   row["contact_phone"], value, stage_id, owner_id, close, created, row)  # fmt: skip


def validate_activity(line, row, file, owners, known_deals, problems) -> ActivityRow | None:
    found = _cell_problems(row, {"amount"}, {"details": MAX_DETAILS})
    legacy_id = row["legacy_id"].strip()
    if not legacy_id:
        found.append(("legacy_id", "required"))
    owner_id = owners.get(row["owner_email"].strip().lower())
    if owner_id is None:
        found.append(("owner_email", f"unknown owner {row['owner_email'][:60]!r}"))
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
    seen_columns = set()
    for column, reason in found:
        if column not in seen_columns:
            problems.append(Problem(file, line, column, reason))
            seen_columns.add(column)
    if found:
        return None
    return ActivityRow(line, legacy_id, owner_id, kind, status, row["client_name"], row["contact_identifier"],
                       row["details"][:MAX_DETAILS], when, amount, deal_ref, row)  # fmt: skip


# --- the database side -----------------------------------------------------------------------


def coverage(conn) -> dict:
    total, with_company, with_contact = conn.execute(
        "select count(*), count(company_id), count(primary_contact_id) from crm.deals"
    ).fetchone()
    legacy_total, legacy_linked = conn.execute(
        """select count(*), count(*) filter (where d.company_id is not null and d.primary_contact_id is not null)
           from crm.legacy_deals l join crm.deals d on d.id = l.deal_id"""
    ).fetchone()

    def pct(part, whole):
        return round(100.0 * part / whole, 1) if whole else None  # no deals: no coverage to speak of

    return {
        "deals": total, "with_company": with_company, "with_contact": with_contact,
        "company_pct": pct(with_company, total), "contact_pct": pct(with_contact, total),
        "legacy_deals": legacy_total, "legacy_linked": legacy_linked, "legacy_pct": pct(legacy_linked, legacy_total),
    }  # fmt: skip


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


def _insert(writer, table: str, columns: tuple[str, ...], rows: Iterable) -> list[Future]:
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


def run_import(
    conn: psycopg.Connection,
    deals_text: str | None = None,
    activities_text: str | None = None,
    *,
    deals_file: str = "deals.csv",
    activities_file: str = "activities.csv",
    dry_run: bool = False,
    skip_invalid: bool = False,
    from_staging: bool = False,
    actor_id=None,
    run_id=None,
    on_commit: Callable[[psycopg.Connection, Report], None] | None = None,
    progress: Callable[..., None] = lambda *_: None,
    fail_after: Callable[[str], None] | None = None,
) -> Report:
    """Validate, then resolve and write in one transaction of ``conn`` (see the module docstring).

    ``conn`` may be a superuser connection (the CLI) or the app's connection
    acting as an admin under RLS (the upload page). ``run_id`` is the
    ``crm.legacy_import_runs`` row (written by ``runs``, outside this
    transaction) that review items point at; ``on_commit(conn, report)`` runs
    as the transaction's last statement when it is about to commit (the run
    row is marked completed atomically with the data). ``progress(message,
    done=None, total=None)`` is told what is happening. ``fail_after`` is a
    test hook called after each write phase.
    """
    report = Report(dry_run=dry_run)
    problems = report.problems
    deal_rows = read_csv(deals_text, DEAL_COLUMNS, deals_file, problems) if deals_text is not None else []
    activity_problems: list[Problem] = []
    activity_rows = (
        read_csv(activities_text, ACTIVITY_COLUMNS, activities_file, activity_problems)
        if activities_text is not None else []
    )  # fmt: skip
    malformed_deals = len(problems)
    report.rows_read = len(deal_rows) + malformed_deals
    report.activities_read = len(activity_rows) + len(activity_problems)

    with conn.transaction():
        if actor_id is not None:
            conn.execute("select set_config('app.user_id', %s, true)", (str(actor_id),))
        # crm_app's 5 s statement limit and 30 s idle-in-transaction limit are for requests; an
        # import of 100k rows needs longer statements and resolves in Python between them
        conn.execute("select set_config('statement_timeout', '10min', true)")
        conn.execute("select set_config('idle_in_transaction_session_timeout', '10min', true)")
        if not conn.execute("select pg_try_advisory_xact_lock(%s)", (IMPORT_LOCK,)).fetchone()[0]:
            raise ImportBusyError("another legacy import is running; try again when it has finished")
        report.run_id = str(run_id) if run_id else None
        stages = {name.lower(): sid for sid, name in conn.execute("select id, name from crm.deal_stages")}
        owners = {email.lower(): uid for uid, email in conn.execute("select id, email from crm.users where is_active")}
        existing_deals = dict(conn.execute("select legacy_id, deal_id from crm.legacy_deals").fetchall())
        migrated_deals = {
            lid for (lid,) in conn.execute("select legacy_id from crm.legacy_deals where migrated_at is not null")
        }
        existing_activities = {lid for (lid,) in conn.execute("select legacy_id from crm.legacy_activities")}

        if from_staging:
            staged = conn.execute(
                """select id, legacy_id, name, company, contact_name, contact_email, contact_phone, value, stage,
                          owner_email, expected_close_date, created_at, deal_id
                   from crm.legacy_deals where migrated_at is null order by legacy_id"""
            ).fetchall()
            deal_rows = []
            for number, (sid, *values, deal_id) in enumerate(staged, start=1):
                row = {c: (v or "") for c, v in zip(DEAL_COLUMNS, values, strict=True)}
                deal_rows.append((number, row, sid, deal_id))
            staged_acts = conn.execute(
                """select id, legacy_id, owner_email, type, status, client_name, contact_identifier, details, date,
                          amount, deal_legacy_id
                   from crm.legacy_activities where activity_id is null and migrated_at is null order by legacy_id"""
            ).fetchall()
            activity_rows = [
                (number, {c: (v or "") for c, v in zip(ACTIVITY_COLUMNS, values, strict=True)}, sid)
                for number, (sid, *values) in enumerate(staged_acts, start=1)
            ]
            report.rows_read, report.activities_read = len(deal_rows), len(activity_rows)
            deals_file, activities_file = "crm.legacy_deals", "crm.legacy_activities"
        else:
            deal_rows = [(line, row, None, None) for line, row in deal_rows]
            activity_rows = [(line, row, None) for line, row in activity_rows]

        # 1. validation (nothing written yet)
        total = len(deal_rows) + len(activity_rows)
        progress("validating", 0, total)
        valid_deals: list[DealRow] = []
        seen: dict[str, int] = {}
        for number, (line, row, staged_id, deal_id) in enumerate(deal_rows):
            if number % 5000 == 4999:
                progress("validating", number, total)
            lid = row["legacy_id"].strip()
            if repeated_legacy_id(lid, line, seen, deals_file, problems):
                continue
            if not from_staging and lid in existing_deals:
                report.rows_unchanged += 1
                continue
            parsed = validate_deal(line, row, deals_file, stages, owners, problems)
            if parsed is not None:
                parsed.staged_id, parsed.deal_id = staged_id, deal_id
                valid_deals.append(parsed)
        report.rows_invalid = len({p.line for p in problems})

        known_deals = set(existing_deals) | {d.legacy_id for d in valid_deals}
        valid_acts: list[ActivityRow] = []
        seen = {}
        problems.extend(activity_problems)
        before = len(problems)
        for line, row, staged_id in activity_rows:
            lid = row["legacy_id"].strip()
            if repeated_legacy_id(lid, line, seen, activities_file, problems):
                continue
            if not from_staging and lid in existing_activities:
                report.activities_unchanged += 1
                continue
            parsed = validate_activity(line, row, activities_file, owners, known_deals, problems)
            if parsed is not None:
                parsed.staged_id = staged_id
                valid_acts.append(parsed)
        report.activities_invalid = len({p.line for p in problems[before - len(activity_problems) :]})
        progress(f"validated {report.rows_read} deal rows and {report.activities_read} activity rows")

        if problems and not skip_invalid:
            report.rows_held_back = len(valid_deals)
            report.activities_held_back = len(valid_acts)
            raise _Rollback(report)

        # 2. resolution and writes
        report.coverage_before = coverage(conn)
        _write(conn, report, valid_deals, valid_acts, existing_deals, migrated_deals, from_staging, run_id, progress,
               fail_after)  # fmt: skip
        report.coverage_after = coverage(conn)
        if dry_run:
            raise _Rollback(report)
        report.committed = True
        if on_commit is not None:
            on_commit(conn, report)
    return report


class _Rollback(Exception):
    def __init__(self, report):
        super().__init__("rolled back")
        self.report = report


def import_legacy(conn, *args, **kwargs) -> Report:
    """``run_import`` that returns the report also when it rolled back (dry run or invalid rows)."""
    try:
        return run_import(conn, *args, **kwargs)
    except _Rollback as done:
        done.report.committed = False
        return done.report


class _Writer:
    """The import's statements, run in order on its connection by a background thread.

    The database spends most of an import in per-row triggers (audit, stage history, relationship
    links); meanwhile this process resolves and encodes the next rows instead of waiting. Statements
    still run one at a time, in submission order, inside the caller's transaction: ``execute``
    returns a future of the cursor. The first failure stops the thread; ``wait``, ``result`` and
    ``close`` raise it. ``stop`` (on any error in the caller) drops what is queued and waits for the
    statement in flight, so nothing runs after the caller's transaction has ended.
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


def _write(conn, report, deals, acts, existing_deals, migrated_deals, from_staging, run_id, progress,
           fail_after):  # fmt: skip
    writer = _Writer(conn)
    try:
        _write_all(writer, report, deals, acts, existing_deals, migrated_deals, from_staging, run_id, progress,
                   fail_after)  # fmt: skip
    except BaseException:
        writer.stop()
        raise
    writer.close()


def _count(futures: list[Future]) -> int:
    return sum(f.result().rowcount for f in futures)


def _write_all(writer, report, deals, acts, existing_deals, migrated_deals, from_staging, run_id, progress,
               fail_after):  # fmt: skip
    def hook(phase: str) -> None:
        if fail_after is not None:
            writer.wait()  # the phase's writes are done when the hook runs
            fail_after(phase)

    companies = writer.result("select id, name, domain from crm.companies").fetchall()
    contacts = writer.result("select id, first_name, last_name, email, phone, company_id from crm.contacts").fetchall()
    resolver = Resolver(companies, contacts)
    now = dt.datetime.now(dt.UTC)
    company_owner: dict[uuid.UUID, uuid.UUID] = {}
    contact_owner: dict[uuid.UUID, uuid.UUID] = {}
    resolved = []
    matched_companies, matched_contacts = set(), set()
    links: dict[str, int] = {}
    deal_futures, stakeholder_futures, company_futures, contact_futures = [], [], [], []
    written_companies = written_contacts = 0
    steps = 5  # writing: companies and contacts, deals, legacy rows, activities, meetings

    def flush(batch: list) -> None:
        """Write what the rows of ``batch`` resolved to: new companies and contacts, then deals and stakeholders.

        A company or contact is complete when it is created (a created company gets its domain then,
        and its owner is the first deal owner that needed it), so each can be written at once.
        """
        nonlocal written_companies, written_contacts
        new_companies = resolver.new_companies[written_companies:]
        written_companies = len(resolver.new_companies)
        company_futures.extend(_insert(
            writer, "companies", ("id", "name", "domain", "owner_id"),
            ((c.id, c.name, c.domain, company_owner[c.id]) for c in new_companies),
        ))  # fmt: skip
        new_contacts = resolver.new_contacts[written_contacts:]
        written_contacts = len(resolver.new_contacts)
        contact_futures.extend(_insert(
            writer, "contacts", ("id", "first_name", "last_name", "email", "phone", "company_id", "owner_id"),
            ((c.id, c.first_name, c.last_name, c.email, c.phone, c.company_id, contact_owner[c.id])
             for c in new_contacts),
        ))  # fmt: skip
        new_deals, updates, stakeholders = [], [], []
        for row, r in batch:
            company_id = r.company.id if r.company else None
            contact_id = r.contact.id if r.contact else None
            if row.deal_id is None:
                row.deal_id = uuid.uuid4()
                created = row.created_at or now
                new_deals.append((row.deal_id, row.name, row.value, row.stage_id, row.owner_id,
                                  row.expected_close_date, company_id, contact_id, created, created))  # fmt: skip
            else:
                updates.append((row.deal_id, company_id, contact_id))
            if company_id:
                report.deals_linked += 1
            if contact_id:
                strength = 1.0 if r.contact_link in ("email", "created") and row.contact_email else 0.8
                stakeholders.append((uuid.uuid4(), row.deal_id, contact_id, "decision_maker", "high", strength,
                                     f"legacy import: primary contact ({r.contact_link})"))  # fmt: skip
        deal_futures.extend(_insert(
            writer, "deals",
            ("id", "name", "value", "stage_id", "owner_id", "expected_close_date", "company_id",
             "primary_contact_id", "created_at", "stage_changed_at"),
            new_deals,
        ))  # fmt: skip
        if updates:
            writer.execute(
                """update crm.deals d set company_id = coalesce(d.company_id, u.company_id),
                          primary_contact_id = coalesce(d.primary_contact_id, u.contact_id)
                   from unnest(%s::uuid[], %s::uuid[], %s::uuid[]) as u(deal_id, company_id, contact_id)
                   where d.id = u.deal_id""",
                [list(col) for col in zip(*updates, strict=True)],
            )
        if stakeholders:
            stakeholder_futures.append(writer.execute(
                """insert into crm.deal_stakeholders
                     (id, deal_id, contact_id, role, influence_level, relationship_strength, notes)
                   select * from unnest(%s::uuid[], %s::uuid[], %s::uuid[], %s::text[], %s::text[],
                                        %s::numeric[], %s::text[])
                   on conflict (deal_id, contact_id) do nothing""",
                [list(col) for col in zip(*stakeholders, strict=True)],
            ))  # fmt: skip

    # corporate emails first, then personal ones, then none: names later match what emails established
    order = sorted(
        deals, key=lambda d: 2 if not d.contact_email else 1 if n.company_domain(d.contact_email) is None else 0
    )
    batch: list = []
    progress("resolving", 0, len(order))
    for number, row in enumerate(order):
        if number % 2000 == 0:
            progress("resolving", number, len(order))
        if from_staging and row.legacy_id in migrated_deals:
            continue
        r = resolver.resolve(row.company, row.contact_name, row.contact_email, row.contact_phone)
        if r.company is not None:
            company_owner.setdefault(r.company.id, row.owner_id)
            if not r.company.created:
                matched_companies.add(r.company.id)
        if r.contact is not None:
            contact_owner.setdefault(r.contact.id, row.owner_id)
            if not r.contact.created:
                matched_contacts.add(r.contact.id)
        if r.company_link:
            links[f"company:{r.company_link}"] = links.get(f"company:{r.company_link}", 0) + 1
        if r.contact_link:
            links[f"contact:{r.contact_link}"] = links.get(f"contact:{r.contact_link}", 0) + 1
        resolved.append((row, r))
        batch.append((row, r))
        if len(batch) == INSERT_CHUNK:
            flush(batch)
            batch = []
    flush(batch)
    report.companies_created = len(resolver.new_companies)
    report.contacts_created = len(resolver.new_contacts)
    report.companies_matched = len(matched_companies)
    report.contacts_matched = len(matched_contacts)
    report.links = links
    progress(f"resolved {len(resolved)} deals")
    progress("resolving", len(order), len(order))
    progress("writing companies and contacts", 0, steps)
    # existing companies that got their domain from this file
    for company in resolver.domain_updates:
        writer.execute(
            "update crm.companies set domain = %s where id = %s and domain is null", (company.domain, company.id)
        )
    hook("contacts")
    progress("writing deals", 1, steps)
    report.deals_created = _count(deal_futures)
    hook("deals")
    progress("writing legacy rows and the review queue", 2, steps)
    report.stakeholders_created = _count(stakeholder_futures)
    staged_rows = resolved

    # the staged legacy rows: inserted (files) or marked (staging), with provenance
    staged_ids = {}
    file_rows = [(uuid.uuid4(), row, r) for row, r in staged_rows if row.staged_id is None]
    _insert(writer, "legacy_deals",
            ("id", "legacy_id", "name", "company", "contact_name", "contact_email", "contact_phone", "value",
             "stage", "owner_email", "expected_close_date", "created_at", "deal_id", "source", "migrated_at",
             "company_link", "contact_link"),
            ((sid, row.legacy_id, *(row.raw[c] for c in DEAL_COLUMNS[1:]), row.deal_id, "csv", now, r.company_link,
              r.contact_link) for sid, row, r in file_rows))  # fmt: skip
    for sid, row, _ in file_rows:
        staged_ids[row.legacy_id] = sid
    marked = [(row.staged_id, row.deal_id, r.company_link, r.contact_link) for row, r in staged_rows if row.staged_id]
    if marked:
        writer.execute(
            """update crm.legacy_deals l set migrated_at = now(), deal_id = m.deal_id, company_link = m.company_link,
                      contact_link = m.contact_link
               from unnest(%s::uuid[], %s::uuid[], %s::text[], %s::text[]) as m(id, deal_id, company_link, contact_link)
               where l.id = m.id""",
            [list(col) for col in zip(*marked, strict=True)],
        )
        for row, _ in staged_rows:
            if row.staged_id:
                staged_ids[row.legacy_id] = row.staged_id
    reviews = [
        (uuid.uuid4(), staged_ids[row.legacy_id], run_id, r.review_reason, r.suggestions)
        for row, r in staged_rows
        if r.review_reason
    ]
    review_futures = _insert(
        writer, "legacy_review_items", ("id", "legacy_deal_id", "import_run_id", "reason", "suggestions"), reviews
    )
    hook("legacy_deals")
    progress("writing activities", 3, steps)

    # activities: deal by legacy id, contact by identifier, company from the deal (or the client name)
    deal_of = {legacy_id: deal_id for legacy_id, deal_id in existing_deals.items() if deal_id}
    deal_info = {row.legacy_id: (row.deal_id, r) for row, r in staged_rows}
    deal_of.update({lid: info[0] for lid, info in deal_info.items()})
    deal_company: dict = {}
    if acts:
        # the deals written above have the company they resolved to; others (existing deals, staged
        # deals that may already have had a company) are read back
        for row, r in staged_rows:
            if row.staged_id is None:
                deal_company[row.deal_id] = r.company.id if r.company else None
        others = list({d for d in deal_of.values() if d not in deal_company})
        if others:
            deal_company.update(
                writer.result("select id, company_id from crm.deals where id = any(%s)", (others,)).fetchall()
            )
    activity_futures = []
    activity_rows, link_updates, legacy_acts, staged_acts = [], [], [], []

    def flush_activities() -> None:
        activity_futures.extend(_insert(
            writer, "activities",
            ("id", "user_id", "type", "status", "details", "date", "amount", "company_id", "contact_id", "deal_id",
             "activity_source"),
            activity_rows,
        ))  # fmt: skip
        _insert(writer, "legacy_activities", ("id", "legacy_id", *ACTIVITY_COLUMNS[1:], "activity_id", "source",
                                              "migrated_at"), legacy_acts)  # fmt: skip
        activity_rows.clear()
        legacy_acts.clear()

    for act in acts:
        deal_id = deal_of.get(act.deal_legacy_id)
        company_id = deal_company.get(deal_id) if deal_id else None
        link = "deal" if company_id else None
        if deal_id and act.deal_legacy_id in deal_info and deal_info[act.deal_legacy_id][1].company_link:
            link = deal_info[act.deal_legacy_id][1].company_link
        if company_id is None:
            company, how, _, _ = resolver.match_company_name(act.client_name)
            if company is not None and company.id in company_owner or (company is not None and not company.created):
                company_id, link = company.id, how
        contact = resolver.contact_for_identifier(act.contact_identifier, company_id)
        activity_id = uuid.uuid4()
        activity_rows.append((activity_id, act.owner_id, act.type, act.status, act.details or None, act.date,
                              act.amount, company_id, contact.id if contact else None, deal_id, "import"))  # fmt: skip
        if company_id and link:
            link_updates.append((activity_id, company_id, _link_source(link), LINK_STRENGTH.get(link, 0.9)))
        if act.staged_id is None:
            legacy_acts.append((uuid.uuid4(), act.legacy_id, *(act.raw[c] for c in ACTIVITY_COLUMNS[1:]), activity_id,
                                "csv", now))  # fmt: skip
        else:
            staged_acts.append((act.staged_id, activity_id))
        if len(activity_rows) == INSERT_CHUNK:
            flush_activities()
    flush_activities()
    if link_updates:
        # the activities' trigger linked each to its company as 'direct'; record how the company was found
        writer.execute(
            """update crm.company_activities ca set link_source = u.source, relationship_strength = u.strength
               from unnest(%s::uuid[], %s::uuid[], %s::text[], %s::numeric[])
                    as u(activity_id, company_id, source, strength)
               where ca.activity_id = u.activity_id and ca.company_id = u.company_id and ca.link_source = 'direct'""",
            [list(col) for col in zip(*link_updates, strict=True)],
        )
    if staged_acts:
        writer.execute(
            """update crm.legacy_activities l set activity_id = m.activity_id, migrated_at = now()
               from unnest(%s::uuid[], %s::uuid[]) as m(id, activity_id) where l.id = m.id""",
            [list(col) for col in zip(*staged_acts, strict=True)],
        )
    hook("activities")
    progress("linking meetings", 4, steps)

    # meetings: each unlinked meeting of a touched company/contact goes to its closest deal
    touched = [row.deal_id for row, r in staged_rows if r.company or r.contact]
    if touched:
        writer.wait()
        report.meetings_linked = infer_deal_meetings(writer.conn, touched)
    report.activities_written = _count(activity_futures)
    report.queued_for_review = _count(review_futures)
    _count(company_futures + contact_futures)  # any failure surfaces here
    hook("meetings")
    progress("finishing", steps, steps)
    report.rows_written = len(resolved)


def _link_source(link: str) -> str:
    return {"created": "legacy", "contact": "contact", "deal": "deal"}.get(link, link)


def infer_deal_meetings(conn, deal_ids: list) -> int:
    """Link meetings with no deal link to ONE deal each: among the given deals that share the meeting's
    primary contact (preferred) or company, the one whose life span is closest to the meeting's date."""
    return conn.execute(
        """insert into crm.deal_meetings (deal_id, meeting_id, impact_score, outcome, link_source)
           select distinct on (m.id) d.id, m.id, null, m.meeting_outcome, 'inferred'
           from crm.meetings m
           join crm.deals d on d.id = any(%s::uuid[])
                and (d.primary_contact_id = m.primary_contact_id or d.company_id = m.company_id)
           where m.primary_deal_id is null
             and not exists (select from crm.deal_meetings dm where dm.meeting_id = m.id)
           order by m.id,
                    (d.primary_contact_id is not distinct from m.primary_contact_id) desc,
                    case when m.starts_at < d.created_at then d.created_at - m.starts_at
                         when m.starts_at > coalesce(d.closed_at, d.expected_close_date::timestamptz, m.starts_at)
                         then m.starts_at - coalesce(d.closed_at, d.expected_close_date::timestamptz)
                         else interval '0' end,
                    d.id
           on conflict do nothing""",
        (deal_ids,),
    ).rowcount
