"""Password hashing (argon2id) and the password rules.

The database keeps a verifier, not the hash (sql/functions/login.sql): it hands
out the argon2id parameters and salt of an account, the app computes the
encoding of the typed password with them (:func:`encode_with_salt`), and the
database compares. So the app never reads a password hash.
"""

from __future__ import annotations

import base64
import os
import re

from argon2 import PasswordHasher
from argon2.low_level import Type, hash_secret
from zxcvbn import zxcvbn

# argon2id, 64 MiB, t=3 (above the OWASP floor of 19 MiB / t=2)
_hasher = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=2)

HASH_LENGTH = 32  # argon2-cffi's default; a verifier does not record it
_SALTED = re.compile(r"^\$argon2(id|i|d)\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)$")
_TYPES = {"id": Type.ID, "i": Type.I, "d": Type.D}

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


def encode_with_salt(salted: str | None, password: str) -> str:
    """The argon2id encoding of ``password`` under ``salted`` ('$argon2id$v=19$m=..,t=..,p=..$<salt>',
    from app.login_salt). With no salt (an unknown account) the same work is done with a random
    one, so both answers take as long; the result then matches nothing."""
    match = _SALTED.match(salted or "")
    if match is None:
        return _hasher.hash(password + os.urandom(8).hex())
    kind, version, memory, time_cost, parallelism, salt = match.groups()
    return hash_secret(
        password.encode(),
        base64.b64decode(salt + "=" * (-len(salt) % 4)),
        time_cost=int(time_cost),
        memory_cost=int(memory),
        parallelism=int(parallelism),
        hash_len=HASH_LENGTH,
        type=_TYPES[kind],
        version=int(version),
    ).decode()


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
