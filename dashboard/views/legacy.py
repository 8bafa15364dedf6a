"""The legacy import for admins: upload legacy CSV files, follow the import while it runs, read its report,
list past runs, and answer the review queue (DESIGN.md: Legacy migration).

An upload is checked (CSRF, size, UTF-8, headers) before anything is written; it then becomes a queued
run (``crm.legacy_import_runs``, committed) that a background thread imports through the app's own
``crm_app`` connections acting as the admin under row-level security -- never an owner connection. The
run page polls the run row for progress and shows the report when it is done. Everything here is
admin-only: others get the same 404 as a page that does not exist.
"""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import RequestEntityTooLarge

from dashboard import htmx
from dashboard.db import db
from dashboard.extensions import csrf
from dashboard.forms.legacy import OptionsForm, ResolveForm, UploadForm, fill_choices, megabytes, upload_limit
from dashboard.legacy import jobs, runs
from dashboard.legacy import review as queue
from dashboard.legacy.importer import ACTIVITY_COLUMNS, DEAL_COLUMNS, Report
from dashboard.models import LegacyDeal, LegacyImportRun, LegacyReviewItem
from dashboard.pagination import page_number, paginate
from dashboard.permissions import admin_required, get_or_404

bp = Blueprint("legacy", __name__, url_prefix="/admin/legacy")

PROBLEMS_PER_PAGE = 50


# --- starting an import ------------------------------------------------------------------


def _queue(**values) -> LegacyImportRun:
    """A queued run (committed), then started; runs that were killed are closed first."""
    runs.close_interrupted(db.session.connection().connection.driver_connection)
    run = LegacyImportRun(started_by=current_user.id, phase="queued", **values)
    db.session.add(run)
    db.session.commit()
    jobs.start(run.id)
    return run


# --- pages ---------------------------------------------------------------------------------


@bp.route("/", methods=["GET", "POST"])
@csrf.exempt  # checked below, once the upload size limit is in place (the global check would read any size)
@admin_required
def index():
    """Upload legacy CSV files; the staged rows waiting; past imports."""
    if request.method == "GET":
        return _index_page(UploadForm(formdata=None))
    request.max_content_length = 2 * upload_limit() + 1024 * 1024
    try:
        csrf.protect()
        form = UploadForm()
        valid = form.validate()
    except RequestEntityTooLarge:
        message = f"The upload is larger than {megabytes(2 * upload_limit())}: nothing was imported."
        return _index_page(UploadForm(formdata=None), upload_error=message), 413
    if not valid:
        return _index_page(form)
    (deals_name, deals_text), (activities_name, activities_text) = form.deals_file, form.activities_file
    run = _queue(source="upload", file_name=deals_name, activities_file_name=activities_name,
                 deals_csv=deals_text, activities_csv=activities_text, dry_run=form.dry_run.data,
                 skip_invalid=form.skip_invalid.data)  # fmt: skip
    return redirect(url_for("legacy.run", id=run.id), 303)


def _index_page(form: UploadForm, upload_error: str | None = None) -> str:
    page = page_number()
    statement = (
        select(LegacyImportRun)
        .where(LegacyImportRun.entity.is_(None))
        .options(joinedload(LegacyImportRun.starter))
        .order_by(LegacyImportRun.started_at.desc(), LegacyImportRun.id)
    )
    rows, has_next = paginate(statement, page)
    pending = db.session.scalar(select(func.count()).where(LegacyReviewItem.status == "pending"))
    staged = db.session.scalar(select(func.count()).where(LegacyDeal.migrated_at.is_(None)))
    return render_template("legacy/index.html", form=form, upload_error=upload_error, runs=rows, page=page,
                           has_next=has_next, pending=pending, staged=staged, deal_columns=DEAL_COLUMNS,
                           activity_columns=ACTIVITY_COLUMNS, max_upload=megabytes(upload_limit()),
                           staging_form=OptionsForm(formdata=None, prefix="staging"))  # fmt: skip


@bp.post("/staging")
@admin_required
def migrate_staging():
    """Resolve the legacy rows already in the database (the demo data's) through the same import."""
    form = OptionsForm(prefix="staging")
    if not form.validate_on_submit():
        abort(400)
    run = _queue(source="staging", dry_run=form.dry_run.data, skip_invalid=form.skip_invalid.data)
    return redirect(url_for("legacy.run", id=run.id), 303)


@bp.get("/runs/<uuid:id>")
@admin_required
def run(id: uuid.UUID):
    """One import: its progress while it runs (htmx polls this URL), then its report and problems."""
    run = get_or_404(LegacyImportRun, id)
    page = page_number()
    report = Report().as_dict() | (run.report or {})  # every key the page shows, whatever the run got to
    problems = report["problems"]
    start = (page - 1) * PROBLEMS_PER_PAGE
    reruns = db.session.scalars(
        select(LegacyImportRun).where(LegacyImportRun.retry_of == id).order_by(LegacyImportRun.started_at)
    ).all()
    return htmx.render("legacy/run.html", "legacy/_run.html", run=run, report=report, reruns=reruns,
                       problems=problems[start : start + PROBLEMS_PER_PAGE], page=page,
                       has_next=len(problems) > start + PROBLEMS_PER_PAGE, pending=_pending_for(run))  # fmt: skip


def _pending_for(run: LegacyImportRun) -> int:
    return db.session.scalar(
        select(func.count()).where(LegacyReviewItem.import_run_id == run.id, LegacyReviewItem.status == "pending")
    )


@bp.post("/runs/<uuid:id>/rerun")
@admin_required
def rerun(id: uuid.UUID):
    """Import a run's files again: a retry after a failure, or a dry run (or a refused import) for real."""
    old = db.session.scalar(select(LegacyImportRun).where(LegacyImportRun.id == id).with_for_update(of=LegacyImportRun))
    if old is None or old.entity is not None:  # a record import runs again from its own page
        abort(404)
    form = OptionsForm()
    if not form.validate_on_submit():
        abort(400)
    if old.state in ("queued", "running"):
        flash("This import is still running.", "error")
        return redirect(url_for("legacy.run", id=id), 303)
    if not old.has_input or (old.state == "completed" and old.committed):
        flash("This run's files are no longer kept (they were imported, or run again). Upload them again.", "error")
        return redirect(url_for("legacy.run", id=id), 303)
    if old.state == "interrupted":
        old.status, old.finished_at, old.error, old.phase = "failed", func.now(), runs.INTERRUPTED, None
    values = {"deals_csv": old.deals_csv, "activities_csv": old.activities_csv}
    old.deals_csv = old.activities_csv = None  # the files move to the new run
    new = _queue(source=old.source, file_name=old.file_name, activities_file_name=old.activities_file_name,
                 dry_run=form.dry_run.data, skip_invalid=form.skip_invalid.data, retry_of=old.id, **values)  # fmt: skip
    return redirect(url_for("legacy.run", id=new.id), 303)


# --- the review queue ------------------------------------------------------------------------


@bp.get("/review")
@admin_required
def review():
    """Open review items, oldest first, with the legacy row and the best suggestion."""
    page = page_number()
    statement = (
        select(LegacyReviewItem)
        .where(LegacyReviewItem.status == "pending")
        .options(joinedload(LegacyReviewItem.legacy_deal))
        .order_by(LegacyReviewItem.created_at, LegacyReviewItem.id)
    )
    rows, has_next = paginate(statement, page)
    return render_template("legacy/review.html", items=rows, page=page, has_next=has_next, reasons=queue.REASONS)


@bp.route("/review/<uuid:id>", methods=["GET", "POST"])
@admin_required
def resolve(id: uuid.UUID):
    """One review item: the legacy row, why it was queued, the suggestions and the admin's answer."""
    item = get_or_404(LegacyReviewItem, id)
    deal = item.legacy_deal.deal
    form = ResolveForm()
    fill_choices(form, item, deal)
    if form.validate_on_submit():
        company = {"new": "new", "other": getattr(form, "other_company_id", None)}.get(form.company.data)
        try:
            queue.resolve(
                db.session, id, current_user.id, company=company or uuid.UUID(form.company.data),
                new_company_name=form.new_company_name.data, contact=_contact_choice(form.contact.data),
            )  # fmt: skip
            db.session.commit()
        except queue.AlreadyResolved:
            db.session.rollback()
            flash("This row was already answered: nothing was changed.", "error")
            return redirect(url_for("legacy.resolve", id=id), 303)
        except queue.ResolutionError as exc:
            db.session.rollback()
            fill_choices(form, get_or_404(LegacyReviewItem, id), deal)
            form.company.errors = [*form.company.errors, str(exc)]
        else:
            flash(f"Linked {item.legacy_deal.legacy_id} to its company.", "success")
            return redirect(_next_item_url(), 303)
    return render_template("legacy/resolve.html", item=item, deal=deal, form=form, reasons=queue.REASONS)


def _contact_choice(value: str):
    return value if value in ("keep", "new", "none") else uuid.UUID(value)


def _next_item_url() -> str:
    following = db.session.scalar(
        select(LegacyReviewItem.id)
        .where(LegacyReviewItem.status == "pending")
        .order_by(LegacyReviewItem.created_at, LegacyReviewItem.id)
        .limit(1)
    )
    return url_for("legacy.resolve", id=following) if following else url_for("legacy.review")


@bp.route("/review/<uuid:id>/dismiss", methods=["GET", "POST"])
@admin_required
def dismiss(id: uuid.UUID):
    """Skip a review item after a confirmation: its deal stays without a company."""
    item = get_or_404(LegacyReviewItem, id)
    if request.method == "GET":
        return render_template("legacy/dismiss.html", item=item)
    try:
        queue.dismiss(db.session, id, current_user.id)
        db.session.commit()
    except queue.AlreadyResolved:
        db.session.rollback()
        flash("This row was already answered: nothing was changed.", "error")
        return redirect(url_for("legacy.resolve", id=id), 303)
    flash(f"Skipped {item.legacy_deal.legacy_id}: its deal stays without a company.", "success")
    return redirect(_next_item_url(), 303)
