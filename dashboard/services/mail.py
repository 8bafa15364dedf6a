"""A user's mailbox connection on /account/mail (and ``crm mail connect``): connect (the password encrypted
here, never stored or shown in clear), disconnect, the never-log list, and the addresses offered as new
contacts. The sync itself runs in the job worker (dashboard/mail/sync.py)."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from dashboard.db import db
from dashboard.mail import accounts
from dashboard.mail.accounts import MAX_PASSWORD, MailError  # noqa: F401 -- the form's and views' names
from dashboard.matching import display_name
from dashboard.models import Contact, MailAccount, MailContactSuggestion, MailMessage, MailNeverLog

ENTRY = re.compile(r"^([^@\s]+@)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?\.[a-z0-9-]+$")


def account_of(user_id) -> MailAccount | None:
    return db.session.scalar(select(MailAccount).where(MailAccount.user_id == user_id))


def connect(user_id, imap_url: str, password: str) -> uuid.UUID:
    """Store (or replace) the user's mailbox with its password encrypted and enqueue its first sync, in the
    session's transaction (the caller commits). ``MailError`` for a URL or password the sync cannot use."""
    account_id = accounts.save_account(db.session, user_id, imap_url, password)
    db.session.expire_all()
    enqueue_sync(account_id)
    return account_id


def enqueue_sync(account_id) -> int | None:
    """Enqueue a sync of the user's mailbox in the request's transaction (None: one is already waiting)."""
    from dashboard.jobs import mail as mail_jobs

    conn = db.session.connection().connection.driver_connection
    return mail_jobs.enqueue_sync(conn, account_id)


def sync_state(account_id) -> str | None:
    """``waiting`` or ``running`` while a sync job of the mailbox is queued or being run, else None."""
    status = db.session.execute(text(
        """select status::text from crm_jobs.procrastinate_jobs
            where task_name = 'mail_sync' and args ->> 'account_id' = :id and status in ('todo', 'doing')
            order by id desc limit 1"""), {"id": str(account_id)}).scalar()  # fmt: skip
    return {"todo": "waiting", "doing": "running"}.get(status)


def disconnect(account: MailAccount) -> None:
    """Forget the mailbox and its password; the activities already logged stay."""
    db.session.execute(text("delete from crm.mail_accounts where id = :id"), {"id": account.id})


def logged_count(user_id) -> int:
    return db.session.scalar(select(func.count()).select_from(MailMessage).where(
        MailMessage.user_id == user_id, MailMessage.direction.is_not(None))) or 0  # fmt: skip


def skipped(user_id, limit: int = 20) -> list[MailMessage]:
    """The user's latest skipped messages, with their reasons."""
    return list(db.session.scalars(select(MailMessage).where(MailMessage.user_id == user_id,
                MailMessage.skip_reason.is_not(None)).order_by(MailMessage.synced_at.desc()).limit(limit)))  # fmt: skip


def never_log(user_id) -> list[MailNeverLog]:
    entries = select(MailNeverLog).where(MailNeverLog.user_id == user_id).order_by(MailNeverLog.entry)
    return list(db.session.scalars(entries))


def normalized_entry(entry: str) -> str:
    """An address or a domain, lower-case; ``MailError`` for anything else."""
    entry = (entry or "").strip().lower().removeprefix("@")
    if not 3 <= len(entry) <= 320 or not ENTRY.match(entry):
        raise MailError("Enter an address (name@example.com) or a domain (example.com).")
    return entry


def add_never_log(user_id, entry: str) -> str:
    entry = normalized_entry(entry)
    db.session.execute(text("""insert into crm.mail_never_log (user_id, entry) values (:u, :e)
                               on conflict (user_id, entry) do nothing"""), {"u": user_id, "e": entry})  # fmt: skip
    return entry


def suggestions(user_id) -> list[MailContactSuggestion]:
    """The open suggestions of new contacts, most frequent first."""
    return list(db.session.scalars(select(MailContactSuggestion).where(
        MailContactSuggestion.user_id == user_id, MailContactSuggestion.status == "open").order_by(
        MailContactSuggestion.messages.desc(), MailContactSuggestion.email)))  # fmt: skip


def accept(suggestion: MailContactSuggestion, owner_id) -> Contact:
    """Create the suggested contact (the user's, at the suggested company) and mark the suggestion accepted;
    ``MailError`` when the address is already a contact (possibly one the user cannot see)."""
    first, last = display_name(suggestion.display_name) if suggestion.display_name else ("", "")
    if not first:
        first = suggestion.email.split("@", 1)[0][:100]
    contact = Contact(first_name=first[:100], last_name=(last or "")[:100], email=suggestion.email,
                      company_id=suggestion.company_id, owner_id=owner_id)  # fmt: skip
    try:
        with db.session.begin_nested():
            db.session.add(contact)
            db.session.flush()
    except IntegrityError:
        raise MailError(f"{suggestion.email} is already a contact (perhaps one you cannot see).") from None
    suggestion.status, suggestion.contact_id = "accepted", contact.id
    return contact


def dismiss(suggestion: MailContactSuggestion) -> None:
    suggestion.status = "dismissed"
