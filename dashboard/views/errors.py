"""What users see when something goes wrong: a generic page (or, for htmx, an
alert fragment retargeted to #messages) with a request id; the full error goes
to the server log under the same id, never to the user."""

from __future__ import annotations

import logging
import uuid

import sqlalchemy.exc
from flask import Flask, g, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from dashboard.extensions import htmx

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


def request_id() -> str:
    if "request_id" not in g:
        g.request_id = uuid.uuid4().hex[:12]
    return g.request_id


def render_error(code: int):
    """Full page, or for htmx an alert fragment swapped into #messages; for the REST API a problem+json."""
    if request.path.startswith("/api/"):
        from dashboard.api import problems

        return problems.for_status(code)
    message = MESSAGES.get(code, "Something went wrong.")
    if htmx:  # any htmx request, boosted ones too: the alert is swapped into the current page
        response = render_template("errors/_alert.html", code=code, message=message, request_id=request_id())
        return response, code, {"HX-Retarget": "#messages", "HX-Reswap": "innerHTML"}
    template = "errors/unavailable.html" if code == 503 else "errors/error.html"
    return render_template(template, code=code, message=message, request_id=request_id()), code


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return render_error(error.code or 500)

    @app.errorhandler(sqlalchemy.exc.OperationalError)
    @app.errorhandler(sqlalchemy.exc.TimeoutError)
    def database_unavailable(error: Exception):
        """Database down, pool exhausted or a query cancelled by statement_timeout: 503, retry soon."""
        from dashboard.db import db

        db.session.rollback()
        log.warning("request %s: database unavailable: %s", request_id(), type(error).__name__)
        answer = render_error(503)
        response = app.make_response(answer if isinstance(answer, tuple) else (answer,))
        response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        from dashboard.db import db

        db.session.rollback()
        log.exception("request %s failed: %s %s", request_id(), request.method, request.path)
        return render_error(InternalServerError.code)
