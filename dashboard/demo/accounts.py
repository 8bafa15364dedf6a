"""Demo phases: the users and teams, then the companies and their contacts."""

from __future__ import annotations

import math
import re

from dashboard.demo import phrases as P
from dashboard.demo.base import GeneratorBase
from dashboard.demo.basics import (
    HISTORY_DAYS,
    NO_AI_REPS,
    SENIORITIES,
    SIZES,
    TLD_WEIGHTS,
    TLDS,
    User,
    Weighted,
    allocate,
    email_part,
    short_company,
)
from dashboard.demo.copytext import DAY, HOUR, NULL, array, boolean, jsonb, text

COMPANY_SIZE = Weighted([(0, 15), (1, 35), (2, 28), (3, 15), (4, 7)])  # index into SIZES
INDUSTRY = Weighted(P.INDUSTRIES)
EMPLOYEE_RANGE = ((3, 50), (20, 200), (200, 1_000), (1_000, 10_000), (10_000, 120_000))  # by size
CONTACT_RANK = Weighted([(0, 14), (1, 34), (2, 26), (3, 16), (4, 10)])  # index into SENIORITIES
CONTACT_METHOD = Weighted([("email", 55), ("phone", 20), ("linkedin", 18), ("text", 7)])
# the users' time zones, by team (manager1's team in New York, manager2's in London, ...); the admin in
# London and rep4 in Chicago: a manager who reads a rep in another zone sees the days of their own
TEAM_TIME_ZONES = ("America/New_York", "Europe/London", "America/Los_Angeles", "Europe/Berlin", "Asia/Singapore")
ADMIN_TIME_ZONE = "Europe/London"
OWN_TIME_ZONES = {"rep4@demo.test": "America/Chicago"}


class AccountPhases(GeneratorBase):
    """Users, teams, companies and contacts."""

    def people(self) -> None:
        """Teams, the contract users (admin, manager1..N, rep1..N @demo.test) and their hierarchy.

        rep1-rep4 report to manager1 and rep5-rep8 to manager2 at every scale;
        at the large scale further reps fill the smallest team.
        """
        s, fake, new_id, ts = self.scale, self.fake, self.new_id, self.ts
        created = self.start - 120 * DAY
        team_ids = [new_id() for _ in range(s.teams)]
        self.admin = User(new_id(), "admin@demo.test", fake.name(), "admin", None, None)
        self.managers = [User(new_id(), f"manager{i + 1}@demo.test", fake.name(), "manager", i, self.admin.id)
                         for i in range(s.teams)]
        self.reps: list[User] = []
        team_sizes = [0] * s.teams
        for n in range(1, s.reps + 1):
            if n <= 8 and s.teams >= 2:
                team = 0 if n <= 4 else 1
            else:
                team = min(range(s.teams), key=lambda t: (team_sizes[t], t))
            team_sizes[team] += 1
            rep = User(new_id(), f"rep{n}@demo.test", fake.name(), "rep", team, self.managers[team].id,
                       skill=self.gauss(0.0, 0.3))
            self.reps.append(rep)
            self.rep_stats[rep.id] = [0.0, 0.0, 0.0, 0.0]
        self.team_reps = [[r for r in self.reps if r.team == t] for t in range(s.teams)]

        for t, team_id in enumerate(team_ids):
            name = P.TEAM_NAMES[t] if t < len(P.TEAM_NAMES) else f"Team {t + 1}"
            desc = P.TEAM_DESCRIPTIONS[t % len(P.TEAM_DESCRIPTIONS)]
            at = ts(created + t * HOUR)
            self.emit("teams", (team_id, name, desc, self.managers[t].id, at, at, "1"))
        for i, u in enumerate([self.admin, *self.managers, *self.reps]):
            at = ts(created + i * 600)
            team_id = team_ids[u.team] if u.team is not None else NULL
            ai = u.email not in NO_AI_REPS
            zone = OWN_TIME_ZONES.get(u.email) or (
                TEAM_TIME_ZONES[u.team % len(TEAM_TIME_ZONES)] if u.team is not None else ADMIN_TIME_ZONE)
            self.emit("users", (u.id, u.email, text(u.name), self.password_hash, u.role, team_id,
                                u.manager_id or NULL, "t", boolean(ai), zone, at, at, "1"))

    def _company_name(self, taken: set[str]) -> str:
        rnd, pick = self.rnd, self.pick
        for _ in range(12):
            if rnd() < 0.45:  # Faker's en_US company formats, over name pools drawn from Faker once
                r = rnd()
                last = self.last_names
                if r < 0.6:
                    name = f"{pick(last)} {pick(self.company_suffixes)}"
                elif r < 0.8:
                    name = f"{pick(last)}-{pick(last)}"
                else:
                    name = f"{pick(last)}, {pick(last)} and {pick(last)}"
            else:
                name = f"{pick(P.BRAND_PREFIXES)}{pick(P.BRAND_SUFFIXES)} {pick(P.BRAND_KINDS)}"
            if name.lower() not in taken:
                break
        else:
            name = f"{name} {pick(('West', 'East', 'International', 'Global', 'North America'))}"
            k = 2
            while name.lower() in taken:
                name = f"{name.rsplit(' #', 1)[0]} #{k}"
                k += 1
        taken.add(name.lower())
        return name

    def _domain(self, short: str, taken: set[str]) -> str:
        """A unique lower-case domain derived from the name (``Bluepeak Analytics`` -> ``bluepeak.io``)."""
        words = [w for w in re.findall(r"[a-z0-9]+", short.lower()) if w != "and"] or ["company"]
        if len(words) == 1 or (len(words[0]) >= 7 and self.rnd() < 0.5):
            base = words[0]
        else:
            base = words[0] + ("-" if self.rnd() < 0.2 else "") + words[1]
        base = base[:40].strip("-")
        first_tld = TLDS.pick(self.rnd())
        for tld in (first_tld, *[t for t, _ in TLD_WEIGHTS if t != first_tld]):
            domain = f"{base}.{tld}"
            if domain not in taken:
                break
        else:
            k = 2
            while f"{base}{k}.com" in taken:
                k += 1
            domain = f"{base}{k}.com"
        taken.add(domain)
        return domain

    def companies_and_contacts(self) -> None:
        """Accounts owned by reps, and the people at them (emails at the company domain)."""
        fake = self.fake
        streets = list(dict.fromkeys(fake.street_name() for _ in range(400)))
        places = [(fake.city(), fake.state_abbr(), fake.zipcode()) for _ in range(300)]
        first_names = list(dict.fromkeys(fake.first_name() for _ in range(3000)))
        self.last_names = list(dict.fromkeys(fake.last_name() for _ in range(3000)))
        self.company_suffixes = list(dict.fromkeys(fake.company_suffix() for _ in range(200)))
        self.companies(streets, places)
        self.contacts(first_names)
        self.company_weights = Weighted([
            (c, (1.0, 1.3, 1.8, 2.5, 3.5)[self.c_size[c]] * math.exp(self.gauss(0.0, 0.7)))
            for c in range(self.scale.companies)])

    def companies(self, streets: list[str], places: list[tuple[str, str, str]]) -> None:
        """``scale.companies`` companies; what later phases need of each is kept in the ``c_*`` lists."""
        self.c_id: list[str] = []
        self.c_name: list[str] = []
        self.c_short: list[str] = []
        self.c_domain: list[str] = []
        self.c_owner: list[User] = []
        self.c_created: list[int] = []
        self.c_size: list[int] = []
        self.c_tone: list[float] = []
        self.c_contacts: list[list[int]] = []
        names_taken: set[str] = set()
        domains: set[str] = set()
        for _ in range(self.scale.companies):
            cid, name, short, domain, owner, created, size = self._company(streets, places, names_taken, domains)
            self.c_id.append(cid)
            self.c_name.append(name)
            self.c_short.append(short)
            self.c_domain.append(domain)
            self.c_owner.append(owner)
            self.c_created.append(created)
            self.c_size.append(size)
            self.c_tone.append(self.gauss(0.0, 0.6))
            self.c_contacts.append([])

    def _company(self, streets: list[str], places: list[tuple[str, str, str]], names_taken: set[str],
                 domains: set[str]) -> tuple[str, str, str, str, User, int, int]:
        """Write one company; returns (id, name, short name, domain, owner, created, size index)."""
        rnd, pick, ts = self.rnd, self.pick, self.ts
        cid = self.new_id()
        name = self._company_name(names_taken)
        short = short_company(name)
        domain = self._domain(short, domains)
        size = COMPANY_SIZE.pick(rnd())
        lo, hi = EMPLOYEE_RANGE[size]
        employees = int(math.exp(math.log(lo) + rnd() * (math.log(hi) - math.log(lo))))
        revenue = int(employees * (80_000 + rnd() * 220_000) // 1000 * 1000)
        tier = ("startup", "smb", "mid-market", "enterprise" if rnd() < 0.6 else "mid-market",
                "enterprise")[size]
        owner = pick(self.reps)
        created = self.start - 120 * DAY + int(rnd() * (HISTORY_DAYS + 60) * DAY)
        industry = INDUSTRY.pick(rnd())
        r = rnd()
        website = (f"https://www.{domain}" if r < 0.8 else f"https://{domain}" if r < 0.95 else None)
        street = pick(streets)
        city, state, zipcode = pick(places)
        address = f"{int(rnd() * 9000) + 1} {street}, {city}, {state} {zipcode}" if rnd() < 0.9 else None
        phone = f"+1-{201 + int(rnd() * 780)}-555-01{int(rnd() * 100):02d}" if rnd() < 0.85 else None
        description = pick(P.COMPANY_DESCRIPTIONS).format(industry=industry, focus=pick(P.COMPANY_FOCUS))
        tech = self.rng.sample(P.TECH_STACK, int(rnd() * 6))
        slug = domain.split(".")[0]
        social = {}
        if rnd() < 0.8:
            social["linkedin"] = f"https://www.linkedin.com/company/{slug}"
        if rnd() < 0.4:
            social["twitter"] = f"https://twitter.com/{slug.replace('-', '')}"
        social_json = jsonb(social)
        target = rnd() < (0.35 if size >= 3 else 0.1)
        at = ts(created)
        self.emit("companies", (
            cid, text(name), domain, industry, SIZES[size], text(website), text(address), text(phone),
            text(description), owner.id, f"{0.55 + rnd() * 0.44:.2f}", str(revenue), str(employees),
            array(tech), boolean(target), tier, social_json, at, at, "1"))
        return cid, name, short, domain, owner, created, size

    def contacts(self, first_names: list[str]) -> None:
        """~3% freelancers without a company, the rest spread by company size (each company gets one
        first); what later phases need of each is kept in the ``ct_*`` lists."""
        s, gauss = self.scale, self.gauss
        n = s.companies
        n_free = s.contacts * 3 // 100
        weights = [(1.0, 1.5, 2.5, 4.0, 6.0)[size] * math.exp(gauss(0.0, 0.4)) for size in self.c_size]
        per_company = allocate(s.contacts - n_free - n, weights)
        emails: set[str] = set()
        self.ct_id: list[str] = []
        self.ct_first: list[str] = []
        self.ct_last: list[str] = []
        self.ct_email: list[str | None] = []
        self.ct_company: list[int] = []
        self.ct_owner: list[User] = []
        self.ct_rank: list[int] = []
        self.ct_created: list[int] = []
        companies = [c for c in range(n) for _ in range(1 + per_company[c])] + [-1] * n_free
        for c in companies:
            self._contact(c, first_names, emails)

    def _contact(self, c: int, first_names: list[str], emails: set[str]) -> None:
        """Write one contact at company ``c`` (-1: a freelancer at a personal mail provider)."""
        rnd, pick = self.rnd, self.pick
        first, last = pick(first_names), pick(self.last_names)
        fl, ll = email_part(first), email_part(last)
        if c >= 0:
            domain = self.c_domain[c]
            pattern = rnd()
            local = (f"{fl}.{ll}" if pattern < 0.5 else f"{fl[0]}{ll}" if pattern < 0.7
                     else f"{fl}_{ll}" if pattern < 0.8 else f"{fl}{ll[0]}" if pattern < 0.9 else fl)
            owner = self.c_owner[c] if rnd() < 0.92 else pick(self.team_reps[self.c_owner[c].team])
            created = self.between(self.c_created[c], max(self.c_created[c], self.now - 30 * DAY))
        else:
            domain = pick(P.PERSONAL_EMAIL_DOMAINS)
            local = f"{fl}.{ll}{int(rnd() * 90) + 10}"
            owner = pick(self.reps)
            created = self.between(self.start, self.now - 7 * DAY)
        email = f"{local}@{domain}"
        k = 2
        while email in emails:
            email = f"{local}{k}@{domain}"
            k += 1
        emails.add(email)
        if rnd() < 0.04:  # a few contacts without an email address
            email = None
        rank = CONTACT_RANK.pick(rnd())
        seniority = SENIORITIES[rank]
        phone = f"+1-{201 + int(rnd() * 780)}-555-{int(rnd() * 10000):04d}" if rnd() < 0.7 else None
        # fl and ll are [a-z0-9]+, so this is valid JSON without json.dumps
        social = (f'{{"linkedin": "https://www.linkedin.com/in/{fl}-{ll}-{int(rnd() * 0xFFFF):04x}"}}'
                  if rnd() < 0.6 else "{}")
        k = int(rnd() * 4)
        skills = array(self.rng.sample(P.SKILLS, k)) if k else "{}"
        cid = self.new_id()
        at = self.ts(created)
        self.emit("contacts", (
            cid, text(first), text(last), text(email), text(phone), pick(P.TITLES[seniority]),
            self.c_id[c] if c >= 0 else NULL, owner.id, seniority, social, skills,
            CONTACT_METHOD.pick(rnd()), at, at, "1"))
        idx = len(self.ct_id)
        self.ct_id.append(cid)
        self.ct_first.append(first)
        self.ct_last.append(last)
        self.ct_email.append(email)
        self.ct_company.append(c)
        self.ct_owner.append(owner)
        self.ct_rank.append(rank)
        self.ct_created.append(created)
        if c >= 0:
            self.c_contacts[c].append(idx)
