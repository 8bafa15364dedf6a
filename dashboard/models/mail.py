"""Mailbox sync (``crm.mail_accounts``, ``mail_messages``, ``mail_contact_suggestions``, ``mail_never_log``).

``MailAccount`` deliberately does not map ``password_encrypted``: crm_app cannot select that column (the
web app writes it with one UPDATE/INSERT in dashboard/services/mail.py; only the worker reads it).
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import BigInteger, ForeignKey, text
from sqlalchemy.dialects.postgresql import JSONB, TIMESTAMP
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dashboard.models.base import Base, CreatedAtMixin, TimestampMixin, UUIDPrimaryKeyMixin
from dashboard.models.company import Company


class MailAccount(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A user's connected mailbox: the IMAP URL (no password), the sync's status and backoff, and per folder
    the UIDVALIDITY and last UID synced."""

    __tablename__ = "mail_accounts"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("crm.users.id", ondelete="CASCADE"))
    imap_url: Mapped[str]
    status: Mapped[str] = mapped_column(server_default=text("'pending'"))  # vocabulary.MAIL_ACCOUNT_STATUSES
    status_message: Mapped[str | None]
    folder_state: Mapped[dict] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    failures: Mapped[int] = mapped_column(server_default=text("0"))
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(TIMESTAMP(timezone=True))
    last_attempt_at: Mapped[dt.datetime | None] = mapped_column(TIMESTAMP(timezone=True))
    last_synced_at: Mapped[dt.datetime | None] = mapped_column(TIMESTAMP(timezone=True))
    messages_logged: Mapped[int] = mapped_column(server_default=text("0"))
    messages_skipped: Mapped[int] = mapped_column(server_default=text("0"))
    version: Mapped[int] = mapped_column(server_default=text("1"))


class MailMessage(UUIDPrimaryKeyMixin, Base):
    """A message a sync logged (direction, activity, contact) or skipped (skip_reason), once per Message-ID."""

    __tablename__ = "mail_messages"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("crm.users.id", ondelete="CASCADE"))
    message_id: Mapped[str]
    folder: Mapped[str]
    uid: Mapped[int] = mapped_column(BigInteger)
    direction: Mapped[str | None]  # vocabulary.MAIL_DIRECTIONS
    activity_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("crm.activities.id", ondelete="SET NULL"))
    contact_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("crm.contacts.id", ondelete="SET NULL"))
    skip_reason: Mapped[str | None]
    synced_at: Mapped[dt.datetime] = mapped_column(TIMESTAMP(timezone=True), server_default=text("now()"))


class MailContactSuggestion(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """An unknown address at a known company's domain, offered as a new contact (open, accepted, dismissed)."""

    __tablename__ = "mail_contact_suggestions"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("crm.users.id", ondelete="CASCADE"))
    email: Mapped[str]
    display_name: Mapped[str | None]
    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("crm.companies.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(server_default=text("'open'"))  # vocabulary.MAIL_SUGGESTION_STATUSES
    messages: Mapped[int] = mapped_column(server_default=text("1"))
    last_seen_at: Mapped[dt.datetime] = mapped_column(TIMESTAMP(timezone=True), server_default=text("now()"))
    contact_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("crm.contacts.id", ondelete="SET NULL"))

    company: Mapped[Company] = relationship(lazy="joined")


class MailNeverLog(UUIDPrimaryKeyMixin, CreatedAtMixin, Base):
    """An address or a domain (and its subdomains) whose mail the user's sync never logs."""

    __tablename__ = "mail_never_log"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("crm.users.id", ondelete="CASCADE"))
    entry: Mapped[str]
