"""Meetings: the list's filters, the panels' rows, rescoring what counts a meeting, and recording an
outcome with its follow-up activity and task (once, in the same transaction as the outcome).

Times are entered and shown in the user's zone and stored as UTC (dashboard/timezones.py).
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from dashboard import timezones, vocabulary
from dashboard.db import db
from dashboard.intelligence.scores import rescore_after_write
from dashboard.lists import DAY_HINT, Sorting, choice_arg, contains, day_arg, search_text
from dashboard.models import (
    Activity,
    ActivityMeeting,
    Deal,
    DealMeeting,
    Meeting,
    MeetingActionItem,
    MeetingAttendee,
    Task,
)

TYPES = list(vocabulary.MEETING_TYPES)
# "pending" is a meeting without an outcome yet: a filter, not a choice on the outcome form
OUTCOMES = [outcome for outcome in vocabulary.MEETING_OUTCOMES if outcome != "pending"]
PRIORITIES = list(vocabulary.PRIORITIES)
INTEGRITY_MESSAGES = {
    "check_meetings_title_not_blank": ("title", "Enter the meeting's title."),
    "check_meetings_ends_after_starts": ("ends_at", "The meeting must end after it starts."),
    "check_meetings_summary_length": ("summary", "Keep the summary under 20,000 characters."),
}

# what the follow-up looks like for each outcome
ACTIVITY_STATUS = {"no_show": "no_show", "cancelled": "cancelled"}  # otherwise completed
FOLLOW_UP_DAYS = {"positive": 1, "neutral": 1}  # otherwise 2
FOLLOW_UP_TITLE = {"no_show": "Reschedule", "reschedule": "Reschedule", "cancelled": "Reschedule"}


def date_conditions(args) -> tuple[list, str | None]:
    """The ``when`` (upcoming, past) and ``from``/``to`` conditions of ``args``, and a notice when the
    range was ignored."""
    conditions, notice = [], None
    if (period := choice_arg("when", ("upcoming", "past"), args)) == "upcoming":
        conditions.append(Meeting.starts_at >= func.now())
    elif period == "past":
        conditions.append(Meeting.starts_at < func.now())
    try:
        start, end = day_arg("from", args), day_arg("to", args)
    except ValueError:
        start, end, notice = None, None, f"{DAY_HINT}; the date range was not applied."
    if start and end and start > end:
        notice, start, end = "The “from” date is after the “to” date, so the date range was not applied.", None, None
    # the user's days: [from 00:00, to + 1 day 00:00) in their zone
    first, after = timezones.day_bounds(start, end)
    if first:
        conditions.append(Meeting.starts_at >= first)
    if after:
        conditions.append(Meeting.starts_at < after)
    return conditions, notice


def filtered_meetings(args, listed_owners):
    """The list query with the search and filters of ``args`` for the owners ``listed_owners(column)``
    admits, and a notice about ignored filters."""
    statement = select(Meeting)
    if q := search_text(args=args):
        statement = statement.where(contains(Meeting.title, q))
    if meeting_type := choice_arg("type", TYPES, args):
        statement = statement.where(Meeting.meeting_type == meeting_type)
    if outcome := choice_arg("outcome", OUTCOMES + ["pending"], args):
        statement = statement.where(Meeting.meeting_outcome == outcome)
    conditions, notice = date_conditions(args)
    return statement.where(*conditions, listed_owners(Meeting.owner_id)), notice


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


def delete(meeting: Meeting) -> None:
    """Delete the meeting (attendees, action items, deal links go with it) and rescore what counted it."""
    before = linked_ids(meeting)
    db.session.delete(meeting)
    db.session.flush()
    rescore(None, before)
    db.session.commit()


# --- the panels' rows ----------------------------------------------------------------


def attendees(meeting_id) -> list[MeetingAttendee]:
    return db.session.scalars(
        select(MeetingAttendee).where(MeetingAttendee.meeting_id == meeting_id)
        .order_by(MeetingAttendee.is_external, MeetingAttendee.name)
    ).all()  # fmt: skip


def action_items(meeting_id) -> list[MeetingActionItem]:
    return db.session.scalars(
        select(MeetingActionItem).where(MeetingActionItem.meeting_id == meeting_id)
        .order_by(MeetingActionItem.created_at, MeetingActionItem.id)
    ).all()  # fmt: skip


def deal_links(meeting: Meeting) -> list:
    """(link, deal) for the deals linked to the meeting, by name. The primary deal is always one of
    them: a meeting saved before its primary deal got its deal_meetings row (older data) shows it
    with an unsaved link (link_source primary_deal, no outcome yet)."""
    links = list(db.session.execute(
        select(DealMeeting, Deal).join(Deal, Deal.id == DealMeeting.deal_id)
        .where(DealMeeting.meeting_id == meeting.id).order_by(Deal.name)
    ).all())  # fmt: skip
    primary = meeting.primary_deal  # None when row-level security hides it
    if primary is not None and all(deal.id != primary.id for _, deal in links):
        unsaved = SimpleNamespace(deal_id=primary.id, outcome=None, link_source="primary_deal")
        links = sorted([*links, (unsaved, primary)], key=lambda entry: entry[1].name)
    return links


def link_primary_deal(meeting: Meeting, may_write_deal) -> None:
    """Give the primary deal its deal_meetings row (link_source primary_deal) if it has none, when
    ``may_write_deal(deal)``: the deal counts the meeting, and the meeting page lists it as linked."""
    deal = db.session.get(Deal, meeting.primary_deal_id) if meeting.primary_deal_id else None
    if deal is not None and may_write_deal(deal):
        outcome = None if meeting.meeting_outcome == "pending" else meeting.meeting_outcome
        db.session.execute(insert(DealMeeting).values(deal_id=deal.id, meeting_id=meeting.id, outcome=outcome,
                                                      link_source="primary_deal").on_conflict_do_nothing())  # fmt: skip


def meeting_tasks(meeting_id) -> list[Task]:
    return db.session.scalars(select(Task).where(Task.meeting_id == meeting_id).order_by(Task.created_at)).all()


def child(model, meeting: Meeting, child_id):
    """The meeting's attendee or action item with ``child_id``, or None."""
    return db.session.scalar(select(model).where(model.id == child_id, model.meeting_id == meeting.id))


# --- writes in the panels --------------------------------------------------------------


def task_from_action_item(meeting: Meeting, item: MeetingActionItem, assignee_id) -> Task:
    """A task for ``assignee_id`` carrying the item's text, priority and deadline."""
    return Task(
        title=item.description if len(item.description) <= 300 else item.description[:299] + "…",
        description=item.description if len(item.description) > 300 else None,
        due_date=timezones.due_instant(item.deadline), priority=item.priority,
        task_type="follow_up", assigned_to=assignee_id, meeting_id=meeting.id,
        deal_id=meeting.primary_deal_id, company_id=meeting.company_id, contact_id=meeting.primary_contact_id,
    )  # fmt: skip


def action_item_task(meeting: Meeting, item: MeetingActionItem, assignee_id) -> bool:
    """Turn an action item into a task, once: the item row is locked and keeps the task's id. False when
    it already has one."""
    db.session.refresh(item, with_for_update=True)
    if item.task_id is not None:
        return False
    task = task_from_action_item(meeting, item, assignee_id)
    db.session.add(task)
    db.session.flush()
    item.task_id = task.id
    db.session.commit()
    return True


def link_deal(meeting: Meeting, deal_id) -> None:
    """Link a deal to the meeting (a deal_meetings row, with the outcome so far); the deal now counts it."""
    outcome = None if meeting.meeting_outcome == "pending" else meeting.meeting_outcome
    db.session.execute(
        insert(DealMeeting).values(deal_id=deal_id, meeting_id=meeting.id, outcome=outcome,
                                   link_source="manual").on_conflict_do_nothing()
    )  # fmt: skip
    rescore_after_write(db.session, deal_ids=[deal_id])
    db.session.commit()


def unlink_deal(meeting: Meeting, deal_id) -> bool:
    """Unlink a deal from the meeting (the deal stays); False when row-level security kept the link
    (only the deal's owner, or an admin, may delete it)."""
    deleted = db.session.execute(
        sa.delete(DealMeeting).where(DealMeeting.deal_id == deal_id, DealMeeting.meeting_id == meeting.id)
    ).rowcount
    if deleted:
        rescore_after_write(db.session, deal_ids=[deal_id])
    db.session.commit()
    return bool(deleted)


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
    # a due day: tomorrow (or the day after) in the user's zone
    due = timezones.due_instant(timezones.today() + timedelta(days=FOLLOW_UP_DAYS.get(outcome, 2)))
    title = f"{FOLLOW_UP_TITLE.get(outcome, 'Follow up')}: {meeting.title}"
    return Task(title=title[:300], due_date=due, task_type="follow_up", auto_generated=True,
                assigned_to=meeting.owner_id, meeting_id=meeting.id, deal_id=meeting.primary_deal_id,
                company_id=meeting.company_id, contact_id=meeting.primary_contact_id)  # fmt: skip


def record_deal_outcome(meeting: Meeting, outcome: str, may_write_deal) -> None:
    """The primary deal gets its deal_meetings row if missing (when ``may_write_deal(deal)``); every
    linked deal the user may change gets the outcome (row-level security decides)."""
    link_primary_deal(meeting, may_write_deal)
    db.session.execute(sa.update(DealMeeting).where(DealMeeting.meeting_id == meeting.id).values(outcome=outcome))


def record_outcome(meeting: Meeting, outcome: str, may_write_deal) -> bool:
    """Set the outcome and the follow-up (activity and task, the task only once), rescore what they
    change, and commit.

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
    record_deal_outcome(meeting, outcome, may_write_deal)
    after_write("deal")
    rescore(meeting, activity=activity)  # the meeting now counts as held (or not) for its deals and company
    db.session.commit()
    return create_task


# the list's sort keys (the page's and the API's)
SORTING = Sorting(
    columns={"start": Meeting.starts_at, "title": func.lower(Meeting.title), "type": Meeting.meeting_type},
    default="start",
    default_direction="desc",
)
