"""Who an API request acts as, and what it may send: a bearer token only (cookies are ignored, so no
CSRF exposure), checked by ``services/api_tokens.check``; a precise 401 for a missing, unknown,
expired or revoked token or a deactivated user; 403 for a write with a read-scope token; then the rate
limit (429 with Retry-After); then every transaction of the request presents the token
(``db.act_with_api_token``) and row-level security decides as it does for the web app."""

from __future__ import annotations

from flask import current_app, g, request
from sqlalchemy import text

from dashboard.api.problems import Problem
from dashboard.db import act_with_api_token, db, db_connection
from dashboard.models import User
from dashboard.services import api_tokens

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
REFUSED = {
    "invalid": "The bearer token is not a token of this CRM.",
    "expired": "The bearer token has expired; create a new one on /account/tokens.",
    "revoked": "The bearer token was revoked.",
    "inactive": "The bearer token's user is deactivated.",
}
CHALLENGE = 'Bearer realm="crm"'


def presented_token() -> str:
    """The token of ``Authorization: Bearer <token>``.

    Raises:
        Problem: 401 when the header is missing or not a bearer token.
    """
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        detail = "Send a personal access token as Authorization: Bearer <token> (session cookies are not accepted)."
        raise Problem(401, detail, headers={"WWW-Authenticate": CHALLENGE})
    return token.strip()


def authenticate() -> None:
    """Check the token, the scope and the rate limit (one transaction, committed whatever follows); then
    act as the token's user.

    Raises:
        Problem: 401, 403 or 429.
    """
    token = presented_token()
    act_with_api_token(token)  # this transaction on: app.api_token presents it (a refused one resolves to nobody)
    checked = api_tokens.check(db_connection(), token)
    if checked.status != "ok":
        detail = REFUSED.get(checked.status, REFUSED["invalid"])
        challenge = f'{CHALLENGE}, error="invalid_token", error_description="{checked.status}"'
        raise Problem(401, detail, headers={"WWW-Authenticate": challenge})
    if request.method not in SAFE_METHODS and checked.scope != "write":
        raise Problem(403, "This token has the read scope; writing needs a token with the write scope.",
                      headers={"WWW-Authenticate": f'{CHALLENGE}, error="insufficient_scope"'})  # fmt: skip
    limit_rate()
    if request.method in SAFE_METHODS:  # a read writes nothing else: the count commits with it, at the end
        g.api_count_pending = True
    else:  # a write commits (or rolls back) its own transaction: the count first, on its own
        db.session.commit()
    user = db.session.get(User, checked.user_id)
    if user is None:  # deactivated between the check and now
        raise Problem(401, REFUSED["inactive"], headers={"WWW-Authenticate": CHALLENGE})
    g._login_user = user  # Flask-Login's current_user: the services and permissions read it
    g.api_token_id = checked.token_id


def limit_rate() -> None:
    """Count this request against the token's window, in the current transaction (``authenticate`` sees
    that it is committed whatever the request does).

    Raises:
        Problem: 429 with Retry-After when the token made too many requests in the window.
    """
    limit, window = current_app.config["API_RATE_LIMIT"], current_app.config["API_RATE_WINDOW_SECONDS"]
    wait = db.session.scalar(text("select app.take_api_request(:limit, :window)"), {"limit": limit, "window": window})
    if wait:
        db.session.commit()  # the refused request counts too
        detail = f"More than {limit} requests in {window} seconds with this token; retry after {wait} seconds."
        raise Problem(429, detail, headers={"Retry-After": str(wait)})


def commit_count(failed: bool) -> None:
    """At the end of a read: commit the transaction that counted it (and read nothing else); a failed one
    too, unless the database refused something in it (then the count is lost with it)."""
    from sqlalchemy.exc import SQLAlchemyError

    if not g.pop("api_count_pending", False):
        if failed:
            db.session.rollback()
        return
    try:
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
