"""Meetings: list with search, filters and sort; detail with attendees, action
items, linked deals and the outcome; create, edit (optimistic concurrency) and
delete. Recording an outcome writes the follow-up activity and task once, in
the same transaction as the outcome.

Times are entered and shown in UTC (``datetime-local`` inputs carry no zone).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from wtforms import DateField, DateTimeLocalField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from dashboard import htmx
from dashboard.db import db
from dashboard.forms import (
    OwnedRecord,
    SelectField,
    commit_or_field_error,
    is_stale,
    no_nul,
    record_choices,
    stale_response,
    text_field,
    version_field,
)
from dashboard.intelligence.scores import rescore_after_write
from dashboard.lists import Sorting, choice_arg, contains, list_args, search_text
from dashboard.models import (
    Activity,
    ActivityMeeting,
    Company,
    Contact,
    Deal,
    DealMeeting,
    Meeting,
    MeetingActionItem,
    MeetingAttendee,
    Task,
)
from dashboard.pagination import page_number, paginate
from dashboard.permissions import get_or_404, is_admin, listed_owners, owned_or_404

bp = Blueprint("meetings", __name__, url_prefix="/meetings")

TYPES = ["discovery", "demo", "proposal_presentation", "negotiation", "closing", "check_in",
         "technical_review", "stakeholder_alignment", "decision_maker_meeting", "other"]  # fmt: skip
OUTCOMES = ["positive", "neutral", "negative", "no_show", "reschedule", "cancelled"]
PRIORITIES = ["low", "medium", "high", "urgent"]
SORTING = Sorting(
    columns={"start": Meeting.starts_at, "title": func.lower(Meeting.title), "type": Meeting.meeting_type},
    default="start",
    default_direction="desc",
)
LIST_ARGS = ("q", "type", "outcome", "when", "from", "to", "mine", "sort", "dir")
INTEGRITY_MESSAGES = {
    "check_meetings_title_not_blank": ("title", "Enter the meeting's title."),
    "check_meetings_ends_after_starts": ("ends_at", "The meeting must end after it starts."),
    "check_meetings_summary_length": ("summary", "Keep the summary under 20,000 characters."),
}
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]

# what the follow-up looks like for each outcome
ACTIVITY_STATUS = {"no_show": "no_show", "cancelled": "cancelled"}  # otherwise completed
FOLLOW_UP_DAYS = {"positive": 1, "neutral": 1}  # otherwise 2
FOLLOW_UP_TITLE = {"no_show": "Reschedule", "reschedule": "Reschedule", "cancelled": "Reschedule"}


def when(value: datetime | date | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A time shown in UTC (the zone the forms use), or a dash."""
    if value is None:
        return "—"
    return (value.astimezone(UTC) if isinstance(value, datetime) else value).strftime(fmt)


def has_endpoint(endpoint: str) -> bool:
    """Link to other areas only once their blueprint exists."""
    return endpoint in current_app.view_functions


@bp.context_processor
def template_helpers() -> dict:
    """Helpers for this blueprint's templates (UTC times, links to areas that exist)."""
    return {"when": when, "has_endpoint": has_endpoint}


# --- selects of the user's own records (shared with tasks) ----------------------

RECORD_MODELS = {"company_id": Company, "contact_id": Contact, "deal_id": Deal,
                 "primary_contact_id": Contact, "primary_deal_id": Deal}  # fmt: skip


def record_field(label: str, model, **kwargs) -> SelectField:
    return SelectField(label, choices=[], validate_choice=False, validators=[OwnedRecord(model)], **kwargs)


def prepare_records(form: FlaskForm, owner_id, obj=None) -> FlaskForm:
    """Fill the form's record selects with the owner's records; remember the starting values."""
    form.owner_id, form.initial = owner_id, {}
    for name, model in RECORD_MODELS.items():
        if name in form:
            form.initial[name] = current = getattr(obj, name, None)
            form[name].choices = record_choices(model, owner_id, current)
    return form


# --- the meeting form ---------------------------------------------------------


class MeetingForm(FlaskForm):
    title = text_field("Title", 300, required=True)
    starts_at = DateTimeLocalField("Starts (UTC)", format=DATETIME_FORMATS, tz=UTC,
                                   invalid_value_message="Enter a date and time.",
                                   validators=[InputRequired("Enter when the meeting starts.")])  # fmt: skip
    ends_at = DateTimeLocalField("Ends (UTC)", format=DATETIME_FORMATS, tz=UTC,
                                 invalid_value_message="Enter a date and time.", validators=[Optional()])  # fmt: skip
    meeting_type = SelectField("Type", choices=[(t, t.replace("_", " ")) for t in TYPES], default="other")
    company_id = record_field("Company", Company)
    primary_contact_id = record_field("Primary contact", Contact)
    primary_deal_id = record_field("Primary deal", Deal)
    summary = TextAreaField("Summary", validators=[Optional(), Length(max=20000), no_nul])
    next_steps = TextAreaField("Next steps", validators=[Optional(), Length(max=5000), no_nul])

    def validate_ends_at(self, field):
        if field.data and self.starts_at.data and field.data < self.starts_at.data:
            raise ValidationError("The meeting must end after it starts.")


class EditMeetingForm(MeetingForm):
    version = version_field()


FIELDS = ("title", "starts_at", "ends_at", "meeting_type", "company_id", "primary_contact_id",
          "primary_deal_id", "summary", "next_steps")  # fmt: skip


def apply_form(form: MeetingForm, meeting: Meeting) -> None:
    """Copy only the declared fields; empty text becomes NULL."""
    for name in FIELDS:
        value = form[name].data
        setattr(meeting, name, value if value != "" else None)


# --- panel forms on the meeting page ------------------------------------------


class OutcomeForm(FlaskForm):
    meeting_outcome = SelectField("Outcome", choices=[("", "Choose…")] + [(o, o.replace("_", " ")) for o in OUTCOMES],
                                  validators=[DataRequired("Choose an outcome.")])  # fmt: skip


class AttendeeForm(FlaskForm):
    contact_id = SelectField("Contact", choices=[], validate_choice=False,
                             validators=[DataRequired("Choose a contact."), OwnedRecord(Contact)])  # fmt: skip


class ActionItemForm(FlaskForm):
    description = text_field("Action item", 2000, required=True)
    priority = SelectField("Priority", choices=[(p, p) for p in PRIORITIES], default="medium")
    deadline = DateField("Deadline", validators=[Optional()])


class DealLinkForm(FlaskForm):
    deal_id = SelectField(
        "Deal", choices=[], validate_choice=False,
        validators=[DataRequired("Choose a deal."), OwnedRecord(Deal, "Choose one of your deals.")],
    )  # fmt: skip


# --- list -----------------------------------------------------------------------


def date_arg(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def day_start(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


def filtered_meetings():
    """The list query with the request's search and filters, and a notice about ignored filters."""
    statement, notice = select(Meeting), None
    if q := search_text():
        statement = statement.where(contains(Meeting.title, q))
    if meeting_type := choice_arg("type", TYPES):
        statement = statement.where(Meeting.meeting_type == meeting_type)
    if outcome := choice_arg("outcome", OUTCOMES + ["pending"]):
        statement = statement.where(Meeting.meeting_outcome == outcome)
    if (period := choice_arg("when", ("upcoming", "past"))) == "upcoming":
        statement = statement.where(Meeting.starts_at >= func.now())
    elif period == "past":
        statement = statement.where(Meeting.starts_at < func.now())
    start, end = date_arg("from"), date_arg("to")
    if start and end and start > end:
        notice, start, end = "The “from” date is after the “to” date, so the date range was not applied.", None, None
    if start:
        statement = statement.where(Meeting.starts_at >= day_start(start))
    if end:
        statement = statement.where(Meeting.starts_at < day_start(end) + timedelta(days=1))
    return statement.where(listed_owners(Meeting.owner_id)), notice


@bp.get("")
@login_required
def index():
    """Meetings the user may see, searchable, filterable and sortable; rows only for htmx."""
    statement, notice = filtered_meetings()
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    statement, sort, direction = SORTING.apply(statement, Meeting.id)
    page = page_number()
    meetings, has_next = paginate(statement.options(selectinload(Meeting.company), selectinload(Meeting.owner)), page)
    context = dict(meetings=meetings, total=total, page=page, has_next=has_next, sort=sort, direction=direction,
                   args=list_args(*LIST_ARGS), q=search_text(), types=TYPES, outcomes=OUTCOMES + ["pending"],
                   notice=notice)  # fmt: skip
    return htmx.render("meetings/index.html", "meetings/_rows.html", **context)


# --- create, show, edit, delete ---------------------------------------------------


def linked_ids(meeting: Meeting) -> dict:
    """The deals and company whose scores count this meeting (read before a write moves or deletes it)."""
    deals = db.session.scalars(select(DealMeeting.deal_id).where(DealMeeting.meeting_id == meeting.id)).all()
    return {"deal_ids": [meeting.primary_deal_id, *deals], "company_ids": [meeting.company_id]}


def rescore(meeting: Meeting | None, before: dict | None = None, activity: Activity | None = None) -> None:
    """Recompute, in this transaction, the summary's sentiment and what counts the meeting: its deals
    (meeting outcomes) and company (held meetings' sentiment), before and after the write; and the
    follow-up activity's sentiment and quality (deal and company activity).

    Attendees and action items are no score's input: writing them rescores nothing.
    """
    before = before or {"deal_ids": [], "company_ids": []}
    rescore_after_write(db.session, meeting_ids=[meeting.id] if meeting is not None else [],
                        activity_ids=[activity.id] if activity is not None else [], **before)  # fmt: skip


def save(form: MeetingForm, before_commit=None) -> bool:
    """Commit (``before_commit`` rescoring in the same transaction); a named check violation becomes a field
    error (False), anything else is raised."""
    return commit_or_field_error(form, INTEGRITY_MESSAGES, before_commit)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Schedule a meeting owned by the current user."""
    form = prepare_records(MeetingForm(), current_user.id)
    if form.validate_on_submit():
        meeting = Meeting(owner_id=current_user.id)
        apply_form(form, meeting)
        db.session.add(meeting)
        if save(form, before_commit=lambda: rescore(meeting)):
            flash(f"Created {meeting.title}.", "success")
            return redirect(url_for("meetings.show", id=meeting.id))
    return render_template("meetings/form.html", form=form, meeting=None)


@bp.get("/<uuid:id>")
@login_required
def show(id: uuid.UUID):
    """A meeting with its attendees, action items, linked deals, outcome and follow-ups."""
    meeting = get_or_404(Meeting, id)
    context = {}
    for build in PANELS.values():
        context |= build(meeting)
    return render_template("meetings/show.html", meeting=meeting, can_edit=may_edit(meeting), **context)


@bp.route("/<uuid:id>/edit", methods=["GET", "POST"])
@login_required
def update(id: uuid.UUID):
    """Edit a meeting; a stale save is refused with 409."""
    meeting = owned_or_404(get_or_404(Meeting, id))
    form = prepare_records(EditMeetingForm(obj=meeting), meeting.owner_id, meeting)
    if form.validate_on_submit():
        if is_stale(meeting, form.version.data):
            return stale_response(meeting, "meeting", url_for("meetings.update", id=id))
        before = linked_ids(meeting)
        apply_form(form, meeting)
        if save(form, before_commit=lambda: rescore(meeting, before)):
            flash(f"Saved {meeting.title}.", "success")
            return redirect(url_for("meetings.show", id=id))
    return render_template("meetings/form.html", form=form, meeting=meeting)


@bp.route("/<uuid:id>/delete", methods=["GET", "POST"])
@bp.route("/<uuid:id>", methods=["DELETE"])
@login_required
def delete(id: uuid.UUID):
    """Ask for confirmation (GET), then delete; its follow-up tasks and activities stay."""
    meeting = owned_or_404(get_or_404(Meeting, id))
    title = meeting.title
    if request.method == "GET":
        return render_template(
            "confirm_delete.html", what="meeting", name=title, consequence="Its attendees, action items and deal "
            "links go; tasks and activities made from it are kept.", cancel_url=url_for("meetings.show", id=id),
        )  # fmt: skip
    before = linked_ids(meeting)
    db.session.delete(meeting)
    db.session.flush()
    rescore(None, before)
    db.session.commit()
    flash(f"Deleted {title}.", "success")
    if htmx.wants_fragment():
        return htmx.redirect_to(url_for("meetings.index"), "meetingsChanged")
    return redirect(url_for("meetings.index"))


# --- panels: what each one shows, and the answer after a write in it --------------


def may_edit(meeting: Meeting) -> bool:
    return meeting.owner_id == current_user.id or is_admin()


def attendees_panel(meeting: Meeting, form: AttendeeForm | None = None) -> dict:
    attendees = db.session.scalars(
        select(MeetingAttendee).where(MeetingAttendee.meeting_id == meeting.id)
        .order_by(MeetingAttendee.is_external, MeetingAttendee.name)
    ).all()  # fmt: skip
    if not may_edit(meeting):
        return {"attendees": attendees}
    form = form or prepare_records(AttendeeForm(formdata=None), meeting.owner_id)
    attending = {str(a.contact_id) for a in attendees if a.contact_id}
    form.contact_id.choices = [c for c in record_choices(Contact, meeting.owner_id) if c[0] not in attending]
    return {"attendees": attendees, "attendee_form": form}


def action_items_panel(meeting: Meeting, form: ActionItemForm | None = None) -> dict:
    items = db.session.scalars(
        select(MeetingActionItem).where(MeetingActionItem.meeting_id == meeting.id)
        .order_by(MeetingActionItem.created_at, MeetingActionItem.id)
    ).all()  # fmt: skip
    return {"action_items": items, "action_item_form": form or ActionItemForm(formdata=None)}


def deals_panel(meeting: Meeting, form: DealLinkForm | None = None) -> dict:
    links = db.session.execute(
        select(DealMeeting, Deal).join(Deal, Deal.id == DealMeeting.deal_id)
        .where(DealMeeting.meeting_id == meeting.id).order_by(Deal.name)
    ).all()  # fmt: skip
    if not may_edit(meeting):
        return {"deal_links": links}
    form = form or prepare_records(DealLinkForm(formdata=None), current_user.id)
    linked = {str(link.deal_id) for link, _ in links}
    form.deal_id.choices = [c for c in record_choices(Deal, current_user.id) if c[0] not in linked]
    return {"deal_links": links, "deal_form": form}


def outcome_panel(meeting: Meeting, form: OutcomeForm | None = None) -> dict:
    tasks = db.session.scalars(select(Task).where(Task.meeting_id == meeting.id).order_by(Task.created_at)).all()
    form = form or OutcomeForm(formdata=None, meeting_outcome=meeting.meeting_outcome)
    return {"meeting_tasks": tasks, "outcome_form": form}


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


def first_error(form: FlaskForm) -> str:
    return next((e for errors in form.errors.values() for e in errors), "Check the form and try again.")


def posted_id(name: str) -> uuid.UUID:
    """A UUID from the posted form; junk is a 404 like a missing row."""
    try:
        return uuid.UUID(request.form.get(name, ""))
    except ValueError:
        abort(404)


def child_or_404(model, meeting: Meeting, field: str):
    """The meeting's attendee or action item named by the posted ``field``, else 404."""
    row = db.session.scalar(select(model).where(model.id == posted_id(field), model.meeting_id == meeting.id))
    if row is None:
        abort(404)
    return row


# --- attendees --------------------------------------------------------------------


@bp.post("/<uuid:id>/attendees")
@login_required
def add_attendee(id: uuid.UUID):
    """Add one of the owner's contacts as an attendee."""
    meeting = owned_or_404(get_or_404(Meeting, id))
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
    meeting = owned_or_404(get_or_404(Meeting, id))
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
    meeting = owned_or_404(get_or_404(Meeting, id))
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
    meeting = owned_or_404(get_or_404(Meeting, id))
    item = child_or_404(MeetingActionItem, meeting, "item_id")
    item.is_done = request.form.get("done", "1") == "1"
    db.session.commit()
    return panel(meeting, "action_items", "Marked done." if item.is_done else "Marked not done.")


def task_from_action_item(meeting: Meeting, item: MeetingActionItem) -> Task:
    """A task for the current user carrying the item's text, priority and deadline."""
    return Task(
        title=item.description if len(item.description) <= 300 else item.description[:299] + "…",
        description=item.description if len(item.description) > 300 else None,
        due_date=day_start(item.deadline) if item.deadline else None, priority=item.priority,
        task_type="follow_up", assigned_to=current_user.id, meeting_id=meeting.id,
        deal_id=meeting.primary_deal_id, company_id=meeting.company_id, contact_id=meeting.primary_contact_id,
    )  # fmt: skip


@bp.post("/<uuid:id>/action-items/task")
@login_required
def action_item_task(id: uuid.UUID):
    """Turn an action item into a task, once: the item row is locked and keeps the task's id."""
    meeting = owned_or_404(get_or_404(Meeting, id))
    item = child_or_404(MeetingActionItem, meeting, "item_id")
    db.session.refresh(item, with_for_update=True)
    if item.task_id is not None:
        return panel(meeting, "action_items", "This action item already has a task.")
    task = task_from_action_item(meeting, item)
    db.session.add(task)
    db.session.flush()
    item.task_id = task.id
    db.session.commit()
    return panel(meeting, "action_items", "Created a task for you.", "tasksChanged")


# --- linked deals -------------------------------------------------------------------


@bp.post("/<uuid:id>/deals")
@login_required
def link_deal(id: uuid.UUID):
    """Link one of the user's deals to the meeting (a deal_meetings row)."""
    meeting = owned_or_404(get_or_404(Meeting, id))
    form = prepare_records(DealLinkForm(), current_user.id)
    if not form.validate_on_submit():
        return panel(meeting, "deals", first_error(form), error=True, form=form)
    outcome = None if meeting.meeting_outcome == "pending" else meeting.meeting_outcome
    db.session.execute(
        insert(DealMeeting).values(deal_id=form.deal_id.data, meeting_id=meeting.id, outcome=outcome,
                                   link_source="manual").on_conflict_do_nothing()
    )  # fmt: skip
    rescore_after_write(db.session, deal_ids=[form.deal_id.data])  # the deal now counts this meeting
    db.session.commit()
    return panel(meeting, "deals", "Linked the deal.", "dealsChanged")


@bp.post("/<uuid:id>/deals/unlink")
@login_required
def unlink_deal(id: uuid.UUID):
    """Unlink a deal from the meeting (the deal stays); only the deal's owner may."""
    meeting = owned_or_404(get_or_404(Meeting, id))
    deal_id = posted_id("deal_id")
    deleted = db.session.execute(
        sa.delete(DealMeeting).where(DealMeeting.deal_id == deal_id, DealMeeting.meeting_id == meeting.id)
    ).rowcount  # row-level security lets only the deal's owner (or an admin) delete the link
    if deleted:
        rescore_after_write(db.session, deal_ids=[deal_id])
    db.session.commit()
    if not deleted:
        return panel(meeting, "deals", "Only the deal's owner can unlink it.", error=True)
    return panel(meeting, "deals", "Unlinked the deal.", "dealsChanged")


# --- the outcome and its follow-up ----------------------------------------------------


def after_write(step: str) -> None:
    """Called after each write of a multi-step operation; tests inject failures here (SECURITY.md T21)."""


def follow_up_activity(meeting: Meeting, outcome: str) -> Activity:
    """The meeting's activity (type meeting, linked through activity_meetings): reused if it exists."""
    activity = db.session.scalar(
        select(Activity).join(ActivityMeeting, ActivityMeeting.activity_id == Activity.id)
        .where(ActivityMeeting.meeting_id == meeting.id, Activity.type == "meeting",
               Activity.user_id == meeting.owner_id)
        .order_by(Activity.created_at).limit(1)
    )  # fmt: skip
    if activity is None:
        activity = Activity(user_id=meeting.owner_id, type="meeting", subject=meeting.title, details=meeting.summary,
                            date=meeting.starts_at, company_id=meeting.company_id, activity_source="crm",
                            contact_id=meeting.primary_contact_id, deal_id=meeting.primary_deal_id)  # fmt: skip
        activity.meeting_links.append(ActivityMeeting(meeting_id=meeting.id))
        db.session.add(activity)
    activity.status = ACTIVITY_STATUS.get(outcome, "completed")
    return activity


def follow_up_task(meeting: Meeting, outcome: str) -> Task:
    """The automatic follow-up: due in 1 day after a positive or neutral meeting, else 2."""
    due = datetime.now(UTC) + timedelta(days=FOLLOW_UP_DAYS.get(outcome, 2))
    title = f"{FOLLOW_UP_TITLE.get(outcome, 'Follow up')}: {meeting.title}"
    return Task(title=title[:300], due_date=due, task_type="follow_up", auto_generated=True,
                assigned_to=meeting.owner_id, meeting_id=meeting.id, deal_id=meeting.primary_deal_id,
                company_id=meeting.company_id, contact_id=meeting.primary_contact_id)  # fmt: skip


def record_deal_outcome(meeting: Meeting, outcome: str) -> None:
    """The primary deal gets its deal_meetings row if missing; every linked deal the user owns gets the outcome."""
    deal = meeting.primary_deal
    if deal is not None and (deal.owner_id == current_user.id or is_admin()):
        db.session.execute(insert(DealMeeting).values(deal_id=deal.id, meeting_id=meeting.id,
                                                      link_source="primary_deal").on_conflict_do_nothing())  # fmt: skip
    db.session.execute(sa.update(DealMeeting).where(DealMeeting.meeting_id == meeting.id).values(outcome=outcome))


def record_outcome(meeting: Meeting, outcome: str) -> bool:
    """Set the outcome and the follow-up (activity and task, the task only once), and rescore what they
    change; the caller commits.

    The meeting row is locked first (SELECT ... FOR UPDATE), so a second request
    waits for the first to commit and then finds follow_up_created set; the
    versioned UPDATE of the meeting would refuse an interleaved one anyway.
    Returns whether the follow-up task was created now.
    """
    db.session.refresh(meeting, with_for_update=True)
    meeting.meeting_outcome, create_task = outcome, not meeting.follow_up_created
    db.session.flush()
    after_write("meeting")
    activity = follow_up_activity(meeting, outcome)
    db.session.flush()
    after_write("activity")
    if create_task:
        db.session.add(follow_up_task(meeting, outcome))
        meeting.follow_up_created = True
        db.session.flush()
        after_write("task")
    record_deal_outcome(meeting, outcome)
    after_write("deal")
    rescore(meeting, activity=activity)  # the meeting now counts as held (or not) for its deals and company
    return create_task


@bp.post("/<uuid:id>/outcome")
@login_required
def outcome(id: uuid.UUID):
    """Record how the meeting went; the first time, its follow-up activity and task come with it."""
    meeting = owned_or_404(get_or_404(Meeting, id))
    form = OutcomeForm()
    if not form.validate_on_submit():
        return panel(meeting, "outcome", first_error(form), error=True, form=form)
    created = record_outcome(meeting, form.meeting_outcome.data)
    db.session.commit()
    message = "Recorded the outcome and created the follow-up task." if created else "Updated the outcome."
    return panel(meeting, "outcome", message, "tasksChanged", "activitiesChanged", "dealsChanged")
