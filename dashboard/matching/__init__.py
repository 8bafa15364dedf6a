"""Entity matching shared by the legacy import, the record import and the duplicate scan: which company or
person two spellings mean. Pure Python, no database.

Keys (equal keys: the same entity, no doubt):

- ``company_key(name)`` / ``company_tokens(name)`` / ``compact_key(name)``: case, accents, punctuation,
  ``&``/``and``, a leading ``The``, abbreviations (``Intl``, ``Corp``, ``Co.``...), plurals and trailing legal
  forms set aside;
- ``email_key(address)``: case, ``+tag`` and mail subdomain set aside (``jane+crm@mail.acme.com`` ->
  ``jane@acme.com``); ``email_domain``/``company_domain`` give the organisation's (registrable) domain,
  ``company_domain`` None for personal providers (``is_personal_domain``, ``PERSONAL_EMAIL_DOMAINS``);
- ``person_key(name)``: ``Last, First``, case, accents, titles, middle names and initials set aside.

Comparisons answer a :class:`Match` (``verdict`` SAME / UNCERTAIN / DIFFERENT, ``score`` 0..1, ``reasons``
in words): ``compare_company_names``, ``compare_companies`` (names and domains), ``compare_person_names``,
``compare_people`` (names and emails). :class:`CompanyIndex` finds the plausible companies for a name among
many.
"""

from dashboard.matching.companies import (
    compact_key,
    company_key,
    company_tokens,
    compare_companies,
    compare_company_names,
    compare_tokens,
    full_compact,
)
from dashboard.matching.emails import (
    company_domain,
    email_address,
    email_domain,
    email_key,
    is_personal_domain,
    org_domain,
)
from dashboard.matching.index import CompanyIndex
from dashboard.matching.people import (
    compare_people,
    compare_person_names,
    display_name,
    person_key,
    person_parts,
)
from dashboard.matching.result import DIFFERENT, SAME, UNCERTAIN, Match
from dashboard.matching.text import clean, fold
from dashboard.matching.words import PERSONAL_EMAIL_DOMAINS

__all__ = [
    "DIFFERENT", "PERSONAL_EMAIL_DOMAINS", "SAME", "UNCERTAIN", "CompanyIndex", "Match", "clean", "compact_key",
    "company_domain", "company_key", "company_tokens", "compare_companies", "full_compact", "compare_company_names",
    "compare_people", "compare_person_names", "compare_tokens", "display_name", "email_address", "email_domain",
    "email_key", "fold", "is_personal_domain", "org_domain", "person_key", "person_parts",
]  # fmt: skip
