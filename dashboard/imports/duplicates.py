"""Which existing record a record import's row duplicates, and which company or contact it links to: the rules
of ``dashboard.matching`` (shared with the legacy import and the duplicate scan).

- companies: the same organisation domain (``www.acme.com``, ``mail.acme.com`` and ``acme.com`` are one),
  else the same name key (case, punctuation, accents, ``&``/``and``, ``The``, abbreviations, legal forms),
  else one company whose name is the same but for a typo and whose domain does not say otherwise;
- contacts: the same mailbox (``email_key``: case, ``+tag``, mail subdomain), else, without an email, the same
  person (``person_key``: ``Last, First``, middle initials, case) at a company of the same name key;
- deals: the same name at a company of the same name key.

A company a contact or deal names is found the same way (exact key, the user's own newest first; else one
company the same but for a typo) or created; a deal's contact is found by ``email_key``.
"""

from __future__ import annotations

from dashboard import matching as m


def _person(first: str | None, last: str | None) -> str:
    return m.person_key(f"{first or ''} {last or ''}")


def row_keys(entity: str, values: dict) -> list[str]:
    """The exact keys of a row (as ``values`` from the file, or an existing record's fields)."""
    if entity == "companies":
        keys = [f"domain:{m.org_domain(values['domain'])}"] if values.get("domain") else []
        return keys + ([f"name:{m.company_key(values['name'])}"] if m.company_key(values.get("name")) else [])
    if entity == "contacts":
        if values.get("email"):
            return [f"email:{m.email_key(values['email']) or values['email'].lower()}"]
        person = _person(values.get("first_name"), values.get("last_name"))
        company = m.company_key(values.get("company"))
        return [f"person:{company}|{person}"] if person and company else []
    return [f"deal:{m.clean(values.get('name')).lower()}|{m.company_key(values.get('company'))}"]


def existing_values(entity: str, row: tuple) -> dict:
    """``writes.existing``'s row as the fields ``row_keys`` reads."""
    if entity == "companies":
        return {"name": row[2], "domain": row[3]}
    if entity == "contacts":
        return {"email": row[2], "first_name": row[3], "last_name": row[4], "company": row[5]}
    return {"name": row[2], "company": row[3]}


class Duplicates:
    """The existing records by key (the first of a key wins) and, for companies, a name index for typos."""

    def __init__(self, entity: str, rows: list[tuple]):
        self.entity = entity
        self.by_key: dict[str, tuple] = {}  # key -> (id, owner_id)
        self.names = m.CompanyIndex()
        self.domains: dict[object, str | None] = {}
        for row in rows:
            values = existing_values(entity, row)
            for key in row_keys(entity, values):
                self.by_key.setdefault(key, (row[0], row[1]))
            if entity == "companies":
                self.names.add((row[0], row[1]), values["name"])
                self.domains[row[0]] = m.org_domain(values["domain"])

    def find(self, values: dict, keys: list[str]) -> tuple[tuple | None, str | None]:
        """((id, owner_id), the key it was found by) of the record the row duplicates, or (None, None)."""
        for key in keys:
            if key in self.by_key:
                return self.by_key[key], key
        if self.entity != "companies" or not values.get("name"):
            return None, None
        domain = m.org_domain(values.get("domain"))
        same = {item for item, match in self.names.candidates(values["name"])
                if match.same and not self._other_domain(item[0], domain)}  # fmt: skip
        return (same.pop(), f"name:{m.company_key(values['name'])}") if len(same) == 1 else (None, None)


    def _other_domain(self, company_id, domain: str | None) -> bool:
        """The company has a domain, and the row another one: not the same company, however alike the names."""
        return bool(domain and self.domains.get(company_id) and self.domains[company_id] != domain)


class Links:
    """The companies a contact's or deal's company name links to, and contacts by email."""

    def __init__(self, companies: list[tuple], contacts: list[tuple] = ()):
        self.names = m.CompanyIndex()
        self.order: dict[object, int] = {}
        for company_id, name, _domain in companies:
            self.add(company_id, name)
        self.contacts = {}
        for email, contact_id in contacts:
            self.contacts.setdefault(m.email_key(email) or email.lower(), contact_id)

    def add(self, company_id, name: str) -> None:
        self.order[company_id] = len(self.order)
        self.names.add(company_id, name)

    def company(self, name: str):
        """The company ``name`` means: of those with the same name key, the user's own newest; else the one
        company the same but for a typo; None when none (or several different ones) is."""
        found = [(item, match) for item, match in self.names.candidates(name) if match.same]
        exact = [item for item, match in found if match.score == 1.0]
        if exact:
            return max(exact, key=self.order.__getitem__)
        return found[0][0] if len(found) == 1 else None

    def contact(self, email: str):
        return self.contacts.get(m.email_key(email) or email.lower())
