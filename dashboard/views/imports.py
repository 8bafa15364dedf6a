"""Record imports: upload a CSV of companies, contacts or deals, map its columns (auto-matched, or a saved
mapping), run it (a dry run first by default) and follow its progress and report. The runs are the legacy
import's (``crm.legacy_import_runs`` with an entity): same background job, progress polling and report
storage. Each user sees their own imports (admins everyone's); only the starter maps and starts a draft.
"""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from dashboard import htmx
from dashboard.db import db
from dashboard.extensions import csrf
from dashboard.forms.imports import DUPLICATE_LABELS, ENTITY_LABELS, StartForm, UploadForm, mapping_from
from dashboard.forms.legacy import OptionsForm
from dashboard.imports import fields
from dashboard.imports.reader import MAX_FILE_BYTES
from dashboard.legacy.report import MAX_STORED_PROBLEMS
from dashboard.models import LegacyImportRun
from dashboard.pagination import page_number
from dashboard.permissions import get_or_404
from dashboard.services import imports as service

bp = Blueprint("imports", __name__, url_prefix="/imports")

PROBLEMS_PER_PAGE = 50


def record_run_or_404(id: uuid.UUID, draft: bool | None = None) -> LegacyImportRun:
    """A record import the user may see (a legacy run is not one); ``draft``: only its starter's draft."""
    run = get_or_404(LegacyImportRun, id)
    if run.entity is None:
        abort(404)
    if draft is not None and (draft != (run.status == "draft") or run.started_by != current_user.id):
        abort(404)
    return run


def index_page(form: UploadForm, status: int = 200):
    runs = service.my_runs(current_user.id)
    page = render_template("imports/index.html", form=form, runs=runs, entities=ENTITY_LABELS)
    return page, status


@bp.route("", methods=["GET", "POST"])
@csrf.exempt  # checked below, once the upload size limit is in place (the global check would read any size)
@login_required
def index():
    """Upload a CSV (the entity preselected by ``?entity=``); your past imports."""
    if request.method == "GET":
        return index_page(UploadForm(formdata=None, entity=request.args.get("entity", "companies")))
    request.max_content_length = MAX_FILE_BYTES + 1024 * 1024
    try:
        csrf.protect()
        form = UploadForm()
        valid = form.validate()
    except RequestEntityTooLarge:
        form = UploadForm(formdata=None)
        form.file.errors = [f"The file is larger than {MAX_FILE_BYTES // 1024 // 1024} MB."]
        return index_page(form, 413)
    if not valid:
        return index_page(form, 400)
    run = service.upload(current_user.id, form.entity.data, form.file_name, form.raw)
    return redirect(url_for("imports.mapping", id=run.id), 303)


@bp.route("/runs/<uuid:id>/map", methods=["GET", "POST"])
@login_required
def mapping(id: uuid.UUID):
    """Map the file's columns to fields (``?mapping=`` applies a saved one), choose the options, start."""
    run = record_run_or_404(id, draft=True)
    form = StartForm()
    headers = service.parsed_file(run).headers
    chosen = None
    if request.method == "POST":
        chosen = mapping_from(request.form, headers, run.entity)
    elif request.args.get("mapping"):
        saved = service.find_mapping(current_user.id, run.entity, request.args["mapping"])
        chosen = saved.columns if saved else None
    missing = fields.missing_required(run.entity, chosen) if request.method == "POST" else None
    if form.validate_on_submit() and not missing:
        if form.save_as.data:
            service.save_mapping(current_user.id, run.entity, form.save_as.data, chosen)
        service.start(run, chosen, form.duplicates.data, form.dry_run.data, form.skip_invalid.data)
        return redirect(url_for("imports.run", id=id), 303)
    return render_template("imports/map.html", run=run, form=form, entities=ENTITY_LABELS,
                           saved=service.saved_mappings(current_user.id, run.entity), missing=missing,
                           duplicates=DUPLICATE_LABELS, **service.preview(run, chosen))  # fmt: skip


@bp.get("/runs/<uuid:id>")
@login_required
def run(id: uuid.UUID):
    """One import: a draft's link to its mapping, progress while it runs (htmx polls), then its report."""
    run = record_run_or_404(id)
    page = page_number()
    report = run.report or {}
    problems = report.get("problems", [])
    start = (page - 1) * PROBLEMS_PER_PAGE
    return htmx.render("imports/run.html", "imports/_run.html", run=run, report=report, entities=ENTITY_LABELS,
                       problems=problems[start : start + PROBLEMS_PER_PAGE], page=page,
                       has_next=len(problems) > start + PROBLEMS_PER_PAGE, kept=MAX_STORED_PROBLEMS,
                       options_form=OptionsForm(formdata=None))  # fmt: skip


@bp.post("/runs/<uuid:id>/again")
@login_required
def again(id: uuid.UUID):
    """Run a finished import's file again: a dry run for real, or skipping the invalid rows."""
    old = record_run_or_404(id)
    form = OptionsForm()
    if not form.validate_on_submit() or old.started_by != current_user.id:
        abort(404 if old.started_by != current_user.id else 400)
    if old.state in ("draft", "queued", "running") or not old.has_input or old.committed:
        flash("This import cannot be run again: upload the file again.", "error")
        return redirect(url_for("imports.run", id=id), 303)
    new = service.again(old, current_user.id, form.dry_run.data, form.skip_invalid.data)
    db.session.commit()
    return redirect(url_for("imports.run", id=new.id), 303)
