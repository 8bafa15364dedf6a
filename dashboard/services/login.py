"""Logging in: the throttle, the password check and the session the database issues.

The throttle counts failures only (a colleague's success never slows anyone):
- a pair (account, address) gets ``LOGIN_FREE_PAIR_FAILURES`` free failures, then
  waits a delay that doubles with each further failure (up to ``LOGIN_MAX_DELAY_SECONDS``);
- an address with ``LOGIN_MAX_ADDRESS_FAILURES`` failures in the window waits out the window;
- an account with ``LOGIN_MAX_ACCOUNT_FAILURES`` failures is locked for addresses that
  have failed recently, but its owner still gets in from a clean address, and an
  admin can unlock it (``app.unlock_login``).
Failures are recorded in PostgreSQL by ``app.log_in``, so the throttle holds across
gunicorn workers.
"""

from __future__ import annotations

import hashlib
import math

from flask import current_app
from sqlalchemy import text

from dashboard.db import db
from dashboard.passwords import encode_with_salt


def throttle_wait(email: str, address: str | None) -> int:
    """Seconds this address must wait before trying this account again (0: go ahead)."""
    window = current_app.config["LOGIN_WINDOW_SECONDS"]
    counts = db.session.execute(
        text("select * from app.login_failures(:email, cast(:ip as inet), :window)"),
        {"email": email, "ip": address, "window": window},
    ).one()
    return wait_seconds(*counts, config=current_app.config)


def wait_seconds(account: int, pair: int, from_address: int, since_pair: float | None, config) -> int:
    """The throttle's rule (module docstring) on failure counts: the account's, the account's from
    this address, the address's, and seconds since the pair's last failure."""
    window = config["LOGIN_WINDOW_SECONDS"]
    if from_address >= config["LOGIN_MAX_ADDRESS_FAILURES"]:
        return window
    if account >= config["LOGIN_MAX_ACCOUNT_FAILURES"] and from_address > 0:
        return window
    free = config["LOGIN_FREE_PAIR_FAILURES"]
    if pair < free or since_pair is None:
        return 0
    delay = min(config["LOGIN_MAX_DELAY_SECONDS"], config["LOGIN_BASE_DELAY_SECONDS"] * 2 ** (pair - free))
    return max(0, math.ceil(delay - since_pair))


def _encoded(email: str, password: str) -> str:
    """The argon2id encoding of ``password`` under the account's salt (as slow for an unknown email)."""
    salted = db.session.scalar(text("select app.login_salt(:email)"), {"email": email})
    return encode_with_salt(salted, password)


def log_in(email: str, password: str, address: str | None) -> str | None:
    """A new session token if the password is right (the attempt is recorded either way)."""
    encoded = _encoded(email, password)
    lifetime = int(current_app.config["SESSION_ABSOLUTE_LIFETIME"].total_seconds())
    return db.session.scalar(
        text("select app.log_in(:email, :encoded, cast(:ip as inet), :lifetime)"),
        {"email": email, "encoded": encoded, "ip": address, "lifetime": lifetime},
    )


def password_matches(email: str, password: str) -> bool:
    """True if ``password`` is the acting user's (whose email is ``email``)."""
    encoded = _encoded(email, password)
    return bool(db.session.scalar(text("select app.check_own_password(:encoded)"), {"encoded": encoded}))


def change_own_password(email: str, current: str, new_encoded: str) -> bool:
    """Set the acting user's password (checked again in the database); other sessions end."""
    return bool(
        db.session.scalar(
            text("select app.change_own_password(:current, :new)"),
            {"current": _encoded(email, current), "new": new_encoded},
        )
    )


def end_session(everywhere: bool) -> None:
    db.session.execute(text("select app.end_session(:everywhere)"), {"everywhere": everywhere})


def fork_session(seconds: int) -> str:
    """A job session for the acting user (background work that outlives the request)."""
    return db.session.scalar(text("select app.fork_session(:seconds)"), {"seconds": seconds})


def client_fingerprint(user_agent: str | None) -> str:
    """What a session is bound to: the browser's User-Agent (a replayed cookie from another
    browser is refused). Not the address: phones change address all day."""
    return hashlib.sha256((user_agent or "").encode("utf-8", "surrogatepass")).hexdigest()[:32]
