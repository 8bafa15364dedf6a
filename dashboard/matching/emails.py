"""Email addresses: the address, the organisation's domain behind it, and the key two spellings share.

The organisation's domain is the registrable domain of the Public Suffix List (``mail.acme.co.uk`` ->
``acme.co.uk``), read from the ``publicsuffixlist`` package's bundled copy: nothing is fetched at run time.
"""

from __future__ import annotations

import functools
import re

from publicsuffixlist import PublicSuffixList

from dashboard.matching.text import clean
from dashboard.matching.words import PERSONAL_EMAIL_BRANDS, PERSONAL_EMAIL_DOMAINS

EMAIL = re.compile(r"^[^@\s,;<>\"']+@[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")
_PSL = PublicSuffixList()  # the bundled list; the package never downloads one by itself
_DOTLESS_LOCAL = frozenset({"gmail.com"})  # providers that ignore dots in the local part
_ALIASES = {"googlemail.com": "gmail.com"}


def email_address(value: str | None) -> str | None:
    """Lower-cased address (``mailto:`` and ``<...>`` removed), or None when empty or not an address."""
    text = clean(value).lower().strip("<>")
    if text.startswith("mailto:"):
        text = text[7:]
    return text if text and len(text) <= 254 and EMAIL.match(text) else None


@functools.lru_cache(maxsize=65536)
def org_domain(domain: str | None) -> str | None:
    """The registrable domain: ``"eu.mail.acme.co.uk"`` -> ``"acme.co.uk"``; a name the list does not know
    (``"localhost"``) stays as it is."""
    if not domain:
        return None
    domain = domain.lower().strip(".")
    return _ALIASES.get(domain) or _PSL.privatesuffix(domain) or domain


def is_personal_domain(domain: str | None) -> bool:
    """A mail provider's domain (gmail.com, yahoo.co.uk, hotmail.com.br...), which names no company."""
    org = org_domain(domain)
    return bool(org) and (org in PERSONAL_EMAIL_DOMAINS or org.split(".")[0] in PERSONAL_EMAIL_BRANDS)


def email_domain(address: str | None) -> str | None:
    """The organisation's domain of an address (``jane@mail.acme.com`` -> ``acme.com``)."""
    address = email_address(address)
    return org_domain(address.rsplit("@", 1)[1]) if address else None


def company_domain(address: str | None) -> str | None:
    """The domain that identifies the address's company: None for a personal provider or no address."""
    domain = email_domain(address)
    return None if domain is None or is_personal_domain(domain) else domain


def email_key(address: str | None) -> str | None:
    """One key for the spellings of one mailbox: case, ``+tag``, a mail subdomain (and gmail's dots) aside.

    ``"Jane+CRM@Mail.Acme.com"`` -> ``"jane@acme.com"``; None when it is not an address.
    """
    address = email_address(address)
    if address is None:
        return None
    local, _, host = address.rpartition("@")
    domain = org_domain(host)
    local = local.split("+", 1)[0] or local
    if domain in _DOTLESS_LOCAL:
        local = local.replace(".", "")
    return f"{local}@{domain}"
