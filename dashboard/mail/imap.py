"""The IMAP side of a sync (imap-tools over the standard library's imaplib): log in, find the sent folder,
and read a folder's messages above the last UID synced, sizes first so that a huge message is skipped
without being downloaded. Nothing is ever written to the mailbox (folders are selected read-only and
bodies fetched with BODY.PEEK: no \\Seen flag set)."""

from __future__ import annotations

import datetime as dt
import imaplib
import re
import socket
import ssl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from imap_tools import MailBox, MailBoxUnencrypted
from imap_tools.errors import MailboxLoginError

from dashboard.mail.url import MailboxURL

TIMEOUT_SECONDS = 30
FETCH_CHUNK = 250  # messages per FETCH of bodies
MAX_MESSAGE_BYTES = 25_000_000  # larger (with attachments): skipped without downloading
SENT_NAMES = ("sent", "sent items", "sent mail", "sent messages")
_SIZE = re.compile(rb"UID (\d+) RFC822\.SIZE (\d+)|RFC822\.SIZE (\d+) UID (\d+)")
_UID = re.compile(rb"UID (\d+)")


class MailboxError(Exception):
    """The mailbox cannot be used now: ``status`` is ``auth_failed`` or ``unreachable``; the message is for
    the account page (it never holds the password)."""

    def __init__(self, status: str, message: str):
        super().__init__(message)
        self.status = status


@dataclass
class Fetched:
    uid: int
    raw: bytes | None  # None: too large, not downloaded
    size: int
    internal_date: dt.datetime | None


@contextmanager
def session(url: MailboxURL, password: str) -> Iterator[MailBox]:
    """A logged-in mailbox; ``MailboxError`` when the server refuses the login or cannot be reached."""
    where = f"{url.host}:{url.port}"
    try:
        if url.tls:
            box = MailBox(url.host, url.port, timeout=TIMEOUT_SECONDS, ssl_context=ssl.create_default_context())
        else:
            box = MailBoxUnencrypted(url.host, url.port, timeout=TIMEOUT_SECONDS)
    except (OSError, imaplib.IMAP4.error) as exc:
        raise MailboxError("unreachable", f"Cannot reach the IMAP server {where}: {_reason(exc)}.") from None
    try:
        try:
            box.login(url.user, password, initial_folder=None)
        except MailboxLoginError:
            raise MailboxError("auth_failed", f"The IMAP server {where} refused the user name or password.") from None
        except (OSError, imaplib.IMAP4.error) as exc:
            raise MailboxError("unreachable", f"The IMAP server {where} failed during login: {_reason(exc)}.") from None
        yield box
    finally:
        try:
            box.client.logout()
        except (OSError, imaplib.IMAP4.error):
            pass


def _reason(exc: BaseException) -> str:
    if isinstance(exc, socket.timeout | TimeoutError):
        return f"no answer within {TIMEOUT_SECONDS} s"
    if isinstance(exc, ssl.SSLError):
        return f"TLS failed ({exc.reason or exc.__class__.__name__})"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, socket.gaierror):
        return "unknown host"
    return (str(exc) or type(exc).__name__)[:200]


def sent_folder(box: MailBox) -> str | None:
    """The folder flagged \\Sent (RFC 6154), else the first one named Sent, Sent Items, Sent Mail..."""
    folders = box.folder.list()
    for folder in folders:
        if any(flag.lower() == "\\sent" for flag in folder.flags):
            return folder.name
    for folder in folders:
        leaf = folder.name.rsplit(folder.delim or "/", 1)[-1] if folder.delim else folder.name
        if leaf.lower() in SENT_NAMES:
            return folder.name
    return None


def open_folder(box: MailBox, folder: str) -> int:
    """Select ``folder`` read-only; its UIDVALIDITY."""
    box.folder.set(folder, readonly=True)
    return int(box.folder.status(folder, ["UIDVALIDITY"])["UIDVALIDITY"])


def new_sizes(box: MailBox, after_uid: int) -> list[tuple[int, int]]:
    """(uid, size) of the selected folder's messages with a UID above ``after_uid``, in UID order."""
    typ, data = box.client.uid("FETCH", f"{after_uid + 1}:*", "(UID RFC822.SIZE)")
    if typ != "OK":
        raise MailboxError("unreachable", "The IMAP server refused to list the folder's messages.")
    found = {}
    for line in data:
        if isinstance(line, bytes) and (match := _SIZE.search(line)):
            uid = int(match.group(1) or match.group(4))
            size = int(match.group(2) or match.group(3))
            if uid > after_uid:  # "n:*" always answers the last message, even below n
                found[uid] = size
    return sorted(found.items())


def fetch(box: MailBox, sizes: list[tuple[int, int]]) -> Iterator[Fetched]:
    """The messages of ``sizes`` in UID order, bodies fetched ``FETCH_CHUNK`` at a time (too large: no body)."""
    for start in range(0, len(sizes), FETCH_CHUNK):
        chunk = sizes[start : start + FETCH_CHUNK]
        wanted = [uid for uid, size in chunk if size <= MAX_MESSAGE_BYTES]
        bodies = _bodies(box, wanted) if wanted else {}
        for uid, size in chunk:
            raw, when = bodies.get(uid, (None, None))
            yield Fetched(uid, raw, size, when)


def _bodies(box: MailBox, uids: list[int]) -> dict[int, tuple[bytes, dt.datetime | None]]:
    typ, data = box.client.uid("FETCH", ",".join(map(str, uids)), "(UID INTERNALDATE BODY.PEEK[])")
    if typ != "OK":
        raise MailboxError("unreachable", "The IMAP server refused to send the messages.")
    bodies = {}
    for item in data:
        if isinstance(item, tuple) and len(item) == 2 and (match := _UID.search(item[0])):
            moment = imaplib.Internaldate2tuple(item[0])
            when = dt.datetime.fromtimestamp(time.mktime(moment), dt.UTC) if moment else None  # local time tuple
            bodies[int(match.group(1))] = (item[1], when)
    return bodies
