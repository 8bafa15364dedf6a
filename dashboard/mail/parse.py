"""One raw message (RFC 5322 bytes) as the sync needs it: its Message-ID, addresses, date, subject and a
plain-text body (HTML-only mail converted to text; a reply's quoted history left out), or the reason it is
skipped.

Skipped, never guessed: a message with no sender address or headers that cannot be read (malformed), a
text part in a charset Python does not know or whose bytes are not valid in it (invalid charset), a text
body over ``MAX_BODY_BYTES`` (too large). Attachments are never read. A message without a Message-ID gets
a stable one from a digest of its headers, so a re-sync still recognises it.
"""

from __future__ import annotations

import codecs
import datetime as dt
import email
import email.errors
import email.header
import email.utils
import hashlib
import re
from dataclasses import dataclass, field

MAX_BODY_BYTES = 1_000_000  # a text body this large is no correspondence: skipped, not truncated
SUBJECT_CHARS = 300  # crm.activities.subject
DETAILS_CHARS = 20_000  # crm.activities.details: a longer body is cut (quoted history, mostly)
NO_SUBJECT = "(no subject)"
_QUOTE_START = re.compile(r"^(?:On\b[^\n]{0,300}\bwrote:[ \t]*$|-{3,}[ \t]*Original Message[ \t]*-{3,})", re.M | re.I)


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
        msg = email.message_from_bytes(raw)  # compat32: headers stay text until asked (10x faster than policy.default)
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


def _decoded(value) -> str:
    """A header's text with its encoded words (=?utf-8?q?...?=) decoded; as it is when they cannot be."""
    value = str(value or "")
    if "=?" not in value:
        return value
    try:
        return str(email.header.make_header(email.header.decode_header(value)))
    except (LookupError, ValueError, email.errors.HeaderParseError, UnicodeError):
        return value


def _message_id(msg) -> str | None:
    value = " ".join(str(msg.get("message-id") or "").split())
    return value[:990] if value else None


def _subject(msg) -> str:
    return " ".join(_decoded(msg.get("subject")).split())[:SUBJECT_CHARS]


def _addresses(msg, headers, names: dict) -> list[str]:
    found = []
    for header in headers:
        for name, address in email.utils.getaddresses([str(v) for v in msg.get_all(header, [])]):
            address = address.strip().lower()
            usable = "@" in address and len(address) <= 320 and not any(c.isspace() for c in address)
            if usable and address not in found:
                found.append(address)
                if name and address not in names:
                    names[address] = " ".join(_decoded(name).split())[:200]
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


def _text_part(msg):
    """The first text/plain part that is no attachment, else the first text/html one."""
    plain = html = None
    for part in msg.walk():
        if part.is_multipart() or part.get_content_disposition() == "attachment":
            continue
        kind = part.get_content_type()
        if kind == "text/plain" and plain is None:
            plain = part
        elif kind == "text/html" and html is None:
            html = part
    return plain or html


def _body(msg) -> str:
    """The plain-text body (the text/plain part, else the text/html one as text); attachments never read."""
    part = _text_part(msg)
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
    return _clean(_own_text(text.replace("\r\n", "\n").replace("\r", "\n")))


def _own_text(text: str) -> str:
    """The message's own words: from a reply's "On ... wrote:" (or "-----Original Message-----") on, and every
    line quoted with ">", left out; the whole text when nothing else is left."""
    cut = _QUOTE_START.search(text)
    own = text[: cut.start()] if cut else text
    own = "\n".join(line for line in own.split("\n") if not line.lstrip().startswith(">"))
    return own if own.strip() else text


def _clean(text: str) -> str:
    """NUL and other control characters out (the database refuses NUL), lines trimmed, cut to fit."""
    text = "".join(ch for ch in text if ch in "\n\t" or ord(ch) >= 32)
    lines = [line.rstrip() for line in text.split("\n")]
    text = "\n".join(lines).strip()
    return text if len(text) <= DETAILS_CHARS else text[: DETAILS_CHARS - 1] + "…"
