"""The unsubscribe link's token: signed (HMAC, itsdangerous) with the app's secret key, per user and kind.

It works without logging in and never expires (a mail read a year later still unsubscribes); it can only turn
one kind's email off for one user (``app.unsubscribe_notification_email``). A token altered in any way, signed
with another key, or naming an unknown kind is refused (``None``). See docs/security.md.
"""

from __future__ import annotations

import uuid

from itsdangerous import BadSignature, URLSafeSerializer

from dashboard import vocabulary

SALT = "notification-unsubscribe"


def make(secret: str, user_id, kind: str) -> str:
    return URLSafeSerializer(secret, salt=SALT).dumps([str(user_id), kind])


def read(secret: str, token: str) -> tuple[uuid.UUID, str] | None:
    """(user id, kind) of a genuine token; None for anything else."""
    if not token or len(token) > 500:
        return None
    try:
        user, kind = URLSafeSerializer(secret, salt=SALT).loads(token)
        user_id = uuid.UUID(str(user))
    except (BadSignature, ValueError, TypeError):
        return None
    return (user_id, kind) if kind in vocabulary.NOTIFICATION_KINDS else None
