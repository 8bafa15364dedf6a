"""Calendar objects (ICS text) read into occurrences, and meetings written into calendar objects.

Times: an aware time (UTC or a TZID, with or without a VTIMEZONE) is converted to UTC; a floating time is the
user's wall-clock time; an all-day event runs from 00:00 of its first day to 00:00 after its last, in the
user's zone. A recurring event (RRULE, RDATE, or overridden occurrences) is expanded within the sync window
(``recurring-ical-events``); each occurrence is keyed by its RECURRENCE-ID in UTC, which stays the same when
that one occurrence is moved. A single event is keyed ``''`` and read whatever its date (a meeting moved far
ahead moves; only creating one is bounded by the window).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import recurring_ical_events
from icalendar import Calendar, Event

from dashboard.calendar_sync import UID_DOMAIN

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CRM_UID = re.compile(rf"^crm-meeting-([0-9a-f-]{{36}})@{re.escape(UID_DOMAIN)}$")
TITLE_MAX = 300
SUMMARY_MAX = 20_000


@dataclass
class Occurrence:
    """One occurrence of a calendar event, in UTC."""

    uid: str
    key: str  # '' for a single event, else the RECURRENCE-ID in UTC (ISO 8601)
    title: str
    starts_at: datetime
    ends_at: datetime | None
    cancelled: bool
    modified: datetime | None  # LAST-MODIFIED, else DTSTAMP
    description: str | None = None
    attendees: list[tuple[str, str | None]] = field(default_factory=list)  # (email, name), organizer first

    def fields(self) -> tuple:
        """What a meeting and its event must agree on."""
        return (self.title, self.starts_at, self.ends_at, self.cancelled)


class UnreadableEvent(ValueError):
    """A calendar object that is not an event we can read (its reason is the message)."""


def to_utc(value, zone: ZoneInfo) -> datetime:
    """A DTSTART/DTEND value as an instant: aware times converted, floating ones and days in ``zone``."""
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=zone)).astimezone(UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(0), zone).astimezone(UTC)
    raise UnreadableEvent(f"not a date or time: {value!r}")


def occurrence_key(component: Event, zone: ZoneInfo) -> str:
    value = component.decoded("RECURRENCE-ID")
    if isinstance(value, datetime):
        return to_utc(value, zone).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()  # an all-day occurrence: its day


def key_instant(key: str) -> datetime | date:
    """An occurrence key back as its original start (UTC) or day."""
    if "T" in key:
        return datetime.strptime(key, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return date.fromisoformat(key)


def key_start(key: str) -> datetime:
    """An occurrence key's original start as an instant (an all-day one: 00:00 UTC of its day)."""
    value = key_instant(key)
    return value if isinstance(value, datetime) else datetime.combine(value, time(0), UTC)


def parse(text: str | bytes, zone: ZoneInfo, window: tuple[datetime, datetime]) -> list[Occurrence]:
    """The occurrences of one calendar object: a single event whatever its date, a recurring one's within
    ``window``. Raises ``UnreadableEvent`` for text that is not iCalendar."""
    try:
        calendar = Calendar.from_ical(text)
    except ValueError as error:
        raise UnreadableEvent(f"not iCalendar: {str(error)[:200]}") from None
    components = [c for c in calendar.walk("VEVENT")]
    if not components:
        return []
    if not any(("RRULE" in c or "RDATE" in c or "RECURRENCE-ID" in c) for c in components):
        return [occurrence(c, "", zone) for c in components[:1]]
    start, end = window
    try:
        expanded = recurring_ical_events.of(calendar).between(start, end)
    except Exception as error:  # noqa: BLE001 -- a broken RRULE is a skipped event, never a stopped sync
        raise UnreadableEvent(f"cannot expand its recurrence: {str(error)[:200]}") from None
    return [occurrence(c, occurrence_key(c, zone), zone) for c in expanded if "RECURRENCE-ID" in c]


def occurrence(component: Event, key: str, zone: ZoneInfo) -> Occurrence:
    if "DTSTART" not in component or "UID" not in component:
        raise UnreadableEvent("an event without DTSTART or UID")
    start_value = component.decoded("DTSTART")
    starts = to_utc(start_value, zone)
    if "DTEND" in component:
        ends = to_utc(component.decoded("DTEND"), zone)
    elif "DURATION" in component:
        ends = starts + component.decoded("DURATION")
    elif not isinstance(start_value, datetime):
        ends = to_utc(start_value + timedelta(days=1), zone)  # an all-day event without an end: one day
    else:
        ends = None
    stamps = [name for name in ("LAST-MODIFIED", "DTSTAMP") if name in component]
    modified = to_utc(component.decoded(stamps[0]), zone) if stamps else None
    description = str(component.get("DESCRIPTION") or "").strip() or None
    return Occurrence(
        uid=str(component["UID"])[:1000],
        key=key,
        title=(str(component.get("SUMMARY") or "").strip() or "Meeting")[:TITLE_MAX],
        starts_at=starts,
        ends_at=ends if ends is None or ends >= starts else None,
        cancelled=str(component.get("STATUS") or "").upper() == "CANCELLED",
        modified=modified,
        description=description[:SUMMARY_MAX] if description else None,
        attendees=people(component),
    )


def people(component: Event) -> list[tuple[str, str | None]]:
    """The organizer and attendees as (lower-case email, common name), each address once."""
    found: dict[str, str | None] = {}
    values = []
    for name in ("ORGANIZER", "ATTENDEE"):
        value = component.get(name)
        values += value if isinstance(value, list) else [value] if value is not None else []
    for value in values:
        address = str(value).strip()
        if address.lower().startswith("mailto:"):
            address = address[7:]
        address = address.strip().lower()
        if EMAIL.match(address) and len(address) <= 254 and address not in found:
            common_name = getattr(value, "params", {}).get("CN")
            found[address] = str(common_name).strip()[:200] or None if common_name else None
    return list(found.items())


def crm_meeting_id(uid: str) -> str | None:
    """The meeting id of an event the CRM wrote (UID ``crm-meeting-<id>@sales-dashboard``), else None."""
    match = CRM_UID.match(uid)
    return match.group(1) if match else None


def crm_uid(meeting_id) -> str:
    return f"crm-meeting-{meeting_id}@{UID_DOMAIN}"


def meeting_calendar(meeting, now: datetime) -> bytes:
    """A new calendar object for a CRM meeting (``meeting`` has id, title, starts_at, ends_at, cancelled,
    summary, updated_at)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Sales Dashboard//CalDAV sync//EN")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", crm_uid(meeting.id))
    event.add("dtstamp", now)
    set_fields(event, meeting)
    if meeting.summary:
        event.add("description", meeting.summary)
    calendar.add_component(event)
    return calendar.to_ical()


def set_fields(event: Event, meeting) -> None:
    """Write the meeting's title, times (UTC), status and modification time into ``event``."""
    for name in ("SUMMARY", "DTSTART", "DTEND", "DURATION", "STATUS", "LAST-MODIFIED"):
        event.pop(name, None)
    event.add("summary", meeting.title)
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    if meeting.ends_at is not None:
        event.add("dtend", meeting.ends_at.astimezone(UTC))
    event.add("status", "CANCELLED" if meeting.cancelled else "CONFIRMED")
    event.add("last-modified", meeting.updated_at.astimezone(UTC))
    event["SEQUENCE"] = int(event.get("SEQUENCE", 0)) + 1


def patch(text: str | bytes, key: str, meeting, zone: ZoneInfo) -> bytes:
    """The calendar object with occurrence ``key`` changed to the meeting's fields: the single event (``''``),
    an overridden occurrence, or a new override of a recurring event's occurrence."""
    calendar = Calendar.from_ical(text)
    events = list(calendar.walk("VEVENT"))
    master = next((e for e in events if "RECURRENCE-ID" not in e), None)
    if key == "":
        target = master or events[0]
    else:
        target = next((e for e in events if "RECURRENCE-ID" in e and occurrence_key(e, zone) == key), None)
        if target is None:
            if master is None:
                raise UnreadableEvent("no event to override")
            target = Event.from_ical(master.to_ical())
            for name in ("RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"):
                target.pop(name, None)
            target.add("recurrence-id", key_instant(key))
            calendar.add_component(target)
    set_fields(target, meeting)
    return calendar.to_ical()
