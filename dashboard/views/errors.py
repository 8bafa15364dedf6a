"""What users see when something goes wrong: a generic page (or, for htmx, an
alert fragment retargeted to #messages; for ``/api/``, an RFC 9457 problem
document) with the request id; the full error goes to the server log under the
same id, never to the user.

When the database is the cause the answer is a 503 with ``Retry-After`` that
says which of these it is (``unavailable_reason``): the server cannot be
reached (restarting, down), a statement ran past ``statement_timeout``, its
disk is full (writes are refused; reads still work), or the pool or a lock is
busy. Each is counted in ``crm_db_unavailable_total{reason}``."""

from __future__ import annotations

import logging

import psycopg.errors
import sqlalchemy.exc
from flask import Flask, g, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from dashboard import metrics
from dashboard.extensions import htmx, login_manager
from dashboard.request_log import request_id

__all__ = ["render_error", "request_id", "init_app"]

log = logging.getLogger("dashboard.errors")

MESSAGES = {
    400: "The request could not be understood. Reload the page and try again.",
    403: "You do not have access to this.",
    404: "Not found.",
    405: "That action is not allowed here.",
    409: "Someone else changed this in the meantime.",
    429: "Too many attempts. Wait a minute and try again.",
    500: "Something went wrong on our side.",
    503: "The service is busy. Try again in a moment.",
}

# why the database could not answer: (message, seconds to wait before retrying)
UNAVAILABLE = {
    "unreachable": ("The database cannot be reached right now (it may be restarting). "
                    "Nothing was changed. Try again in a few seconds.", 5),
    "statement_timeout": ("This took too long and was stopped. Nothing was changed. Try again, "
                          "or ask for less (a shorter date range, more filters).", 5),
    "disk_full": ("The database's disk is full, so nothing can be saved right now and nothing was changed. "
                  "Reading still works; an administrator has to free space.", 60),
    "busy": ("The service is busy. Nothing was changed. Try again in a moment.", 5),
}  # fmt: skip


def unavailable_reason(error: Exception) -> str:
    """Which of UNAVAILABLE a database error means."""
    if isinstance(error, sqlalchemy.exc.TimeoutError):
        return "busy"  # no pooled connection came free in time
    original = getattr(error, "orig", None)
    if isinstance(original, psycopg.errors.QueryCanceled):
        return "statement_timeout"
    if isinstance(original, psycopg.errors.DiskFull):
        return "disk_full"
    if isinstance(original, psycopg.errors.LockNotAvailable | psycopg.errors.DeadlockDetected):
        return "busy"
    return "unreachable"


# what a connection lost mid-request raises besides sqlalchemy's OperationalError: the driver's own errors
# (code on the raw psycopg connection), a closed connection, and the session's refusal to go on after one
CONNECTION_LOST = (psycopg.OperationalError, psycopg.InterfaceError, sqlalchemy.exc.InterfaceError,
                   sqlalchemy.exc.DisconnectionError, sqlalchemy.exc.PendingRollbackError)  # fmt: skip


def connection_lost(error: BaseException | None) -> bool:
    """True if the error, or one it was raised from or while handling, says the database connection broke."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        invalidated = isinstance(error, sqlalchemy.exc.DBAPIError) and error.connection_invalidated
        if invalidated or isinstance(error, CONNECTION_LOST):
            return True
        error = error.__cause__ or error.__context__
    return False


def render_error(code: int, message: str | None = None):
    """Full page, or for htmx an alert fragment swapped into #messages; for the REST API a problem+json (the
    request id is in the X-Request-ID header)."""
    if request.path.startswith("/api/"):
        from dashboard.api import problems

        return problems.answer(problems.Problem(code, message)) if message else problems.for_status(code)
    message = message or MESSAGES.get(code, "Something went wrong.")
    if htmx:  # any htmx request, boosted ones too: the alert is swapped into the current page
        response = render_template("errors/_alert.html", code=code, message=message, request_id=request_id())
        return response, code, {"HX-Retarget": "#messages", "HX-Reswap": "innerHTML"}
    template = "errors/unavailable.html" if code == 503 else "errors/error.html"
    return render_template(template, code=code, message=message, request_id=request_id()), code


def database_unavailable_response(app: Flask, error: Exception):
    """The 503 for a database that cannot answer, with the reason's message and Retry-After."""
    reason = unavailable_reason(error)
    message, retry_after = UNAVAILABLE[reason]
    if "_login_user" not in g:  # the user could not be loaded: templates must not try again (Flask-Login's
        g._login_user = login_manager.anonymous_user()  # context processor would, and fail the same way)
    metrics.count_unavailable(reason)
    log.warning("request %s: database unavailable (%s): %s", request_id(), reason, type(error).__name__)
    response = app.make_response(render_error(503, message))
    response.headers["Retry-After"] = str(retry_after)
    return response


def _rollback_quietly() -> None:
    from dashboard.db import db

    try:
        db.session.rollback()
    except sqlalchemy.exc.SQLAlchemyError:  # the connection is gone: the pool replaces it
        db.session.close()


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return render_error(error.code or 500)

    @app.errorhandler(sqlalchemy.exc.OperationalError)
    @app.errorhandler(sqlalchemy.exc.TimeoutError)
    def database_unavailable(error: Exception):
        """Database down, disk full, pool exhausted or a query cancelled by statement_timeout: 503, retry soon."""
        _rollback_quietly()
        return database_unavailable_response(app, error)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        _rollback_quietly()
        if connection_lost(error):
            return database_unavailable_response(app, error)  # the connection broke under the request
        if isinstance(getattr(error, "orig", None), psycopg.errors.InsufficientPrivilege):
            metrics.count_rls_violation()
        log.exception("request %s failed: %s %s", request_id(), request.method, request.endpoint)
        return render_error(InternalServerError.code)
