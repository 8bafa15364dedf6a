"""Record imports from the web: an upload becomes a draft run (its file kept on the run), the user maps its
columns (auto-matched, or a saved mapping), and the run is queued on the legacy import's machinery
(``legacy/jobs.start``). Saved mappings are the user's own (row-level security)."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from dashboard import vocabulary
from dashboard.db import db
from dashboard.imports import fields
from dashboard.imports.reader import ParsedFile, parse, read
from dashboard.legacy import jobs
from dashboard.models import ImportMapping, LegacyImportRun

ENTITIES = list(vocabulary.IMPORT_ENTITIES)
DUPLICATES = list(vocabulary.IMPORT_DUPLICATES)
SAMPLE_ROWS = 5
MAX_RUNS_LISTED = 50


def upload(user_id, entity: str, file_name: str, raw: bytes) -> LegacyImportRun:
    """A draft run holding the decoded file. Raises ImportFileError for a file that cannot be read."""
    parsed = read(raw)
    run = LegacyImportRun(source="upload", entity=entity, started_by=user_id, status="draft", file_name=file_name[:255],
                          deals_csv=parsed.text, options={"encoding": parsed.encoding, "delimiter": parsed.delimiter,
                                                   "mapping": fields.auto_match(entity, parsed.headers)})  # fmt: skip
    db.session.add(run)
    db.session.commit()
    return run


def parsed_file(run: LegacyImportRun) -> ParsedFile:
    return parse(run.deals_csv or "")


def preview(run: LegacyImportRun, mapping: dict | None = None) -> dict:
    """What the mapping page shows: the headers with their chosen field and a few sample values."""
    parsed = parsed_file(run)
    chosen = fields.clean_mapping(run.entity, parsed.headers, mapping or run.options.get("mapping", {}))
    samples = [row for _, row in parsed.rows[:SAMPLE_ROWS]]
    columns = [{"header": h, "field": chosen.get(h, ""), "samples": [r.get(h, "") for r in samples]}
               for h in parsed.headers]  # fmt: skip
    return {"columns": columns, "rows": len(parsed.rows), "fields": fields.FIELDS[run.entity]}


def saved_mappings(user_id, entity: str) -> list[ImportMapping]:
    """The user's saved mappings for ``entity`` (row-level security shows an admin everyone's: the list asks
    for the user's own)."""
    return db.session.scalars(
        select(ImportMapping).where(ImportMapping.entity == entity, ImportMapping.user_id == user_id)
        .order_by(func.lower(ImportMapping.name))
    ).all()  # fmt: skip


def save_mapping(user_id, entity: str, name: str, columns: dict) -> None:
    """Save (or replace) the user's mapping called ``name`` for ``entity``, in the caller's transaction."""
    statement = insert(ImportMapping).values(user_id=user_id, entity=entity, name=name.strip()[:100], columns=columns)
    db.session.execute(statement.on_conflict_do_update(
        index_elements=[ImportMapping.user_id, ImportMapping.entity, func.lower(ImportMapping.name)],
        set_={"columns": statement.excluded.columns},
    ))  # fmt: skip


def find_mapping(user_id, entity: str, name_or_id: str) -> ImportMapping | None:
    """The user's saved mapping by id or by name (case-insensitive)."""
    condition = func.lower(ImportMapping.name) == name_or_id.strip().lower()
    try:
        condition = condition | (ImportMapping.id == uuid.UUID(name_or_id))
    except ValueError:
        pass
    return db.session.scalar(
        select(ImportMapping).where(ImportMapping.user_id == user_id, ImportMapping.entity == entity, condition)
    )


def start(run: LegacyImportRun, mapping: dict, duplicates: str, dry_run: bool, skip_invalid: bool) -> None:
    """Queue the draft run with its mapping and options (committed), then run it in the background."""
    headers = parsed_file(run).headers
    run.options = run.options | {"mapping": fields.clean_mapping(run.entity, headers, mapping),
                                 "duplicates": duplicates if duplicates in DUPLICATES else "skip"}  # fmt: skip
    run.dry_run, run.skip_invalid = dry_run, skip_invalid
    run.status, run.phase, run.started_at = "queued", "queued", func.now()
    db.session.commit()
    jobs.start(run.id)


def again(old: LegacyImportRun, user_id, dry_run: bool, skip_invalid: bool) -> LegacyImportRun:
    """Run a finished import's file again with its mapping (a dry run for real, or skipping invalid rows)."""
    run = LegacyImportRun(source="upload", entity=old.entity, started_by=user_id, status="queued", phase="queued",
                          file_name=old.file_name, deals_csv=old.deals_csv, options=old.options, dry_run=dry_run,
                          skip_invalid=skip_invalid, retry_of=old.id)  # fmt: skip
    old.deals_csv = None  # the file moves to the new run
    db.session.add(run)
    db.session.commit()
    jobs.start(run.id)
    return run


def my_runs(user_id) -> list[LegacyImportRun]:
    """The user's record imports, newest first."""
    return db.session.scalars(
        select(LegacyImportRun).where(LegacyImportRun.entity.is_not(None), LegacyImportRun.started_by == user_id)
        .order_by(LegacyImportRun.started_at.desc()).limit(MAX_RUNS_LISTED)
    ).all()  # fmt: skip
