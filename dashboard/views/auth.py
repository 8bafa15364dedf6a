"""Logging in and out.

Before login, row-level security hides every user row. The login form asks the
database for the account's argon2id salt, hands it the encoding of the typed
password, and receives a session token (dashboard/services/login.py); from
then on every transaction presents that token and acts as its user. Failures
are recorded in PostgreSQL, so throttling holds across gunicorn workers.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import func, select

from dashboard.db import act_with, db
from dashboard.extensions import login_manager
from dashboard.forms.auth import LoginForm
from dashboard.models import User
from dashboard.services import login as logins

bp = Blueprint("auth", __name__)

LOGIN_FAILED = "Email or password is not correct."
THROTTLED = "Too many failed attempts. Wait {wait} and try again."


def safe_next(target: str | None) -> str:
    """``target`` if it is a plain path on this site, else the dashboard.

    Refused: anything with a scheme or host, ``//`` or backslashes, white space
    or control characters -- also once percent-decoded (``/%09/evil.com``).
    """
    fallback = url_for("main.index")
    if not target:
        return fallback
    for candidate in (target, unquote(target)):
        if any(ord(ch) <= 32 or ch == "\\" for ch in candidate):
            return fallback
        parts = urlsplit(candidate)
        if parts.scheme or parts.netloc or not candidate.startswith("/") or candidate.startswith("//"):
            return fallback
    return target


def _session_user(token: str) -> User | None:
    """The active user behind session ``token`` (None when unknown, revoked, expired or inactive)."""
    act_with(token)
    # one round trip: the user row where the database says the token's user is (app.active_user_id(), null
    # for an unknown, revoked, expired or deactivated session: then no row)
    acting = select(func.app.active_user_id()).scalar_subquery()
    user = db.session.scalars(select(User).where(User.id == acting)).first()
    if user is None:
        return None
    user.session_token = token
    return user


@login_manager.user_loader
def load_user(token: str) -> User | None:
    """The user of the session token in the cookie, if the database still honours it and the
    cookie comes from the browser it was issued to (else the session is ended for good)."""
    user = _session_user(token)
    if user is not None and session.get("client") != logins.client_fingerprint(request.user_agent.string):
        logins.end_session(everywhere=False)  # a cookie replayed from elsewhere: this session is spent
        db.session.commit()
        return None
    return user


def _wait_text(seconds: int) -> str:
    return f"{seconds} seconds" if seconds < 120 else f"{round(seconds / 60)} minutes"


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the login form; on valid credentials start a fresh session."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        wait = logins.throttle_wait(email, request.remote_addr)
        if wait:
            db.session.commit()
            flash(THROTTLED.format(wait=_wait_text(wait)), "error")
            return render_template("auth/login.html", form=form), 429, {"Retry-After": str(wait)}
        token = logins.log_in(email, form.password.data, request.remote_addr)
        db.session.commit()
        if token is None:
            flash(LOGIN_FAILED, "error")
            return render_template("auth/login.html", form=form)
        session.clear()  # nothing from before the login survives it (a fresh CSRF token too)
        session.permanent = True  # idle timeout: PERMANENT_SESSION_LIFETIME, refreshed per request
        session["client"] = logins.client_fingerprint(request.user_agent.string)
        login_user(_session_user(token))
        return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    """End this session and every other session of this user."""
    logins.end_session(everywhere=True)
    db.session.commit()
    logout_user()
    session.clear()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))
