"""The database for the web app: Flask-SQLAlchemy on psycopg 3, logged in as
the non-owner ``crm_app`` role, with the acting user set per transaction.

Row-level security reads ``app.user_id``. It is set at the start of every
transaction with ``set_config('app.user_id', :id, true)`` -- transaction-local
and a bound parameter -- so it can never leak to the next request through the
pool (a plain ``SET`` would).
"""

from __future__ import annotations

from flask import Flask, g, has_request_context
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event, text
from sqlalchemy.orm import Session

from dashboard.models.base import Base

db = SQLAlchemy(model_class=Base)


def acting_user_id() -> str:
    """The id RLS should see for this request ('' when nobody is logged in)."""
    if has_request_context():
        return str(g.get("rls_user_id") or "")
    return ""


@event.listens_for(Session, "after_begin")
def _set_acting_user(session, transaction, connection) -> None:
    connection.execute(text("select set_config('app.user_id', :user_id, true)"), {"user_id": acting_user_id()})


def act_as(user_id) -> None:
    """Make ``user_id`` the acting user from the next transaction on.

    Ends the current transaction (committing what it did), so the
    after_begin hook sets the new user for everything that follows.
    """
    db.session.commit()
    g.rls_user_id = str(user_id)


def init_app(app: Flask) -> None:
    # times are timestamptz, shown in UTC whatever the server's default time zone
    options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    connect_args = dict(options.get("connect_args", {}))
    connect_args.setdefault("options", "-c timezone=UTC")
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options | {"connect_args": connect_args}
    db.init_app(app)
