"""Formatting values for PostgreSQL's COPY text format, fast.

Demo rows are written as tab-separated COPY text built here rather than sent
as Python objects through psycopg's per-value adapters: at the ``large`` scale
that is several million rows, and plain string building keeps the generator
ahead of the server. The rules (PostgreSQL docs, COPY "Text Format"):

* columns are separated by a tab, rows end with a newline;
* ``\\N`` is NULL;
* a backslash, tab, newline or carriage return inside a value is written as
  ``\\\\``, ``\\t``, ``\\n``, ``\\r``;
* arrays and jsonb are written as their text input forms, then escaped the same way.

Timestamps are kept as integer seconds since the epoch (UTC) while generating
and formatted with a per-day string cache, which is several times faster than
``datetime.isoformat`` and, since every time derives from ``as_of``, exact.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable, Iterable

NULL = "\\N"
DAY = 86_400
HOUR = 3_600

# version-4 bits as uuid.UUID(int=..., version=4) sets them
_UUID_CLEAR = ~((0xF000 << 64) | (0xC000 << 48)) & ((1 << 128) - 1)
_UUID_SET = (0x4000 << 64) | (0x8000 << 48)


def text(value: str | None) -> str:
    """A text value for COPY: escapes the four special characters, None is NULL."""
    if value is None:
        return NULL
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


def array(items: Iterable[str]) -> str:
    """A text[] literal (every element double-quoted, so commas and braces are safe), COPY-escaped."""
    quoted = ['"' + item.replace("\\", "\\\\").replace('"', '\\"') + '"' for item in items]
    return text("{" + ",".join(quoted) + "}")


def jsonb(value: object) -> str:
    """A jsonb value for COPY: compact, key-sorted JSON text (stable across runs), COPY-escaped."""
    return text(json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(", ", ": ")))


def boolean(value: bool) -> str:
    return "t" if value else "f"


def uuid_factory(rng: random.Random) -> Callable[[], str]:
    """A function returning random version-4 UUID strings drawn from ``rng``.

    Equal, draw for draw, to ``str(uuid.UUID(int=rng.getrandbits(128), version=4))``
    without building UUID objects (several times faster).
    """
    getrandbits = rng.getrandbits

    def new_id() -> str:
        h = "%032x" % (getrandbits(128) & _UUID_CLEAR | _UUID_SET)
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    return new_id


class Clock:
    """The data's notion of time: ``now`` is noon UTC on ``as_of``; times are epoch seconds."""

    def __init__(self, as_of: dt.date, days_before: int = 1500, days_after: int = 1000):
        noon = dt.datetime.combine(as_of, dt.time(12, 0), tzinfo=dt.UTC)
        self.now = int(noon.timestamp())
        today = self.now // DAY
        epoch = dt.date(1970, 1, 1)
        self._first_day = today - days_before
        self._days = [
            (epoch + dt.timedelta(days=d)).isoformat() for d in range(self._first_day, today + days_after)
        ]

    def ts(self, seconds: int) -> str:
        """``YYYY-MM-DD HH:MM:SS+00`` for a timestamptz column."""
        d, r = divmod(seconds, DAY)
        return f"{self._days[d - self._first_day]} {r // 3600:02d}:{r // 60 % 60:02d}:{r % 60:02d}+00"

    def date(self, seconds: int) -> str:
        """``YYYY-MM-DD`` (UTC day) for a date column."""
        return self._days[seconds // DAY - self._first_day]

    def month_start(self, seconds: int) -> str:
        return self.date(seconds)[:8] + "01"
