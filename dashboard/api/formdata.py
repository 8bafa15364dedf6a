"""Writes go through the web app's own forms (``dashboard/forms``): the JSON a client sends becomes the
form data a browser would post, so the same validators, choices, ownership checks of related records
and services run. A PATCH is the record's current form data (what its edit page shows) with the sent
fields over it. A form's errors become the 422's field errors."""

from __future__ import annotations

from datetime import date, datetime

from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, SelectField

from dashboard import timezones
from dashboard.api.problems import field_error, invalid
from dashboard.forms.time_fields import LocalDateTimeField
from dashboard.services import saving


def text_of(field, value) -> list[str]:
    """What a browser would post for ``value`` in ``field`` (no entry: an unchecked box)."""
    if isinstance(field, BooleanField):
        return ["y"] if value else []
    if value is None:
        return [""]
    if isinstance(field, LocalDateTimeField) and isinstance(value, datetime):
        return [timezones.local(value).strftime("%Y-%m-%dT%H:%M:%S")]
    if isinstance(value, datetime | date):
        return [value.isoformat()]
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return [str(value)]


def current(form) -> MultiDict:
    """The form data of a form built from a record (``obj=``): what its edit page would post unchanged."""
    data = MultiDict()
    for field in form:
        if isinstance(field, BooleanField):
            value = [field.data]
        elif isinstance(field, SelectField) or not hasattr(field, "_value"):
            value = [field.data]
        else:
            data.add(field.name, field._value())
            continue
        for text in text_of(field, value[0]):
            data.add(field.name, text)
    return data


def fill(form_class, values: dict, base: MultiDict | None = None, **extra):
    """A form of ``form_class`` posted with ``base`` (a record's current data; for a new record the form's
    defaults, as a browser posts an untouched field) and ``values`` over it; the aware times of ``values``
    are kept exactly (the form reads them as wall-clock minutes)."""
    probe = form_class(formdata=None, meta={"csrf": False})
    data = MultiDict(base if base is not None else current(probe))  # a new record: the form's defaults, as shown
    for name, value in values.items():
        data.setlist(name, text_of(probe[name], value) if name in probe else [str(value)])
    for name, value in extra.items():
        data.setlist(name, [str(value)])
    form = form_class(formdata=data, meta={"csrf": False})
    form.api_values = values
    return form


def validated(form) -> None:
    """Validate ``form``; keep the exact instants the client sent.

    Raises:
        Problem: 422 with the form's field errors.
    """
    ok = form.validate()
    for name, value in getattr(form, "api_values", {}).items():
        if ok and name in form and isinstance(form[name], LocalDateTimeField) and isinstance(value, datetime):
            form[name].data = value
    if not ok:
        refuse(form)


def refuse(form):
    """Raises: Problem: 422 with the form's errors (after a save the database refused with a known reason)."""
    errors = []
    for name, messages in form.errors.items():
        for text in messages if isinstance(messages, list) else [str(messages)]:
            errors.append(field_error(name, str(text)))
    raise invalid(errors or [field_error("body", "The record was not saved.")])


def edited(form_class, record, values: dict, version: int, prepare=lambda form: form):
    """The edit form of ``record`` as its page would post it, with ``values`` over it, prepared (choices,
    owner) by ``prepare`` and validated.

    Raises:
        Problem: 422 with the form's field errors.
    """
    blank = prepare(form_class(obj=record, formdata=None, meta={"csrf": False}))
    form = prepare(fill(form_class, values, current(blank), version=version))
    validated(form)
    return form


def written(form, record, apply_form, messages: dict, rescore, version=None, finish=None):
    """Save the validated ``form`` onto ``record`` as the record's pages do (services/saving.write: a new
    record, or an edit at ``version`` under the optimistic lock), then in the same transaction the service's
    ``rescore()`` and the API's ``finish(record)`` (its webhook event and idempotency key); returns ``record``.

    Raises:
        Problem: 422 when the database refuses it for a known reason.
        StaleRecord: the record changed since ``version``.
    """

    def before_commit():
        rescore()
        if finish:
            finish(record)

    if not saving.write(form, record, apply_form, messages, before_commit, version):
        refuse(form)
    return record
