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

import os

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


@event.listens_for(Session, "after_begin")
def _present_session(session, transaction, connection) -> None:
    connection.execute(text("select set_config('app.session', :token, true)"), {"token": session_token()})


def act_with(token: str) -> None:
    """Act with session ``token`` from the next transaction on.

    Ends the current transaction (committing what it did), so the
    after_begin hook presents the token for everything that follows.
    """
    db.session.commit()
    g.session_token = token


def connection_options(app: Flask) -> str:
    """libpq ``options`` of the app's connections: times are timestamptz, read as UTC whatever the server's
    default time zone (pages show them in the user's zone, dashboard/timezones.py); no statement runs longer
    than ``CRM_STATEMENT_TIMEOUT_SECONDS`` (then it is cancelled, the request answers 503 and the connection
    goes back to the pool, usable)."""
    timeout_ms = int(float(app.config["STATEMENT_TIMEOUT_SECONDS"]) * 1000)
    return f"-c timezone=UTC -c statement_timeout={timeout_ms}"


def _name_connection(dialect, connection_record, cargs, cparams) -> None:
    """Connections are named ``crm web <pid>`` in pg_stat_activity (the gunicorn worker that holds them)."""
    cparams.setdefault("application_name", f"crm web {os.getpid()}")


def init_app(app: Flask) -> None:
    options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    connect_args = dict(options.get("connect_args", {}))
    connect_args.setdefault("options", connection_options(app))
    # a server that does not answer is a 503 after this long, never a hung request
    connect_args.setdefault("connect_timeout", int(app.config["DB_CONNECT_TIMEOUT_SECONDS"]))
    # bound values (emails, password hashes) stay out of error messages and so out of the logs
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options | {"connect_args": connect_args, "hide_parameters": True}
    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            event.listen(engine, "do_connect", _name_connection)
