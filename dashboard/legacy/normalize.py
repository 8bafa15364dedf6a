"""Normalisation of the values the old system held as free text."""

from __future__ import annotations

import re
import unicodedata

# Mail providers whose domain says nothing about the company (never make a company from these).
PERSONAL_EMAIL_DOMAINS = frozenset(
    {
        "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "ymail.com", "outlook.com",
        "hotmail.com", "hotmail.co.uk", "live.com", "msn.com", "icloud.com", "me.com", "mac.com", "aol.com",
        "protonmail.com", "proton.me", "gmx.com", "gmx.de", "gmx.net", "web.de", "mail.com", "zoho.com",
        "yandex.com", "yandex.ru", "fastmail.com", "tutanota.com", "hey.com", "qq.com", "163.com",
    }
)  # fmt: skip

EMAIL = re.compile(r"^[^@\s,;<>\"']+@[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")
LEGAL_SUFFIXES = (
    "incorporated", "corporation", "limited", "company", "group", "holdings", "and sons", "& sons", "and co",
    "& co", "inc", "llc", "llp", "ltd", "plc", "gmbh", "ag", "sa", "sas", "sarl", "bv", "nv", "oy", "ab",
    "spa", "srl", "pty", "corp", "co", "lp",
)  # fmt: skip
_SUFFIX = re.compile(r"(?:\s+(?:" + "|".join(re.escape(s) for s in LEGAL_SUFFIXES) + r"))+$")
_NOT_WORD = re.compile(r"[^a-z0-9&]+")
_SPACES = re.compile(r"\s+")


def clean(value: str | None) -> str:
    """Trimmed, inner whitespace collapsed; '' for None."""
    return _SPACES.sub(" ", value or "").strip()


def strip_accents(value: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", value) if not unicodedata.combining(c))


def email(value: str | None) -> str | None:
    """Lower-cased address, or None when empty or not an address."""
    value = clean(value).lower().strip("<>")
    if value.startswith("mailto:"):
        value = value[7:]
    return value if value and len(value) <= 254 and EMAIL.match(value) else None


def email_domain(address: str | None) -> str | None:
    return address.rsplit("@", 1)[1] if address and "@" in address else None


def is_personal_domain(domain: str | None) -> bool:
    return bool(domain) and domain in PERSONAL_EMAIL_DOMAINS


def company_domain(address: str | None) -> str | None:
    """The domain that identifies a company: None for personal providers."""
    domain = email_domain(address)
    return None if domain is None or is_personal_domain(domain) else domain


def company_name(value: str | None) -> str:
    """Comparable company name: case, accents, punctuation, '&'/'and' and legal suffixes removed.

    ``"ACME, Inc."``, ``"acme inc"`` and ``"Acme Incorporated"`` all give ``"acme"``.
    """
    text = strip_accents(clean(value)).lower()
    text = _NOT_WORD.sub(" ", text.replace("'", "")).strip()
    text = _SPACES.sub(" ", text.replace("&", " & ")).strip()
    stripped = _SUFFIX.sub("", text).strip()
    text = stripped or text
    return _SPACES.sub(" ", text.replace(" & ", " and ")).strip()


def person_name(value: str | None) -> tuple[str, str]:
    """(first, last) from ``"Ann Lee"``, ``"Lee, Ann"``, ``"ANN LEE"`` or ``"Ann"``; title-cased when shouted."""
    text = clean(value)
    if "," in text:
        last, _, first = text.partition(",")
        text = f"{first.strip()} {last.strip()}".strip()
    if text.isupper() or text.islower():
        text = " ".join(part[:1].upper() + part[1:].lower() for part in text.split(" "))
    first, _, last = text.partition(" ")
    return first, last


def name_key(value: str | None) -> str:
    """Comparable full name: ``"Lee, Ann"`` and ``"ANN LEE"`` both give ``"ann lee"``."""
    first, last = person_name(value)
    return _SPACES.sub(" ", strip_accents(f"{first} {last}").lower()).strip()


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
