"""What an admin does to another user's login: a new password, logging them out
everywhere, unlocking failed logins. Each is a definer function that checks the
admin's rights itself (sql/functions/credentials.sql); crm_app cannot write these
columns or sessions any other way."""

from __future__ import annotations

import uuid

from sqlalchemy import text

from dashboard.db import db
from dashboard.passwords import hash_password


def set_password(user_id: uuid.UUID, password: str) -> None:
    """The user's new password; their sessions end (in the caller's transaction)."""
    db.session.execute(
        text("select app.set_user_password(:id, :encoded)"), {"id": user_id, "encoded": hash_password(password)}
    )


def revoke_sessions(user_id: uuid.UUID) -> None:
    db.session.execute(text("select app.revoke_user_sessions(:id)"), {"id": user_id})


def unlock_login(user_id: uuid.UUID) -> None:
    """Earlier failed logins of this user stop counting towards the throttle."""
    db.session.execute(text("select app.unlock_login(:id)"), {"id": user_id})


def recent_failures(email: str, window_seconds: int) -> int:
    """Failed logins on this account within the window (since its last success or unlock)."""
    return db.session.execute(
        text("select account_failures from app.login_failures(:email, null, :window)"),
        {"email": email, "window": window_seconds},
    ).scalar_one()


def set_time_zone(user, name: str) -> None:
    """The user's zone (a user sets their own, an admin anyone's: the users update policy); the database
    refuses a name it does not know (trigger check_time_zone) and re-buckets the user's daily totals."""
    user.time_zone = name
    db.session.flush()


def adopt_browser_time_zone(name: str) -> bool:
    """Set the acting user's zone to the browser's, only while they have none; True if it was set."""
    result = db.session.execute(
        text("update crm.users set time_zone = :zone, version = version + 1"
             " where id = app.active_user_id() and time_zone is null"),
        {"zone": name},
    )
    return result.rowcount == 1
