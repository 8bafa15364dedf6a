"""Form fields for times in the user's zone (dashboard/timezones.py): a zone picker, a
``datetime-local`` input entered as wall-clock time and stored as UTC, and a due-day input."""

from __future__ import annotations

from datetime import datetime

import wtforms
from wtforms import DateField, DateTimeLocalField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from dashboard import timezones

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


NOT_SET = "— not set: the browser's at the next login —"


def valid_time_zone(form, field):
    if field.allow_blank and not field.data:
        field.data = None
        return
    if message := timezones.problem(field.data):
        raise ValidationError(message)


class TimeZoneField(wtforms.SelectField):
    """A select of zones grouped by area (UTC, Africa, America, ...); any other value is refused with a
    sentence that says what a time zone looks like. With ``allow_blank`` (an admin's form) "not set" is a
    choice too (data None)."""

    def __init__(self, label="Time zone", validators=None, allow_blank=False, **kwargs):
        self.allow_blank = allow_blank
        choices = [SelectChoice("", NOT_SET)] if allow_blank else []
        choices += [SelectChoice(value, text, optgroup=area)
                    for area, zones in timezones.grouped_choices() for value, text in zones]  # fmt: skip
        super().__init__(label, validators=[valid_time_zone, *(validators or [])], validate_choice=False,
                         choices=choices, **kwargs)  # fmt: skip


class LocalDateTimeField(DateTimeLocalField):
    """A ``datetime-local`` input in the user's zone; ``data`` is the aware UTC instant.

    Shows a stored instant as the user's wall-clock time. A wall-clock time the zone skips (the hour
    clocks spring forward) is refused; one that happens twice is its first occurrence (timezones.to_utc).
    """

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", DATETIME_FORMATS)
        super().__init__(label, validators, **kwargs)

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        if isinstance(self.data, datetime):
            wall = timezones.local(self.data) if self.data.tzinfo else self.data
            return wall.strftime("%Y-%m-%dT%H:%M")
        return ""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)  # naive wall-clock time (no tz given), or a format error
        if isinstance(self.data, datetime) and self.data.tzinfo is None:
            try:
                self.data = timezones.to_utc(self.data)
            except timezones.NonexistentTime as error:
                self.data = None
                raise ValueError(f"{error} Enter a time after the change.") from error


class DueDayField(DateField):
    """A calendar day stored as 00:00 UTC of that day (a task's due day): the same day in every zone."""

    def process_data(self, value):
        self.data = timezones.due_day(value)
