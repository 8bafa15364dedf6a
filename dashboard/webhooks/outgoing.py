"""Outgoing webhook requests that cannot be pointed at the server's own network (SSRF).

Before each request the host is resolved and *every* address it resolves to is checked: a loopback, private,
link-local, multicast, shared (CGNAT), reserved or unspecified address refuses the whole request (an
IPv4-mapped IPv6 address is judged as its IPv4 address). The request then connects to the checked address
itself (the ``Host`` header and TLS name stay the URL's host), so a second DNS answer cannot swap in another
address between the check and the connection. Redirects are never followed (a 3xx is a failed attempt), so a
redirect cannot lead anywhere either. Proxy environment variables are ignored.

``CRM_WEBHOOKS_ALLOW_PRIVATE=true`` lifts the address rule (tests on loopback, self-hosted receivers on the
local network).
"""

from __future__ import annotations

import functools
import ipaddress
import os
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import httpx

SNIPPET_CHARS = 1000  # the start of a response body kept with an attempt
USER_AGENT = "SalesDashboard-Webhooks/1"


class RefusedAddress(Exception):
    """The URL's host is, or resolves to, an address webhooks may not reach."""


@dataclass(frozen=True)
class Answer:
    """What one attempt got: the HTTP status (None when there was no answer), how long it took, an error in
    words (None for a 2xx) and the start of the body."""

    status: int | None
    duration_ms: int
    error: str | None
    snippet: str | None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def allow_private() -> bool:
    return os.environ.get("CRM_WEBHOOKS_ALLOW_PRIVATE", "").strip().lower() in ("1", "true", "yes", "on")


def timeout_seconds() -> float:
    try:
        value = float(os.environ.get("CRM_WEBHOOKS_TIMEOUT_SECONDS") or 10)
    except ValueError:
        raise ValueError("CRM_WEBHOOKS_TIMEOUT_SECONDS must be a number of seconds") from None
    return min(max(value, 0.1), 60)


@functools.cache
def _tls() -> ssl.SSLContext:
    """One TLS context for every request (loading the CA bundle costs ~80 ms: per request it capped a worker
    at about ten deliveries a second); connections are not kept between requests."""
    import certifi  # httpx's own CA bundle (a dependency of httpx)

    return ssl.create_default_context(cafile=certifi.where())


def is_forbidden(address: str) -> bool:
    """Whether webhooks may not reach ``address`` (an IP literal)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # a scoped IPv6 address (fe80::1%eth0) is link-local
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast or ip.is_reserved


def checked_addresses(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to, all of them allowed; raises ``RefusedAddress`` otherwise."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise RefusedAddress(f"cannot resolve {host}: {error}") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise RefusedAddress(f"{host} resolves to no address")
    if not allow_private():
        refused = [a for a in addresses if is_forbidden(a)]
        if refused:
            raise RefusedAddress(f"{host} resolves to a private, loopback, link-local or multicast address "
                                 f"({', '.join(refused)}); CRM_WEBHOOKS_ALLOW_PRIVATE=true allows it")  # fmt: skip
    return addresses


def _pinned(url: str, address: str) -> str:
    """``url`` with its host replaced by ``address`` (bracketed when IPv6), port and path kept."""
    parts = urlsplit(url)
    host = f"[{address}]" if ":" in address else address
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))


def post(url: str, body: bytes, headers: dict[str, str]) -> Answer:
    """POST ``body`` to ``url`` once (no redirects, a timeout); never raises for a network failure."""
    started = time.monotonic()

    def answer(status, error, snippet=None) -> Answer:
        return Answer(status, int((time.monotonic() - started) * 1000), error, snippet)

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return answer(None, "not an http(s) URL")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = checked_addresses(parts.hostname, port)
    except RefusedAddress as refused:
        return answer(None, f"refused: {refused}")
    host_header = parts.hostname if not parts.port else f"{parts.hostname}:{parts.port}"
    if ":" in parts.hostname and not parts.port:
        host_header = f"[{parts.hostname}]"
    request_headers = {**headers, "Host": host_header, "User-Agent": USER_AGENT, "Content-Type": "application/json"}
    limit = timeout_seconds()
    try:
        with httpx.Client(timeout=httpx.Timeout(limit, connect=min(limit, 5.0)), follow_redirects=False,
                          trust_env=False, verify=_tls()) as client:  # fmt: skip
            request = client.build_request("POST", _pinned(url, addresses[0]), content=body, headers=request_headers,
                                           extensions={"sni_hostname": parts.hostname})  # fmt: skip
            response = client.send(request, stream=True)
            try:
                snippet = _read_snippet(response, started + limit)
            finally:
                response.close()
    except httpx.TimeoutException:
        return answer(None, f"timed out after {limit:g} s")
    except httpx.HTTPError as error:
        return answer(None, f"{type(error).__name__}: {error}"[:500])
    if 300 <= response.status_code < 400:
        where = response.headers.get("location", "")[:300]
        return answer(response.status_code, f"redirect not followed (Location: {where})", snippet)
    if not 200 <= response.status_code < 300:
        return answer(response.status_code, f"HTTP {response.status_code}", snippet)
    return answer(response.status_code, None, snippet)


def _read_snippet(response: httpx.Response, deadline: float) -> str | None:
    """The start of the body (at most a few kilobytes read, until the deadline), as text."""
    data = b""
    for chunk in response.iter_bytes():
        data += chunk
        if len(data) >= SNIPPET_CHARS * 4 or time.monotonic() > deadline:
            break
    text = data.decode("utf-8", errors="replace")[:SNIPPET_CHARS].replace("\x00", "")
    return text or None
