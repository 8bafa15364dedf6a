"""Admin pages of duplicates: the likely duplicate companies and contacts the scan found
(services/duplicates.py), the merge of a pair (services/merging.py: choose the record kept, the value of
each differing field, confirm) and the merge history with its undo (services/merge_undo.py). Admins only;
everyone else gets the 404 of a missing page, and the database refuses their writes (RLS)."""

from __future__ import annotations

import time
import uuid

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import text

from dashboard import vocabulary
from dashboard.db import db
from dashboard.forms.duplicates import MergeForm, taken_fields
from dashboard.models import RecordMerge
from dashboard.pagination import page_number
from dashboard.permissions import admin_required, get_or_404
from dashboard.services import duplicate_pairs, duplicates, merge_undo, merging

bp = Blueprint("duplicates", __name__, url_prefix="/admin/duplicates")
SCAN_TIMEOUT = "300s"  # an inline scan (tests): crm_app's statements stop at 5 s otherwise


def chosen_kind() -> str:
    kind = request.args.get("kind", "companies")
    return kind if kind in vocabulary.DUPLICATE_KINDS else "companies"


@bp.get("/")
@admin_required
def index():
    """The open pairs of one kind, best first: likely ones, or with possible=1 the possible ones too."""
    kind, possible, page = chosen_kind(), request.args.get("possible") == "1", page_number()
    pairs, has_next = duplicate_pairs.pairs_page(kind, possible, page)
    args = {"kind": kind, "possible": "1"} if possible else {"kind": kind}
    return render_template("duplicates/index.html", kind=kind, possible=possible, pairs=pairs, page=page,
                           has_next=has_next, args=args, counts=duplicate_pairs.counts(),
                           likely=duplicates.LIKELY_SCORE, scanning=duplicate_pairs.scan_pending())  # fmt: skip


@bp.post("/scan")
@admin_required
def scan():
    """Scan every company and contact again (a dismissed pair stays dismissed): a job for a worker (task
    duplicate_scan; about a minute at the `large` scale), or in the request with DUPLICATE_SCAN_INLINE."""
    back = redirect(url_for("duplicates.index", kind=chosen_kind()))
    if current_app.config.get("DUPLICATE_SCAN_INLINE"):
        db.session.execute(text("select set_config('statement_timeout', :limit, true)"), {"limit": SCAN_TIMEOUT})
        results = duplicates.scan(db.session)
        db.session.commit()
        said = "; ".join(f"{r.likely} likely and {r.listed - r.likely} possible {r.kind} pairs" for r in results)
        flash(f"Scan done in {sum(r.seconds for r in results):.1f} s: {said}.", "success")
        return back
    from dashboard.jobs import queue

    waiting = duplicate_pairs.scan_pending() == "waiting"
    try:
        if not waiting:
            queue.enqueue_duplicate_scan(db.session.connection().connection.driver_connection, int(time.time()))
    except Exception as error:  # noqa: BLE001 -- only the queueing lock's refusal is expected; others re-raised
        if not queueing_lock_taken(error):
            raise
        waiting = True
    if waiting:
        flash("A scan is already waiting for a worker.", "info")
        return back
    db.session.commit()
    flash("Scan started: a background worker compares every company and contact (about a minute for 300,000 "
          "records); reload this page to see what it found.", "success")  # fmt: skip
    return back


def queueing_lock_taken(error: BaseException | None) -> bool:
    """Whether the enqueue was refused because a scan is already waiting (its queueing lock). Procrastinate
    cannot tell under row-level security, which hides the violation's detail: read the cause ourselves."""
    while error is not None:
        if getattr(getattr(error, "diag", None), "constraint_name", None) == "procrastinate_jobs_queueing_lock_idx_v1":
            return True
        error = error.__cause__ or error.__context__
    return False


@bp.post("/<uuid:id>/dismiss")
@admin_required
def dismiss(id: uuid.UUID):
    """Not a duplicate: the pair leaves the list and later scans keep it out."""
    if not duplicate_pairs.dismiss(id, current_user.id):
        abort(404)
    db.session.commit()
    flash("Marked as not a duplicate.", "success")
    return redirect(url_for("duplicates.index", kind=chosen_kind()))


def merge_page(form: MergeForm, status: int = 200, confirming: bool = False):
    """The merge form (or its confirmation) for the form's two records; a clear error when they are not two
    existing records of the kind."""
    kind = form.kind.data if form.kind.data in vocabulary.DUPLICATE_KINDS else "companies"
    survivor = loser = None
    if not form.errors:
        survivor, loser = merging.record(kind, form.survivor.data), merging.record(kind, form.loser.data)
        if survivor is None or loser is None:
            form.loser.errors = [f"One of the two {kind} does not exist (any more): choose two existing records."]
            status = 400
    error = next((e for errors in form.errors.values() for e in errors), None)
    if error:
        return render_template("duplicates/merge.html", form=form, kind=kind, error=error), max(status, 400)
    return render_template(
        "duplicates/merge.html", form=form, kind=kind, error=None, survivor=survivor, loser=loser,
        rows=duplicate_pairs.field_rows(kind, survivor, loser), taken=taken_fields(request.form, kind),
        moving=duplicate_pairs.reference_counts(kind, loser["id"]), confirming=confirming,
        name=lambda row: duplicate_pairs.record_name(kind, row),
    ), status  # fmt: skip


@bp.route("/merge", methods=["GET", "POST"])
@admin_required
def merge():
    """GET ?kind=&survivor=&loser=: the two records side by side, a choice per differing field. POST: the
    confirmation (what moves, the values kept); POST with confirm=yes: the merge."""
    if request.method == "GET":
        form = MergeForm(request.args, meta={"csrf": False})
        form.validate()
        return merge_page(form)
    form = MergeForm()
    if not form.validate():
        return merge_page(form)
    if form.confirm.data != "yes":
        return merge_page(form, confirming=True)
    kind = form.kind.data
    try:
        taken = taken_fields(request.form, kind)
        done = merging.merge(kind, form.survivor.data, form.loser.data, taken, current_user.id)
    except merging.MergeRefused as refused:
        db.session.rollback()
        form.loser.errors = [refused.message]
        return merge_page(form, 400)
    db.session.commit()
    flash(f"Merged: {'; '.join(merging.summary(kind, done.snapshot))}. The merge can be undone below.", "success")
    return redirect(url_for("duplicates.merges"))


@bp.get("/merges")
@admin_required
def merges():
    """Every merge, newest first, with its undo."""
    page = page_number()
    rows, has_next = duplicate_pairs.history(page)
    return render_template("duplicates/merges.html", rows=rows, page=page, has_next=has_next,
                           summary=merging.summary, name=duplicate_pairs.record_name)  # fmt: skip


@bp.post("/merges/<uuid:id>/undo")
@admin_required
def undo(id: uuid.UUID):
    """Undo a merge, or say why it can no longer be undone cleanly (nothing changes then)."""
    get_or_404(RecordMerge, id)
    try:
        merge_undo.undo(id, current_user.id)
    except merging.MergeRefused as refused:
        db.session.rollback()
        flash(refused.message, "error")
        return redirect(url_for("duplicates.merges")), 303
    db.session.commit()
    flash("The merge was undone: the removed record and the rows it had are back.", "success")
    return redirect(url_for("duplicates.merges"))
