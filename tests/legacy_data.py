"""A seeded generator of messy legacy CSV files, with the ground truth to check the import against.

Every row belongs to a true company (with a corporate domain) and a true person
(one email, corporate or personal). Rows vary what the old system held: the
company name's case, spacing, punctuation and legal suffix, a one-letter typo,
the email's case and surrounding spaces, the contact name's order and case,
a missing email or a missing company. About ``bad_share`` of the rows are
broken in exactly one known cell (``truth.bad`` holds their (line, column)).
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process

from dashboard.legacy import normalize as n
from dashboard.legacy.importer import ACTIVITY_COLUMNS, DEAL_COLUMNS

WORDS_A = [
    "Northwind", "Bluefield", "Crestline", "Harborview", "Ironbridge", "Lakeshore", "Meadowbrook", "Oakridge",
    "Pinecrest", "Redstone", "Silverline", "Stonegate", "Sunfield", "Westbrook", "Brightwater", "Copperleaf",
    "Deepwell", "Evergreen", "Foxglove", "Goldcrest", "Highmoor", "Juniper", "Kingsford", "Larkspur", "Maplewood",
    "Nightingale", "Orchard", "Quarry", "Riverton", "Saltmarsh", "Thornbury", "Umberfield", "Valemont", "Wexford",
    "Yarrow", "Zephyr", "Ashcombe", "Birchwood", "Cloudbury", "Driftwood",
]  # fmt: skip
WORDS_B = [
    "Analytics", "Logistics", "Robotics", "Software", "Foods", "Textiles", "Energy", "Pharma", "Capital", "Media",
    "Systems", "Outfitters", "Ceramics", "Brewing", "Dynamics", "Labs", "Partners", "Instruments", "Mining", "Optics",
]  # fmt: skip
SUFFIXES = ["Inc.", "Ltd", "LLC", "GmbH", "Corp.", "PLC", ""]
FIRST = ["Ann", "Ben", "Chloé", "Dmitri", "Eva", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kofi", "Lena", "Marco",
         "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tara", "Umar", "Vera", "Wei", "Ximena", "Yusuf", "Zoe"]  # fmt: skip
LAST = ["Adams", "Berger", "Chen", "Dubois", "Eriksen", "Fischer", "García", "Hughes", "Ivanova", "Jansen", "Kowalski",
        "Lopez", "Müller", "Nakamura", "O'Brien", "Patel", "Quist", "Rossi", "Schmidt", "Tanaka", "Usman", "Varga",
        "Weber", "Xu", "Young", "Zimmermann"]  # fmt: skip
ONSETS = ["b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z", "br", "cr",
          "dr", "fl", "gr", "pl", "st", "tr", "sh", "th"]  # fmt: skip
NUCLEI = ["a", "e", "i", "o", "u", "ai", "ou", "ea", "y"]
CODAS = ["", "n", "r", "l", "s", "x", "m", "nd", "rk", "st"]
PERSONAL = ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com"]


@dataclass
class Truth:
    companies: list[dict] = field(default_factory=list)  # name, domain, existing
    people: list[dict] = field(default_factory=list)  # first, last, email, company, existing
    rows: dict[str, dict] = field(default_factory=dict)  # legacy_id -> {company, person, review, line}
    bad: set[tuple[int, str]] = field(default_factory=set)  # (line, column) of broken cells
    activities: dict[str, dict] = field(default_factory=dict)
    bad_activities: set[tuple[int, str]] = field(default_factory=set)

    def valid_rows(self) -> dict[str, dict]:
        return {lid: row for lid, row in self.rows.items() if not row["bad"]}

    def expected(self) -> dict:
        """What a skip-invalid import must produce."""
        valid = self.valid_rows()
        linked = [row for row in valid.values() if not row["review"]]
        companies = {row["company"] for row in linked}
        people = {row["person"] for row in linked}
        return {
            "written": len(valid),
            "invalid": len(self.rows) - len(valid),
            "review": sum(1 for row in valid.values() if row["review"]),
            "companies_created": sum(1 for c in companies if not self.companies[c]["existing"]),
            "companies_matched": sum(1 for c in companies if self.companies[c]["existing"]),
            "contacts_created": sum(1 for p in people if not self.people[p]["existing"]),
            "contacts_matched": sum(1 for p in people if self.people[p]["existing"]),
            "deals_linked": len(linked),
        }


BRAND_CUTOFF = 75  # made-up names: never in the resolver's fuzzy range (FUZZY_REVIEW) of another company


def _brand(rnd: random.Random) -> str:
    """Four made-up syllables and a trade, e.g. "Dreaxkorbaist Optics": 28 x 9 x 10 choices per syllable."""
    brand = "".join(rnd.choice(ONSETS) + rnd.choice(NUCLEI) + rnd.choice(CODAS) for _ in range(4))
    return f"{brand.title()} {rnd.choice(WORDS_B)}"


def _brand_names(rnd: random.Random, keys: list[str], count: int) -> list[str]:
    """``count`` company names unlike ``keys`` and each other (fuzz.ratio < BRAND_CUTOFF on normalised names).

    Unique by construction (a name is drawn from 2520^4 brands); the few that land near another name
    are found with one vectorised rapidfuzz pass per batch and drawn again -- fast even at 12,500 names,
    where testing each candidate against every name one by one took minutes.
    """
    names: list[str] = []
    while len(names) < count:
        batch = [_brand(rnd) for _ in range(min(count - len(names), 2000) + 16)]
        batch_keys = [n.company_name(name) for name in batch]
        near_known = (
            process.cdist(batch_keys, keys, scorer=fuzz.ratio, score_cutoff=BRAND_CUTOFF, dtype=np.uint8).max(axis=1)
            if keys else np.zeros(len(batch), dtype=np.uint8)
        )  # fmt: skip
        among = process.cdist(batch_keys, batch_keys, scorer=fuzz.ratio, score_cutoff=BRAND_CUTOFF, dtype=np.uint8)
        taken: list[int] = []
        for i, (name, key) in enumerate(zip(batch, batch_keys, strict=True)):
            if near_known[i] or any(among[i, j] for j in taken) or len(names) == count:
                continue
            taken.append(i)
            keys.append(key)
            names.append(name)
    return names


def _typo(rnd: random.Random, word: str) -> str:
    """One letter doubled or two neighbours swapped, away from the start (a slip, not a new name)."""
    i = rnd.randrange(2, len(word) - 2)
    if rnd.random() < 0.5:
        return word[:i] + word[i] + word[i:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _company_text(rnd: random.Random, name: str, allow_typo: bool) -> str:
    short = n.clean(name.rsplit(" ", 1)[0]) if name.split(" ")[-1] in SUFFIXES else name
    r = rnd.random()
    if r < 0.25:
        text = name
    elif r < 0.4:
        text = short.upper()
    elif r < 0.55:
        text = name.lower().replace(".", "").replace(",", "")
    elif r < 0.65:
        text = f"{short}, {rnd.choice(['Inc', 'Inc.', 'LLC', 'Ltd', 'Limited', 'Incorporated'])}"
    elif r < 0.75:
        text = f"  {short.replace(' ', '  ')} "
    elif r < 0.85 and allow_typo:
        text = _typo(rnd, short)
    else:
        text = n.strip_accents(short)
    return text


def generate(seed: int = 7, rows: int = 400, *, bad_share: float = 0.05, owners=("admin@test.example",),
             stages=("Lead", "Qualified", "Opportunity"), existing_share: float = 0.2, prefix: str = "LG",
             activities_per_deal: float = 0.0):  # fmt: skip
    """(deals_csv, activities_csv, truth). ``existing_share`` of companies/people are meant to be
    inserted before the import (``truth.companies[i]["existing"]``)."""
    rnd = random.Random(seed)
    truth = Truth()
    n_companies = max(3, rows // 8)
    keys: list[str] = []

    def add_company(base: str) -> None:
        suffix = rnd.choice(SUFFIXES)
        domain = n.company_name(base).replace(" ", "") + rnd.choice([".com", ".io", ".co.uk", ".de"])
        truth.companies.append({"name": f"{base} {suffix}".strip(), "domain": domain,
                                "existing": rnd.random() < existing_share})  # fmt: skip

    attempts = 0
    while len(truth.companies) < min(n_companies, 300) and attempts < 5000:
        attempts += 1
        base = f"{rnd.choice(WORDS_A)} {rnd.choice(WORDS_B)}"
        if rnd.random() < 0.3:
            base = f"{rnd.choice(WORDS_A)} {base}"
        key = n.company_name(base)
        if process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=70) is not None:
            continue  # distinct true companies are never close
        keys.append(key)
        add_company(base)
    for base in _brand_names(rnd, keys, n_companies - len(truth.companies)):
        add_company(base)  # past the word lists: made-up brand names
    names_at: dict[int, set] = {}
    for _ in range(rows // 2):
        company = rnd.randrange(n_companies)
        for _attempt in range(20):
            first, last = rnd.choice(FIRST), rnd.choice(LAST)
            if (first, last) not in names_at.setdefault(company, set()):
                break
        else:
            continue
        names_at[company].add((first, last))
        local = f"{n.strip_accents(first).lower()}.{n.strip_accents(last).lower().replace(chr(39), '')}"
        personal = rnd.random() < 0.25
        email = (f"{local}{rnd.randrange(10, 99)}{len(truth.people)}@{rnd.choice(PERSONAL)}" if personal
                 else f"{local}@{truth.companies[company]['domain']}")  # fmt: skip
        truth.people.append({"first": first, "last": last, "email": email, "company": company, "personal": personal,
                             "existing": truth.companies[company]["existing"] and rnd.random() < 0.5})  # fmt: skip

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(DEAL_COLUMNS)
    line = 1
    previous = None
    for number in range(1, rows + 1):
        line += 1
        legacy_id = f"{prefix}-{number:06d}"
        if previous is not None and bad_share > 0 and rnd.random() < 0.01:
            # an exact in-file duplicate of the previous row (same legacy id): reported
            writer.writerow(previous)
            truth.rows[f"{legacy_id}-dup"] = {"bad": True, "line": line, "review": False}
            truth.bad.add((line, "legacy_id"))
            continue
        p = rnd.randrange(len(truth.people))
        person = truth.people[p]
        company = truth.companies[person["company"]]
        review = False
        r = rnd.random()
        if r < 0.55:
            email = person["email"]
        elif r < 0.7:
            email = person["email"].upper()
        elif r < 0.8:
            email = f"  {person['email']} "
        else:
            email = ""
        company_text = _company_text(rnd, company["name"], allow_typo=True)
        if email and not person["personal"] and rnd.random() < 0.15:
            company_text = ""  # the domain says it all
        if not email and rnd.random() < 0.1:
            company_text, review = "", True  # no email and no company: review
        r = rnd.random()
        contact_name = (f"{person['first']} {person['last']}" if r < 0.6 else f"{person['last']}, {person['first']}"
                        if r < 0.8 else f"{person['first']} {person['last']}".upper())  # fmt: skip
        phone = f"({rnd.randrange(201, 989)}) 555-{rnd.randrange(0, 9999):04d}" if rnd.random() < 0.4 else ""
        value = f"{rnd.randrange(1000, 90000)}.00" if rnd.random() < 0.8 else f"${rnd.randrange(1000, 90000):,}"
        stage = rnd.choice(stages)
        stage = stage if rnd.random() < 0.7 else stage.upper()
        owner = rnd.choice(owners)
        close = f"2026-{rnd.randrange(1, 13):02d}-{rnd.randrange(1, 29):02d}" if rnd.random() < 0.9 else ""
        created = f"2025-{rnd.randrange(1, 13):02d}-{rnd.randrange(1, 29):02d} 10:{rnd.randrange(0, 60):02d}:00"
        row = [legacy_id, f"{company['name']} deal {number}", company_text, contact_name, email, phone, value, stage,
               owner, close, created]  # fmt: skip
        bad = rnd.random() < bad_share
        if bad:
            column = _break(rnd, row)
            truth.bad.add((line, column))
        else:
            previous = row
        writer.writerow(row)
        truth.rows[legacy_id] = {"company": person["company"], "person": p, "review": review, "bad": bad,
                                 "line": line, "email": bool(email)}  # fmt: skip
    return out.getvalue(), _activities(rnd, truth, owners, prefix, activities_per_deal), truth


def _break(rnd: random.Random, row: list) -> str:
    kind = rnd.randrange(8)
    if kind == 0:
        row.append("extra")
        return "*"
    if kind == 1:
        row[4] = "not-an-email@"
        return "contact_email"
    if kind == 2:
        row[6] = "-500.00"
        return "value"
    if kind == 3:
        row[7] = "Negotiating?"
        return "stage"
    if kind == 4:
        row[8] = "nobody@nowhere.example"
        return "owner_email"
    if kind == 5:
        row[3] = "x" * 5000
        return "contact_name"
    if kind == 6:
        row[2] = rnd.choice(["=cmd|' /C calc'!A0", "@SUM(1+1)", "+1+1", "-2+3"])
        return "company"
    row[9] = "next tuesday"
    return "expected_close_date"


def _activities(rnd, truth: Truth, owners, prefix: str, per_deal: float) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ACTIVITY_COLUMNS)
    number, line = 0, 1
    for legacy_id, row in truth.valid_rows().items():
        count = int(per_deal) + (1 if rnd.random() < per_deal - int(per_deal) else 0)
        for _ in range(count):
            number += 1
            line += 1
            person = truth.people[row["person"]]
            identifier = person["email"] if rnd.random() < 0.6 else f"{person['first']} {person['last']}"
            act = [f"{prefix}A-{number:06d}", rnd.choice(owners), rnd.choice(["call", "Email", "meeting", "note"]),
                   "completed", truth.companies[row["company"]]["name"], identifier, "Talked about the renewal.",
                   f"2025-{rnd.randrange(1, 13):02d}-{rnd.randrange(1, 29):02d} 11:00", "", legacy_id]  # fmt: skip
            writer.writerow(act)
            truth.activities[act[0]] = {"deal": legacy_id, "line": line}
    return out.getvalue()


def seed_existing(conn, truth, owner_id) -> None:
    """The companies (and some of their people) that exist before the import."""
    ids = {}
    for i, company in enumerate(truth.companies):
        if company["existing"]:
            ids[i] = conn.execute(
                "insert into crm.companies (name, domain, owner_id) values (%s, %s, %s) returning id",
                (company["name"], company["domain"], owner_id),
            ).fetchone()[0]
    for person in truth.people:
        if person["existing"]:
            conn.execute(
                """insert into crm.contacts (first_name, last_name, email, company_id, owner_id)
                   values (%s, %s, %s, %s, %s)""",
                (person["first"], person["last"], person["email"], ids[person["company"]], owner_id),
            )
