"""Password hashing (argon2id) and the password rules."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

# argon2id, 64 MiB, t=3 (above the OWASP floor of 19 MiB / t=2)
_hasher = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=2)
# verified against when the user is unknown, so both answers take as long
_DUMMY_HASH = _hasher.hash("not-a-real-password-for-timing")

MIN_LENGTH = 8
MAX_LENGTH = 128
# zxcvbn (offline: its dictionaries of common passwords, names and words ship with the package) scores 0-4 by
# the guesses an attacker needs: 0 under 10^3, 1 under 10^6, 2 under 10^8. 2 is the least accepted: no common
# password, keyboard walk, repeat or date-and-word pattern; logins are throttled and hashes are argon2id.
# (At 3 the demo users' "demo-password", about 10^7 guesses, would be refused.)
MIN_SCORE = 2
ESTIMATED_LENGTH = 72  # zxcvbn refuses longer input; whatever the rest is, the first 72 characters decide
SITE_WORDS = ("sales", "dashboard", "crm", "salesdashboard")  # guessed first for this site's accounts


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True if ``password`` matches; also spends the same time when there is no hash."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str) -> str | None:
    """Why a new password is not acceptable (too short, too long, or guessed early: a zxcvbn score under
    MIN_SCORE), or None. The CLI, the admin user form and the account password form all ask this."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    strength = zxcvbn(password[:ESTIMATED_LENGTH], user_inputs=SITE_WORDS)
    if strength["score"] < MIN_SCORE:
        feedback = strength["feedback"]
        advice = [feedback["warning"] or "It follows a pattern that is guessed early.", *feedback["suggestions"][:1]]
        return " ".join(["This password is too easy to guess.", *advice])
    return None
