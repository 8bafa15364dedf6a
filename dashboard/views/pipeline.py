"""The pipeline board: a column per stage (in position order) with its deals
as cards, and per column the count, total value and weighted value (total x
the stage's default probability), all from one GROUP BY. Deals move by a
stage select on each card or by drag and drop (static/pipeline.js); the
answer is the re-rendered board, so the column totals follow."""

from __future__ import annotations

import uuid
from collections import defaultdict

from flask import Blueprint, flash, make_response, redirect, url_for
from flask_login import login_required
from flask_wtf import FlaskForm
from sqlalchemy import and_, func, select, true
from sqlalchemy.orm import load_only, selectinload
from sqlalchemy.orm.exc import StaleDataError

from dashboard import htmx
from dashboard.db import db
from dashboard.forms import SelectField, is_stale, last_change, version_field
from dashboard.lists import list_args, search_text
from dashboard.models import Company, Deal, DealStage, DealTotal, User
from dashboard.permissions import get_or_404
from dashboard.views.deals import (
    change_stage,
    deal_filters,
    may_write,
    money,
    owned_or_404,
    owner_choices,
    rescore_deal,
    stages,
    totals_filters,
)

bp = Blueprint("pipeline", __name__, url_prefix="/pipeline")

CARD_LIMIT = 25  # cards per column (the highest values); the header still counts and sums them all
BOARD_ARGS = ("q", "owner", "min_value", "closing", "stale")


@bp.context_processor
def template_helpers() -> dict:
    return {"money": money, "may_write": may_write}


class MoveForm(FlaskForm):
    stage_id = SelectField("Stage", choices=[])
    version = version_field()


def board(**context) -> dict:
    """The columns (stage, count, total, weighted, top cards) for the request's filters."""
    owners = owner_choices()
    conditions = deal_filters(owners)
    if (summed := totals_filters(owners)) is not None:  # each column's count and value from the deal totals
        table, count, value = DealTotal, func.sum(DealTotal.deals), DealTotal.value
        joined = and_(DealTotal.stage_id == DealStage.id, *summed)
    else:
        table, count, value = Deal, func.count(Deal.id), Deal.value
        joined = and_(Deal.stage_id == DealStage.id, *conditions)
    total = func.coalesce(func.sum(value), 0)
    summary = db.session.execute(
        select(DealStage, func.coalesce(count, 0), total, func.round(total * DealStage.default_probability / 100, 2))
        .outerjoin(table, joined).group_by(DealStage.id).order_by(DealStage.position)
    ).all()  # fmt: skip
    # each column's top cards: per stage, the first deals of the (stage, value) index that pass the filters
    top = (
        select(Deal.id).where(Deal.stage_id == DealStage.id, *conditions)
        .order_by(Deal.value.desc(), Deal.id).limit(CARD_LIMIT).lateral()
    )  # fmt: skip
    top_ids = db.session.scalars(select(top.c.id).select_from(DealStage).join(top, true())).all()
    cards = db.session.scalars(
        select(Deal).where(Deal.id.in_(top_ids))
        .order_by(Deal.value.desc(), Deal.id).options(
            # what a card shows (not the deal's JSON analysis columns), its company's and owner's names
            load_only(Deal.name, Deal.value, Deal.stage_id, Deal.owner_id, Deal.company_id, Deal.expected_close_date,
                      Deal.version),
            selectinload(Deal.company).load_only(Company.name),
            selectinload(Deal.owner).load_only(User.full_name),
        )
    ).all()  # fmt: skip
    by_stage = defaultdict(list)
    for deal in cards:
        by_stage[deal.stage_id].append(deal)
    columns = [dict(stage=s, count=n, total=t, weighted=w, deals=by_stage[s.id]) for s, n, t, w in summary]
    return dict(columns=columns, stages=[c["stage"] for c in columns], owners=owners, args=list_args(*BOARD_ARGS),
                q=search_text(), **context)  # fmt: skip


@bp.get("")
@login_required
def index():
    """The board; htmx filter changes get just the board."""
    return htmx.render("pipeline/index.html", "pipeline/_board.html", **board())


def answer(note: str | None, status: int = 200, error: bool = False, events: tuple[str, ...] = ()):
    """htmx gets the board with a note (and events for listening widgets); others a flash and the board page."""
    if htmx.wants_fragment() or status != 200:
        body = htmx.render("pipeline/index.html", "pipeline/_board.html", **board(note=note, note_is_error=error))
        return htmx.trigger(make_response(body, status), *events) if events else make_response(body, status)
    if note:
        flash(note, "error" if error else "success")
    return redirect(url_for("pipeline.index", **list_args(*BOARD_ARGS)))


def stale(deal: Deal):
    """409: someone changed the deal since the board was drawn; nothing moved, the board shows the latest."""
    who, when = last_change("deals", deal.id)
    db.session.rollback()
    stamp = f" at {when:%Y-%m-%d %H:%M} UTC" if when else ""
    return answer(f"{deal.name} was changed{' by ' + who if who else ''}{stamp} after the board was loaded, so it "
                  "was not moved. The board now shows the latest state.", status=409, error=True)  # fmt: skip


@bp.post("/deals/<uuid:id>/move")
@login_required
def move(id: uuid.UUID):
    """Move a deal to another stage (owner or admin); answers with the re-rendered board and ``dealsChanged``."""
    deal = owned_or_404(get_or_404(Deal, id))
    form = MoveForm()
    form.stage_id.choices = [(str(s.id), s.name) for s in stages()]
    if not form.validate_on_submit():
        return answer(f"{deal.name} was not moved: choose one of the stages.", error=True)
    if is_stale(deal, form.version.data):
        return stale(deal)
    stage = db.session.get(DealStage, uuid.UUID(form.stage_id.data))
    note = change_stage(deal, stage)
    if note is None:
        return answer(None)
    try:
        db.session.flush()
        rescore_deal(deal, note=note)  # the new stage's score, risk and win probability on the card, now
        db.session.commit()
    except StaleDataError:  # changed between our read and our write
        db.session.rollback()
        return stale(get_or_404(Deal, id))
    return answer(f"Moved {deal.name} to {stage.name}.", events=("dealsChanged",))
