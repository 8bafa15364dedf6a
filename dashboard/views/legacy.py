"""The legacy import for admins: upload legacy CSV files, follow the import while it runs, read its report,
list past runs, and answer the review queue (DESIGN.md: Legacy migration).

An upload is checked (CSRF, size, UTF-8, headers) before anything is written; it then becomes a queued
run (``crm.legacy_import_runs``, committed) that a background thread imports through the app's own
``crm_app`` connections acting as the admin under row-level security -- never an owner connection. The
run page polls the run row for progress and shows the report when it is done. Everything here is
admin-only: others get the same 404 as a page that does not exist.
"""

from __future__ import annotations

import logging
import threading
import uuid

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import BooleanField, RadioField, StringField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from dashboard import htmx
from dashboard.db import db
from dashboard.extensions import csrf
from dashboard.forms import no_nul
from dashboard.legacy import normalize as n
from dashboard.legacy import review as queue
from dashboard.legacy import runs
from dashboard.legacy.importer import ACTIVITY_COLUMNS, DEAL_COLUMNS, LegacyFileError, Report, check_file_header
from dashboard.models import Company, Contact, Deal, LegacyDeal, LegacyImportRun, LegacyReviewItem
from dashboard.pagination import page_number, paginate
from dashboard.permissions import admin_required, get_or_404

bp = Blueprint("legacy", __name__, url_prefix="/admin/legacy")
log = logging.getLogger("dashboard.legacy")

UPLOAD_MAX_BYTES = 20 * 1024 * 1024  # per file; CRM_LEGACY_UPLOAD_MAX_BYTES overrides
PROBLEMS_PER_PAGE = 50


def _upload_limit() -> int:
    return int(current_app.config.get("LEGACY_UPLOAD_MAX_BYTES", UPLOAD_MAX_BYTES))


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:g} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"


def _read_upload(storage, columns: list[str], default_name: str) -> tuple[str, str]:
    """(file name, text) of an uploaded CSV, or a ValidationError that says what is wrong with it."""
    limit = _upload_limit()
    raw = storage.stream.read(limit + 1)
    if len(raw) > limit:
        raise ValidationError(f"The file is larger than {_megabytes(limit)}. Split it, or import it with "
                              "crm import-legacy on the server.")  # fmt: skip
    if not raw.strip():
        raise ValidationError("The file is empty.")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationError(f"The file is not UTF-8 text (byte {exc.start + 1} is not valid UTF-8). "
                              "Save it as “CSV UTF-8” and upload it again.") from None  # fmt: skip
    if "\x00" in text:
        raise ValidationError("The file contains NUL bytes: it is not a text CSV (UTF-16?). "
                              "Save it as “CSV UTF-8” and upload it again.")  # fmt: skip
    name = "".join(ch for ch in (storage.filename or "") if ch.isprintable()).replace("\\", "/").rsplit("/", 1)[-1]
    name = name.strip()[:255] or default_name
    try:
        check_file_header(text, columns, name)
    except LegacyFileError as exc:
        raise ValidationError(str(exc)) from None
    return name, text


class UploadForm(FlaskForm):
    deals = FileField("Deals CSV", validators=[FileRequired("Choose the legacy deals CSV file.")])
    activities = FileField("Activities CSV (optional)")
    dry_run = BooleanField("Dry run: validate, resolve and report, but write nothing", default=True)
    skip_invalid = BooleanField("Skip invalid rows (otherwise one invalid row stops the whole import)")

    def validate_deals(self, field):
        self.deals_file = _read_upload(field.data, DEAL_COLUMNS, "deals.csv")

    def validate_activities(self, field):
        self.activities_file = (None, None)
        if field.data:
            self.activities_file = _read_upload(field.data, ACTIVITY_COLUMNS, "activities.csv")


class OptionsForm(FlaskForm):
    """Dry run / skip invalid for a re-run or the staged rows (hidden fields on buttons)."""

    dry_run = BooleanField("Dry run: validate, resolve and report, but write nothing", default=True)
    skip_invalid = BooleanField("Skip invalid rows")


# --- starting an import ------------------------------------------------------------------


def _start(run_id: uuid.UUID) -> None:
    """Import the queued run: in a background thread on the app's own connections (in-request when the
    app is configured with LEGACY_IMPORT_INLINE, which tests use to stay inside their rollback)."""
    actor_id = current_user.id
    if current_app.config.get("LEGACY_IMPORT_INLINE"):
        conn = db.session.connection().connection.driver_connection
        try:
            runs.execute(conn, run_id, actor_id)
        except Exception:  # noqa: S110 -- recorded on the run and logged by runs.execute
            pass
        db.session.commit()
        return
    engine = db.engine
    threading.Thread(
        target=_import_in_background, args=(engine, run_id, actor_id), name=f"legacy-import-{run_id}", daemon=True
    ).start()


def _import_in_background(engine, run_id, actor_id) -> None:
    """One connection for the import's transaction, one for its progress; both back to the pool after."""
    try:
        main, side = engine.raw_connection(), engine.raw_connection()
    except Exception:
        log.exception("legacy import run %s: no database connection; it stays queued (retry it)", run_id)
        return
    try:
        progress = runs.ProgressWriter(side.driver_connection, run_id, actor_id)
        runs.execute(main.driver_connection, run_id, actor_id, progress=progress)
    except Exception:  # noqa: S110 -- recorded on the run and logged by runs.execute
        pass
    finally:
        side.close()
        main.close()


def _queue(**values) -> LegacyImportRun:
    """A queued run (committed), then started; runs that were killed are closed first."""
    runs.close_interrupted(db.session.connection().connection.driver_connection)
    run = LegacyImportRun(started_by=current_user.id, phase="queued", **values)
    db.session.add(run)
    db.session.commit()
    _start(run.id)
    return run


# --- pages ---------------------------------------------------------------------------------


@bp.route("/", methods=["GET", "POST"])
@csrf.exempt  # checked below, once the upload size limit is in place (the global check would read any size)
@admin_required
def index():
    """Upload legacy CSV files; the staged rows waiting; past imports."""
    if request.method == "GET":
        return _index_page(UploadForm(formdata=None))
    request.max_content_length = 2 * _upload_limit() + 1024 * 1024
    try:
        csrf.protect()
        form = UploadForm()
        valid = form.validate()
    except RequestEntityTooLarge:
        message = f"The upload is larger than {_megabytes(2 * _upload_limit())}: nothing was imported."
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
        .options(joinedload(LegacyImportRun.starter))
        .order_by(LegacyImportRun.started_at.desc(), LegacyImportRun.id)
    )
    rows, has_next = paginate(statement, page)
    pending = db.session.scalar(select(func.count()).where(LegacyReviewItem.status == "pending"))
    staged = db.session.scalar(select(func.count()).where(LegacyDeal.migrated_at.is_(None)))
    return render_template("legacy/index.html", form=form, upload_error=upload_error, runs=rows, page=page,
                           has_next=has_next, pending=pending, staged=staged, deal_columns=DEAL_COLUMNS,
                           activity_columns=ACTIVITY_COLUMNS, max_upload=_megabytes(_upload_limit()),
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
    if old is None:
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


class ResolveForm(FlaskForm):
    company = RadioField("Company", choices=[], validators=[InputRequired("Pick a company, or create a new one.")])
    new_company_name = StringField("Name of the new company", validators=[Optional(), Length(max=200), no_nul])
    other_company = StringField(
        "Name or domain of an existing company", validators=[Optional(), Length(max=200), no_nul]
    )
    contact = RadioField("Contact", choices=[], validators=[InputRequired("Pick a contact, or none.")])

    def validate_new_company_name(self, field):
        if self.company.data == "new" and not n.clean(field.data):
            raise ValidationError("Enter a name for the new company.")

    def validate_other_company(self, field):
        if self.company.data != "other" or field.errors:  # e.g. a NUL byte: never sent to the database
            return
        value = n.clean(field.data).lower()
        if not value:
            raise ValidationError("Enter the name or domain of the company.")
        found = db.session.scalars(
            select(Company.id).where(or_(func.lower(Company.name) == value, Company.domain == value)).limit(2)
        ).all()
        if not found:
            raise ValidationError(f"No company is named {field.data[:100]!r} or uses that domain.")
        if len(found) > 1:
            raise ValidationError("More than one company has that name: use its domain.")
        self.other_company_id = found[0]


def _fill_choices(form: ResolveForm, item: LegacyReviewItem, deal: Deal | None) -> dict:
    """The answers this item offers: suggested companies (as they are now), a new or another company;
    the deal's own contact, suggested contacts, a new one from the row, or none."""
    legacy = item.legacy_deal
    suggested = item.suggestions.get("companies", [])
    score = {s.get("id"): s.get("score") for s in suggested}
    ids = [uuid.UUID(s["id"]) for s in suggested if _is_uuid(s.get("id"))]
    companies = {c.id: c for c in db.session.scalars(select(Company).where(Company.id.in_(ids)))} if ids else {}
    form.company.choices = [(str(c), f"{companies[c].name}" + (f" (match {score.get(str(c))})" if score.get(str(c))
                             else "")) for c in ids if c in companies]  # fmt: skip
    form.company.choices += [("new", "A new company"), ("other", "Another existing company")]
    current = deal.primary_contact if deal is not None else None
    contact_ids = [uuid.UUID(s["id"]) for s in item.suggestions.get("contacts", []) if _is_uuid(s.get("id"))]
    people = db.session.scalars(select(Contact).where(Contact.id.in_(contact_ids))).all() if contact_ids else []
    choices = [("keep", f"Keep {current.first_name} {current.last_name}".strip())] if current else []
    choices += [(str(p.id), f"{p.first_name} {p.last_name}".strip() + (f" <{p.email}>" if p.email else ""))
                for p in people if current is None or p.id != current.id]  # fmt: skip
    if n.person_name(legacy.contact_name)[0]:
        choices.append(("new", f"A new contact: {n.clean(legacy.contact_name)[:100]}"))
    form.contact.choices = choices + [("none", "No contact")]
    if request.method == "GET":
        form.contact.data = "keep" if current else "none"
        form.new_company_name.data = n.display_company(legacy.company) or None
    return companies


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


@bp.route("/review/<uuid:id>", methods=["GET", "POST"])
@admin_required
def resolve(id: uuid.UUID):
    """One review item: the legacy row, why it was queued, the suggestions and the admin's answer."""
    item = get_or_404(LegacyReviewItem, id)
    deal = item.legacy_deal.deal
    form = ResolveForm()
    _fill_choices(form, item, deal)
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
            _fill_choices(form, get_or_404(LegacyReviewItem, id), deal)
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
