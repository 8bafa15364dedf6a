"""Admin pages of the pipeline: the stages (add, rename, recolour, reorder, probability, rotting days,
remove when no deal is in them) and the lost reasons (services/stages.py). Admins only; everyone else
gets the 404 of a missing page, and the database refuses their writes (RLS)."""

from __future__ import annotations

import uuid

from flask import Blueprint, flash, redirect, render_template, request, url_for

from dashboard.db import db
from dashboard.forms.stages import EditLostReasonForm, EditStageForm, LostReasonForm, MoveStageForm, StageForm
from dashboard.models import DealStage, LostReason
from dashboard.permissions import admin_required, get_or_404
from dashboard.responses import answers_stale, confirm_delete, done
from dashboard.services import deletion
from dashboard.services import stages as service
from dashboard.services.saving import save

bp = Blueprint("stages", __name__, url_prefix="/admin")


@bp.get("/stages")
@admin_required
def index():
    """The stages in board order with their deals, each movable up and down."""
    return render_template("stages/index.html", rows=service.stage_rows(), move_form=MoveStageForm(),
                           kind_of=service.kind_of)  # fmt: skip


@bp.route("/stages/new", methods=["GET", "POST"])
@admin_required
def create():
    """Add a stage at the end of the board."""
    form = StageForm(color="#64748b", default_probability=50)
    if form.validate_on_submit():
        stage = DealStage(position=service.next_position(DealStage))
        service.apply_stage(form, stage)
        db.session.add(stage)
        if save(form, service.STAGE_MESSAGES):
            return done(f"Added stage {stage.name}.", url_for("stages.index"))
    return render_template("stages/form.html", form=form, stage=None)


@bp.route("/stages/<uuid:id>/edit", methods=["GET", "POST"])
@admin_required
@answers_stale("stage", "stages.update")
def update(id: uuid.UUID):
    """Rename, recolour, set the probability, the rotting days or (without deals) the kind."""
    stage = get_or_404(DealStage, id)
    form = EditStageForm(obj=stage, kind=service.kind_of(stage))
    if form.validate_on_submit():
        try:
            service.apply_stage(form, stage)
        except service.StageInUse as refused:
            form.kind.errors.append(refused.message)
        else:
            if save(form, service.STAGE_MESSAGES, stage, form.version.data):
                return done(f"Saved stage {stage.name}.", url_for("stages.index"))
    return render_template("stages/form.html", form=form, stage=stage)


@bp.post("/stages/<uuid:id>/move")
@admin_required
def move(id: uuid.UUID):
    """Move a stage one place up or down the board."""
    stage = get_or_404(DealStage, id)
    form = MoveStageForm()
    if form.validate_on_submit() and service.move(stage, form.direction.data):
        flash(f"Moved {stage.name} {form.direction.data}.", "success")
    return redirect(url_for("stages.index"))


@bp.route("/stages/<uuid:id>/delete", methods=["GET", "POST"])
@admin_required
def delete(id: uuid.UUID):
    """Ask first (what the database keeps: the stage history), then remove; refused while deals are in it."""
    stage = get_or_404(DealStage, id)
    cancel = url_for("stages.index")
    refusal = service.removal_refusal(stage)
    if request.method == "GET":
        preview = deletion.Preview("stage", blocked=refusal) if refusal else deletion.preview(stage, "stage")
        return confirm_delete("stage", stage.name, preview, cancel)
    name = stage.name
    try:
        service.remove(stage)
    except service.StageInUse as refused:
        flash(refused.message, "error")
        return confirm_delete("stage", name, deletion.Preview("stage", blocked=refused.message), cancel), 409
    return done(f"Removed stage {name}.", cancel)


# --- lost reasons -------------------------------------------------------------------------


@bp.get("/lost-reasons")
@admin_required
def lost_reasons():
    """The lost reasons, offered ones first, with how many deals have each."""
    return render_template("stages/lost_reasons.html", rows=service.reason_rows())


@bp.route("/lost-reasons/new", methods=["GET", "POST"])
@admin_required
def create_lost_reason():
    form = LostReasonForm()
    if form.validate_on_submit():
        reason = LostReason(name=form.name.data, is_active=bool(form.is_active.data),
                            position=form.position.data if form.position.data is not None
                            else service.next_position(LostReason))  # fmt: skip
        db.session.add(reason)
        if save(form, service.REASON_MESSAGES):
            return done(f"Added lost reason {reason.name}.", url_for("stages.lost_reasons"))
    return render_template("stages/lost_reason_form.html", form=form, reason=None)


@bp.route("/lost-reasons/<uuid:id>/edit", methods=["GET", "POST"])
@admin_required
@answers_stale("lost reason", "stages.update_lost_reason")
def update_lost_reason(id: uuid.UUID):
    """Rename, reorder, or stop offering a reason (deals keep it)."""
    reason = get_or_404(LostReason, id)
    form = EditLostReasonForm(obj=reason)
    if form.validate_on_submit():
        reason.name, reason.is_active = form.name.data, bool(form.is_active.data)
        if form.position.data is not None:
            reason.position = form.position.data
        if save(form, service.REASON_MESSAGES, reason, form.version.data):
            return done(f"Saved lost reason {reason.name}.", url_for("stages.lost_reasons"))
    return render_template("stages/lost_reason_form.html", form=form, reason=reason)


@bp.route("/lost-reasons/<uuid:id>/delete", methods=["GET", "POST"])
@admin_required
def delete_lost_reason(id: uuid.UUID):
    """Ask first, then remove a reason no deal has (never the built-in "Not recorded")."""
    reason = get_or_404(LostReason, id)
    cancel = url_for("stages.lost_reasons")
    deals = dict((r.id, n) for r, n in service.reason_rows()).get(reason.id, 0)
    refusal = service.reason_refusal(reason, deals)
    if refusal:
        if request.method != "GET":
            flash(refusal, "error")
        body = confirm_delete("lost reason", reason.name, deletion.Preview("lost reason", blocked=refusal), cancel)
        return body, (200 if request.method == "GET" else 409)
    if request.method == "GET":
        return confirm_delete("lost reason", reason.name, deletion.preview(reason, "lost reason"), cancel)
    name = reason.name
    db.session.delete(reason)
    db.session.commit()
    return done(f"Removed lost reason {name}.", cancel)
