"""Entity resolution: which company and contact a legacy row means.

In order (the first that answers wins):

1. the contact by exact lower-cased email, and its company;
2. the company by email domain, unless the domain is a personal provider
   (``normalize.PERSONAL_EMAIL_DOMAINS`` never makes a company);
3. the company by normalised name (case, punctuation, accents, legal suffixes);
4. the company by fuzzy name (rapidfuzz ``ratio`` on normalised names): a unique
   candidate at or above ``FUZZY_ACCEPT`` is taken; candidates between
   ``FUZZY_REVIEW`` and ``FUZZY_ACCEPT``, or two candidates above it, go to the
   review queue with suggestions instead of a guess;
5. otherwise a new company (from the domain or the name); with no usable email
   and no company name the row goes to review.

The resolver works on an in-memory snapshot of companies and contacts and
registers what it decides to create, so one file never makes two companies for
a domain or two contacts for an email (and in-file duplicates resolve to the
first occurrence).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from dashboard.legacy import normalize as n

FUZZY_ACCEPT = 90.0  # tested in tests/test_legacy_resolve.py and measured in bench/legacy_import.py
FUZZY_REVIEW = 75.0

# company_activities strength by how the company was found
LINK_STRENGTH = {
    "email_domain": 1.0,
    "contact": 1.0,
    "manual": 1.0,
    "created": 1.0,
    "name_match": 0.9,
    "fuzzy_match": 0.7,
}


@dataclass
class Company:
    id: uuid.UUID
    name: str
    domain: str | None
    key: str
    created: bool = False


@dataclass
class Contact:
    id: uuid.UUID
    first_name: str
    last_name: str
    email: str | None
    phone: str | None
    company_id: uuid.UUID | None
    created: bool = False


@dataclass
class Resolution:
    company: Company | None = None
    company_link: str | None = None  # email_domain | contact | name_match | fuzzy_match | created
    contact: Contact | None = None
    contact_link: str | None = None  # email | name_match | created
    review_reason: str | None = None
    suggestions: dict = field(default_factory=dict)


class Resolver:
    def __init__(self, companies=(), contacts=()):
        self.companies: dict[uuid.UUID, Company] = {}
        self.by_domain: dict[str, Company] = {}
        self.by_key: dict[str, list[Company]] = {}
        self.keys: list[str] = []  # distinct keys, for fuzzy search
        self.contacts_by_email: dict[str, Contact] = {}
        self.contacts_by_name: dict[tuple, Contact] = {}  # (company_id, name key)
        self.contacts_by_phone: dict[str, Contact] = {}
        self.contacts_by_company: dict[uuid.UUID, list[Contact]] = {}
        self.new_companies: list[Company] = []
        self.new_contacts: list[Contact] = []
        self.domain_updates: list[Company] = []
        # key -> (candidates, how many of ``keys`` they were computed over): keys are only ever appended,
        # so a cached answer is brought up to date by scoring the keys added since (see fuzzy_candidates)
        self._fuzzy_cache: dict[str, tuple[list[tuple[str, float]], int]] = {}
        for cid, name, domain in companies:
            self._add_company(Company(cid, name, domain, n.company_name(name)))
        for cid, first, last, email, phone, company_id in contacts:
            self._add_contact(
                Contact(cid, first, last or "", email.lower() if email else None, n.phone(phone), company_id)
            )

    # --- registry ---------------------------------------------------------------------------------

    def _add_company(self, company: Company) -> None:
        self.companies[company.id] = company
        if company.domain:
            self.by_domain.setdefault(company.domain, company)
        if company.key:
            if company.key not in self.by_key:
                self.by_key[company.key] = []
                self.keys.append(company.key)
            self.by_key[company.key].append(company)

    def _add_contact(self, contact: Contact) -> None:
        if contact.email:
            self.contacts_by_email.setdefault(contact.email, contact)
        if contact.phone:
            self.contacts_by_phone.setdefault(contact.phone, contact)
        if contact.company_id is not None:
            self.contacts_by_company.setdefault(contact.company_id, []).append(contact)
        key = n.name_key(f"{contact.first_name} {contact.last_name}")
        if key:
            self.contacts_by_name.setdefault((contact.company_id, key), contact)

    def create_company(self, name: str, domain: str | None) -> Company:
        company = Company(uuid.uuid4(), name, domain, n.company_name(name), created=True)
        self._add_company(company)
        self.new_companies.append(company)
        return company

    def create_contact(self, name: str, email: str | None, phone: str | None, company: Company | None) -> Contact:
        first, last = n.person_name(name)
        if not first:
            first = (email.split("@")[0] if email else "Unknown")[:100]
        contact = Contact(
            uuid.uuid4(), first[:100], last[:100], email, n.phone(phone), company.id if company else None, True
        )
        self._add_contact(contact)
        self.new_contacts.append(contact)
        return contact

    # --- matching ----------------------------------------------------------------------------------

    def fuzzy_candidates(self, key: str, limit: int = 3) -> list[tuple[str, float]]:
        """Distinct company keys scoring at least FUZZY_REVIEW against ``key``, best first (ties: first added).

        The same answer as scoring ``key`` against every key now known, without rescanning them all:
        an answer computed over the first ``seen`` keys is merged with the scores of the keys added
        since. Keys are never removed or reordered, so the merge is exact.
        """
        cached = self._fuzzy_cache.get(key)
        total = len(self.keys)
        if cached is not None and cached[1] == total:
            return cached[0]
        seen = cached[1] if cached is not None else 0
        found = process.extract(
            key, self.keys[seen:] if seen else self.keys, scorer=fuzz.ratio, limit=limit, score_cutoff=FUZZY_REVIEW
        )
        candidates = [(choice, score) for choice, score, _ in found]
        if cached is not None and cached[0]:
            # earlier keys first among equal scores, as one scan over all keys would order them
            candidates = sorted(cached[0] + candidates, key=lambda c: -c[1])[:limit]
        self._fuzzy_cache[key] = (candidates, total)
        return candidates

    def match_company_name(self, text: str | None):
        """(company, link, review_reason, suggestions) by normalised then fuzzy name; all None when nothing is close."""
        key = n.company_name(text)
        if not key:
            return None, None, None, []
        exact = self.by_key.get(key, [])
        if len(exact) == 1:
            return exact[0], "name_match", None, []
        if len(exact) > 1:
            return None, None, "two_candidates", [(c, 100.0) for c in exact]
        found = self.fuzzy_candidates(key)
        suggestions = [(c, score) for k, score in found for c in self.by_key[k]]
        accepted = [(c, s) for c, s in suggestions if s >= FUZZY_ACCEPT]
        if len(accepted) == 1:
            return accepted[0][0], "fuzzy_match", None, suggestions
        if len(accepted) > 1:
            return None, None, "two_candidates", suggestions
        if suggestions:
            return None, None, "fuzzy_uncertain", suggestions
        return None, None, None, []

    def resolve(
        self, company_text: str | None, contact_name: str | None, email: str | None, phone: str | None
    ) -> Resolution:
        """Find or plan the company and contact of one legacy deal (see the module docstring)."""
        r = Resolution()
        address = n.email(email)
        domain = n.company_domain(address)
        contact = self.contacts_by_email.get(address) if address else None
        if contact is not None:
            r.contact, r.contact_link = contact, "email"
            if contact.company_id is not None and contact.company_id in self.companies:
                r.company, r.company_link = self.companies[contact.company_id], "contact"
        if r.company is None and domain and domain in self.by_domain:
            r.company, r.company_link = self.by_domain[domain], "email_domain"
        if r.company is None:
            company, link, reason, suggestions = self.match_company_name(company_text)
            if company is not None and domain and company.domain and company.domain != domain:
                company = None  # same name, another domain: a different company
                reason = None
            if company is not None:
                r.company, r.company_link = company, link
                if domain and company.domain is None:
                    company.domain = domain  # the first company email seen gives it its domain
                    self.by_domain[domain] = company
                    if not company.created:
                        self.domain_updates.append(company)
            elif reason and not domain:
                r.review_reason = reason
                r.suggestions = {
                    "companies": [{"id": str(c.id), "name": c.name, "score": round(s, 1)} for c, s in suggestions]
                }
            elif domain:
                r.company = self.create_company(
                    n.display_company(company_text) or n.company_from_domain(domain), domain
                )
                r.company_link = "created"
            elif n.company_name(company_text):
                r.company = self.create_company(n.display_company(company_text), None)
                r.company_link = "created"
            else:
                r.review_reason = "no_email_no_company" if not address else "no_company"
        if r.contact is None:
            key = n.name_key(contact_name)
            company_id = r.company.id if r.company else None
            found = self.contacts_by_name.get((company_id, key)) if key and company_id else None
            if found is None and not address and n.phone(phone):
                found = self.contacts_by_phone.get(n.phone(phone))
            if found is not None and not address:
                r.contact, r.contact_link = found, "name_match"
            elif address or (key and r.company is not None):
                r.contact, r.contact_link = self.create_contact(contact_name, address, phone, r.company), "created"
        if r.review_reason:
            r.suggestions.setdefault("companies", [])
            r.suggestions["contacts"] = self.suggest_contacts(r)
        return r

    def suggest_contacts(self, r: Resolution) -> list[dict]:
        """Contacts for a review item: the row's own contact, then people at the suggested companies."""
        found = [r.contact] if r.contact else []
        for suggestion in r.suggestions.get("companies", []):
            found.extend(self.contacts_by_company.get(uuid.UUID(suggestion["id"]), [])[:5])
        unique = list({c.id: c for c in found}.values())[:10]
        return [
            {
                "id": str(c.id),
                "name": f"{c.first_name} {c.last_name}".strip(),
                "email": c.email,
                "company_id": str(c.company_id) if c.company_id else None,
            }
            for c in unique
        ]

    def contact_for_identifier(self, identifier: str | None, company_id: uuid.UUID | None) -> Contact | None:
        """An activity's contact from its identifier: an email, a phone number or a name at the company."""
        address = n.email(identifier)
        if address:
            return self.contacts_by_email.get(address)
        digits = n.phone(identifier)
        if digits and sum(ch.isdigit() for ch in identifier or "") >= 7:
            found = self.contacts_by_phone.get(digits)
            if found:
                return found
        key = n.name_key(identifier)
        return self.contacts_by_name.get((company_id, key)) if key and company_id else None
