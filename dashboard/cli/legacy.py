"""``crm import-legacy``: the legacy CSV import (and the staged legacy rows) from the command line.

    crm import-legacy DEALS.csv [--activities ACTIVITIES.csv] [--dry-run] [--skip-invalid]
    crm import-legacy --from-staging      # resolve crm.legacy_deals / legacy_activities rows not yet migrated

With no file, ``--from-staging`` is implied (the demo data's legacy rows).

The run is recorded in ``crm.legacy_import_runs`` before the import's transaction
starts (``runs``): a failed import leaves a failed run, a killed one a run that
shows as interrupted, and neither leaves any of the file's rows.
"""

from __future__ import annotations

from pathlib import Path

import click

from dashboard.cli.common import (
    admin_connection,
    one_line_errors,
    print_report,
    progress,
    reported_as_errors,
    upgrade_database_quietly,
)
from dashboard.legacy import runs
from dashboard.legacy.importer import (
    ACTIVITY_COLUMNS,
    DEAL_COLUMNS,
    MAX_FILE_BYTES,
    LegacyFileError,
    Report,
    check_file_header,
)


def _read(path: Path) -> str:
    if not path.exists():
        raise click.ClickException(f"{path}: no such file")
    if not path.is_file():
        raise click.ClickException(f"{path}: not a file")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise click.ClickException(f"{path}: larger than {MAX_FILE_BYTES // 1024 // 1024} MB")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise click.ClickException(f"{path}: {exc.strerror}") from None


@click.command("import-legacy")
@click.argument("deals", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--activities", type=click.Path(path_type=Path, dir_okay=False), help="Legacy activities CSV.")
@click.option("--dry-run", is_flag=True, help="Validate and resolve, report, write nothing.")
@click.option(
    "--skip-invalid", is_flag=True, help="Write the valid rows and report the rest (default: all or nothing)."
)
@click.option(
    "--from-staging", is_flag=True, help="Resolve the rows already in crm.legacy_deals (default with no file)."
)
@click.option("--max-problems", default=50, show_default=True, help="Problems to print (all are counted).")
@one_line_errors
def import_legacy(deals, activities, dry_run, skip_invalid, from_staging, max_problems):
    """Import legacy deals (and activities) and link them to companies and contacts, in one transaction."""
    if deals is not None and from_staging:
        raise click.ClickException("give a file or --from-staging, not both")
    if deals is None and activities is not None:
        raise click.ClickException("--activities needs the deals file too")
    deals_text = _read(deals) if deals is not None else None
    activities_text = _read(activities) if activities is not None else None
    with reported_as_errors(LegacyFileError):  # a file that cannot be imported at all gets no run record
        if deals_text is not None:
            check_file_header(deals_text, DEAL_COLUMNS, deals.name)
        if activities_text is not None:
            check_file_header(activities_text, ACTIVITY_COLUMNS, activities.name)
    upgrade_database_quietly()
    report = _run_import(deals, activities, deals_text, activities_text, dry_run, skip_invalid)
    print_report(report, max_problems)
    if report.problems and not skip_invalid and not dry_run:
        raise click.ClickException(
            f"{report.rows_invalid + report.activities_invalid} invalid row(s): nothing written "
            "(fix them, or use --skip-invalid)"
        )


def _run_import(deals, activities, deals_text, activities_text, dry_run, skip_invalid) -> Report:
    """Record the run (as the first active admin), then import; progress goes to the run and to stderr."""
    with admin_connection() as conn, admin_connection() as side:
        actor = conn.execute(
            "select id from crm.users where role = 'admin' and is_active order by created_at limit 1"
        ).fetchone()
        conn.commit()
        actor_id = actor[0] if actor else None
        run_id = runs.create(
            conn, source="csv" if deals else "staging", started_by=actor_id,
            file_name=deals.name if deals else None, activities_file_name=activities.name if activities else None,
            dry_run=dry_run, skip_invalid=skip_invalid,
        )  # fmt: skip
        progress(f"import run {run_id}")
        with reported_as_errors(LegacyFileError):
            return runs.execute(
                conn, run_id, actor_id, deals_text=deals_text, activities_text=activities_text,
                progress=runs.ProgressWriter(side, run_id, actor_id, echo=progress),
            )  # fmt: skip
