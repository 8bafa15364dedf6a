"""One raw message (RFC 5322 bytes) as the sync needs it: its Message-ID, addresses, date, subject and a
plain-text body (HTML-only mail converted to text), or the reason it is skipped.

Skipped, never guessed: a message with no sender address or headers that cannot be read (malformed), a
text part in a charset Python does not know or whose bytes are not valid in it (invalid charset), a text
body over ``MAX_BODY_BYTES`` (too large). Attachments are never read. A message without a Message-ID gets
a stable one from a digest of its headers, so a re-sync still recognises it.
"""

from __future__ import annotations

import codecs
import datetime as dt
import email
import email.policy
import email.utils
import hashlib
from dataclasses import dataclass, field

MAX_BODY_BYTES = 1_000_000  # a text body this large is no correspondence: skipped, not truncated
SUBJECT_CHARS = 300  # crm.activities.subject
DETAILS_CHARS = 20_000  # crm.activities.details: a longer body is cut (quoted history, mostly)
NO_SUBJECT = "(no subject)"


@dataclass
class Parsed:
    """A message that can be logged. Addresses are lower-case; ``recipients`` are To, Cc then Bcc."""

    message_id: str
    sender: str
    recipients: list[str]
    names: dict[str, str]  # address -> display name, as the message gives it
    date: dt.datetime
    subject: str
    body: str


@dataclass
class Skipped:
    """A message that cannot be logged, and why (shown on the account page, logged by the worker)."""

    message_id: str
    reason: str
    subject: str = field(default="")


class _Skip(Exception):
    pass


def parse(raw: bytes, fallback_date: dt.datetime | None = None) -> Parsed | Skipped:
    """``raw`` as a :class:`Parsed` message, or :class:`Skipped` with its reason; never raises."""
    message_id = f"<sha256-{hashlib.sha256(raw[:65536]).hexdigest()[:32]}@no-message-id>"
    subject = ""
    try:
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        message_id = _message_id(msg) or message_id
        subject = _subject(msg)
        sender, names = _sender(msg)
        recipients = _addresses(msg, ("to", "cc", "bcc"), names)
        body = _body(msg)
        date = _date(msg, fallback_date)
    except _Skip as skip:
        return Skipped(message_id, str(skip), subject)
    except Exception as exc:  # noqa: BLE001 -- whatever a hostile message does, the sync goes on
        return Skipped(message_id, f"malformed message ({type(exc).__name__})", subject)
    return Parsed(message_id, sender, recipients, names, date, subject or NO_SUBJECT, body)


def _message_id(msg) -> str | None:
    value = str(msg.get("message-id") or "").strip()
    return value[:990] if value else None


def _subject(msg) -> str:
    subject = " ".join(str(msg.get("subject") or "").split())
    return subject[:SUBJECT_CHARS]


def _addresses(msg, headers, names: dict) -> list[str]:
    found = []
    for header in headers:
        values = [str(value) for value in msg.get_all(header, [])]
        for name, address in email.utils.getaddresses(values):
            address = address.strip().lower()
            if "@" in address and address not in found and len(address) <= 320:
                found.append(address)
                if name and address not in names:
                    names[address] = " ".join(name.split())[:200]
    return found


def _sender(msg) -> tuple[str, dict]:
    names: dict[str, str] = {}
    senders = _addresses(msg, ("from",), names)
    if not senders:
        raise _Skip("malformed message: no sender address")
    return senders[0], names


def _date(msg, fallback: dt.datetime | None) -> dt.datetime:
    try:
        date = email.utils.parsedate_to_datetime(str(msg.get("date") or ""))
    except (TypeError, ValueError, IndexError):
        date = None
    if date is None or date.year < 1970 or date.year > 9999:
        return fallback or dt.datetime.now(dt.UTC)
    return date if date.tzinfo else date.replace(tzinfo=dt.UTC)


def _body(msg) -> str:
    """The plain-text body (the text/plain part, else the text/html one as text); attachments never read."""
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    payload = part.get_payload(decode=True) or b""
    if len(payload) > MAX_BODY_BYTES:
        raise _Skip(f"body too large ({len(payload) / 1_000_000:.1f} MB; at most {MAX_BODY_BYTES // 1_000_000} MB)")
    charset = part.get_content_charset() or "us-ascii"
    try:
        codecs.lookup(charset)
    except LookupError:
        raise _Skip(f"invalid charset {charset[:60]!r}") from None
    try:
        text = payload.decode(charset)
    except UnicodeDecodeError:
        raise _Skip(f"invalid charset: the body is not valid {charset[:60]}") from None
    if part.get_content_subtype() == "html":
        import html_text

        text = html_text.extract_text(text) if text.strip() else ""
    return _clean(text)


def _clean(text: str) -> str:
    """NUL and other control characters out (the database refuses NUL), lines trimmed, cut to fit."""
    text = "".join(ch for ch in text.replace("\r\n", "\n") if ch in "\n\t" or ord(ch) >= 32)
    lines = [line.rstrip() for line in text.split("\n")]
    text = "\n".join(lines).strip()
    return text if len(text) <= DETAILS_CHARS else text[: DETAILS_CHARS - 1] + "…"
