"""The ``crm`` command: serve, worker, db upgrade/status/dump-schema/backup/restore, demo-data, users create,
score, import-legacy, import, forecast snapshot, quota set, duplicates scan, tokens, mail connect/sync, webhooks.

One module a command (group) in this package, each parsing its options and calling the
feature that does the work (dashboard.migrate, dashboard.demo, dashboard.users,
dashboard.intelligence, dashboard.legacy); what they share is in :mod:`.common`.
"""

from __future__ import annotations

import sys

import click
from flask.cli import FlaskGroup

from dashboard.cli import calendar as calendar_commands
from dashboard.cli import db, demo, duplicates, forecast, imports, legacy, mail, score, serve, tokens, users, worker
from dashboard.cli import webhooks as webhooks_commands

OPERATOR_COMMANDS = [db.group, demo.demo_data, users.group, serve.serve, worker.worker, score.score,
                     legacy.import_legacy, imports.import_records, forecast.group, forecast.quota_group,
                     duplicates.group, tokens.group, mail.group]  # fmt: skip
OPERATOR_COMMANDS.append(calendar_commands.group)  # crm calendar connect|sync|disconnect
OPERATOR_COMMANDS.append(webhooks_commands.group)  # crm webhooks add|list|remove


def _create_app():
    from dashboard import create_app  # late: create_app imports this package to call init_app

    return create_app()


cli = FlaskGroup(
    name="crm",
    help="Sales Dashboard: a self-hosted sales CRM.",
    create_app=_create_app,
    add_version_option=False,
    load_dotenv=False,
    set_debug_flag=False,
)
for _command in OPERATOR_COMMANDS:
    cli.add_command(_command)


def init_app(app) -> None:
    """Also expose the commands as ``flask --app dashboard ...``."""
    for command in OPERATOR_COMMANDS:
        app.cli.add_command(command)


def main() -> None:
    """Console-script entry point: never a traceback for an unexpected failure."""
    try:
        cli.main(prog_name="crm")
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001 - the last line of defence for the CLI
        click.echo(f"Error: {type(exc).__name__}: {exc}", err=True)
        sys.exit(1)
