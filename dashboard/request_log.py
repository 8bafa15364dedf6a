"""Request ids and structured logs.

Every request gets an id: a sane incoming ``X-Request-ID`` (8 to 64 letters, digits, ``.``, ``_``, ``:``,
``-``: a proxy's or a load balancer's) is kept, anything else is replaced by 12 random hex digits. The id is
returned in the response's ``X-Request-ID`` header, shown on error pages and carried by every log line of
the request.

The app's loggers (``dashboard.*``) write one JSON object per line on stderr (``JsonFormatter``). Each
answered request logs exactly one line on ``dashboard.requests``::

    {"time": "2026-12-07T20:01:02.345Z", "level": "info", "logger": "dashboard.requests",
     "message": "request", "request_id": "3f2a...", "method": "GET", "endpoint": "deals.show",
     "status": 200, "duration_ms": 12.3, "user_id": "6b1e..."}

The endpoint is the Flask endpoint name, never the path or the query string (which may hold an email
someone searched for); the user is an id, never an email. The same request is counted in ``metrics.py``.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

import sqlalchemy
from flask import Flask, Response, g, request
from sqlalchemy.exc import NoInspectionAvailable

from dashboard import metrics

SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,63}")
HEADER = "X-Request-ID"

requests_log = logging.getLogger("dashboard.requests")


def request_id() -> str:
    """This request's id (taken from a sane ``X-Request-ID`` or generated once)."""
    if "request_id" not in g:
        incoming = request.headers.get(HEADER, "")
        g.request_id = incoming if SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex[:12]
    return g.request_id


def acting_user_id() -> str | None:
    """The signed-in user's id if this request already loaded them. Never queries (the database may be down,
    and an error handler's rollback has expired the user's attributes): the id comes from the identity key."""
    user = g.get("_login_user")
    if user is None:
        return None
    try:
        identity = sqlalchemy.inspect(user).identity
    except NoInspectionAvailable:  # the anonymous user
        return None
    return str(identity[0]) if identity else None


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, the record's ``fields``, the request id
    when there is a request, and the traceback (``error``) when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        if "request_id" not in entry:
            from flask import has_request_context

            if has_request_context():
                entry["request_id"] = request_id()
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time (test runners swap it)."""

    def __init__(self):
        super().__init__()

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass


def install_json_logging(level: str = "INFO") -> None:
    """The ``dashboard`` loggers write JSON lines on stderr (once per process)."""
    logger = logging.getLogger("dashboard")
    if not any(isinstance(handler, StderrHandler) for handler in logger.handlers):
        handler = StderrHandler()
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
    logger.setLevel(level)


def init_app(app: Flask) -> None:
    """Register first: the start time and id are set before any other hook can refuse the request, and the
    log line is written after every other hook has shaped the response."""
    install_json_logging(str(app.config.get("LOG_LEVEL", "INFO")))

    @app.before_request
    def start_request() -> None:
        g.request_started = time.perf_counter()
        request_id()

    @app.after_request
    def finish_request(response: Response) -> Response:
        response.headers[HEADER] = request_id()
        seconds = time.perf_counter() - g.get("request_started", time.perf_counter())
        user_id = acting_user_id()
        metrics.record_request(request.endpoint, request.method, response.status_code, seconds, request.path,
                               user_id is not None)  # fmt: skip
        fields = {
            "request_id": request_id(), "method": request.method, "endpoint": request.endpoint or "none",
            "status": response.status_code, "duration_ms": round(seconds * 1000, 1), "user_id": user_id,
        }  # fmt: skip
        requests_log.info("request", extra={"fields": fields})
        return response
