"""Storing a mailbox connection, the one way the web page and ``crm mail connect`` do it: on a connection
acting as the mailbox's user (crm_app), the password sealed with dashboard/credentials.py. crm_app may write
the sealed password but never read it back."""

from __future__ import annotations

import uuid

from sqlalchemy import text

from dashboard.credentials import encrypt_secret
from dashboard.mail import url as mailurl

PURPOSE = "mail"  # the credentials' purpose
MAX_PASSWORD = 1000


class MailError(ValueError):
    """What the user asked cannot be done; the message says why."""


def save_account(conn, user_id, imap_url: str, password: str) -> uuid.UUID:
    """Store (or replace) ``user_id``'s mailbox in ``conn``'s transaction (a SQLAlchemy session or connection);
    its id. The folders' sync positions are kept when the same mailbox is connected again. ``MailError`` for a
    URL or password the sync cannot use."""
    try:
        address = mailurl.parse(imap_url)
    except mailurl.MailURLError as exc:
        raise MailError(str(exc)) from None
    if not password or len(password) > MAX_PASSWORD or any(ord(ch) < 32 for ch in password):
        raise MailError("Enter the mailbox's password (no control characters).")
    values = {"u": user_id, "url": str(address), "p": encrypt_secret(password, purpose=PURPOSE)}
    existing = conn.execute(text("select id, imap_url from crm.mail_accounts where user_id = :u"), values).first()
    if existing is None:
        return conn.execute(text(
            """insert into crm.mail_accounts (user_id, imap_url, password_encrypted, status, next_attempt_at)
               values (:u, :url, :p, 'pending', now()) returning id"""), values).scalar_one()  # fmt: skip
    conn.execute(text(
        """update crm.mail_accounts
              set imap_url = :url, password_encrypted = :p, status = 'pending', status_message = null,
                  failures = 0, next_attempt_at = now(), version = version + 1,
                  folder_state = case when :same then folder_state else '{}'::jsonb end
            where id = :id"""), values | {"id": existing.id, "same": existing.imap_url == str(address)})  # fmt: skip
    return existing.id
