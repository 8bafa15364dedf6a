"""Logging in and out.

Before login, row-level security hides every user row, so the login form
asks narrow SECURITY DEFINER helpers (an id, a boolean, a count) and then
reads the user's own row *as that user*. Every attempt is recorded in
PostgreSQL, so throttling holds across gunicorn workers.
"""

from __future__ import annotations

import time
import uuid
from urllib.parse import unquote, urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import func, text, update

from dashboard.db import act_as, db
from dashboard.extensions import login_manager
from dashboard.forms.auth import LoginForm
from dashboard.models import User
from dashboard.passwords import verify_password

bp = Blueprint("auth", __name__)

LOGIN_FAILED = "Email or password is not correct."
THROTTLED = "Too many attempts. Wait a minute and try again."


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


@bp.before_app_request
def end_expired_session():
    """Sessions end 12 h after login whatever the activity (absolute lifetime)."""
    login_at = session.get("login_at")
    limit = current_app.config["SESSION_ABSOLUTE_LIFETIME"].total_seconds()
    if login_at is not None and time.time() - login_at > limit:
        session.clear()


@login_manager.user_loader
def load_user(token: str) -> User | None:
    """The user behind a session token 'id:session_version', if still valid.

    Logout, a password change and deactivation bump or void the session
    version, so older cookies stop working at once (checked in the database).
    """
    user_id, _, version = token.partition(":")
    try:
        user_uuid, version_number = uuid.UUID(user_id), int(version)
    except ValueError:
        return None
    valid = db.session.scalar(
        text("select app.session_is_valid(:id, :version)"), {"id": user_uuid, "version": version_number}
    )
    if not valid:
        return None
    act_as(user_uuid)
    return db.session.get(User, user_uuid)


def throttled(email: str) -> bool:
    """More than the allowed recent failures for this account, or attempts from this IP."""
    config = current_app.config
    account_failures = db.session.scalar(
        text("select app.recent_login_failures(:email, :window)"),
        {"email": email, "window": config["LOGIN_WINDOW_SECONDS"]},
    )
    ip_attempts = db.session.scalar(
        text("select app.recent_login_attempts_from(cast(:ip as inet), :window)"),
        {"ip": request.remote_addr, "window": config["LOGIN_WINDOW_SECONDS"]},
    )
    return account_failures >= config["LOGIN_MAX_ACCOUNT_FAILURES"] or ip_attempts >= config["LOGIN_MAX_IP_ATTEMPTS"]


def check_credentials(email: str, password: str) -> User | None:
    """The user if the password is right; the same work is done when the email is unknown."""
    user_id = db.session.scalar(text("select app.login_user_id(:email)"), {"email": email})
    if user_id is None:
        verify_password(None, password)
        return None
    act_as(user_id)
    user = db.session.get(User, user_id)
    return user if verify_password(user.password_hash, password) else None


def record_attempt(email: str, user: User | None) -> None:
    db.session.execute(
        text("select app.record_login_attempt(:email, cast(:ip as inet), :user_id, :ok)"),
        {
            "email": email,
            "ip": request.remote_addr,
            "user_id": user.id if user else None,
            "ok": user is not None,
        },
    )


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the login form; on valid credentials start a fresh session."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        if throttled(email):
            record_attempt(email, None)
            db.session.commit()
            flash(THROTTLED, "error")
            return render_template("auth/login.html", form=form), 429
        user = check_credentials(email, form.password.data)
        record_attempt(email, user)
        if user is None:
            db.session.commit()
            flash(LOGIN_FAILED, "error")
            return render_template("auth/login.html", form=form)
        db.session.execute(update(User).where(User.id == user.id).values(last_login_at=func.now()))
        db.session.commit()
        session.clear()  # nothing from before the login survives it (a fresh CSRF token too)
        session.permanent = True  # idle timeout: PERMANENT_SESSION_LIFETIME, refreshed per request
        session["login_at"] = int(time.time())
        login_user(user)
        return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    """End this session and revoke every other cookie of this user."""
    user_id = current_user.id
    db.session.execute(
        update(User)
        .where(User.id == user_id)
        .values(session_version=User.session_version + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    logout_user()
    session.clear()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))
