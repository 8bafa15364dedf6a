"""The IMAP URL a mailbox is connected with: ``imaps://user@host:port/FOLDER`` (the user name may be an
address: ``imaps://jane@example.com@imap.example.com/INBOX``, or with ``%40``). ``imap://`` (no TLS) is
accepted only for a loopback server. The password is never part of it."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import quote, unquote

DEFAULT_PORTS = {"imaps": 993, "imap": 143}
LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}


class MailURLError(ValueError):
    """An IMAP URL the sync cannot use; the message says why (never echoing a password)."""


@dataclass(frozen=True)
class MailboxURL:
    scheme: str
    user: str
    host: str
    port: int
    folder: str

    @property
    def tls(self) -> bool:
        return self.scheme == "imaps"

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{quote(self.user, safe='@')}@{host}:{self.port}/{quote(self.folder, safe='/')}"


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse(text: str) -> MailboxURL:
    """The URL's parts; ``MailURLError`` for anything else."""
    text = (text or "").strip()
    scheme, sep, rest = text.partition("://")
    scheme = scheme.lower()
    if not sep or scheme not in DEFAULT_PORTS:
        raise MailURLError("Enter an IMAP URL starting with imaps:// (imap:// only for a server on this machine).")
    if any(ch.isspace() or ord(ch) < 32 for ch in rest) or len(text) > 400:
        raise MailURLError("The IMAP URL may not contain spaces or control characters (at most 400 characters).")
    authority, _, path = rest.partition("/")
    user, at, hostport = authority.rpartition("@")
    if not at or not user:
        raise MailURLError("Put the user name in the URL: imaps://user@host:993/INBOX.")
    if ":" in unquote(user):
        raise MailURLError("Leave the password out of the URL: enter it in the password field.")
    host, port = _host_port(hostport, scheme)
    if scheme == "imap" and not is_loopback(host):
        raise MailURLError("imap:// sends the password unencrypted: use imaps:// (imap:// only for a loopback server).")
    folder = unquote(path) or "INBOX"
    return MailboxURL(scheme, unquote(user), host, port, folder)


def _host_port(hostport: str, scheme: str) -> tuple[str, int]:
    if hostport.startswith("["):
        host, _, after = hostport[1:].partition("]")
        port_text = after[1:] if after.startswith(":") else ""
    else:
        host, _, port_text = hostport.partition(":")
    host = host.lower()
    if not host or not all(part and all(c.isalnum() or c in "-_:" for c in part) for part in host.split(".")):
        raise MailURLError("The server name in the IMAP URL is not a valid host name.")
    if not port_text:
        return host, DEFAULT_PORTS[scheme]
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise MailURLError("The port in the IMAP URL must be a number from 1 to 65535.")
    return host, int(port_text)
