"""A record import: a CSV's rows, through a mapping, into companies, contacts or deals, in ONE transaction.

1. **Read** the file (``reader``) and keep the mapped columns; a field the entity needs (a company's or
   deal's name, a contact's first or full name) must be mapped, or the file is refused.
2. **Validate** every row: each mapped cell parsed (``fields.parse_value``); each problem is reported with
   its line and the file's column header.
3. **Plan** each valid row: create, update or skip, by its duplicate among the rows the user sees and the
   file's earlier rows (``imports.duplicates``, the rules of ``dashboard.matching``: company organisation
   domain, else name key, else a name the same but for a typo; contact mailbox, else name at the company;
   deal name and company).
   ``duplicates``: ``skip`` (default) leaves the existing row; ``update`` writes the row's non-empty cells
   to it (refused for a row the user may not change); ``create`` adds a new one (refused where the
   database keeps the key unique: domains, emails).
4. **Write** as the importing user under row-level security, then rescore what was written.

All or nothing unless ``skip_invalid``: with any problem nothing is written (the valid rows are counted
as held back). ``dry_run`` writes everything and rolls back, so its report is what the import would do.
For every run ``read = written + skipped + invalid + held_back``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import psycopg

from dashboard import matching as m
from dashboard.imports import fields as f
from dashboard.imports import writes
from dashboard.imports.duplicates import Duplicates, Links, row_keys
from dashboard.imports.reader import ImportFileError, parse
from dashboard.legacy.rows import Problem
from dashboard.models import LostReason

MAX_STORED_PROBLEMS = 10_000
PROGRESS_EVERY = 500
UNIQUE_KEYS = ("domain:", "email:")  # keys the database keeps unique: "create" cannot add a second


@dataclass
class ImportReport:
    """What a record import did (the run record stores it; the CLI prints ``summary_lines``)."""

    entity: str = ""
    rows_read: int = 0
    rows_written: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    rows_invalid: int = 0
    rows_held_back: int = 0
    companies_created: int = 0
    invalid_while_writing: int = 0  # rows the database refused: a unique key held by a row the user cannot see
    mapping: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False
    committed: bool = False
    run_id: str | None = None
    # the legacy run record's activity counts (runs._finish adds them): a record import has none
    activities_read = activities_written = activities_invalid = 0

    def as_dict(self, max_problems: int | None = None) -> dict:
        data = asdict(self)
        data["problems"] = [asdict(p) for p in self.problems[:max_problems]]
        data["problems_total"] = len(self.problems)
        return data

    def summary_lines(self) -> list[str]:
        state = "dry run, nothing written" if self.dry_run else ("committed" if self.committed else "nothing written")
        return [
            f"{self.entity}: {self.rows_read} read, {self.created} created, {self.updated} updated, "
            f"{self.skipped} skipped as duplicates, {self.rows_invalid} invalid, {self.rows_held_back} held back "
            f"({state})",
            f"companies created for links: {self.companies_created}",
        ]


class _Rollback(Exception):
    pass


class RecordImport:
    """One import: options, the planned rows, and the report; :meth:`run` calls the phases in order."""

    def __init__(self, conn: psycopg.Connection, text: str, entity: str, *, mapping: dict, duplicates: str = "skip",
                 file_name: str = "import.csv", dry_run: bool = False, skip_invalid: bool = False, actor_id=None,
                 run_id=None, on_commit: Callable | None = None, progress: Callable = lambda *_: None):  # fmt: skip
        self.conn, self.text, self.entity, self.duplicates = conn, text, entity, duplicates
        self.file, self.dry_run, self.skip_invalid = file_name, dry_run, skip_invalid
        self.actor_id, self.on_commit, self.progress = actor_id, on_commit, progress
        self.report = ImportReport(entity=entity, dry_run=dry_run, run_id=str(run_id) if run_id else None)
        self.mapping_in = mapping
        self.specs = {spec.name: spec for spec in f.FIELDS[entity]}
        self.plan: list[tuple[int, str, object, dict]] = []  # (line, action, existing id, values)

    def run(self) -> ImportReport:
        parsed = parse(self.text)
        self.mapping = f.clean_mapping(self.entity, parsed.headers, self.mapping_in)
        self.report.mapping = self.mapping
        self.check_mapping()
        self.report.rows_read = len(parsed.rows)
        with self.conn.transaction():
            self.start_transaction()
            self.load_existing()
            valid = self.validate(parsed.rows)
            self.plan_rows(valid)
            if self.report.problems and not self.skip_invalid:
                self.hold_back()
            self.write()
            if self.report.problems and not self.skip_invalid:
                self.hold_back()  # a row met a hidden duplicate while writing
            if self.dry_run:
                raise _Rollback
            self.report.committed = True
            if self.on_commit is not None:
                self.on_commit(self.conn, self.report)
        return self.report

    def check_mapping(self) -> None:
        if problem := f.missing_required(self.entity, self.mapping):
            raise ImportFileError(problem)

    def start_transaction(self) -> None:
        """Act as the importing user (an owner connection believes app.user_id; the app's connection presents
        the job's session), and allow the long statements a large file needs."""
        conn = self.conn
        if self.actor_id is not None:
            conn.execute("select set_config('app.user_id', %s, true)", (str(self.actor_id),))
        conn.execute("select set_config('statement_timeout', '10min', true)")
        conn.execute("select set_config('idle_in_transaction_session_timeout', '10min', true)")
        self.is_admin = bool(conn.execute("select app.is_admin()").fetchone()[0])

    def load_existing(self) -> None:
        self.existing = Duplicates(self.entity, writes.existing(self.conn, self.entity))
        if self.entity in ("contacts", "deals"):
            contacts = writes.contacts_with_email(self.conn) if self.entity == "deals" else []
            self.links = Links(writes.companies_for_links(self.conn, self.actor_id), contacts)
        if self.entity == "deals":
            stages = self.conn.execute(
                "select id, name, is_won, is_lost from crm.deal_stages order by position"
            ).fetchall()
            self.stages, self.first_stage = f.stage_lookup(stages), stages[0][0]
            self.stage_names = [name for _, name, _, _ in stages]
            self.lost_stages = {sid for sid, _, _, is_lost in stages if is_lost}
            reasons = self.conn.execute("select id, name from crm.lost_reasons where is_active order by position")
            reasons = reasons.fetchall()
            self.reasons = {f.key(name): rid for rid, name in reasons}
            self.reason_names = [name for _, name in reasons]

    # --- validation ---------------------------------------------------------------------------------

    def validate(self, rows: list[tuple[int, dict]]) -> list[tuple[int, dict]]:
        """(line, {field: value}) of the rows without a problem; the others' problems are reported."""
        valid, total = [], len(rows)
        for number, (line, row) in enumerate(rows):
            if number % PROGRESS_EVERY == 0:
                self.progress("checking rows", number, total)
            values, ok = {}, True
            for header, name in self.mapping.items():
                text = row.get(header, "").strip()
                if not text:
                    continue
                try:
                    values[name] = f.parse_value(self.specs[name], text)
                except ValueError as exc:
                    self.problem(line, header, str(exc))
                    ok = False
            if self.complete(line, values) and ok:
                valid.append((line, values))
        self.report.rows_invalid = len({p.line for p in self.report.problems})
        return valid

    def problem(self, line: int, column: str, reason: str) -> None:
        self.report.problems.append(Problem(self.file, line, column, reason))

    def header_of(self, name: str) -> str:
        return next((h for h, n in self.mapping.items() if n == name), name)

    def complete(self, line: int, values: dict) -> bool:
        """Fill the values derived from others (a contact's name parts, a company's domain, a deal's stage);
        False (with a problem) when a needed one is missing."""
        if self.entity == "contacts":
            if "full_name" in values:
                full = values.pop("full_name")
                # "Lee, Ann" is Last, First; otherwise the first word is the first name ("Ada Lovelace King")
                first, last = m.display_name(full) if "," in full else (full.partition(" ")[0], full.partition(" ")[2])
                values.setdefault("first_name", first[:100])
                values.setdefault("last_name", last.strip()[:100] or None)
            if not values.get("first_name"):
                self.problem(line, self.header_of("first_name"), "a contact needs a first name")
                return False
            return True
        named = "name" in values
        if not named:
            self.problem(line, self.header_of("name"), "every row needs a name")
        if self.entity == "deals":
            return self.deal_stage(line, values) and named
        if "domain" not in values and values.get("website"):
            try:
                values["domain"] = f.domain_of(values["website"])
            except ValueError:
                pass  # a website that names no domain: the company has none
        return named

    def deal_stage(self, line: int, values: dict) -> bool:
        status = f.key(values.pop("status", "") or "")
        stage = values.pop("stage", None)
        if stage is None:
            stage = status if status in ("won", "lost") else None
        if stage is None:
            values.pop("lost_reason", None)
            return True  # a new deal starts in the first stage; an updated one keeps its stage
        if (stage_id := self.stages.get(f.key(stage))) is None:
            self.problem(line, self.header_of("stage"),
                         f"unknown stage {stage!r} (ours: {', '.join(self.stage_names)})")  # fmt: skip
            return False
        values["stage_id"] = stage_id
        return self.lost_reason(line, values)

    def lost_reason(self, line: int, values: dict) -> bool:
        """A lost deal's reason: the file's, by name, or "Not recorded" (a lost deal always has one)."""
        named = values.pop("lost_reason", None)
        if values["stage_id"] not in self.lost_stages:
            return True
        if named is None:
            values["lost_reason_id"] = LostReason.NOT_RECORDED
            return True
        if (reason_id := self.reasons.get(f.key(named))) is None:
            self.problem(line, self.header_of("lost_reason"), f"unknown lost reason {named!r} "
                         f"(ours: {', '.join(name for name in self.reason_names)})")  # fmt: skip
            return False
        values["lost_reason_id"] = reason_id
        return True

    def hold_back(self) -> None:
        """All or nothing, and some row is invalid: nothing is written; the valid rows are held back."""
        report = self.report
        report.rows_held_back = len(self.plan) - report.invalid_while_writing
        report.rows_written = report.created = report.updated = report.companies_created = 0
        raise _Rollback

    # --- planning -----------------------------------------------------------------------------------

    def plan_rows(self, valid: list[tuple[int, dict]]) -> None:
        """Decide create, update or skip for each valid row (against the database and earlier rows)."""
        planned: dict[str, int] = {}  # key -> index in self.plan of the file's first row with it
        for line, values in valid:
            keys = row_keys(self.entity, values)
            found, row_key = self.existing.find(values, keys)
            in_file = next((k for k in keys if k in planned), None)
            if found is None and in_file is not None:
                found, row_key = ("file", None), in_file
            if found is None or self.duplicates == "create":
                taken = next((k for k in keys if k.startswith(UNIQUE_KEYS)
                              and (k in self.existing.by_key or k in planned)), None)  # fmt: skip
                if taken is not None:
                    self.problem(line, self.header_of(taken.split(":")[0]),
                                 f"{taken.split(':', 1)[1]} is already used (it must be unique)")  # fmt: skip
                    continue
                for key in keys:
                    planned.setdefault(key, len(self.plan))
                self.plan.append((line, "create", None, values))
            elif self.duplicates == "skip":
                self.report.skipped += 1
            elif found[0] == "file":
                self.plan.append((line, "update-planned", planned[row_key], values))
            elif not (self.is_admin or found[1] == self.actor_id):
                self.problem(line, self.header_of(row_key.split(":")[0]),
                             "matches a record of another user, which you may not change")  # fmt: skip
            else:
                self.plan.append((line, "update", found[0], values))
        self.report.rows_invalid = len({p.line for p in self.report.problems})

    # --- writing ------------------------------------------------------------------------------------

    def write(self) -> None:
        written_ids: list = []
        created_ids: dict[int, object] = {}
        total = len(self.plan)
        for number, (line, action, target, values) in enumerate(self.plan):
            if number % PROGRESS_EVERY == 0:
                self.progress("writing", number, total)
            self.resolve_links(values)
            if action == "create":
                if self.entity == "deals":
                    values.setdefault("stage_id", self.first_stage)
                row_id = writes.insert(self.conn, self.entity, values, self.actor_id)
                if row_id is None:
                    self.late_problem(line, values)
                    continue
                created_ids[number] = row_id
                self.report.created += 1
            else:
                row_id = target if action == "update" else created_ids.get(target)
                if row_id is None or not writes.update(self.conn, self.entity, row_id, values):
                    self.late_problem(line, values)
                    continue
                self.report.updated += 1
            written_ids.append(row_id)
        self.progress("rescoring", total, total)
        writes.rescore(self.conn, self.entity, sorted(set(written_ids), key=str))
        self.report.rows_written = self.report.created + self.report.updated

    def late_problem(self, line: int, values: dict) -> None:
        """A row the database refused while writing: its key is held by a row the user cannot see."""
        column = "domain" if values.get("domain") else "email" if values.get("email") else "name"
        self.problem(line, self.header_of(column), "is already used by a record you cannot see (it must be unique)")
        self.report.rows_invalid += 1
        self.report.invalid_while_writing += 1

    def resolve_links(self, values: dict) -> None:
        """A contact's or deal's company by name (created when the user sees none), a deal's contact by email."""
        if (name := values.pop("company", None)) is not None:
            company_id = self.links.company(name)
            if company_id is None:
                company_id = writes.create_company(self.conn, name, self.actor_id)
                self.links.add(company_id, name)
                self.report.companies_created += 1
            values["company_id"] = company_id
        if (email := values.pop("contact_email", None)) is not None:
            values["primary_contact_id"] = self.links.contact(email)


def import_records(conn: psycopg.Connection, text: str, entity: str, **options) -> ImportReport:
    """Run a record import (see the module docstring); returns the report, also when it rolled back."""
    job = RecordImport(conn, text, entity, **options)
    try:
        return job.run()
    except _Rollback:
        job.report.committed = False
        return job.report
