"""Entity resolution: which company and contact a legacy row means (the rules are ``dashboard.matching``'s,
shared with the record import and the duplicate scan).

Company, in order (the first that answers wins):

1. the contact by email (``matching.email_key``: case, ``+tag`` and mail subdomain aside), and its company;
2. the company by the address's organisation domain (``mail.acme.com`` -> ``acme.com``), unless it is a
   personal provider (``matching.PERSONAL_EMAIL_DOMAINS``, which never makes or identifies a company);
   unless the row names another company, one that differs in a word from the domain's (a sibling writing
   from its parent's domain): then by name, and that company never takes the domain. A domain given with
   the names of several companies belongs to the one whose name is closest to the domain (``prescan``);
3. the company by name (``matching.CompanyIndex``): keys that set aside case, punctuation, accents,
   ``&``/``and``, a leading ``The``, abbreviations and legal forms, then a word-by-word comparison that takes
   a typo for the same name but never two different words (siblings such as ``Acme Logistics`` and
   ``Acme Financial`` stay two). One company the same: taken (``name_match`` for equal keys, else
   ``fuzzy_match``); a company under another domain than the row's is not the same. Two the same, or only
   names that could be the same (uncertain) and no domain to tell: the review queue, with suggestions;
4. otherwise a new company (from the name, or the domain); with no usable email and no company name the row
   goes to review. An address at a personal provider alone never makes a company.

Contact: by email key; else, without an email, by name within the resolved company (``matching.person_key``
and ``compare_person_names``: ``Last, First``, case, accents, middle initials, a typo); two people of that
name there go to review; else a new contact (an email, or a name at a company). A phone number finds a
contact when nothing else does.

The resolver works on an in-memory snapshot of companies and contacts and
registers what it decides to create, so one file never makes two companies for
a domain or two contacts for an email (and in-file duplicates resolve to the
first occurrence).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from dashboard import matching as m
from dashboard.legacy import normalize as n

# company_activities strength by how the company was found
LINK_STRENGTH = {
    "email_domain": 1.0,
    "contact": 1.0,
    "manual": 1.0,
    "created": 1.0,
    "name_match": 0.9,
    "fuzzy_match": 0.7,
}


@dataclass(eq=False)
class Company:
    id: uuid.UUID
    name: str
    domain: str | None
    key: str
    created: bool = False


@dataclass(eq=False)
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


def key_of_group(text: str, by_key: dict[str, list]) -> str | None:
    """The key among ``by_key``'s whose name is ``text``'s company (the same or could be), or None."""
    return next((key for key, (other, _) in by_key.items() if m.compare_company_names(text, other).plausible), None)


class Resolver:
    def __init__(self, companies=(), contacts=()):
        self.companies: dict[uuid.UUID, Company] = {}
        self.by_domain: dict[str, Company] = {}
        self.index = m.CompanyIndex()  # company ids under their names
        self.contacts_by_email: dict[str, Contact] = {}  # by matching.email_key
        self.contacts_by_name: dict[tuple, list[Contact]] = {}  # (company_id, person key)
        self.contacts_by_phone: dict[str, Contact] = {}
        self.contacts_by_company: dict[uuid.UUID, list[Contact]] = {}
        self.new_companies: list[Company] = []
        self.new_contacts: list[Contact] = []
        self.domain_updates: list[Company] = []
        self.domain_owner: dict[str, str] = {}  # a mail domain several companies write from -> its owner's name
        for cid, name, domain in companies:
            self._add_company(Company(cid, name, domain, m.company_key(name)))
        for cid, first, last, email, phone, company_id in contacts:
            self._add_contact(
                Contact(cid, first, last or "", email.lower() if email else None, n.phone(phone), company_id)
            )

    # --- registry ---------------------------------------------------------------------------------

    def _add_company(self, company: Company) -> None:
        self.companies[company.id] = company
        if company.domain:
            self.by_domain.setdefault(m.org_domain(company.domain), company)
        self.index.add(company.id, company.name)

    def _add_contact(self, contact: Contact) -> None:
        key = m.email_key(contact.email)
        if key:
            self.contacts_by_email.setdefault(key, contact)
        if contact.phone:
            self.contacts_by_phone.setdefault(contact.phone, contact)
        if contact.company_id is not None:
            self.contacts_by_company.setdefault(contact.company_id, []).append(contact)
        name = m.person_key(f"{contact.first_name} {contact.last_name}")
        if name:
            self.contacts_by_name.setdefault((contact.company_id, name), []).append(contact)

    def create_company(self, name: str, domain: str | None) -> Company:
        company = Company(uuid.uuid4(), name, domain, m.company_key(name), created=True)
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

    def match_company_name(self, text: str | None, domain: str | None = None):
        """(company, link, review_reason, suggestions) by name; all None when no company could be it.

        Companies under another domain than ``domain`` are not candidates. One the same: taken; two the same
        (equal keys first): ``two_candidates``; only uncertain ones: ``fuzzy_uncertain``."""
        key = m.company_key(text)
        if not key:
            return None, None, None, []
        found = [
            (self.companies[cid], match)
            for cid, match in self.index.candidates(text, exact_first=True)
            if not (domain and self.companies[cid].domain and m.org_domain(self.companies[cid].domain) != domain)
        ]
        suggestions = [(c, 100.0 * match.score) for c, match in found]
        same = [c for c, match in found if match.same]
        exact = [c for c, match in found if match.score == 1.0]
        if len(exact) == 1 or (not exact and len(same) == 1):
            company = exact[0] if exact else same[0]
            return company, "name_match" if exact else "fuzzy_match", None, suggestions
        if same:
            return None, None, "two_candidates", suggestions
        if found:
            return None, None, "fuzzy_uncertain", suggestions
        return None, None, None, []

    def resolve(
        self, company_text: str | None, contact_name: str | None, email: str | None, phone: str | None
    ) -> Resolution:
        """Find or plan the company and contact of one legacy deal (see the module docstring)."""
        r = Resolution()
        address = m.email_address(email)
        domain = m.company_domain(address)
        contact = self.contacts_by_email.get(m.email_key(address)) if address else None
        if contact is not None:
            r.contact, r.contact_link = contact, "email"
            if contact.company_id is not None and contact.company_id in self.companies:
                r.company, r.company_link = self.companies[contact.company_id], "contact"
        if r.company is None and domain and domain in self.by_domain:
            if self.names_another_company(self.by_domain[domain], company_text):
                # a sibling writing from its parent's domain: the company by its name, never taking the domain
                self._company_by_name(r, company_text, address, domain, may_take_domain=False)
            else:
                r.company, r.company_link = self.by_domain[domain], "email_domain"
        if r.company is None and not r.review_reason:
            self._company_by_name(r, company_text, address, domain, self.may_take_domain(domain, company_text))
        if r.company is not None and r.company_link != "created":
            self.learn_spelling(r.company, company_text)
        if r.contact is None:
            self._contact_by_name(r, contact_name, address, phone)
        if r.review_reason:
            r.suggestions.setdefault("companies", [])
            r.suggestions["contacts"] = self.suggest_contacts(r)
        return r

    def _company_by_name(self, r: Resolution, company_text: str | None, address: str | None, domain: str | None,
                         may_take_domain: bool = True):  # fmt: skip
        """The company by name, a review, or a new company (see the module docstring); the row's domain is given
        to the company only when ``may_take_domain``."""
        company, link, reason, suggestions = self.match_company_name(company_text, domain)
        if not may_take_domain:
            domain = None
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
                "companies": [{"id": str(c.id), "name": c.name, "score": round(s, 1)} for c, s in suggestions[:5]]
            }
        elif domain or (reason and not may_take_domain):
            r.company = self.create_company(n.display_company(company_text) or n.company_from_domain(domain), domain)
            r.company_link = "created"
        elif m.company_key(company_text):
            r.company = self.create_company(n.display_company(company_text), None)
            r.company_link = "created"
        else:
            r.review_reason = "no_email_no_company" if not address else "no_company"

    def names_another_company(self, company: Company, text: str | None) -> bool:
        """The row's company name is not ``company`` (the owner of the row's mail domain) by any of its names:
        it has a word that name has not (``Acme Financial`` writing from ``Acme Logistics``' domain)."""
        tokens = m.company_tokens(text)
        if not tokens or m.compare_company_names(text, company.name).plausible:
            return False
        if set(tokens) <= set(m.company_tokens(company.name)):
            return False  # a short form of its name ("Acme" for Acme Logistics): no other word, the domain's
        return not any(cid == company.id for cid, match in self.index.candidates(text, exact_first=True)
                       if match.plausible)  # fmt: skip

    def prescan(self, rows) -> None:
        """Read every row's (company name, email) before resolving: a mail domain given with names of two or
        more companies (siblings sharing their parent's domain) belongs to one of them, the one whose name is
        closest to the domain's label (``acmelogistics.com``: ``Acme Logistics``), then the most frequent; the
        others never take it (``may_take_domain``)."""
        names: dict[str, dict[str, list]] = {}
        by_label: dict[str, str] = {}  # every name in the file, by its letters: a domain's label finds it
        for text, email in rows:
            domain, key = m.company_domain(email), m.company_key(text)
            if key:
                by_label.setdefault(m.full_compact(text), text)
                by_label.setdefault(m.compact_key(text), text)
            if domain and key:
                names.setdefault(domain, {}).setdefault(key, [text, 0])[1] += 1
        for domain, by_key in names.items():
            named = by_label.get(domain.split(".")[0])  # pts3networks.com: "PTS-3 Networks", if the file has it
            if named is not None and key_of_group(named, by_key) is None:
                self.domain_owner[domain] = named  # the domain's own company, named elsewhere in the file
                continue
            groups: list[list] = []  # [first text, count, ...texts] of keys that are one company
            for text, count in by_key.values():
                group = next((g for g in groups if m.compare_company_names(text, g[0]).plausible), None)
                if group is None:
                    groups.append([text, count])
                else:
                    group[1] += count
            if len(groups) > 1:
                label = domain.split(".")[0]
                best = max(groups, key=lambda g: (fuzz.ratio(label, m.full_compact(g[0])), g[1]))
                self.domain_owner[domain] = best[0]

    def may_take_domain(self, domain: str | None, text: str | None) -> bool:
        """Whether a company named ``text`` may be given ``domain`` (see ``prescan``)."""
        owner = self.domain_owner.get(domain) if domain else None
        return owner is None or not m.company_key(text) or m.compare_company_names(text, owner).plausible

    def learn_spelling(self, company: Company, text: str | None) -> None:
        """The name a row gave the company it resolved to becomes one of its names when it is a spelling of its
        name (the same, or could be): later rows with only that spelling (or a slip of it) find it. A sibling's
        name given with the parent's domain (a different word) is not learnt."""
        if text and m.company_key(text) != company.key and m.compare_company_names(text, company.name).plausible:
            self.index.add(company.id, text)

    def _contact_by_name(self, r: Resolution, contact_name: str | None, address: str | None, phone: str | None):
        """Without a contact by email: by name within the company (only when the row has no email), by phone,
        or a new contact; two people of the name at the company go to review."""
        people = self.people_named(contact_name, r.company) if r.company is not None and not address else []
        if len(people) > 1:
            r.review_reason = "two_candidates"
            r.suggestions = {"companies": [{"id": str(r.company.id), "name": r.company.name, "score": 100.0}]}
            return
        found = people[0] if people else None
        if found is None and not address and n.phone(phone):
            found = self.contacts_by_phone.get(n.phone(phone))
        if found is not None:
            r.contact, r.contact_link = found, "name_match"
        elif address or (m.person_key(contact_name) and r.company is not None):
            r.contact, r.contact_link = self.create_contact(contact_name, address, phone, r.company), "created"

    def people_named(self, name: str | None, company: Company) -> list[Contact]:
        """The company's contacts that ``name`` means: those of the same name key, else those whose name
        differs by a typo (``matching.compare_person_names``)."""
        key = m.person_key(name)
        if not key:
            return []
        exact = self.contacts_by_name.get((company.id, key), [])
        if exact:
            return exact
        return [c for c in self.contacts_by_company.get(company.id, [])
                if m.compare_person_names(name, f"{c.first_name} {c.last_name}").same]  # fmt: skip

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
        address = m.email_address(identifier)
        if address:
            return self.contacts_by_email.get(m.email_key(address))
        digits = n.phone(identifier)
        if digits and sum(ch.isdigit() for ch in identifier or "") >= 7:
            found = self.contacts_by_phone.get(digits)
            if found:
                return found
        key = m.person_key(identifier)
        people = self.contacts_by_name.get((company_id, key), []) if key and company_id else []
        return people[0] if len(people) == 1 else None
