"""A notice as a sentence, with its times in the reader's time zone (the same words in the app and in email).

``describe(kind, title, at, detail, tz, today)``: ``today`` is the reader's day when the sentence is read or
sent, so a task's due day reads "due today" or "overdue since Mon 7 Dec" from the reader's side of the date
line (a due day is a calendar day, stored at 00:00 UTC: timezones.due_day).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from dashboard import timezones

SUBJECTS = {
    "task_due": "Task due",
    "meeting_soon": "Meeting soon",
    "deal_stalled": "Deal stalled",
    "deal_assigned": "Deal assigned to you",
    "webhook_failing": "Webhook endpoint failing",
}
KIND_LABELS = {
    "task_due": "A task of mine is due today or overdue",
    "meeting_soon": "A meeting of mine starts in 15 minutes",
    "deal_stalled": "A deal of mine has stalled in its stage",
    "deal_assigned": "Someone assigns me a deal",
    "webhook_failing": "A webhook endpoint is failing (admins)",
}


def _day(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def _task_due(title: str, at: dt.datetime | None, today: dt.date) -> str:
    due = timezones.due_day(at)
    if due is None or due == today:
        return f"Task “{title}” is due today ({_day(today)})."
    if due > today:
        return f"Task “{title}” is due on {_day(due)}."
    days = (today - due).days
    return f"Task “{title}” is overdue: it was due on {_day(due)} ({days} day{'s' if days != 1 else ''} ago)."


def describe(kind: str, title: str, at: dt.datetime | None, detail: str | None, tz: ZoneInfo, today: dt.date) -> str:
    """The notice in words for a reader in ``tz`` whose day is ``today``."""
    if kind == "task_due":
        return _task_due(title, at, today)
    if kind == "meeting_soon":
        start = timezones.local(at, tz)
        return f"Meeting “{title}” starts at {start:%H:%M %Z} ({_day(start.date())})."
    if kind == "deal_stalled":
        since = timezones.local(at, tz).date()
        where = f" in {detail}" if detail else ""
        return f"Deal “{title}” has stalled{where}: no stage change since {_day(since)} ({(today - since).days} days)."
    if kind == "deal_assigned":
        who = detail or "Someone"
        return f"{who} assigned you the deal “{title}” on {timezones.local(at, tz):%a %d %b %Y at %H:%M %Z}."
    if kind == "webhook_failing":
        return f"Webhook endpoint “{title}” is failing{': ' + detail if detail else ''}."
    return title
