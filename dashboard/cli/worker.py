"""``crm worker [--concurrency N] [--queues imports,maintenance]``: run background jobs and periodic tasks.

Workers on other machines just point at the same database (``DATABASE_URL``); ``crm serve`` starts one
beside gunicorn unless given ``--no-worker``. See dashboard/jobs.
"""

from __future__ import annotations

import click

from dashboard.cli.common import one_line_errors, upgrade_database_quietly
from dashboard.jobs import IMPORTS, MAINTENANCE


@click.command("worker")
@click.option("--concurrency", default=2, show_default=True, type=click.IntRange(1, 32),
              help="Jobs run at once (each in a thread).")  # fmt: skip
@click.option("--queues", default=None, help=f"Comma-separated queues to take jobs from (default: all: {IMPORTS}, "
              f"{MAINTENANCE}).")  # fmt: skip
@one_line_errors
def worker(concurrency: int, queues: str | None):
    """Run background jobs (imports) and periodic tasks (nightly rescoring, cleanups) until stopped."""
    from dashboard.jobs import worker as runner

    names = [name.strip() for name in (queues or "").split(",") if name.strip()] or None
    upgrade_database_quietly()
    runner.configure_logging()
    runner.run(concurrency=concurrency, queues=names)
