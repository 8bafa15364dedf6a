"""Meetings: list with search, filters and sort; detail with attendees, action
items, linked deals and the outcome; create, edit (optimistic concurrency) and
delete. Recording an outcome writes the follow-up activity and task once, in
the same transaction as the outcome (services/meetings.py).

Times are entered and shown in the user's zone and stored as UTC (dashboard/timezones.py).
"""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from dashboard import csv_export, htmx
from dashboard.db import db
from dashboard.forms.common import first_error, prepare_records, record_choices
from dashboard.forms.meetings import (
    ActionItemForm,
    AttendeeForm,
    DealLinkForm,
    EditMeetingForm,
    MeetingForm,
    OutcomeForm,
    apply_form,
)
from dashboard.lists import list_args, opens_with_default, search_text
from dashboard.models import Contact, Deal, Meeting, MeetingActionItem, MeetingAttendee
from dashboard.pagination import page_number, paginate
from dashboard.permissions import get_or_404, listed_owners, may_write, writable_or_404
from dashboard.responses import Deletion, answers_stale, back_to, done
from dashboard.services import exports
from dashboard.services import meetings as service
from dashboard.services.saving import write

bp = Blueprint("meetings", __name__, url_prefix="/meetings")

SORTING = service.SORTING
LIST_ARGS = ("q", "type", "outcome", "when", "from", "to", "mine", "sort", "dir")

DELETION = Deletion("meeting", "meetings.show", "meetings.index", "meetingsChanged")


@bp.get("")
@login_required
@opens_with_default("meetings")
def index():
    """Meetings the user may see, searchable, filterable and sortable; rows only for htmx."""
    statement, notice = service.filtered_meetings(request.args, listed_owners)
    if csv_export.requested():
        return csv_export.download(exports.meetings(), SORTING.apply(statement, Meeting.id)[0])
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    statement, sort, direction = SORTING.apply(statement, Meeting.id)
    page = page_number()
    meetings, has_next = paginate(statement.options(selectinload(Meeting.company), selectinload(Meeting.owner)), page)
    context = dict(meetings=meetings, total=total, page=page, has_next=has_next, sort=sort, direction=direction,
                   args=list_args(*LIST_ARGS), q=search_text(), types=service.TYPES,
                   outcomes=service.OUTCOMES + ["pending"], notice=notice)  # fmt: skip
    return htmx.render("meetings/index.html", "meetings/_rows.html", **context)


# --- create, show, edit, delete ---------------------------------------------------


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Schedule a meeting owned by the current user (``?company=``, ``?contact=``, ``?deal=`` preselect its
    company, primary contact and primary deal; ``?next=`` is where to go after saving)."""
    form = MeetingForm(company_id=request.args.get("company"), primary_contact_id=request.args.get("contact"),
                       primary_deal_id=request.args.get("deal"))  # fmt: skip
    form, meeting = prepare_records(form, current_user.id), Meeting(owner_id=current_user.id)
    if form.validate_on_submit() and write(form, meeting, apply_form, service.INTEGRITY_MESSAGES,
                                           lambda: after_save(meeting)):  # fmt: skip
        return done(f"Created {meeting.title}.", back_to(url_for("meetings.show", id=meeting.id)))
    return render_template("meetings/form.html", form=form, meeting=None)


def after_save(meeting: Meeting, before: dict | None = None) -> None:
    """Before the save commits: the primary deal's link, then the scores the meeting counts in."""
    db.session.flush()
    service.link_primary_deal(meeting, may_write)
    service.rescore(meeting, before)


@bp.get("/<uuid:id>")
@login_required
def show(id: uuid.UUID):
    """A meeting with its attendees, action items, linked deals, outcome and follow-ups."""
    meeting = get_or_404(Meeting, id)
    context = {}
    for build in PANELS.values():
        context |= build(meeting)
    return render_template("meetings/show.html", meeting=meeting, can_edit=may_write(meeting), **context)


@bp.route("/<uuid:id>/edit", methods=["GET", "POST"])
@login_required
@answers_stale("meeting", "meetings.update")
def update(id: uuid.UUID):
    """Edit a meeting; a stale save is refused with 409."""
    meeting = writable_or_404(get_or_404(Meeting, id))
    form = prepare_records(EditMeetingForm(obj=meeting), meeting.owner_id, meeting)
    if form.validate_on_submit():
        before = service.linked_ids(meeting)
        rescore = lambda: after_save(meeting, before)  # noqa: E731
        if write(form, meeting, apply_form, service.INTEGRITY_MESSAGES, rescore, form.version.data):
            return done(f"Saved {meeting.title}.", url_for("meetings.show", id=id))
    return render_template("meetings/form.html", form=form, meeting=meeting)


@bp.route("/<uuid:id>/delete", methods=["GET", "POST"])
@bp.route("/<uuid:id>", methods=["DELETE"])
@login_required
def delete(id: uuid.UUID):
    """Ask for confirmation (GET: what the database would delete and unlink), then delete."""
    meeting = writable_or_404(get_or_404(Meeting, id))
    return DELETION.answer(meeting, meeting.title, lambda: service.delete(meeting))


# --- panels: what each one shows, and the answer after a write in it --------------


def attendees_panel(meeting: Meeting, form: AttendeeForm | None = None) -> dict:
    attendees = service.attendees(meeting.id)
    if not may_write(meeting):
        return {"attendees": attendees}
    form = form or prepare_records(AttendeeForm(formdata=None), meeting.owner_id)
    attending = {str(a.contact_id) for a in attendees if a.contact_id}
    form.contact_id.choices = [c for c in record_choices(Contact, meeting.owner_id) if c[0] not in attending]
    return {"attendees": attendees, "attendee_form": form}


def action_items_panel(meeting: Meeting, form: ActionItemForm | None = None) -> dict:
    return {"action_items": service.action_items(meeting.id), "action_item_form": form or ActionItemForm(formdata=None)}


def deals_panel(meeting: Meeting, form: DealLinkForm | None = None) -> dict:
    links = service.deal_links(meeting)
    if not may_write(meeting):
        return {"deal_links": links}
    form = form or prepare_records(DealLinkForm(formdata=None), current_user.id)
    linked = {str(link.deal_id) for link, _ in links}
    form.deal_id.choices = [c for c in record_choices(Deal, current_user.id) if c[0] not in linked]
    return {"deal_links": links, "deal_form": form}


def outcome_panel(meeting: Meeting, form: OutcomeForm | None = None) -> dict:
    form = form or OutcomeForm(formdata=None, meeting_outcome=meeting.meeting_outcome)
    return {"meeting_tasks": service.meeting_tasks(meeting.id), "outcome_form": form}


PANELS = {"attendees": attendees_panel, "action_items": action_items_panel, "deals": deals_panel,
          "outcome": outcome_panel}  # fmt: skip


def panel(meeting: Meeting, name: str, message: str, *events: str, error: bool = False, form=None):
    """htmx gets the panel again (with a note, and events for listening widgets);
    other requests get a flash and the meeting page."""
    if htmx.wants_fragment():
        context = PANELS[name](meeting, form)
        body = render_template(f"meetings/_{name}.html", meeting=meeting, can_edit=True, note=message,
                               note_is_error=error, **context)  # fmt: skip
        response = make_response(body)
        return htmx.trigger(response, "meetingsChanged", *events) if not error else response
    flash(message, "error" if error else "success")
    return redirect(url_for("meetings.show", id=meeting.id))


def posted_id(name: str) -> uuid.UUID:
    """A UUID from the posted form; junk is a 404 like a missing row."""
    try:
        return uuid.UUID(request.form.get(name, ""))
    except ValueError:
        abort(404)


def child_or_404(model, meeting: Meeting, field: str):
    """The meeting's attendee or action item named by the posted ``field``, else 404."""
    row = service.child(model, meeting, posted_id(field))
    if row is None:
        abort(404)
    return row


def writable_meeting(id: uuid.UUID) -> Meeting:
    return writable_or_404(get_or_404(Meeting, id))


# --- attendees --------------------------------------------------------------------


@bp.post("/<uuid:id>/attendees")
@login_required
def add_attendee(id: uuid.UUID):
    """Add one of the owner's contacts as an attendee."""
    meeting = writable_meeting(id)
    form = prepare_records(AttendeeForm(), meeting.owner_id)
    if not form.validate_on_submit():
        return panel(meeting, "attendees", first_error(form), error=True, form=form)
    contact = db.session.get(Contact, form.contact_id.data)
    name = f"{contact.first_name} {contact.last_name}".strip()[:200]
    db.session.add(MeetingAttendee(meeting_id=meeting.id, contact_id=contact.id, name=name, email=contact.email))
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        if error.orig.diag.constraint_name != "unique_meeting_attendees_meeting_id_and_contact_id":
            raise
        return panel(meeting, "attendees", f"{name} is already an attendee.", error=True)
    return panel(meeting, "attendees", f"Added {name}.")


@bp.post("/<uuid:id>/attendees/remove")
@login_required
def remove_attendee(id: uuid.UUID):
    """Remove an attendee (the contact itself stays)."""
    meeting = writable_meeting(id)
    attendee = child_or_404(MeetingAttendee, meeting, "attendee_id")
    name = attendee.name
    db.session.delete(attendee)
    db.session.commit()
    return panel(meeting, "attendees", f"Removed {name}.")


# --- action items -----------------------------------------------------------------


@bp.post("/<uuid:id>/action-items")
@login_required
def add_action_item(id: uuid.UUID):
    """Note an action item agreed in the meeting."""
    meeting = writable_meeting(id)
    form = ActionItemForm()
    if not form.validate_on_submit():
        return panel(meeting, "action_items", first_error(form), error=True, form=form)
    db.session.add(MeetingActionItem(meeting_id=meeting.id, description=form.description.data,
                                     priority=form.priority.data, deadline=form.deadline.data,
                                     assignee_id=meeting.owner_id))  # fmt: skip
    db.session.commit()
    return panel(meeting, "action_items", "Added the action item.")


@bp.post("/<uuid:id>/action-items/done")
@login_required
def mark_action_item(id: uuid.UUID):
    """Mark an action item done (``done=1``) or not done (``done=0``)."""
    meeting = writable_meeting(id)
    item = child_or_404(MeetingActionItem, meeting, "item_id")
    item.is_done = request.form.get("done", "1") == "1"
    db.session.commit()
    return panel(meeting, "action_items", "Marked done." if item.is_done else "Marked not done.")


@bp.post("/<uuid:id>/action-items/task")
@login_required
def action_item_task(id: uuid.UUID):
    """Turn an action item into a task for the current user, once."""
    meeting = writable_meeting(id)
    item = child_or_404(MeetingActionItem, meeting, "item_id")
    if not service.action_item_task(meeting, item, current_user.id):
        return panel(meeting, "action_items", "This action item already has a task.")
    return panel(meeting, "action_items", "Created a task for you.", "tasksChanged")


# --- linked deals -------------------------------------------------------------------


@bp.post("/<uuid:id>/deals")
@login_required
def link_deal(id: uuid.UUID):
    """Link one of the user's deals to the meeting (a deal_meetings row)."""
    meeting = writable_meeting(id)
    form = prepare_records(DealLinkForm(), current_user.id)
    if not form.validate_on_submit():
        return panel(meeting, "deals", first_error(form), error=True, form=form)
    service.link_deal(meeting, form.deal_id.data)
    return panel(meeting, "deals", "Linked the deal.", "dealsChanged")


@bp.post("/<uuid:id>/deals/unlink")
@login_required
def unlink_deal(id: uuid.UUID):
    """Unlink a deal from the meeting (the deal stays); only the deal's owner may."""
    meeting = writable_meeting(id)
    if not service.unlink_deal(meeting, posted_id("deal_id")):
        return panel(meeting, "deals", "Only the deal's owner can unlink it.", error=True)
    return panel(meeting, "deals", "Unlinked the deal.", "dealsChanged")


# --- the outcome and its follow-up ----------------------------------------------------


@bp.post("/<uuid:id>/outcome")
@login_required
def outcome(id: uuid.UUID):
    """Record how the meeting went; the first time, its follow-up activity and task come with it."""
    meeting = writable_meeting(id)
    form = OutcomeForm()
    if not form.validate_on_submit():
        return panel(meeting, "outcome", first_error(form), error=True, form=form)
    created = service.record_outcome(meeting, form.meeting_outcome.data, may_write)
    message = "Recorded the outcome and created the follow-up task." if created else "Updated the outcome."
    return panel(meeting, "outcome", message, "tasksChanged", "activitiesChanged", "dealsChanged")
