"""Normalisation of the values the old system held as free text."""

from __future__ import annotations

import re
import unicodedata

from dashboard import matching as m
from dashboard.matching.text import clean

# Mail providers whose domain says nothing about the company (never make a company from these): one list,
# in dashboard.matching, shared with the record import and the duplicate scan.
PERSONAL_EMAIL_DOMAINS = m.PERSONAL_EMAIL_DOMAINS


def strip_accents(value: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", value) if not unicodedata.combining(c))


def email(value: str | None) -> str | None:
    """Lower-cased address, or None when empty or not an address."""
    return m.email_address(value)


def email_domain(address: str | None) -> str | None:
    """The organisation's (registrable) domain of an address: ``ann@mail.acme.com`` -> ``acme.com``."""
    return m.email_domain(address)


def is_personal_domain(domain: str | None) -> bool:
    return m.is_personal_domain(domain)


def company_domain(address: str | None) -> str | None:
    """The domain that identifies a company: None for personal providers."""
    return m.company_domain(address)


def company_name(value: str | None) -> str:
    """Comparable company name (``matching.company_key``): ``"ACME, Inc."``, ``"The Acme Co."`` -> ``"acme"``."""
    return m.company_key(value)


def person_name(value: str | None) -> tuple[str, str]:
    """(first, last) to store from ``"Ann Lee"``, ``"Lee, Ann"``, ``"ANN LEE"``, ``"Ann B. Lee"`` or ``"Ann"``."""
    return m.display_name(value)


def name_key(value: str | None) -> str:
    """Comparable full name (``matching.person_key``): ``"Lee, Ann B."`` and ``"ANN LEE"`` give ``"ann lee"``."""
    return m.person_key(value)


def phone(value: str | None) -> str | None:
    """Digits with a leading + kept (``"(201) 555-0123"`` -> ``"2015550123"``); None below 7 digits."""
    text = clean(value)
    digits = re.sub(r"\D", "", text)
    if len(digits) < 7 or len(digits) > 15:
        return None
    return ("+" if text.startswith("+") else "") + digits


def display_company(value: str | None) -> str:
    """A name to store for a new company: cleaned, and title-cased when typed all upper or lower case."""
    text = clean(value).strip(" ,")
    if text.isupper() or text.islower():
        text = " ".join(w[:1].upper() + w[1:].lower() for w in text.split(" "))
    return text[:200]


def company_from_domain(domain: str) -> str:
    """``"acme-tools.com"`` -> ``"Acme Tools"`` (a name when only the domain is known)."""
    return domain.split(".")[0].replace("-", " ").title()[:200]
