"""``crm import``: a record import (companies, contacts or deals from a CSV) from the command line.

    crm import FILE --entity companies|contacts|deals [--mapping NAME_OR_JSON] [--dry-run] [--skip-invalid]
                    [--duplicates skip|update|create] [--as EMAIL]

The same import as the web page's (``dashboard/imports``), on the same run machinery (``legacy/runs``:
a run record, one transaction, progress), acting as ``--as`` (default: the first active admin) under
row-level security: the operator's connection takes the app's role and a job session of that user, so the
rows the user may not see or change are refused exactly as on the page. Progress goes to stderr.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
import psycopg

from dashboard import job_sessions, vocabulary
from dashboard.cli.common import admin_connection, one_line_errors, print_report, progress, upgrade_database_quietly
from dashboard.imports import fields
from dashboard.imports.reader import MAX_FILE_BYTES, ImportFileError, ParsedFile, read
from dashboard.legacy import runs

JOB_SECONDS = 6 * 3600


def _parsed(path: Path) -> ParsedFile:
    if not path.is_file():
        raise click.ClickException(f"{path}: no such file")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise click.ClickException(f"{path}: larger than {MAX_FILE_BYTES // 1024 // 1024} MB")
    try:
        return read(path.read_bytes())
    except ImportFileError as exc:
        raise click.ClickException(f"{path}: {exc}") from None


def _actor(conn: psycopg.Connection, email: str | None):
    """(id, email) of ``--as`` (an active user), or of the first active admin."""
    if email:
        row = conn.execute("select id, email from crm.users where lower(email) = lower(%s) and is_active",
                           (email.strip(),)).fetchone()  # fmt: skip
        if row is None:
            raise click.ClickException(f"--as {email}: no active user with this email")
        return row
    row = conn.execute(
        "select id, email from crm.users where role = 'admin' and is_active order by created_at limit 1"
    ).fetchone()
    if row is None:
        raise click.ClickException("no active admin to import as: give --as EMAIL")
    return row


def _act_as_user(connections, actor_id) -> None:
    """Both connections act as the user through the app's role and a job session (row-level security)."""
    try:
        job_sessions.act_as(connections, actor_id, JOB_SECONDS)
    except psycopg.errors.InsufficientPrivilege:
        raise click.ClickException("the admin URL's role cannot act as crm_app (grant it crm_app)") from None


def _mapping(conn, actor_id, entity: str, given: str | None, parsed: ParsedFile) -> dict:
    """The mapping: JSON ({"header": "field"}), the user's saved mapping of that name, or the auto-matched one."""
    if given is None:
        mapping = fields.auto_match(entity, parsed.headers)
    elif given.lstrip().startswith("{"):
        try:
            mapping = json.loads(given)
        except json.JSONDecodeError as exc:
            raise click.ClickException(f"--mapping: not JSON ({exc.msg})") from None
        if not isinstance(mapping, dict):
            raise click.ClickException('--mapping: a JSON object like {"Company name": "name"}')
    else:
        row = conn.execute("select columns from crm.import_mappings where user_id = %s and entity = %s "
                           "and lower(name) = lower(%s)", (actor_id, entity, given.strip())).fetchone()  # fmt: skip
        conn.commit()
        if row is None:
            raise click.ClickException(f"--mapping {given}: no saved {entity} mapping of this name")
        mapping = row[0]
    mapping = fields.clean_mapping(entity, parsed.headers, mapping)
    if problem := fields.missing_required(entity, mapping):
        raise click.ClickException(problem)
    return mapping


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--entity", type=click.Choice(vocabulary.IMPORT_ENTITIES), required=True)
@click.option("--mapping", default=None, help='A saved mapping\'s name, or JSON {"file header": "field"}.')
@click.option("--dry-run", is_flag=True, help="Check and write everything, then roll back: the report only.")
@click.option("--skip-invalid", is_flag=True, help="Write the valid rows, report the rest (default: all or nothing).")
@click.option("--duplicates", type=click.Choice(vocabulary.IMPORT_DUPLICATES), default="skip", show_default=True)
@click.option("--as", "as_email", default=None, help="Import as this user (default: the first active admin).")
@click.option("--max-problems", default=50, show_default=True, help="Problems to print (all are counted).")
@one_line_errors
def import_records(file, entity, mapping, dry_run, skip_invalid, duplicates, as_email, max_problems):
    """Import companies, contacts or deals from a CSV file, in one transaction, as a user."""
    parsed = _parsed(file)
    upgrade_database_quietly()
    with admin_connection() as conn, admin_connection() as side:
        actor_id, email = _actor(conn, as_email)
        _act_as_user((conn, side), actor_id)
        columns = _mapping(conn, actor_id, entity, mapping, parsed)
        progress(f"importing {entity} as {email}: " + ", ".join(f"{h} -> {n}" for h, n in columns.items()))
        run_id = runs.create(conn, source="csv", started_by=actor_id, file_name=file.name, dry_run=dry_run,
                             skip_invalid=skip_invalid, entity=entity,
                             options={"mapping": columns, "duplicates": duplicates})  # fmt: skip
        progress(f"import run {run_id}")
        try:
            report = runs.execute(conn, run_id, actor_id, deals_text=parsed.text,
                                  progress=runs.ProgressWriter(side, run_id, actor_id, echo=progress))  # fmt: skip
        except ImportFileError as exc:
            raise click.ClickException(str(exc)) from None
    print_report(report, max_problems)
    if report.problems and not skip_invalid and not dry_run:
        raise click.ClickException(
            f"{report.rows_invalid} invalid row(s): nothing written (fix them, or use --skip-invalid)"
        )
