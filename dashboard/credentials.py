"""Credentials at rest (a mailbox's or a calendar's password): encrypted with a key derived from the secret key.

The secret is the one the web app signs its sessions with, found the same way by every process:

* in a Flask app: its ``SECRET_KEY`` (``CRM_SECRET_KEY``, else the generated ``instance/secret_key``);
* elsewhere (the job worker, the ``crm`` commands): ``CRM_SECRET_KEY``, else, when the embedded server is
  used (no ``DATABASE_URL``), the same ``instance/secret_key`` file (``crm serve`` passes it to its worker).

For each ``purpose`` (``"mail"``, ``"calendar"``...) a 256-bit key is derived with HKDF-SHA256 (the purpose
is the derivation's info) and the text is sealed with AES-256-GCM, the purpose also bound as associated data:
a blob made for one purpose never opens as another. A blob is ``b"\\x01" + key id (4 bytes) + nonce (12) +
ciphertext and tag``; the key id (a digest of the derived key) tells "encrypted under another secret" (the
secret changed: the user must enter the password again) from "altered" in the error, never the key itself.
Plaintexts are never logged and never leave the process that decrypts them (the job worker).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = b"\x01"
NONCE_BYTES = 12
KEY_ID_BYTES = 4
SALT = b"sales-dashboard credentials v1"


class CredentialError(Exception):
    """A blob that cannot be opened: another secret key, altered, or not a blob at all. The message never
    holds the plaintext or the key."""


def secret_key() -> str:
    """The configured secret (see the module's docstring); raises ``CredentialError`` when none is set."""
    from flask import current_app, has_app_context

    if has_app_context() and current_app.config.get("SECRET_KEY"):
        return str(current_app.config["SECRET_KEY"])
    if os.environ.get("CRM_SECRET_KEY"):
        return os.environ["CRM_SECRET_KEY"]
    if os.environ.get("DATABASE_URL"):
        raise CredentialError("CRM_SECRET_KEY must be set when DATABASE_URL points at a server")
    from dashboard import pg
    from dashboard.config import _instance_secret

    return _instance_secret(Path(pg.instance_path()))


def _key(purpose: str, secret: str | None) -> bytes:
    if not purpose:
        raise ValueError("a credential's purpose is required")
    secret = secret if secret is not None else secret_key()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=SALT, info=f"credential:{purpose}".encode()).derive(
        secret.encode()
    )


def _key_id(key: bytes) -> bytes:
    return hmac.new(key, b"key id", hashlib.sha256).digest()[:KEY_ID_BYTES]


def encrypt_secret(plaintext: str, *, purpose: str, secret: str | None = None) -> bytes:
    """``plaintext`` sealed for ``purpose`` under the configured secret (or ``secret``); a new nonce each time."""
    key = _key(purpose, secret)
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, plaintext.encode(), purpose.encode())
    return VERSION + _key_id(key) + nonce + sealed


def decrypt_secret(blob: bytes, *, purpose: str, secret: str | None = None) -> str:
    """The plaintext sealed in ``blob`` for ``purpose``; ``CredentialError`` when it cannot be opened."""
    blob = bytes(blob)
    header = 1 + KEY_ID_BYTES + NONCE_BYTES
    if len(blob) < header + 16 or blob[:1] != VERSION:
        raise CredentialError("not an encrypted credential (unknown format)")
    key = _key(purpose, secret)
    if not hmac.compare_digest(blob[1 : 1 + KEY_ID_BYTES], _key_id(key)):
        raise CredentialError(
            "the credential was encrypted with another secret key (CRM_SECRET_KEY changed?) or for another"
            " purpose: enter the password again"
        )
    try:
        plaintext = AESGCM(key).decrypt(blob[1 + KEY_ID_BYTES : header], blob[header:], purpose.encode())
    except InvalidTag:
        raise CredentialError("the encrypted credential was altered") from None
    return plaintext.decode()
