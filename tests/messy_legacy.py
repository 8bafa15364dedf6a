"""A seeded generator of legacy deal files with the mess real exports carry, with the ground truth, and the
pairwise precision/recall of a resolution against it (``bench/legacy_import.py --messy`` and
``tests/test_legacy_messy.py`` use both).

What varies (each row draws its own mix): company names from several pools (place-and-trade names, family
firms, made-up brands, acronyms, accented European names), sibling companies that share a stem and differ in
a word (``Acme Logistics`` / ``Acme Financial``; some groups write from the first one's domain); in the rows: case, spacing,
punctuation, the legal form added, dropped or swapped (Inc, Ltd, GmbH, LLC, Corp, Co., PLC...), ``&``/``and``,
``Intl``/``International``, ``Corp``/``Corporation``, ``Co.``/``Company``, a leading ``The`` added or dropped,
accents dropped, a space dropped or moved, one typo (two letters swapped, one doubled, dropped or changed);
addresses upper-cased, with a ``+tag``, on a mail subdomain, with spaces or ``mailto:``; people at a personal
provider; contacts by name only, with a middle initial, as ``Last, First``, in capitals; a few rows with
nothing to go on (truth: review). The generator never calls the matching code: the truth is by construction.
"""

from __future__ import annotations

import csv
import io
import itertools
import random
import re
import unicodedata
from collections import Counter

from dashboard.legacy.importer import DEAL_COLUMNS
from tests.legacy_data import Truth

TRADES = ["Logistics", "Financial", "Health", "Foods", "Energy", "Software", "Analytics", "Systems", "Capital",
          "Media", "Robotics", "Pharma", "Textiles", "Insurance", "Consulting", "Mining", "Optics", "Realty",
          "Marine", "Aerospace", "Security", "Telecom", "Ceramics", "Brewing", "Instruments", "Labs", "Motors",
          "Holdings Partners", "Engineering", "Solutions", "Networks", "Bank", "Chemicals", "Outfitters"]  # fmt: skip
PLACES = ["Northwind", "Blue Ridge", "Silver Lake", "Granite", "Cedar Point", "Harbor", "Summit", "Redwood",
          "Ironbridge", "Lakeshore", "Pinecrest", "Stonegate", "Westbrook", "Evergreen", "Oakridge", "Riverton",
          "Highland", "Bayview", "Fairmont", "Clearwater", "Maplewood", "Kingsford", "Ashford", "Brookfield",
          "Sterling", "Crescent", "Falcon", "Meridian", "Beacon", "Cobalt", "Orion", "Atlas", "Vanguard"]  # fmt: skip
FAMILIES = ["Hartley", "Okafor", "Lindqvist", "Moreau", "Castillo", "Brennan", "Whitaker", "Feldman", "Nakagawa",
            "Petrov", "Haddad", "Kowalczyk", "Ferreira", "Albright", "Delacroix", "Sørensen", "Müller", "Dubois",
            "Novák", "Østergaard", "Gonçalves", "Ibáñez", "Çelik", "Lefèvre"]  # fmt: skip
FAMILY_FORMS = ["{a} & Sons", "{a} and {b}", "{a} & {b}", "{a} Brothers", "{a} Group", "{a} {t}", "{a} & Co."]
ACRONYMS = ["ACM", "TRX", "BKL", "NVX", "QRS", "DMT", "HBX", "KLM", "PTS", "ZEN"]
LEGAL = ["Inc.", "Inc", "Incorporated", "Ltd", "Ltd.", "Limited", "LLC", "GmbH", "Corp.", "Corporation", "Co.",
         "Company", "PLC", "S.A.", "B.V.", "AG", "Pty Ltd", "LLP"]  # fmt: skip
SWAPS = [("International", "Intl"), ("International", "Int'l"), ("Corporation", "Corp"), ("Company", "Co."),
         ("&", "and"), ("Brothers", "Bros."), ("Laboratories", "Labs"), ("Manufacturing", "Mfg")]  # fmt: skip
FIRST = ["Ann", "Benjamin", "Chloé", "Dmitri", "Eva", "Farid", "Grace", "Hiroshi", "Inès", "Jonas", "Kofi", "Lena",
         "Marco", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tara", "Umar", "Vera", "Wei", "Ximena", "Yusuf",
         "Zoë", "Aleksander", "Brigitte", "Carlos", "Deirdre", "Emeka", "François", "Gunnar", "Hannah", "Ishaan"]  # fmt: skip
LAST = ["Adams", "Berger", "Chen", "Dubois", "Eriksen", "Fischer", "García", "Hughes", "Ivanova", "Jansen", "Kowalski",
        "López", "Müller", "Nakamura", "O'Brien", "Patel", "Quist", "Rossi", "Schmidt", "Tanaka", "Usman", "Varga",
        "Weber", "Xu", "Young", "Zimmermann", "Abernathy", "Bjørnsson", "Castellano", "Devereaux", "Esposito"]  # fmt: skip
PERSONAL = ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "aol.com", "proton.me",
            "yahoo.co.uk", "gmx.de", "hotmail.fr"]  # fmt: skip
TLDS = [".com", ".com", ".io", ".co.uk", ".de", ".net", ".fr", ".com.au"]
SUBDOMAINS = ["mail", "eu", "corp", "us", "uk", "email"]
ONSETS = ["b", "c", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "cr", "dr", "gr", "pl",
          "st", "tr", "sh", "qu"]  # fmt: skip
NUCLEI = ["a", "e", "i", "o", "u", "ai", "ou", "ea", "y"]
CODAS = ["", "n", "r", "l", "s", "x", "m", "nd", "rk", "st"]


def plain(text: str) -> str:
    text = text.replace("ø", "o").replace("Ø", "O")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def slug(text: str) -> str:
    return "".join(c for c in plain(text).lower() if c.isalnum())


class Names:
    """Distinct company bases drawn from the pools (a base: the name without a legal form)."""

    def __init__(self, rnd: random.Random, pools: list[str]):
        self.rnd, self.pools, self.used = rnd, pools, set()

    def brand(self) -> str:
        rnd = self.rnd
        return "".join(rnd.choice(ONSETS) + rnd.choice(NUCLEI) + rnd.choice(CODAS)
                       for _ in range(rnd.choice([2, 3]))).title()  # fmt: skip

    def stem(self, pool: str) -> str:
        rnd = self.rnd
        if pool == "places":
            return rnd.choice(PLACES) if rnd.random() < 0.5 else f"{rnd.choice(PLACES)} {self.brand()}"
        if pool == "acronyms":
            return f"{rnd.choice(ACRONYMS)}{rnd.choice(['', '-' + str(rnd.randrange(2, 9))])}"
        if pool == "family":
            return rnd.choice(FAMILIES)
        return self.brand()

    def base(self) -> tuple[str, str]:
        """(stem, base name); the same stem may be drawn again for a sibling."""
        for _ in range(1000):
            pool = self.rnd.choice(self.pools)
            stem = self.stem(pool)
            if pool == "family":
                other = self.rnd.choice([f for f in FAMILIES if f != stem])
                name = self.rnd.choice(FAMILY_FORMS).format(a=stem, b=other, t=self.rnd.choice(TRADES))
            else:
                name = f"{stem} {self.rnd.choice(TRADES)}"
                if self.rnd.random() < 0.12:
                    name = f"{stem} International {self.rnd.choice(TRADES)}"
            bare = slug(re.sub(r"( Group| & Co\.)$", "", name).replace("&", "and"))  # "X Group", "X & Co.": one firm
            if slug(name) not in self.used and bare not in self.used:
                self.used.update({slug(name), bare})
                return stem, name
        raise RuntimeError("name pools exhausted")

    def sibling(self, stem: str) -> str | None:
        for trade in self.rnd.sample(TRADES, len(TRADES)):
            name = f"{stem} {trade}"
            if slug(name) not in self.used:
                self.used.add(slug(name))
                return name
        return None


def typo(rnd: random.Random, text: str) -> str:
    """One slip in a word of 5 letters or more, never its first letter: swap, double, drop or change."""
    words = text.split(" ")
    long = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not long:
        return text
    i = rnd.choice(long)
    w = words[i]
    j = rnd.randrange(1, len(w) - 1)
    kind = rnd.choice(["swap", "swap", "double", "drop", "change"])
    if kind == "swap":
        w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    elif kind == "double":
        w = w[:j] + w[j] + w[j:]
    elif kind == "drop":
        w = w[:j] + w[j + 1 :]
    else:
        w = w[:j] + rnd.choice("aeioulnrst".replace(w[j].lower(), "")) + w[j + 1 :]
    words[i] = w
    return " ".join(words)


def _has(text: str, word: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text) is not None


def _swap(text: str, old: str, new: str) -> str:
    return re.sub(rf"(?<!\w){re.escape(old)}(?!\w)", new.replace("\\", ""), text)


def mess_company(rnd: random.Random, name: str, typo_share: float) -> str:
    """The name as one row of an old system might hold it (see the module docstring)."""
    text = name
    for long, short in SWAPS:
        if rnd.random() < 0.5:
            text = _swap(text, long, short) if _has(text, long) else _swap(text, short, long)
    legal = next((form for form in LEGAL if text.endswith(" " + form)), None)
    r = rnd.random()
    if legal and r < 0.3:
        text = text[: -len(legal) - 1]
    elif r < 0.55:
        text = f"{text[: -len(legal) - 1] if legal else text}{rnd.choice([' ', ', '])}{rnd.choice(LEGAL)}"
    if text.startswith("The "):
        text = text[4:] if rnd.random() < 0.5 else text
    elif rnd.random() < 0.1:
        text = "The " + text
    if rnd.random() < typo_share:
        text = typo(rnd, text)
    r = rnd.random()
    if r < 0.15:
        text = text.upper()
    elif r < 0.25:
        text = text.lower()
    if rnd.random() < 0.15:
        text = plain(text)
    if rnd.random() < 0.1:
        text = text.replace(".", "").replace(",", "")
    if rnd.random() < 0.1:
        text = f" {text.replace(' ', '  ', 1)}  "
    return text


def mess_email(rnd: random.Random, address: str) -> str:
    local, _, domain = address.partition("@")
    personal = domain in PERSONAL
    if not personal and rnd.random() < 0.15:
        domain = f"{rnd.choice(SUBDOMAINS)}.{domain}"
    if rnd.random() < 0.12:
        local = f"{local}+{rnd.choice(['crm', 'sales', 'news', 'x1'])}"
    text = f"{local}@{domain}"
    r = rnd.random()
    if r < 0.12:
        text = text.upper()
    elif r < 0.2:
        text = f"  {text} "
    elif r < 0.23:
        text = f"mailto:{text}"
    return text


def mess_person(rnd: random.Random, first: str, last: str, middle: str) -> str:
    r = rnd.random()
    if r < 0.4:
        text = f"{first} {last}"
    elif r < 0.6:
        text = f"{last}, {first}"
    elif r < 0.75:
        text = f"{first} {middle}. {last}"
    elif r < 0.85:
        text = f"{last}, {first} {middle}."
    else:
        text = f"{first} {middle} {last}"
    r = rnd.random()
    if r < 0.15:
        text = text.upper()
    elif r < 0.22:
        text = text.lower()
    return plain(text) if rnd.random() < 0.15 else text


POOL_SETS = [["places", "brands"], ["family", "places", "acronyms"], ["brands", "family"], ["places", "acronyms",
             "brands", "family"]]  # fmt: skip


def _companies(rnd: random.Random, truth: Truth, count: int, sibling_share: float, existing_share: float,
               shared_domain_share: float) -> None:  # fmt: skip
    """True companies, with their domains; about ``sibling_share`` of them in groups sharing a stem, and of those
    groups ``shared_domain_share`` whose people all write from the first company's domain."""
    names = Names(rnd, rnd.choice(POOL_SETS))
    domains: set[str] = set()

    def add(name: str, parent: dict | None = None) -> None:
        base = slug(name.replace("&", "and"))
        domain = base + rnd.choice(TLDS)
        while domain in domains:
            domain = f"{base}{rnd.randrange(2, 99)}{rnd.choice(TLDS)}"
        domains.add(domain)
        if parent is not None:  # a sibling whose people write from the parent's domain; it has none of its own
            truth.companies.append({"name": name, "domain": None, "mail_domain": parent["mail_domain"],
                                    "existing": rnd.random() < existing_share})  # fmt: skip
            return
        legal = rnd.choice([*LEGAL, "", "", ""])
        full = f"{name} {legal}".strip() if not name.endswith(("Co.", "Group")) else name
        if rnd.random() < 0.05:
            full = f"The {full}"
        truth.companies.append({"name": full, "domain": domain, "mail_domain": domain,
                                "existing": rnd.random() < existing_share})  # fmt: skip

    while len(truth.companies) < count:
        stem, name = names.base()
        add(name)
        parent = truth.companies[-1]
        if rnd.random() < sibling_share:
            shared = rnd.random() < shared_domain_share
            for _ in range(rnd.choice([1, 1, 2])):
                if (sibling := names.sibling(stem)) and len(truth.companies) < count:
                    add(sibling, parent if shared else None)


def _people(rnd: random.Random, truth: Truth, count: int, personal_share: float) -> None:
    taken: set[tuple[int, str, str]] = set()
    while len(truth.people) < count:
        company = rnd.randrange(len(truth.companies))
        first, last = rnd.choice(FIRST), rnd.choice(LAST)
        if (company, plain(first).lower(), plain(last).lower()) in taken:
            continue
        taken.add((company, plain(first).lower(), plain(last).lower()))
        local = rnd.choice(["{f}.{l}", "{f}{l}", "{i}{l}", "{f}"]).format(
            f=slug(first), l=slug(last), i=slug(first)[0])  # fmt: skip
        personal = rnd.random() < personal_share
        domain = rnd.choice(PERSONAL) if personal else truth.companies[company]["mail_domain"]
        if personal or local == slug(first):
            local = f"{slug(first)}.{slug(last)}{len(truth.people)}"
        truth.people.append({"first": first, "last": last, "middle": rnd.choice("ABCDEFGHJKLMNPRSTW"),
                             "email": f"{local}@{domain}", "company": company, "personal": personal,
                             "existing": truth.companies[company]["existing"] and rnd.random() < 0.5})  # fmt: skip


def generate_messy(seed: int = 1, rows: int = 1000, *, owners=("admin@test.example",), stages=("Lead", "Qualified"),
                   existing_share: float = 0.2, sibling_share: float = 0.3, typo_share: float = 0.15,
                   shared_domain_share: float = 0.25, prefix: str = "MX") -> tuple[str, Truth]:  # fmt: skip
    """(deals_csv, truth) of a messy file of ``rows`` deals (see the module docstring)."""
    rnd = random.Random(seed)
    truth = Truth()
    _companies(rnd, truth, max(4, rows // 10), sibling_share, existing_share, shared_domain_share)
    _people(rnd, truth, max(6, rows // 4), personal_share=0.2)
    weights = [1 / (1 + i) ** 0.6 for i in range(len(truth.people))]  # some people have many deals
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(DEAL_COLUMNS)
    for number, p in enumerate(rnd.choices(range(len(truth.people)), weights, k=rows), start=1):
        person = truth.people[p]
        company = truth.companies[person["company"]]
        email = mess_email(rnd, person["email"]) if rnd.random() < 0.7 else ""
        company_text = mess_company(rnd, company["name"], typo_share)
        if email and not person["personal"] and company["domain"] and rnd.random() < 0.15:
            company_text = ""  # the domain says it all (not for a sibling on its parent's domain)
        review = False
        if not email and rnd.random() < 0.03:
            company_text, review = "", True  # nothing to go on
        contact = mess_person(rnd, person["first"], person["last"], person["middle"])
        legacy_id = f"{prefix}-{number:06d}"
        writer.writerow([legacy_id, f"Deal {number}", company_text, contact, email, "", f"{rnd.randrange(1, 90)}000",
                         rnd.choice(stages), rnd.choice(owners), "", ""])  # fmt: skip
        truth.rows[legacy_id] = {"company": person["company"], "person": p, "review": review, "bad": False,
                                 "line": number + 1, "email": bool(email)}  # fmt: skip
    return out.getvalue(), truth


def _pairs(counter: Counter) -> int:
    return sum(c * (c - 1) // 2 for c in counter.values())


def pairwise(truth: Truth, found: dict[str, tuple[object, object]]) -> dict:
    """Pairwise precision and recall of companies and contacts, over the rows the truth says can be linked.

    ``found``: legacy_id -> (company id, contact id) as the import linked them (None: not linked). Two rows
    are a true pair when they belong to one true company (person); a found pair when they were linked to one
    row. A row not linked is alone (it pairs with nothing). Also the share of all rows sent to review is the
    caller's (the import's report)."""
    result = {}
    linkable = [lid for lid, row in truth.rows.items() if not row["review"] and not row["bad"]]
    for kind, position, field in (("company", 0, "company"), ("contact", 1, "person")):
        trues = Counter(truth.rows[lid][field] for lid in linkable)
        got = Counter(found[lid][position] for lid in linkable if found.get(lid, (None, None))[position] is not None)
        both = Counter((truth.rows[lid][field], found[lid][position]) for lid in linkable
                       if found.get(lid, (None, None))[position] is not None)  # fmt: skip
        true_pairs, found_pairs, right = _pairs(trues), _pairs(got), _pairs(both)
        result[f"{kind}_precision"] = right / found_pairs if found_pairs else 1.0
        result[f"{kind}_recall"] = right / true_pairs if true_pairs else 1.0
        result[f"{kind}_clusters"] = (len(got), len(trues))  # (found, true) among linked rows
    return result


def seed_existing_messy(conn, truth: Truth, owner_id) -> None:
    """The companies (and some of their people) that exist before the import (as legacy_data.seed_existing)."""
    from tests.legacy_data import seed_existing

    seed_existing(conn, truth, owner_id)


__all__ = ["generate_messy", "pairwise", "seed_existing_messy", "itertools"]
