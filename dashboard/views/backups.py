"""/admin/backups: the last backup, its time, size and status, the recent ones, and "Back up now" (a job for a
worker). Admins only; everyone else gets the 404 of a missing page (dashboard/backup, docs/operations.md)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for

from dashboard.backup import BackupError, retention
from dashboard.db import db
from dashboard.permissions import admin_required
from dashboard.services import backups
from dashboard.views.duplicates import queueing_lock_taken

bp = Blueprint("backups", __name__, url_prefix="/admin/backups")


def folder_and_keep() -> tuple[str, str]:
    try:
        return str(retention.backup_dir()), str(retention.keep())
    except BackupError as exc:
        return str(retention.backup_dir()), str(exc)


@bp.get("/")
@admin_required
def index():
    from dashboard.jobs import tasks  # (Procrastinate: imported when the page is asked for)

    folder, keep = folder_and_keep()
    return render_template("backups/index.html", rows=backups.recent(), last=backups.last_succeeded(),
                           pending=backups.pending(), folder=folder, keep=keep,
                           schedule=tasks.SCHEDULE["backup"])  # fmt: skip


@bp.post("/run")
@admin_required
def run():
    """Back up now: the backup task for a worker (an archive, and a base backup for the embedded server)."""
    waiting = backups.pending() == "waiting"
    try:
        if not waiting:
            backups.enqueue()
    except Exception as error:  # noqa: BLE001 -- only the queueing lock's refusal is expected; others re-raised
        if not queueing_lock_taken(error):
            raise
        waiting = True
    if waiting:
        db.session.rollback()
        flash("A backup is already waiting for a worker.", "info")
    else:
        db.session.commit()
        flash("Backup started: a background worker writes it; reload this page to see it listed.", "success")
    return redirect(url_for("backups.index"))
