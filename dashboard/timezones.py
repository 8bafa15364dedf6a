"""The one place times meet a user's time zone: shown and entered in it, stored as UTC.

Every ``timestamptz`` is stored as an instant (the app's connections run with ``timezone=UTC``, so
rows come back as aware UTC datetimes). Pages, forms and CSV files show and take it in the acting
user's zone (``users.time_zone``, an IANA name such as ``America/New_York``; none yet: UTC).

Rules (docs/architecture.md, "Time zones"):

* **Instants** (an activity's date, a meeting's start and end, created/changed/completed times) are
  shown with ``local`` / ``when`` and entered with ``to_utc``.
* **A local time that happens twice** (the hour clocks go back, 01:30 on 2026-11-01 in New York)
  means the *first* one (daylight time, ``fold=0``): 01:30 EDT = 05:30 UTC.
* **A local time that never happens** (the hour clocks skip, 02:30 on 2026-03-08 in New York) is
  refused by the forms (``NonexistentTime``); where a day boundary falls in such a gap (midnight in
  a zone that springs forward at midnight), the day starts when the clocks change (``day_start``).
* **Days** (a task's due day, a deal's expected close date, an action item's deadline, a target's
  month) are calendar days, the same day for everyone whatever their zone: a task due on 10 March is
  due on 10 March in Tokyo and in New York. A due day is stored as 00:00 UTC of that day (the column
  is a ``timestamptz``; ``due_instant``); a day is *past* when it is before today in the viewer's
  zone (``today``).
* **Day ranges** (list filters, dashboards) are the viewer's days: [from 00:00, to + 1 day 00:00)
  local time (``day_bounds``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from flask import g, has_request_context

DEFAULT = "UTC"
NAME_LENGTH = 64  # longer than any IANA name (the longest is 32 characters)
# the areas a zone picker offers (tzdata's backward-compatible links such as US/Eastern or GB stay valid)
AREAS = ("Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific")


class NonexistentTime(ValueError):
    """A wall-clock time the zone skips (clocks move forward over it)."""


@lru_cache(maxsize=1)
def known_names() -> frozenset[str]:
    """Every zone name this Python knows (the system's tzdata; PostgreSQL's pg_timezone_names has the same),
    but "localtime" (the server's own zone, not a name)."""
    return frozenset(available_timezones() - {"localtime"}) | {DEFAULT}


def is_valid(name: str | None) -> bool:
    """True for an IANA zone name that exists (``Europe/Paris``); False for anything else."""
    if not name or len(name) > NAME_LENGTH or name not in known_names():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def problem(name: str | None) -> str | None:
    """Why ``name`` cannot be a user's zone (a sentence for a form), or None when it can."""
    if is_valid(name):
        return None
    shown = (name or "")[:NAME_LENGTH]
    return f"“{shown}” is not a time zone. Choose one from the list, such as Europe/London or America/New_York."


@lru_cache(maxsize=1)
def grouped_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The zones a picker offers, grouped by area: [("Europe", [("Europe/Paris", "Paris"), ...]), ...]."""
    groups: dict[str, list[tuple[str, str]]] = {"UTC": [(DEFAULT, "UTC")]}
    for name in sorted(known_names()):
        area, _, place = name.partition("/")
        if area in AREAS and place:
            groups.setdefault(area, []).append((name, place.replace("_", " ").replace("/", " / ")))
    return list(groups.items())


def zone(name: str | None = None) -> ZoneInfo:
    """``name``'s zone; without a name, the acting user's (UTC outside a request or when unset)."""
    return ZoneInfo(name if is_valid(name) else (current_name() if name is None else DEFAULT))


def current_name() -> str:
    """The acting user's zone name (``UTC`` when they have none yet or nobody is logged in)."""
    if not has_request_context():
        return DEFAULT
    if "time_zone" not in g:
        from flask_login import current_user  # a request-time import: flask_login needs the app

        name = getattr(current_user, "time_zone", None) if current_user else None
        g.time_zone = name if is_valid(name) else DEFAULT
    return g.time_zone


def local(value: datetime, tz: ZoneInfo | None = None) -> datetime:
    """An instant as the wall-clock time in ``tz`` (default: the user's zone). Naive values are UTC."""
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(tz or zone())


def when(value: datetime | date | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """An instant in the user's zone (a day as it is), formatted, or a dash. ``%Z`` gives EDT/EST."""
    if value is None:
        return "—"
    return (local(value) if isinstance(value, datetime) else value).strftime(fmt)


def local_day(value: datetime | date | None) -> date | None:
    """The user's calendar day of an instant (a day as it is)."""
    if value is None or not isinstance(value, datetime):
        return value
    return local(value).date()


def to_utc(wall: datetime, tz: ZoneInfo | None = None, *, strict: bool = True) -> datetime:
    """A wall-clock time in ``tz`` (default: the user's) as an aware UTC instant.

    An ambiguous time is its first occurrence (``fold=0``). A time in a gap raises
    ``NonexistentTime`` when ``strict``; otherwise it becomes the first instant after the gap.
    """
    tz = tz or zone()
    naive = wall.replace(tzinfo=None, fold=0)
    instant = naive.replace(tzinfo=tz).astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) == naive:
        return instant
    if strict:
        raise NonexistentTime(f"{naive:%Y-%m-%d %H:%M} does not exist in {tz.key}: the clocks skip that time.")
    return instant  # read with the offset before the change: moved forward by the gap (02:30 -> 03:30)


def day_start(day: date, tz: ZoneInfo | None = None) -> datetime:
    """The first instant of ``day`` in ``tz`` (local midnight, or the end of a gap over midnight), in UTC."""
    # a gap starting at midnight (America/Havana, Asia/Beirut...): its first wall-clock time read with
    # the offset before the change is the change itself, the day's first instant
    return to_utc(datetime.combine(day, time()), tz or zone(), strict=False)


def day_bounds(first: date | None, last: date | None, tz: ZoneInfo | None = None):
    """Inclusive days [first, last] in ``tz`` as [start, end) UTC instants (None stays None)."""
    tz = tz or zone()
    start = day_start(first, tz) if first else None
    end = day_start(last + timedelta(days=1), tz) if last else None
    return start, end


def today(tz: ZoneInfo | None = None) -> date:
    """Today in ``tz`` (default: the user's zone)."""
    return datetime.now(tz or zone()).date()


def now_local(tz: ZoneInfo | None = None) -> datetime:
    """This minute in the user's zone, as a naive wall-clock time (a ``datetime-local`` default)."""
    return datetime.now(tz or zone()).replace(second=0, microsecond=0, tzinfo=None)


def due_instant(day: date | None) -> datetime | None:
    """A calendar day (a due day) as the instant it is stored at: 00:00 UTC of that day."""
    return datetime.combine(day, time(), UTC) if day else None


def due_day(value: datetime | date | None) -> date | None:
    """A stored due day (00:00 UTC of the day) back as the calendar day; the same in every zone."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).date()
    return value


def label(tz: ZoneInfo | None = None) -> str:
    """The zone's name for headers and help texts, e.g. ``America/New_York``."""
    return (tz or zone()).key
