"""The pipeline board: a column per stage with its deals as cards and the column totals
(services/pipeline.py). Deals move by a stage select on each card or by drag and drop
(static/pipeline.js); the answer is the re-rendered board, so the column totals follow."""

from __future__ import annotations

import uuid

from flask import Blueprint, flash, make_response, redirect, request, url_for
from flask_login import current_user, login_required

from dashboard import htmx, timezones
from dashboard.db import db
from dashboard.forms.deals import MoveForm, reason_choices, reason_of, stage_choices
from dashboard.lists import list_args, search_text
from dashboard.models import Deal, DealStage
from dashboard.permissions import get_or_404, is_manager, listed_owners, writable_or_404
from dashboard.services import deals as deal_rules
from dashboard.services import pipeline as service
from dashboard.services.saving import StaleRecord

bp = Blueprint("pipeline", __name__, url_prefix="/pipeline")

BOARD_ARGS = ("q", "owner", "min_value", "closing", "stale")


def board(**context) -> dict:
    """The board's template context for the request's filters."""
    owners = deal_rules.owner_choices(is_manager())
    conditions = deal_rules.deal_filters(request.args, owners, listed_owners)
    summed = deal_rules.totals_filters(request.args, owners, listed_owners)
    columns = service.columns(conditions, summed)
    return dict(columns=columns, stages=[c["stage"] for c in columns], owners=owners, args=list_args(*BOARD_ARGS),
                q=search_text(), **context)  # fmt: skip


@bp.get("")
@login_required
def index():
    """The board; htmx filter changes get just the board."""
    return htmx.render("pipeline/index.html", "pipeline/_board.html", **board())


def answer(note: str | None, status: int = 200, error: bool = False, events: tuple[str, ...] = (), ask=None):
    """htmx gets the board with a note (and events for listening widgets); others a flash and the board page.
    ``ask``: the card that asks why its deal was lost (deal_id, stage_id, choices), drawn on the board page."""
    if htmx.wants_fragment() or status != 200 or ask:
        body = htmx.render("pipeline/index.html", "pipeline/_board.html",
                           **board(note=note, note_is_error=error, ask=ask))  # fmt: skip
        return htmx.trigger(make_response(body, status), *events) if events else make_response(body, status)
    if note:
        flash(note, "error" if error else "success")
    return redirect(url_for("pipeline.index", **list_args(*BOARD_ARGS)))


def stale_answer(deal: Deal, stale: StaleRecord):
    """409: someone changed the deal since the board was drawn; nothing moved, the board shows the latest."""
    stamp = f" at {timezones.when(stale.when, '%Y-%m-%d %H:%M %Z')}" if stale.when else ""
    by = f" by {stale.who}" if stale.who else ""
    return answer(f"{deal.name} was changed{by}{stamp} after the board was loaded, so it was not moved. The board "
                  "now shows the latest state.", status=409, error=True)  # fmt: skip


@bp.post("/deals/<uuid:id>/move")
@login_required
def move(id: uuid.UUID):
    """Move a deal to another stage (owner or admin); answers with the re-rendered board and ``dealsChanged``."""
    deal = writable_or_404(get_or_404(Deal, id))
    form = MoveForm()
    form.stage_id.choices = stage_choices()
    form.lost_reason_id.choices = reason_choices()
    if not form.validate_on_submit():
        if form.lost_reason_id.errors and not form.stage_id.errors:  # a lost stage: ask why on the card
            return answer(f"Choose why {deal.name} was lost, then move it.", error=True,
                          ask=dict(deal_id=deal.id, stage_id=form.stage_id.data, choices=reason_choices()))
        return answer(f"{deal.name} was not moved: choose one of the stages.", error=True)
    stage = db.session.get(DealStage, uuid.UUID(form.stage_id.data))
    try:
        moved = service.move(deal, stage, form.version.data, current_user.full_name, reason_of(form))
    except StaleRecord as stale:
        return stale_answer(get_or_404(Deal, id), stale)
    if not moved:
        return answer(None)
    return answer(f"Moved {deal.name} to {stage.name}.", events=("dealsChanged",))
