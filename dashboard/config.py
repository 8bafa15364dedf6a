"""Configuration defaults and the checks that run once the config is assembled.

Order (create_app): these defaults, then ``CRM_*`` environment variables
(``app.config.from_prefixed_env("CRM")``), then the test dict.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask

from dashboard import pg


class Defaults:
    """Production-safe defaults; development relaxes only what it must."""

    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS = {
        "pool_pre_ping": True,
        "pool_size": 5,
        "max_overflow": 5,
        "pool_timeout": 5,
    }
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    # sessions: 30 min idle (the cookie, refreshed each request), 12 h absolute (the
    # session's expiry in crm.sessions; app.log_in caps it at a day)
    PERMANENT_SESSION_LIFETIME = timedelta(minutes=30)
    SESSION_ABSOLUTE_LIFETIME = timedelta(hours=12)
    SESSION_REFRESH_EACH_REQUEST = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # set by finalize() when not on loopback/dev
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    WTF_CSRF_HEADERS = ["X-CSRFToken"]
    PRODUCTION = False  # CRM_PRODUCTION=true: Secure/__Host- cookies and HSTS
    PAGE_SIZE = 25
    # login throttling (docs/security.md, dashboard/services/login.py): failures only,
    # counted within the window; 429 with Retry-After when a limit is reached
    LOGIN_WINDOW_SECONDS = 900
    LOGIN_FREE_PAIR_FAILURES = 3  # per account and address, then delays that double
    LOGIN_BASE_DELAY_SECONDS = 2
    LOGIN_MAX_DELAY_SECONDS = 900
    LOGIN_MAX_ADDRESS_FAILURES = 50  # per address, any accounts
    LOGIN_MAX_ACCOUNT_FAILURES = 10  # then only addresses with no recent failure may try
    # CRM_TRUSTED_PROXIES=N: N reverse proxies in front; their X-Forwarded-For and
    # X-Forwarded-Proto are believed (Werkzeug's ProxyFix). 0: the headers are ignored.
    TRUSTED_PROXIES = 0
    # the database (dashboard/db.py): a statement running longer is cancelled (503 "took too long"); a server
    # that does not accept a connection this fast is a 503 "cannot be reached", never a hung request
    STATEMENT_TIMEOUT_SECONDS = 5
    DB_CONNECT_TIMEOUT_SECONDS = 3
    # /metrics (views/operations.py): answered on loopback, or to `Authorization: Bearer <METRICS_TOKEN>`
    METRICS_TOKEN = ""
    LOG_LEVEL = "INFO"
    # the REST API (docs/api.md): requests per token per window (429 with Retry-After beyond), body size
    API_RATE_LIMIT = 600
    API_RATE_WINDOW_SECONDS = 60
    API_MAX_BODY_BYTES = 1_048_576  # the longest valid record (20,000-character notes as \u escapes) fits


def _instance_secret(instance: Path) -> str:
    """A secret key generated once and kept in instance/secret_key (dev and embedded use)."""
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def finalize(app: Flask) -> None:
    """Fill in what depends on the environment: secret key, database URL, cookie flags."""
    embedded = not os.environ.get("DATABASE_URL")
    if not app.config.get("SECRET_KEY"):
        if app.testing or embedded:
            app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
        else:
            raise RuntimeError("CRM_SECRET_KEY must be set when DATABASE_URL points at a server")
    if len(str(app.config["SECRET_KEY"])) < 32:
        raise RuntimeError("CRM_SECRET_KEY must be at least 32 characters of random data")
    token = app.config.get("METRICS_TOKEN")
    if token and len(str(token)) < 24:
        raise RuntimeError("CRM_METRICS_TOKEN must be at least 24 characters of random data")
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = pg.app_url_for(pg.admin_url()).render_as_string(hide_password=False)
    if app.config["PRODUCTION"]:
        app.config.update(
            PREFERRED_URL_SCHEME="https",
            SESSION_COOKIE_SECURE=True,
            REMEMBER_COOKIE_SECURE=True,
            SESSION_COOKIE_NAME="__Host-session",
            REMEMBER_COOKIE_NAME="__Host-remember_token",
        )
