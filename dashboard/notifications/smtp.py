"""Outgoing email through ``CRM_SMTP_URL``: ``smtp://user:pass@host:port`` (plain; ``?starttls=true`` upgrades
the connection), ``smtps://user:pass@host:port`` (TLS from the start, port 465 by default). User and password
are percent-decoded; without them no login is attempted. The sender is ``CRM_SMTP_FROM`` (default
``Sales Dashboard <notifications@localhost>``). No URL: email is off and notifications stay in the app.

TLS (smtps, starttls) always verifies the server's certificate and name, against the system's CAs or, for a
relay with a private CA, the bundle in ``CRM_SMTP_CA_FILE``.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

DEFAULT_FROM = "Sales Dashboard <notifications@localhost>"
TRUE = {"1", "true", "yes", "on"}
TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    tls: bool  # smtps: TLS from the first byte
    starttls: bool
    user: str | None
    password: str | None
    sender: str
    ca_file: str | None = None

    def __repr__(self) -> str:  # never the password (logs, tracebacks)
        return f"Server({'smtps' if self.tls else 'smtp'}://{self.host}:{self.port}, starttls={self.starttls})"


def configured() -> bool:
    return bool(os.environ.get("CRM_SMTP_URL", "").strip())


def parse(url: str, sender: str | None = None) -> Server:
    """The server a ``CRM_SMTP_URL`` names; ValueError (without the password) for one that is not usable."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("CRM_SMTP_URL must look like smtp://user:password@host:port or smtps://host:465")
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 25)
    except ValueError:
        raise ValueError("CRM_SMTP_URL has an invalid port") from None
    options = {key.lower(): values[-1].lower() for key, values in parse_qs(parts.query).items()}
    return Server(
        host=parts.hostname, port=port, tls=parts.scheme == "smtps", starttls=options.get("starttls", "") in TRUE,
        user=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        sender=sender or os.environ.get("CRM_SMTP_FROM") or DEFAULT_FROM,
        ca_file=os.environ.get("CRM_SMTP_CA_FILE") or None,
    )  # fmt: skip


def from_environment() -> Server | None:
    """The configured server, or None when ``CRM_SMTP_URL`` is not set."""
    return parse(os.environ["CRM_SMTP_URL"]) if configured() else None


def connect(server: Server) -> smtplib.SMTP:
    """An open, logged-in connection (the caller quits it)."""
    context = ssl.create_default_context(cafile=server.ca_file)
    if server.tls:
        connection = smtplib.SMTP_SSL(server.host, server.port, timeout=TIMEOUT_SECONDS, context=context)
    else:
        connection = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT_SECONDS)
        if server.starttls:
            connection.starttls(context=context)
    if server.user:
        connection.login(server.user, server.password or "")
    return connection


def send(connection: smtplib.SMTP, message: EmailMessage) -> None:
    """One message; raises smtplib.SMTPRecipientsRefused when the server refuses its recipient."""
    connection.send_message(message)
