"""Deals: list with search, filters and sort; detail with stage history,
stakeholders, meetings, activities and tasks; create, edit (optimistic
concurrency) and delete; and the stakeholder map (an org chart everyone who
sees the deal may read, and admins edit in one transaction).

A stage change, from the form or the pipeline board, also writes a ``note``
activity in the same transaction; the database writes ``deal_stage_history``.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import and_, func, or_, select, union
from sqlalchemy.orm import contains_eager, selectinload
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, StopValidation

from dashboard import htmx
from dashboard.db import db
from dashboard.forms import (
    CHOICE_LIMIT,
    OwnedRecord,
    commit_or_field_error,
    is_stale,
    no_nul,
    record_choices,
    stale_response,
    text_field,
    version_field,
)
from dashboard.intelligence import explain
from dashboard.intelligence.scores import rescore_after_write
from dashboard.lists import Sorting, choice_arg, contains, list_args, number_arg, search_text
from dashboard.models import (
    Activity,
    Company,
    Contact,
    Deal,
    DealMeeting,
    DealStage,
    DealStageHistory,
    DealStakeholder,
    DealTotal,
    Meeting,
    Task,
    User,
)
from dashboard.pagination import page_number, paginate
from dashboard.permissions import admin_required, get_or_404, is_admin, is_manager, listed_owners

bp = Blueprint("deals", __name__, url_prefix="/deals")

STATUSES = ["active", "won", "lost"]
ROLES = ["decision_maker", "influencer", "champion", "gatekeeper", "technical_evaluator", "budget_holder",
         "end_user", "procurement", "legal", "other"]  # fmt: skip
INFLUENCE = ["low", "medium", "high", "critical"]
MAX_VALUE = Decimal("999999999999.99")  # numeric(14,2)
SORT_COLUMNS = {
    "close": Deal.expected_close_date,
    "value": Deal.value,
    "name": func.lower(Deal.name),
    "stage": DealStage.position,
}
SORTING = Sorting(columns=SORT_COLUMNS, default="close")
AI_SORTING = Sorting(columns=SORT_COLUMNS | {"intelligence": Deal.deal_intelligence_score}, default="close")
LIST_ARGS = ("q", "stage", "status", "owner", "mine", "min_value", "max_value", "closing", "stale", "sort", "dir")
INTEGRITY_MESSAGES = {
    "check_deals_name_not_blank": ("name", "Enter the deal's name (up to 200 characters)."),
    "check_deals_value_non_negative": ("value", "The value cannot be negative."),
    "fk_deals_stage_id_deal_stages": ("stage_id", "That stage no longer exists."),
    "fk_deals_company_id_companies": ("company_id", "That company no longer exists."),
    "fk_deals_primary_contact_id_contacts": ("primary_contact_id", "That contact no longer exists."),
}


def has_endpoint(endpoint: str) -> bool:
    """Link to other areas only once their blueprint exists."""
    return endpoint in current_app.view_functions


def money(value) -> str:
    """1234567.5 -> "1,234,568" (whole currency units; the board and lists show no cents)."""
    return f"{value or 0:,.0f}"


@bp.context_processor
def template_helpers() -> dict:
    return {"has_endpoint": has_endpoint, "may_write": may_write, "money": money}


# --- shared with the pipeline board ---------------------------------------------


def stages() -> list[DealStage]:
    """The pipeline in board order (read once per request: filters, forms and the board all ask)."""
    if "stages" not in g:
        g.stages = db.session.scalars(select(DealStage).order_by(DealStage.position)).all()
    return g.stages


def owner_choices() -> list[tuple[str, str]]:
    """Managers and admins may filter by owner among the users they can see (RLS decides); reps get none."""
    if not is_manager():
        return []
    rows = db.session.execute(select(User.id, User.full_name).where(User.is_active).order_by(User.full_name))
    return [(str(user_id), name) for user_id, name in rows]


def grouping_filters(owners: list[tuple[str, str]], table=Deal) -> list:
    """The query string's stage, status and owner conditions, and whose deals are listed, on ``table``:
    the deals, or their totals (DealTotal), which have the same three columns."""
    conditions = []
    if request.args.get("stage") and (stage := choice_arg("stage", [str(s.id) for s in stages()])):
        conditions.append(table.stage_id == uuid.UUID(stage))
    if status := choice_arg("status", STATUSES):
        conditions.append(table.status == status)
    if owner := choice_arg("owner", [o for o, _ in owners]):
        conditions.append(table.owner_id == uuid.UUID(owner))
    conditions.append(listed_owners(table.owner_id))
    return conditions


def row_filters() -> list:
    """The query string's conditions that only the deal rows can answer: q, min/max value, closing soon, stale."""
    conditions = []
    if q := search_text():
        conditions.append(contains(Deal.name, q))
    if (low := number_arg("min_value", 0, float(MAX_VALUE))) is not None:
        conditions.append(Deal.value >= low)
    if (high := number_arg("max_value", 0, float(MAX_VALUE))) is not None:
        conditions.append(Deal.value <= high)
    if request.args.get("closing") == "1":  # open deals expected to close within 30 days
        soon = Deal.expected_close_date.between(func.current_date(), func.current_date() + 30)
        conditions.append(and_(Deal.status == "active", soon))
    if request.args.get("stale") == "1":  # open deals that sat in their stage for more than 30 days
        conditions.append(and_(Deal.status == "active", Deal.stage_changed_at < func.now() - timedelta(days=30)))
    return conditions


def deal_filters(owners: list[tuple[str, str]]) -> list:
    """Conditions from the query string: q, stage, status, owner, min/max value, closing soon, stale."""
    return grouping_filters(owners) + row_filters()


def totals_filters(owners: list[tuple[str, str]]) -> list | None:
    """The request's conditions on the deal totals (per owner, stage and status, kept by triggers), or None
    when a filter needs the deal rows."""
    return None if row_filters() else grouping_filters(owners, DealTotal)


def may_write(deal: Deal) -> bool:
    return deal.owner_id == current_user.id or is_admin()


def owned_or_404(deal: Deal) -> Deal:
    """Writes are for the owner and admins; others get the same 404 as a missing id."""
    if not may_write(deal):
        abort(404)
    return deal


def change_stage(deal: Deal, stage: DealStage) -> Activity | None:
    """Move ``deal`` to ``stage`` and note it on the deal's timeline, in the caller's transaction.

    The note belongs to the deal's owner (so it shows on their timeline) and
    says who moved it; the record_stage_change trigger writes the history row.
    Returns the note, or None when the deal is already in that stage.
    """
    with db.session.no_autoflush:  # one UPDATE of the deal (one version bump) with the form's other changes
        old = deal.stage
    if stage.id == old.id:
        return None
    deal.stage_id, deal.stage = stage.id, stage
    note = Activity(user_id=deal.owner_id, type="note", subject=f"Stage changed: {old.name} → {stage.name}",
                    details=f"Moved by {current_user.full_name}.", deal_id=deal.id, activity_source="crm")  # fmt: skip
    db.session.add(note)
    return note


def rescore_deal(deal: Deal | None, company_ids=(), contact_ids=(), note: Activity | None = None) -> None:
    """Recompute what a write to a deal changed, in this transaction (after the flush).

    The deal itself (stage, status, close date feed its score, risk factors and
    win probability), its company before and after (whose engagement counts its
    active deals), stakeholder contacts whose roles changed (and, in SQL, their
    other deals) and the stage-change note (its sentiment and quality count as
    deal activity).
    """
    rescore_after_write(
        db.session,
        deal_ids=[deal.id] if deal is not None else [],
        company_ids=[*company_ids, deal.company_id if deal is not None else None],
        contact_ids=contact_ids,
        activity_ids=[note.id] if note is not None else [],
    )


# --- the deal form ----------------------------------------------------------------


def finite(form, field):
    """Decimal("NaN") and "Infinity" parse, but are not amounts."""
    if field.data is not None and not field.data.is_finite():
        raise StopValidation("Enter a number.")


class DealForm(FlaskForm):
    name = text_field("Name", 200, required=True)
    value = DecimalField("Value", places=2, validators=[InputRequired("Enter the deal's value (0 or more)."), finite,
                                                         NumberRange(0, MAX_VALUE)])  # fmt: skip
    stage_id = SelectField("Stage", choices=[])
    expected_close_date = DateField("Expected close date", validators=[Optional()])
    company_id = SelectField("Company", choices=[], validate_choice=False, validators=[OwnedRecord(Company)])
    primary_contact_id = SelectField("Primary contact", choices=[], validate_choice=False,
                                     validators=[OwnedRecord(Contact)])  # fmt: skip
    budget_confirmed = BooleanField("Budget confirmed")


class EditDealForm(DealForm):
    version = version_field()


def prepare(form: DealForm, owner_id, deal: Deal | None = None) -> DealForm:
    """Fill the selects: stages by position, the owner's companies and contacts (plus the current ones)."""
    form.stage_id.choices = [(str(s.id), s.name) for s in stages()]
    form.owner_id, form.initial = owner_id, {}
    for name, model in (("company_id", Company), ("primary_contact_id", Contact)):
        form.initial[name] = current = getattr(deal, name, None)
        form[name].choices = record_choices(model, owner_id, current)
    return form


FIELDS = ("name", "value", "expected_close_date", "company_id", "primary_contact_id", "budget_confirmed")


def apply_form(form: DealForm, deal: Deal) -> None:
    """Copy only the declared fields (the stage goes through change_stage)."""
    for name in FIELDS:
        setattr(deal, name, form[name].data)
    deal.budget_confirmed = bool(form.budget_confirmed.data)


def save(form: DealForm, before_commit=None) -> bool:
    """Commit (``before_commit`` rescoring in the same transaction); a named constraint violation becomes a
    field error (False), anything else is raised."""
    return commit_or_field_error(form, INTEGRITY_MESSAGES, before_commit)


def saved_meanwhile(id: uuid.UUID, what: str, back_url: str):
    """409 when the version check in our UPDATE found no row: someone saved between our read and our write."""
    db.session.rollback()
    return stale_response(get_or_404(Deal, id), what, back_url)


# --- list, create, show, edit, delete ------------------------------------------------


def filtered_deals():
    """The list query with the request's search and filters, and the owner choices shown."""
    owners = owner_choices()
    statement = select(Deal).join(DealStage, Deal.stage_id == DealStage.id).where(*deal_filters(owners))
    return statement, owners


@bp.get("")
@login_required
def index():
    """Deals the user may see, searchable, filterable and sortable; rows only for htmx."""
    statement, owners = filtered_deals()
    if (summed := totals_filters(owners)) is not None:  # summed from the deal totals, not counted
        sums = select(func.coalesce(func.sum(DealTotal.deals), 0), func.coalesce(func.sum(DealTotal.value), 0))
        total, total_value = db.session.execute(sums.where(*summed)).one()
    else:
        counted = statement.subquery()
        total, total_value = db.session.execute(select(func.count(), func.coalesce(func.sum(counted.c.value), 0))).one()
    sorting = AI_SORTING if current_user.ai_features else SORTING
    statement, sort, direction = sorting.apply(statement, Deal.id)
    page = page_number()
    loads = (contains_eager(Deal.stage), selectinload(Deal.company), selectinload(Deal.owner))
    deals, has_next = paginate(statement.options(*loads), page)
    context = dict(deals=deals, total=total, total_value=total_value, page=page, has_next=has_next, sort=sort,
                   direction=direction, args=list_args(*LIST_ARGS), q=search_text(), stages=stages(),
                   statuses=STATUSES, owners=owners)  # fmt: skip
    return htmx.render("deals/index.html", "deals/_rows.html", **context)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Create a deal owned by the current user."""
    form = prepare(DealForm(), current_user.id)
    if form.validate_on_submit():
        deal = Deal(owner_id=current_user.id, stage_id=uuid.UUID(form.stage_id.data))
        apply_form(form, deal)
        db.session.add(deal)
        if save(form, before_commit=lambda: rescore_deal(deal)):
            flash(f"Created {deal.name}.", "success")
            return redirect(url_for("deals.show", id=deal.id))
    return render_template("deals/form.html", form=form, deal=None)


def related(deal: Deal) -> dict:
    """What the detail page shows next to the deal (each list bounded)."""
    deal_id = deal.id
    history = select(DealStageHistory).where(DealStageHistory.deal_id == deal_id).order_by(DealStageHistory.changed_at)
    # the deal's meetings (as primary deal or linked) by id first: a few rows, then ordered
    linked = union(
        select(Meeting.id).where(Meeting.primary_deal_id == deal_id),
        select(DealMeeting.meeting_id).where(DealMeeting.deal_id == deal_id),
    )
    meetings = select(Meeting).where(Meeting.id.in_(linked))
    return {
        "history": db.session.scalars(history.options(selectinload(DealStageHistory.from_stage),
                                                      selectinload(DealStageHistory.to_stage),
                                                      selectinload(DealStageHistory.changed_by_user))).all(),
        "stakeholders": stakeholder_rows(deal_id),
        "meetings": db.session.scalars(meetings.order_by(Meeting.starts_at.desc()).limit(20)).all(),
        "activities": db.session.scalars(select(Activity).where(Activity.deal_id == deal_id)
                                         .order_by(Activity.date.desc()).limit(25)).all(),
        "tasks": db.session.scalars(select(Task).where(Task.deal_id == deal_id)
                                    .order_by(Task.due_date.asc().nulls_last()).limit(25)).all(),
    }  # fmt: skip


@bp.get("/<uuid:id>")
@login_required
def show(id: uuid.UUID):
    """A deal with its company, contact, stage history, stakeholders, meetings, activities and tasks."""
    deal = get_or_404(Deal, id)
    why = explain.deal(db.session, deal) if current_user.ai_features else None
    return render_template("deals/show.html", deal=deal, why=why, **related(deal))


@bp.route("/<uuid:id>/edit", methods=["GET", "POST"])
@login_required
def update(id: uuid.UUID):
    """Edit a deal; a stale save is refused with 409; a stage change is noted on the timeline."""
    deal = owned_or_404(get_or_404(Deal, id))
    form = prepare(EditDealForm(obj=deal), deal.owner_id, deal)
    if form.validate_on_submit():
        if is_stale(deal, form.version.data):
            return stale_response(deal, "deal", url_for("deals.update", id=id))
        stage = db.session.get(DealStage, uuid.UUID(form.stage_id.data))
        company_before = deal.company_id
        apply_form(form, deal)
        note = change_stage(deal, stage)
        try:
            saved = save(form, before_commit=lambda: rescore_deal(deal, [company_before], note=note))
        except StaleDataError:
            return saved_meanwhile(id, "deal", url_for("deals.update", id=id))
        if saved:
            flash(f"Saved {deal.name}.", "success")
            return redirect(url_for("deals.show", id=id))
    return render_template("deals/form.html", form=form, deal=deal)


@bp.route("/<uuid:id>/delete", methods=["GET", "POST"])
@bp.route("/<uuid:id>", methods=["DELETE"])
@login_required
def delete(id: uuid.UUID):
    """Ask for confirmation (GET), then delete; its activities, meetings and tasks stay, unlinked."""
    deal = owned_or_404(get_or_404(Deal, id))
    name = deal.name
    if request.method == "GET":
        return render_template(
            "confirm_delete.html", what="deal", name=name, consequence="Its stage history, stakeholders and meeting "
            "links go; its activities, meetings and tasks are kept, without the link to it.",
            cancel_url=url_for("deals.show", id=id),
        )  # fmt: skip
    company_id, contact_ids = deal.company_id, [s.contact_id for s, _ in stakeholder_rows(id)]
    db.session.delete(deal)
    db.session.flush()
    # its stakeholder rows went with it: those contacts' roles (and their other deals), and the company
    rescore_deal(None, [company_id], contact_ids)
    db.session.commit()
    flash(f"Deleted {name}.", "success")
    if htmx.wants_fragment():
        return htmx.redirect_to(url_for("deals.index"), "dealsChanged")
    return redirect(url_for("deals.index"))


# --- the stakeholder map ------------------------------------------------------------


def stakeholder_rows(deal_id) -> list[tuple[DealStakeholder, Contact]]:
    return db.session.execute(
        select(DealStakeholder, Contact).join(Contact, Contact.id == DealStakeholder.contact_id)
        .where(DealStakeholder.deal_id == deal_id).order_by(Contact.last_name, Contact.first_name)
    ).all()  # fmt: skip


def full_name(contact: Contact) -> str:
    return f"{contact.first_name} {contact.last_name}".strip()


def reports_to(deal: Deal) -> dict[str, str]:
    """The stored "reports to" links (contact id -> manager's contact id)."""
    links = (deal.stakeholder_mapping or {}).get("reports_to") or {}
    return {str(k): str(v) for k, v in links.items()} if isinstance(links, dict) else {}


BOX_W, BOX_H, GAP_X, GAP_Y, PAD = 210, 70, 24, 48, 12


def org_chart(people: list[dict], links: dict[str, str]) -> dict:
    """Boxes and connectors of a top-down org chart (a forest): each leaf takes the next column,
    a manager sits centred over their reports.

    ``people`` are dicts with an ``id``; links to someone not on the chart,
    self-links and cycles (never saved, but tolerated) draw as separate roots.
    """
    ids = [p["id"] for p in people]
    parent = {c: m for c, m in links.items() if c in ids and m in ids and c != m}
    children = {i: [c for c in ids if parent.get(c) == i] for i in ids}
    column, depth = {}, {}
    leaves = iter(range(len(ids)))

    def place(node: str, level: int) -> float:
        depth[node] = level  # placed: a cycle cannot bring us back here
        xs = [place(k, level + 1) for k in children[node] if k not in depth]
        column[node] = (xs[0] + xs[-1]) / 2 if xs else float(next(leaves))
        return column[node]

    for node in [i for i in ids if i not in parent] + ids:
        if node not in depth:
            place(node, 0)
    left = {i: PAD + column[i] * (BOX_W + GAP_X) for i in ids}
    top = {i: PAD + depth[i] * (BOX_H + GAP_Y) for i in ids}
    boxes = [dict(p, x=left[p["id"]], y=top[p["id"]]) for p in people]
    lines = [dict(x1=left[m] + BOX_W / 2, y1=top[m] + BOX_H, x2=left[c] + BOX_W / 2, y2=top[c],
                  mid=top[c] - GAP_Y / 2) for c, m in parent.items() if depth[c] == depth[m] + 1]  # fmt: skip
    width = max([left[i] + BOX_W for i in ids], default=BOX_W) + PAD
    height = max([top[i] + BOX_H for i in ids], default=BOX_H) + PAD
    return {"boxes": boxes, "lines": lines, "width": width, "height": height, "box_w": BOX_W, "box_h": BOX_H}


class StakeholderRow(Form):
    """One stakeholder in the map form (a plain Form: the page's one CSRF token covers the rows)."""

    contact_id = HiddenField()
    role = SelectField("Role", choices=[(r, r.replace("_", " ")) for r in ROLES], default="other")
    influence_level = SelectField("Influence", choices=[(i, i) for i in INFLUENCE], default="medium")
    relationship_strength = DecimalField("Strength (0–1)", places=2,
                                         validators=[Optional(), finite, NumberRange(0, 1)])  # fmt: skip
    is_champion = BooleanField("Champion")
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=5000), no_nul])
    reports_to = SelectField("Reports to", choices=[], validate_choice=False)
    remove = BooleanField("Remove")


class NewStakeholderRow(StakeholderRow):
    contact_id = SelectField("Contact", choices=[], validate_choice=False)


class StakeholderMapForm(FlaskForm):
    version = version_field()
    rows = FieldList(FormField(StakeholderRow))
    new = FormField(NewStakeholderRow)


ROW_FIELDS = ("role", "influence_level", "relationship_strength", "is_champion", "notes")


def may_join(deal: Deal):
    """Contacts that may join the map: at the deal's company, or owned by the deal's owner."""
    at_company = and_(Contact.company_id.is_not(None), Contact.company_id == deal.company_id)
    return or_(Contact.owner_id == deal.owner_id, at_company)


def candidate_contacts(deal: Deal, exclude: set[str]) -> list[tuple[str, str]]:
    label = func.concat_ws(" ", Contact.first_name, Contact.last_name)
    rows = db.session.execute(select(Contact.id, label).where(may_join(deal)).order_by(label).limit(CHOICE_LIMIT))
    return [(str(i), name) for i, name in rows if str(i) not in exclude]


def map_form(deal: Deal, rows, formdata=None) -> StakeholderMapForm:
    """The admin's form: a row per stakeholder, one blank row to add someone, "reports to" selects."""
    links = reports_to(deal)
    existing = [SimpleNamespace(contact_id=str(s.contact_id), reports_to=links.get(str(s.contact_id), ""),
                                remove=False, **{f: getattr(s, f) for f in ROW_FIELDS}) for s, _ in rows]  # fmt: skip
    form = StakeholderMapForm(formdata=formdata, version=deal.version, rows=existing)
    people = [("", "—")] + [(str(s.contact_id), full_name(c)) for s, c in rows]
    for row in [*form.rows, form.new]:
        row.reports_to.choices = [p for p in people if not p[0] or p[0] != row.contact_id.data]
    form.new.contact_id.choices = [("", "Choose a contact…")] + candidate_contacts(deal, {p[0] for p in people})
    return form


def validated_map(form: StakeholderMapForm, deal: Deal, rows, ok: bool) -> tuple[list, dict] | None:
    """What to write: (row changes, reports-to links), or None with errors on the form.

    Links must point to someone who stays on this deal's map, never to
    oneself, and never round in a circle. ``ok``: whether the fields validated.
    """
    existing = {str(s.contact_id): s for s, _ in rows}
    names = {str(s.contact_id): full_name(c) for s, c in rows}
    changes, kept, seen = [], {}, set()
    for row in form.rows:
        cid = row.contact_id.data
        if cid not in existing or cid in seen:
            row.reports_to.errors.append("This stakeholder was removed meanwhile; reload the map.")
            ok = False
            continue
        seen.add(cid)
        changes.append((existing[cid], row))
        if not row.remove.data:
            kept[cid] = row
    if form.new.contact_id.data:
        if not new_row_ok(form.new, deal, existing):
            ok = False
        else:
            changes.append((None, form.new))
            kept[form.new.contact_id.data] = form.new
            names[form.new.contact_id.data] = dict(form.new.contact_id.choices).get(form.new.contact_id.data, "")
    links = {cid: row.reports_to.data for cid, row in kept.items() if row.reports_to.data}
    ok = check_links(kept, links, names) and ok
    return (changes, links) if ok else None


def new_row_ok(new: NewStakeholderRow, deal: Deal, existing: dict) -> bool:
    """The contact to add is not on the map yet and may join it (a field error otherwise)."""
    try:
        contact_id = uuid.UUID(new.contact_id.data)
    except ValueError:
        contact_id = None
    if new.contact_id.data in existing:
        new.contact_id.errors.append("This contact is already on the map.")
        return False
    if (
        contact_id is None
        or str(contact_id) != new.contact_id.data
        or not db.session.scalar(select(Contact.id).where(Contact.id == contact_id, may_join(deal)))
    ):
        new.contact_id.errors.append("Choose a contact at this deal's company or of its owner.")
        return False
    return True


def check_links(rows: dict, links: dict[str, str], names: dict[str, str]) -> bool:
    """Field errors for links to outsiders, to oneself, and for cycles; True when there are none."""
    ok = True
    for cid, manager in links.items():
        if manager == cid:
            rows[cid].reports_to.errors.append("A stakeholder cannot report to themselves.")
            ok = False
        elif manager not in rows:
            rows[cid].reports_to.errors.append("Choose someone who is on this deal's map.")
            ok = False
    if not ok:
        return False
    in_cycles: set[str] = set()
    for start in links:
        path, node = [start], links[start]
        while node in links and node not in path:
            path.append(node)
            node = links[node]
        if node == start and start not in in_cycles:  # each circle is reported once, at its first member
            in_cycles.update(path)
            circle = " → ".join(names.get(n, n) for n in [*path, start])
            rows[start].reports_to.errors.append(f"These links go round in a circle: {circle}.")
            ok = False
    return ok


def map_written(step: str) -> None:
    """Called after each write of a map save; tests inject failures here (SECURITY.md T21)."""


def save_map(deal: Deal, changes: list, links: dict[str, str]) -> None:
    """Stakeholder rows and ``deals.stakeholder_mapping`` in one transaction (all or nothing)."""
    for stakeholder, row in changes:
        if stakeholder is None:
            stakeholder = DealStakeholder(deal_id=deal.id, contact_id=uuid.UUID(row.contact_id.data))
            db.session.add(stakeholder)
        elif row.remove.data:
            db.session.delete(stakeholder)
            db.session.flush()
            map_written(f"remove {stakeholder.contact_id}")
            continue
        for name in ROW_FIELDS:
            setattr(stakeholder, name, row[name].data if row[name].data != "" else None)
        stakeholder.is_champion = bool(row.is_champion.data)
        db.session.flush()
        map_written(f"save {stakeholder.contact_id}")
    deal.stakeholder_mapping = {"reports_to": links}
    flag_modified(deal, "stakeholder_mapping")  # always bumps the deal's version: concurrent map saves get 409
    db.session.flush()
    map_written("mapping")
    # the deal's stakeholder part and contact quality; each changed contact's role (and their other deals)
    rescore_deal(deal, contact_ids=[uuid.UUID(row.contact_id.data) for _, row in changes])
    db.session.commit()


def map_page(deal: Deal, rows, form: StakeholderMapForm | None = None):
    """The map page: the org chart, then the admin's form or a read-only table."""
    people = [{"id": str(s.contact_id), "name": full_name(c), "title": c.title, "role": s.role,
               "influence": s.influence_level, "champion": s.is_champion} for s, c in rows]  # fmt: skip
    names = {p["id"]: p["name"] for p in people}
    links = reports_to(deal)
    return render_template("deals/stakeholders.html", deal=deal, rows=rows, chart=org_chart(people, links), form=form,
                           names=names, manager_names={c: names.get(m) for c, m in links.items()})  # fmt: skip


@bp.get("/<uuid:id>/stakeholders")
@login_required
def stakeholders(id: uuid.UUID):
    """The stakeholder map as an org chart; admins also get the form that edits it."""
    deal = get_or_404(Deal, id)
    rows = stakeholder_rows(id)
    return map_page(deal, rows, map_form(deal, rows) if is_admin() else None)


@bp.post("/<uuid:id>/stakeholders")
@admin_required
def save_stakeholders(id: uuid.UUID):
    """Save the whole map (rows and "reports to" links) in one transaction; bad input writes nothing."""
    deal = get_or_404(Deal, id)
    rows = stakeholder_rows(id)
    form = map_form(deal, rows, request.form)
    valid = form.validate_on_submit()
    if valid and is_stale(deal, form.version.data):
        return stale_response(deal, "stakeholder map", url_for("deals.stakeholders", id=id))
    planned = validated_map(form, deal, rows, valid)
    if planned is None:
        return map_page(deal, rows, form)
    try:
        save_map(deal, *planned)
    except StaleDataError:
        return saved_meanwhile(id, "stakeholder map", url_for("deals.stakeholders", id=id))
    flash("Saved the stakeholder map.", "success")
    return redirect(url_for("deals.stakeholders", id=id))
