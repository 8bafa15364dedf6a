"""RFC 9457 problem details: every error the API answers is ``application/problem+json`` with a title, the
status, a detail in words and, for input, ``errors``: one entry per field (``field`` is a JSON pointer-like
dotted path into the body or the name of a query parameter or header, ``message`` says what is wrong)."""

from __future__ import annotations

from flask import Response, json, request
from werkzeug.http import HTTP_STATUS_CODES

PROBLEM_MIMETYPE = "application/problem+json"


class Problem(Exception):
    """An error answer; raise it anywhere in an API request (nothing is committed after it)."""

    def __init__(self, status: int, detail: str, errors: list[dict] | None = None, headers: dict | None = None,
                 title: str | None = None):  # fmt: skip
        super().__init__(detail)
        self.status, self.detail, self.errors = status, detail, errors or []
        self.headers, self.title = headers or {}, title or HTTP_STATUS_CODES.get(status, "Error")


def field_error(field: str, message: str) -> dict:
    return {"field": field, "message": message}


def invalid(errors: list[dict], detail: str = "The request has invalid fields; see errors.") -> Problem:
    """422: the body or the query parsed, but some values are not acceptable."""
    return Problem(422, detail, errors)


def answer(problem: Problem) -> Response:
    body = {"type": "about:blank", "title": problem.title, "status": problem.status, "detail": problem.detail,
            "instance": request.path}  # fmt: skip
    if problem.errors:
        body["errors"] = problem.errors
    response = Response(json.dumps(body), status=problem.status, mimetype=PROBLEM_MIMETYPE)
    for name, value in problem.headers.items():
        response.headers[name] = value
    return response


# what the web app's generic errors mean for an API client
DETAILS = {
    400: "The request could not be understood.",
    404: "No such resource, or it is not visible to this token's user.",
    405: "This method is not allowed on this resource.",
    406: "This resource answers application/json only.",
    413: "The request body is too large.",
    415: "Send the body as application/json.",
    500: "Something went wrong on our side; nothing was written.",
    503: "The database is busy or unavailable; try again shortly.",
}


def for_status(status: int) -> Response:
    """The problem answer to a generic HTTP error (routing, guards, the app's last-resort handlers)."""
    return answer(Problem(status, DETAILS.get(status, HTTP_STATUS_CODES.get(status, "Error"))))
