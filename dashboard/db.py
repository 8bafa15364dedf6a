"""The database for the web app: Flask-SQLAlchemy on psycopg 3, logged in as
the non-owner ``crm_app`` role, with the acting user set per transaction.

Row-level security asks ``app.current_user_id()``, which resolves the session
token the transaction presents. The token (issued by ``app.log_in`` at login)
is set at the start of every transaction with
``set_config('app.session', :token, true)`` -- transaction-local and a bound
parameter -- so it can never leak to the next request through the pool (a
plain ``SET`` would). crm_app cannot make a token up: the database keeps only
their hashes, in a table crm_app cannot read.
"""

from __future__ import annotations

from flask import Flask, g, has_request_context
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event, text
from sqlalchemy.orm import Session

from dashboard.models.base import Base

db = SQLAlchemy(model_class=Base)


def session_token() -> str:
    """The session token this request acts with ('' when nobody is logged in)."""
    if has_request_context():
        return str(g.get("session_token") or "")
    return ""


def api_token() -> str:
    """The API token this request acts with ('' outside the REST API)."""
    if has_request_context():
        return str(g.get("api_token") or "")
    return ""


@event.listens_for(Session, "after_begin")
def _present_session(session, transaction, connection) -> None:
    connection.execute(
        text("select set_config('app.session', :token, true), set_config('app.api_token', :api_token, true)"),
        {"token": session_token(), "api_token": api_token()},
    )


def act_with(token: str) -> None:
    """Act with session ``token`` from the next transaction on.

    Ends the current transaction (committing what it did), so the
    after_begin hook presents the token for everything that follows.
    """
    db.session.commit()
    g.session_token = token


def act_with_api_token(token: str) -> None:
    """Act with personal access token ``token`` (the REST API) from the next transaction on, and with no
    session. Ends the current transaction (committing what it did), as :func:`act_with`."""
    db.session.commit()
    g.session_token = ""
    g.api_token = token


def db_connection():
    """The psycopg connection of the request's transaction (begun, so it acts as the request's user)."""
    return db.session.connection().connection.driver_connection


def init_app(app: Flask) -> None:
    # times are timestamptz, read as UTC whatever the server's default time zone; pages show them in the
    # user's zone (dashboard/timezones.py)
    options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    connect_args = dict(options.get("connect_args", {}))
    connect_args.setdefault("options", "-c timezone=UTC")
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options | {"connect_args": connect_args}
    db.init_app(app)
