"""What no request may carry, refused with a 400 before any view runs, and the last resort for input that
a parser let through.

PostgreSQL text cannot hold a NUL byte (psycopg refuses to send one: a DataError, which was a 500 on every
list's search), so no part of a request may carry one. Once for every request:

- the path and header values: no NUL and no other C0 control character but tab, nor DEL (no URL or header
  of this app has a use for them);
- query-string names and values: no NUL, values at most MAX_ARG_LENGTH characters (filters are short; list
  links repeat them). Other control characters are the parsers' business: ``login``'s ``next=`` refuses
  them itself, and a search for them finds nothing;
- form names and values: no NUL (text fields may hold tabs and line breaks; each field's length is its
  form's business, and Flask's MAX_FORM_MEMORY_SIZE caps them all). Multipart uploads are left to their
  view, which reads them under the upload's own size limit.

Dates, numbers and ids are parsed by the helpers in ``lists.py`` and the forms, which answer junk and
out-of-range values with None, a notice or a field error. Should one slip through anyway, a database data
exception (SQLSTATE class 22: a value out of range, an invalid text) or an OverflowError in date arithmetic
is answered 400 instead of 500, and logged as a warning with its traceback: it names a parser to fix.
"""

from __future__ import annotations

import logging
import re

import sqlalchemy.exc
from flask import Flask, abort, request

from dashboard.views.errors import render_error, request_id

log = logging.getLogger("dashboard.input")

MAX_ARG_LENGTH = 1_000
CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # C0 controls except tab, and DEL
UNCHECKED_INPUT = "request %s: input that no parser checked reached %s: %s"


def refusal() -> str | None:
    """Why this request is refused, or None."""
    if CONTROL.search(request.path):
        return "a control character in the path"
    for name, value in request.args.items(multi=True):
        if "\x00" in name or "\x00" in value:
            return f"a NUL byte in query argument {name!r}"
        if len(value) > MAX_ARG_LENGTH:
            return f"query argument {name!r} is longer than {MAX_ARG_LENGTH} characters"
    for name, value in request.headers.items():
        if CONTROL.search(value):
            return f"a control character in header {name!r}"
    # a file upload's fields are read by its view, under the upload's own size limit (reading them
    # here first would spend the body before the view can refuse it as too large)
    if request.method in ("POST", "PUT", "PATCH", "DELETE") and request.mimetype != "multipart/form-data":
        for name, value in request.form.items(multi=True):
            if "\x00" in name or "\x00" in value:
                return f"a NUL byte in form field {name!r}"
    return None


def init_app(app: Flask) -> None:
    @app.before_request
    def refuse_unstorable_input():
        if reason := refusal():
            log.info("refused %s %s: %s", request.method, request.path, reason)
            abort(400)

    @app.errorhandler(sqlalchemy.exc.DataError)
    @app.errorhandler(OverflowError)
    def unchecked_input(error: Exception):
        """Last resort: the value was the client's fault, the missing check is ours (see the log)."""
        from dashboard.db import db

        db.session.rollback()
        log.warning(UNCHECKED_INPUT, request_id(), request.endpoint, type(error).__name__, exc_info=error)
        return render_error(400)
