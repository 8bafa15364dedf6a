"""A user's private ICS feed (``/calendar/<token>.ics``): their meetings and the due days of their open
tasks, for any calendar app to subscribe to.

The token is the credential (sql/functions/calendar.sql): issued once by ``app.issue_calendar_feed``,
stored only as its sha256, revoked by ``app.revoke_calendar_feed``; ``app.open_calendar_feed`` answers a
one-minute job session of the feed's owner, and the feed is read with it under row-level security (the
owner's own meetings and tasks only: a manager's feed does not carry their team's).

Times: a meeting is an instant, written in UTC (``DTSTART:20261208T150000Z``); a task's due date is a
calendar day (stored at 00:00 UTC), written as an all-day event (``DTSTART;VALUE=DATE``). UIDs are the
rows' ids, so an edit updates the subscriber's copy instead of adding one.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event
from sqlalchemy import select, text

from dashboard.db import db
from dashboard.models import Meeting, Task

TOKEN = re.compile(r"[0-9a-f]{64}")  # what app.new_session_token makes
MEETINGS_SINCE_DAYS = 365  # older meetings are left out of the feed
MAX_EVENTS = 5000  # per kind, newest first: a feed stays a few hundred kilobytes at most
DEFAULT_MEETING_MINUTES = 60  # a meeting without an end time
OPEN_TASK_STATUSES = ("pending", "in_progress")
PRODID = "-//Sales Dashboard//Calendar feed//EN"
UID_DOMAIN = "sales-dashboard"


def issue() -> str:
    """A new feed token for the acting user (their old feed stops working); shown to them once."""
    return db.session.execute(text("select app.issue_calendar_feed()")).scalar_one()


def revoke() -> bool:
    """Revoke the acting user's feed; False when they had none."""
    return bool(db.session.execute(text("select app.revoke_calendar_feed()")).scalar_one())


def live_feed():
    """The acting user's live feed (``created_at``, ``last_used_at``), or None."""
    return db.session.execute(
        text("""select created_at, last_used_at from crm.calendar_feeds
                where user_id = app.active_user_id() and revoked_at is null""")
    ).one_or_none()


def open_feed(token: str) -> str | None:
    """The job session of the feed's owner for a live token, else None (unknown, malformed or revoked)."""
    if not TOKEN.fullmatch(token):
        return None
    return db.session.execute(text("select app.open_calendar_feed(:t)"), {"t": token}).scalar_one()


def end_feed_session() -> None:
    db.session.execute(text("select app.end_session(false)"))


def build(meeting_url, task_url, now: datetime | None = None) -> bytes:
    """The acting user's feed as ICS bytes. ``meeting_url(id)`` and ``task_url(id)`` make the records' links."""
    now = now or datetime.now(UTC)
    me = db.session.execute(text("select app.active_user_id()")).scalar_one()
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Sales Dashboard")
    meetings = db.session.scalars(
        select(Meeting).where(Meeting.owner_id == me, Meeting.starts_at >= now - timedelta(days=MEETINGS_SINCE_DAYS))
        .order_by(Meeting.starts_at.desc()).limit(MAX_EVENTS)
    )  # fmt: skip
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, meeting_url(meeting.id)))
    tasks = db.session.scalars(
        select(Task).where(Task.assigned_to == me, Task.due_date.is_not(None), Task.status.in_(OPEN_TASK_STATUSES))
        .order_by(Task.due_date.desc()).limit(MAX_EVENTS)
    )  # fmt: skip
    for task in tasks:
        calendar.add_component(task_event(task, task_url(task.id)))
    return calendar.to_ical()


def meeting_event(meeting: Meeting, url: str) -> Event:
    """A meeting as a VEVENT in UTC; a cancelled one keeps its UID with STATUS:CANCELLED."""
    event = Event()
    event.add("uid", f"meeting-{meeting.id}@{UID_DOMAIN}")
    event.add("dtstamp", meeting.updated_at.astimezone(UTC))
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    ends = meeting.ends_at or meeting.starts_at + timedelta(minutes=DEFAULT_MEETING_MINUTES)
    event.add("dtend", ends.astimezone(UTC))
    event.add("summary", meeting.title)
    event.add("sequence", meeting.version)
    event.add("status", "CANCELLED" if meeting.meeting_outcome == "cancelled" else "CONFIRMED")
    if meeting.summary:
        event.add("description", meeting.summary)
    event.add("url", url)
    return event


def task_event(task: Task, url: str) -> Event:
    """A task's due day as an all-day VEVENT (the same calendar day in every zone)."""
    day = task.due_date.astimezone(UTC).date()
    event = Event()
    event.add("uid", f"task-{task.id}@{UID_DOMAIN}")
    event.add("dtstamp", task.updated_at.astimezone(UTC))
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", f"Due: {task.title}")
    event.add("sequence", task.version)
    event.add("transp", "TRANSPARENT")  # a due day does not make the user busy
    if task.description:
        event.add("description", task.description)
    event.add("url", url)
    return event
