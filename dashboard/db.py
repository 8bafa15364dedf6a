"""The database for the web app: Flask-SQLAlchemy on psycopg 3, logged in as
the non-owner ``crm_app`` role, with the acting user set per transaction.

Row-level security asks ``app.current_user_id()``, which resolves the session
token the transaction presents. The token (issued by ``app.log_in`` at login)
is set at the start of every transaction with
``set_config('app.session', :token, true)`` -- transaction-local and a bound
parameter -- so it can never leak to the next request through the pool (a
plain ``SET`` would). crm_app cannot make a token up: the database keeps only
their hashes, in a table crm_app cannot read.

Behind PgBouncer in transaction mode (``CRM_DATABASE_POOLER=pgbouncer``) nothing may outlive a
transaction: psycopg's server-side prepared statements are off (``prepare_threshold=None``), and the
time zone, otherwise a start-up option, is set per transaction beside the token. With
``CRM_REPLICA_DATABASE_URL`` the read-only pages of ``dashboard/replica.py`` read from a second engine
(the ``replica`` bind); ``RoutingSession`` picks it while the request says so.
"""

from __future__ import annotations

import contextlib
import logging
import os

from flask import Flask, current_app, g, has_app_context, has_request_context
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from dashboard.models.base import Base

POOLERS = ("", "pgbouncer")  # CRM_DATABASE_POOLER: none, or PgBouncer in transaction mode
REPLICA = "replica"  # the bind of CRM_REPLICA_DATABASE_URL

log = logging.getLogger("dashboard.db")


class RoutingSession(FlaskSession):
    """Flask-SQLAlchemy's session, on the replica's engine while ``g.read_replica`` is set (a transaction
    picks its engine when it begins: dashboard/replica.py ends the primary's first)."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if bind is None and has_app_context() and g.get("read_replica") and REPLICA in self._db.engines:
            return self._db.engines[REPLICA]
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


db = SQLAlchemy(model_class=Base, session_options={"class_": RoutingSession})


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
    statement = "select set_config('app.session', :token, true), set_config('app.api_token', :api_token, true)"
    if has_app_context() and current_app.config.get("DATABASE_POOLER"):
        # no start-up options through the pooler: the time zone and the statement timeout per transaction
        statement += ", set_config('timezone', 'UTC', true), set_config('statement_timeout', :timeout, true)"
        timeout = str(int(float(current_app.config["STATEMENT_TIMEOUT_SECONDS"]) * 1000))
        connection.execute(text(statement), {"token": session_token(), "api_token": api_token(), "timeout": timeout})
        return
    connection.execute(text(statement), {"token": session_token(), "api_token": api_token()})


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
    options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    connect_args = dict(options.get("connect_args", {}))
    pooler = str(app.config.get("DATABASE_POOLER") or "").lower()
    if pooler not in POOLERS:
        raise RuntimeError(f"CRM_DATABASE_POOLER must be one of: pgbouncer (or unset), not {pooler!r}")
    app.config["DATABASE_POOLER"] = pooler
    if pooler:
        # transaction pooling: the next transaction may be on another server connection, where a prepared
        # statement or a start-up option of this one does not exist (PgBouncer 1.18 refuses `options`)
        connect_args["prepare_threshold"] = None
    else:
        connect_args.setdefault("options", connection_options(app))
    # a server that does not answer is a 503 after this long, never a hung request
    connect_args.setdefault("connect_timeout", int(app.config["DB_CONNECT_TIMEOUT_SECONDS"]))
    # bound values (emails, password hashes) stay out of error messages and so out of the logs
    options["hide_parameters"] = True
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options | {"connect_args": connect_args}
    if app.config.get("REPLICA_DATABASE_URL"):
        from dashboard import pg

        replica = pg.sqlalchemy_url(str(app.config["REPLICA_DATABASE_URL"]), "CRM_REPLICA_DATABASE_URL")
        binds = dict(app.config.get("SQLALCHEMY_BINDS") or {})
        # the replica is reached directly (never through the pooler): its own options, prepared statements allowed
        replica_args = {k: v for k, v in connect_args.items() if k != "prepare_threshold"}
        replica_args.setdefault("options", connection_options(app))
        binds[REPLICA] = {"url": replica.render_as_string(hide_password=False), **options,
                          "connect_args": replica_args | {"connect_timeout": 2}}  # fmt: skip
        app.config["SQLALCHEMY_BINDS"] = binds
    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            event.listen(engine, "do_connect", _name_connection)
    app.teardown_appcontext(end_session)


def end_session(_error: BaseException | None) -> None:
    """Flask-SQLAlchemy's own teardown (registered first, so it runs after this one) ends the request's session
    with a rollback, which raises if the server closed the connection since the last statement (restarted just
    as the response was made): gunicorn would then answer 500 in place of the response. Here a failed rollback
    is logged and the session dropped; the pool has already invalidated the connection, so closing again only
    gives it back."""
    try:
        db.session.remove()
    except SQLAlchemyError as error:
        log.warning("the database connection was lost as the request ended: %s", type(error).__name__)
        with contextlib.suppress(SQLAlchemyError):
            db.session.close()
        db.session.registry.clear()
