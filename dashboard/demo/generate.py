"""Deterministic synthetic CRM data, generated entity by entity.

Why it is built this way:

* **Deterministic.** Every random draw comes from one ``random.Random(seed)``
  (and Faker seeded with the same seed), drawn in a fixed order, and every time
  derives from ``as_of``, so a seed and a date give byte-identical tables.
  Never iterate over a ``set`` here: string hashing is randomised per process.
* **Consistent without triggers.** The loader disables triggers (audit,
  updated_at, stage history, status sync) and with them the foreign-key checks,
  so this module writes what they would have: a deal's status and closed_at
  follow its stage, every deal has its stage history, task depth follows the
  parent, completed tasks have completed_at, and every foreign key points at a
  row written here.
* **Learnable.** Each deal has a hidden quality ``q ~ N(0, 1)``. Stakeholder
  coverage, champion and decision-maker presence, the mood of notes and meeting
  summaries, meeting outcomes and activity volume all follow ``q`` plus noise,
  and the outcome is ``P(won) = logistic(1.8 q + noise)``; so a model over
  those signals can learn the outcome well but not perfectly. The signals
  happen before the close: nothing the win model may read is written at or
  after ``closed_at`` (the ``sale`` activity of a won deal comes just after it).
* **Fast.** Rows are COPY text built from pre-formatted strings; text comes
  from the phrase pools in :mod:`dashboard.demo.phrases`, not from Faker per row.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import hashlib
import math
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate

from faker import Faker

from dashboard.demo import phrases as P
from dashboard.demo.copytext import DAY, HOUR, NULL, Clock, array, boolean, jsonb, text, uuid_factory

# --- scales ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    """Row volumes of one scale (DESIGN.md "Scales"); users are 1 admin + ``teams`` managers + ``reps``."""

    name: str
    teams: int
    reps: int
    companies: int
    contacts: int
    deals: int
    activities: int
    meetings: int
    interactions: int
    tasks: int


SCALES = {
    "small": Scale("small", teams=2, reps=8, companies=300, contacts=1_500, deals=600,
                   activities=20_000, meetings=2_000, interactions=5_000, tasks=3_000),
    "large": Scale("large", teams=5, reps=54, companies=50_000, contacts=250_000, deals=100_000,
                   activities=2_000_000, meetings=200_000, interactions=500_000, tasks=300_000),
}

DEMO_PASSWORD = "demo-password"
HISTORY_DAYS = 540          # data covers ~18 months up to as_of
LEGACY_SHARE = 0.10         # deals that only have legacy text links
DEAL_MEETING_SHARE = 0.75   # meetings tied to a deal; the rest are account meetings
DEAL_ACTIVITY_SHARE = 0.60  # of the activities that are not meetings, proposals or sales
NO_AI_REPS = ("rep4@demo.test", "rep8@demo.test")

# Column order of the COPY text each table's rows are written in. Columns not
# listed keep their defaults (scores 0, intelligence null, empty arrays).
TABLES: dict[str, tuple[str, ...]] = {
    "teams": ("id", "name", "description", "manager_id", "created_at", "updated_at", "version"),
    "users": ("id", "email", "full_name", "password_hash", "role", "team_id", "manager_id", "is_active",
              "ai_features", "failed_login_count", "session_version", "created_at", "updated_at", "version"),
    "targets": ("id", "user_id", "month", "revenue_target", "outbound_target", "meetings_target",
                "proposals_target", "created_at", "updated_at", "version"),
    "companies": ("id", "name", "domain", "industry", "size", "website", "address", "phone", "description",
                  "owner_id", "industry_confidence_score", "annual_revenue", "employee_count",
                  "technology_stack", "is_target_account", "account_tier", "social_media_urls",
                  "created_at", "updated_at", "version"),
    "contacts": ("id", "first_name", "last_name", "email", "phone", "title", "company_id", "owner_id",
                 "job_seniority", "social_media_urls", "skills", "preferred_contact_method",
                 "created_at", "updated_at", "version"),
    "deals": ("id", "name", "value", "stage_id", "owner_id", "expected_close_date", "status", "closed_at",
              "stage_changed_at", "company_id", "primary_contact_id", "competitor_analysis",
              "technical_fit_score", "budget_confirmed", "created_at", "updated_at", "version"),
    "deal_stage_history": ("id", "deal_id", "from_stage_id", "to_stage_id", "changed_at", "changed_by"),
    "deal_stakeholders": ("id", "deal_id", "contact_id", "role", "influence_level", "relationship_strength",
                          "is_champion", "notes", "created_at", "updated_at", "version"),
    "meetings": ("id", "title", "starts_at", "ends_at", "owner_id", "company_id", "primary_contact_id",
                 "primary_deal_id", "summary", "meeting_type", "meeting_outcome", "follow_up_required",
                 "follow_up_created", "next_steps", "created_at", "updated_at", "version"),
    "meeting_attendees": ("id", "meeting_id", "contact_id", "user_id", "name", "email", "is_external", "role",
                          "created_at", "updated_at"),
    "meeting_action_items": ("id", "meeting_id", "description", "assignee_id", "priority", "deadline",
                             "is_done", "task_id", "created_at", "updated_at", "version"),
    "deal_meetings": ("deal_id", "meeting_id", "outcome", "stage_progression_expected",
                      "stakeholders_present", "link_source", "created_at"),
    "meeting_sequences": ("id", "deal_id", "meeting_id", "sequence_number", "previous_meeting_id",
                          "days_since_previous", "created_at"),
    "activities": ("id", "user_id", "type", "status", "subject", "details", "date", "amount", "quantity",
                   "company_id", "contact_id", "deal_id", "activity_source", "created_at", "updated_at",
                   "version"),
    "activity_meetings": ("activity_id", "meeting_id", "created_at"),
    "company_activities": ("company_id", "activity_id", "relationship_strength", "link_source", "created_at"),
    "contact_interactions": ("id", "contact_id", "user_id", "activity_id", "meeting_id", "interaction_type",
                             "direction", "engagement_score", "interaction_date", "notes", "created_at",
                             "updated_at"),
    "tasks": ("id", "title", "description", "due_date", "status", "priority", "task_type", "assigned_to",
              "created_by", "deal_id", "company_id", "contact_id", "meeting_id", "parent_task_id",
              "sequence_order", "depth", "auto_generated", "completed_at", "created_at", "updated_at",
              "version"),
    "legacy_deals": ("id", "legacy_id", "name", "company", "contact_name", "contact_email", "contact_phone",
                     "value", "stage", "owner_email", "expected_close_date", "created_at", "deal_id",
                     "source", "loaded_at"),
    "legacy_activities": ("id", "legacy_id", "owner_email", "type", "status", "client_name",
                          "contact_identifier", "details", "date", "amount", "deal_legacy_id", "source",
                          "loaded_at"),
}

SENIORITIES = ("entry", "mid", "senior", "executive", "c-level")
SIZES = ("startup", "small", "medium", "large", "enterprise")
HELD = ("positive", "neutral", "negative")


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def clamp(x: float, lo: float, hi: float) -> float:
    return lo if x < lo else hi if x > hi else x


def allocate(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` that sum to exactly ``total``."""
    if not weights or total <= 0:
        return [0] * len(weights)
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    counts = [int(x) for x in raw]
    rest = total - sum(counts)
    by_remainder = sorted(range(len(raw)), key=lambda i: counts[i] - raw[i])  # stable: deterministic
    for i in by_remainder[:rest]:
        counts[i] += 1
    return counts


class Weighted:
    """Pick from items with fixed weights in O(log n) given a uniform draw."""

    __slots__ = ("items", "cum", "total", "last")

    def __init__(self, pairs: Sequence[tuple[object, float]]):
        self.items = [item for item, _ in pairs]
        self.cum = list(accumulate(weight for _, weight in pairs))
        self.total = self.cum[-1]
        self.last = len(self.items) - 1

    def pick(self, u: float):
        i = bisect.bisect_right(self.cum, u * self.total)
        return self.items[i if i < self.last else self.last]


@dataclass(slots=True)
class User:
    id: str
    email: str
    name: str
    role: str
    team: int | None
    manager_id: str | None
    skill: float = 0.0


@dataclass(slots=True)
class Deal:
    """What later phases need to know about a deal (its plan, not only its row)."""

    id: str
    owner: User
    company: int            # index into companies, -1 for a legacy-only deal
    contact: int            # primary contact index or -1
    q: float                # hidden quality
    tone: float             # mood of its notes and meetings
    drift: float            # mood change near the end (won up, lost down)
    created: int
    end: int                # closed_at, or the last touch of an open deal
    closed: bool
    won: bool
    value: float
    name: str
    stakeholders: list      # [(contact index, role, is_champion)]
    stage_times: list       # [(open stage index, entered at)]
    ctx: dict
    legacy_id: str | None = None
    legacy_contact: tuple | None = None  # (name as typed, email or None, phone or None, first name)
    legacy_company: str | None = None     # the company the old system meant (short name)
    legacy_text: str | None = None        # how the old system spelled it
    n_meetings: int = 0


class Sink:
    """Where a table's rows go; the loader provides it (see :mod:`dashboard.demo.load`)."""

    rows: int = 0  # rows added so far

    def add(self, row: tuple[str, ...]) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def close(self) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class DemoGenerator:
    """Generates every demo table into sinks, phase by phase (see :meth:`run`)."""

    def __init__(self, scale: Scale, seed: int, as_of: dt.date, stages: Sequence[tuple],
                 password_hash: str, sink: Callable[[str], Sink]):
        self.scale = scale
        self.rng = rng = random.Random(seed)
        self.rnd = rng.random
        self.gauss = rng.gauss
        self.fake = Faker("en_US")
        self.fake.seed_instance(seed)
        self.new_id = uuid_factory(rng)
        self.clock = Clock(as_of)
        self.ts = self.clock.ts
        self.now = self.clock.now
        self.start = self.now - HISTORY_DAYS * DAY
        self.password_hash = password_hash
        self.out = {table: sink(table) for table in TABLES}
        # stages: (id, name, is_won, is_lost) in board order
        self.open_stages = [(s[0], s[1]) for s in stages if not s[2] and not s[3]]
        self.won_stage = next((s[0], s[1]) for s in stages if s[2])
        self.lost_stage = next((s[0], s[1]) for s in stages if s[3])
        if not self.open_stages:
            raise ValueError("the pipeline has no open stage")
        # last-90-day totals per rep for the targets: revenue, outbound, meetings, proposals
        self.rep_stats: dict[str, list[float]] = {}
        self.auto_tasks = 0

    # --- plumbing ------------------------------------------------------------------------------

    def emit(self, table: str, row: tuple[str, ...]) -> None:
        self.out[table].add(row)

    def pick(self, seq):
        return seq[int(self.rnd() * len(seq))]

    def between(self, lo: int, hi: int) -> int:
        return lo + int(self.rnd() * (hi - lo)) if hi > lo else lo

    def work_time(self, t: int, lo: int, hi: int) -> int:
        """Move ``t`` to a weekday during (US) office hours, kept within [lo, hi]."""
        d = t // DAY
        weekday = (d + 3) % 7  # 1970-01-01 was a Thursday
        if weekday >= 5 and self.rnd() < 0.92:
            d -= weekday - 4
        t = d * DAY + 13 * HOUR + int(self.rnd() * 9 * HOUR)
        return lo if t < lo else hi if t > hi else t

    def note(self, polarity: str, ctx: dict, next_step: float = 0.4) -> str:
        """One to three sentences of a sales note in the given mood."""
        pool = NOTE_POOLS[polarity]
        rnd = self.rnd
        ctx["weekday"] = P.WEEKDAYS[int(rnd() * 5)]
        n = len(pool)
        i = int(rnd() * n)
        s = pool[i].format_map(ctx)
        if rnd() < 0.35:  # a second, different sentence in the same mood
            s += " " + pool[(i + 1 + int(rnd() * (n - 1))) % n].format_map(ctx)
        if rnd() < next_step:
            s += " " + P.NEXT_STEPS[int(rnd() * len(P.NEXT_STEPS))].format_map(ctx)
        return s

    def mood(self, tone: float, spread: float = 1.0) -> str:
        u = tone + self.gauss(0.0, spread)
        return "positive" if u > 0.5 else "negative" if u < -0.5 else "neutral"

    def count_stat(self, user: User, slot: int, t: int, amount: float = 1.0) -> None:
        if user.role == "rep" and self.now - 90 * DAY <= t <= self.now:
            self.rep_stats[user.id][slot] += amount

    # --- phases --------------------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        """Generate everything; returns rows written per table.

        A table's sink is closed as soon as no later phase adds to it, so the
        loader can finish it while the next phases are generated.
        """
        self.people()
        self.finish("teams", "users")
        self.companies_and_contacts()
        self.finish("companies", "contacts")
        self.deals()
        self.finish("deals", "deal_stage_history", "deal_stakeholders", "legacy_deals")
        self.meetings()
        self.finish("meetings", "meeting_attendees", "meeting_action_items", "deal_meetings", "meeting_sequences")
        self.activities()
        self.finish("activities", "activity_meetings", "company_activities")
        self.direct_interactions()
        self.finish("contact_interactions")
        self.tasks()
        self.finish("tasks")
        self.legacy_activities()
        self.finish("legacy_activities")
        self.targets()
        self.finish("targets")
        return {table: self.out[table].rows for table in TABLES}

    def finish(self, *tables: str) -> None:
        for table in tables:
            self.out[table].close()

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
            self.emit("users", (u.id, u.email, text(u.name), self.password_hash, u.role, team_id,
                                u.manager_id or NULL, "t", boolean(ai), "0", "1", at, at, "1"))

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
        s, rnd, pick, gauss, new_id, ts = self.scale, self.rnd, self.pick, self.gauss, self.new_id, self.ts
        fake = self.fake
        streets = list(dict.fromkeys(fake.street_name() for _ in range(400)))
        places = [(fake.city(), fake.state_abbr(), fake.zipcode()) for _ in range(300)]
        first_names = list(dict.fromkeys(fake.first_name() for _ in range(3000)))
        self.last_names = last_names = list(dict.fromkeys(fake.last_name() for _ in range(3000)))
        self.company_suffixes = list(dict.fromkeys(fake.company_suffix() for _ in range(200)))
        names_taken: set[str] = set()
        domains: set[str] = set()

        n = s.companies
        self.c_id: list[str] = []
        self.c_name: list[str] = []
        self.c_short: list[str] = []
        self.c_domain: list[str] = []
        self.c_owner: list[User] = []
        self.c_created: list[int] = []
        self.c_size: list[int] = []
        self.c_tone: list[float] = []
        self.c_contacts: list[list[int]] = []
        size_pick = Weighted([(0, 15), (1, 35), (2, 28), (3, 15), (4, 7)])
        industry_pick = Weighted(P.INDUSTRIES)
        employee_range = ((3, 50), (20, 200), (200, 1_000), (1_000, 10_000), (10_000, 120_000))
        for _ in range(n):
            cid = new_id()
            name = self._company_name(names_taken)
            short = short_company(name)
            domain = self._domain(short, domains)
            size = size_pick.pick(rnd())
            lo, hi = employee_range[size]
            employees = int(math.exp(math.log(lo) + rnd() * (math.log(hi) - math.log(lo))))
            revenue = int(employees * (80_000 + rnd() * 220_000) // 1000 * 1000)
            tier = ("startup", "smb", "mid-market", "enterprise" if rnd() < 0.6 else "mid-market",
                    "enterprise")[size]
            owner = pick(self.reps)
            created = self.start - 120 * DAY + int(rnd() * (HISTORY_DAYS + 60) * DAY)
            industry = industry_pick.pick(rnd())
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
            self.c_id.append(cid)
            self.c_name.append(name)
            self.c_short.append(short)
            self.c_domain.append(domain)
            self.c_owner.append(owner)
            self.c_created.append(created)
            self.c_size.append(size)
            self.c_tone.append(gauss(0.0, 0.6))
            self.c_contacts.append([])

        # contacts: ~3% freelancers without a company, the rest spread by company size
        n_free = s.contacts * 3 // 100
        weights = [(1.0, 1.5, 2.5, 4.0, 6.0)[size] * math.exp(gauss(0.0, 0.4)) for size in self.c_size]
        per_company = allocate(s.contacts - n_free - n, weights)  # each company gets one first
        emails: set[str] = set()
        self.ct_id: list[str] = []
        self.ct_first: list[str] = []
        self.ct_last: list[str] = []
        self.ct_email: list[str | None] = []
        self.ct_company: list[int] = []
        self.ct_owner: list[User] = []
        self.ct_rank: list[int] = []
        self.ct_created: list[int] = []
        rank_pick = Weighted([(0, 14), (1, 34), (2, 26), (3, 16), (4, 10)])
        method_pick = Weighted([("email", 55), ("phone", 20), ("linkedin", 18), ("text", 7)])
        companies = [c for c in range(n) for _ in range(1 + per_company[c])] + [-1] * n_free
        for c in companies:
            first, last = pick(first_names), pick(last_names)
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
            rank = rank_pick.pick(rnd())
            seniority = SENIORITIES[rank]
            phone = f"+1-{201 + int(rnd() * 780)}-555-{int(rnd() * 10000):04d}" if rnd() < 0.7 else None
            # fl and ll are [a-z0-9]+, so this is valid JSON without json.dumps
            social = (f'{{"linkedin": "https://www.linkedin.com/in/{fl}-{ll}-{int(rnd() * 0xFFFF):04x}"}}'
                      if rnd() < 0.6 else "{}")
            k = int(rnd() * 4)
            skills = array(self.rng.sample(P.SKILLS, k)) if k else "{}"
            cid = new_id()
            at = ts(created)
            self.emit("contacts", (
                cid, text(first), text(last), text(email), text(phone), pick(P.TITLES[seniority]),
                self.c_id[c] if c >= 0 else NULL, owner.id, seniority, social, skills,
                method_pick.pick(rnd()), at, at, "1"))
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
        self.company_weights = Weighted([
            (c, (1.0, 1.3, 1.8, 2.5, 3.5)[self.c_size[c]] * math.exp(gauss(0.0, 0.7))) for c in range(n)])

    # --- deals -------------------------------------------------------------------------------------

    def deals(self) -> None:
        """Deals with their stage path, history, stakeholders, and legacy text links for ~10%."""
        s, rnd, gauss, new_id = self.scale, self.rnd, self.gauss, self.new_id
        n_open = len(self.open_stages)
        self.deal_list: list[Deal] = []
        legacy_no = 0
        median_value = (6_000, 12_000, 30_000, 70_000, 150_000)
        for _ in range(s.deals):
            legacy = rnd() < LEGACY_SHARE
            c = self.company_weights.pick(rnd())
            owner = self.c_owner[c]
            r = rnd()
            if r < 0.05:
                owner = self.pick(self.team_reps[owner.team])
            elif r < 0.07:
                owner = self.pick(self.reps)
            q = gauss(0.0, 1.0) + owner.skill
            # created: after the company, weighted towards recent months
            lo = max(self.start, self.c_created[c] + DAY)
            hi = self.now - DAY
            if lo > hi - 5 * DAY:
                lo = hi - 5 * DAY
            created = self.work_time(lo + int((hi - lo) * rnd() ** 0.75), lo, hi)
            age_days = (self.now - created) / DAY
            cycle_days = max(3.0, math.exp(gauss(math.log(50), 0.55)))
            # closed once its sales cycle is over, more often the older it is (the rest stall open)
            over = created + cycle_days * DAY < self.now - 2 * HOUR
            closed = over and rnd() < 0.3 + 0.55 * min(1.0, age_days / 365)
            size = self.c_size[c]
            value = max(500.0, round(median_value[size] * math.exp(gauss(0.0, 0.6)), -2))
            value_z = math.log(value / median_value[size]) / 0.6
            won = closed and rnd() < sigmoid(1.8 * q - 0.3 - 0.15 * value_z + gauss(0.0, 0.3))
            if closed:
                end = created + int(cycle_days * DAY)
                furthest = (round(1.8 + 0.5 * q + gauss(0.0, 0.9)) if won
                            else round(1.3 + 0.5 * q + gauss(0.0, 1.0)))
            else:
                stale = min(self.rng.expovariate(1.0 / (6.0 * math.exp(-0.6 * q))), age_days - 0.1)
                end = self.now - int(stale * DAY)
                furthest = round(0.7 + 0.5 * q + 0.9 * min(1.0, age_days / cycle_days) + gauss(0.0, 0.9))
            furthest = int(clamp(furthest, min(1 if won else 0, n_open - 1), n_open - 1))
            path = list(range(1 if furthest >= 1 and rnd() < 0.12 else 0, furthest + 1))
            if len(path) >= 3 and rnd() < 0.08:
                del path[1 + int(rnd() * (len(path) - 2))]
            if not closed and furthest >= 1 and rnd() < 0.05:
                path.append(furthest - 1)  # moved back a stage
            times = sorted(created + 60 + int(rnd() * max(60, end - created - 120)) for _ in path[1:])
            stage_times = [(path[0], created)]
            for stage, t in zip(path[1:], times, strict=True):
                stage_times.append((stage, max(t, stage_times[-1][1] + 60)))
            deal_id = new_id()
            tone = 0.8 * q + gauss(0.0, 0.6)
            drift = (0.2 if won else -0.35) if closed else 0.0
            if legacy:
                c_text = c if rnd() < 0.85 else -1
                company_name = self.c_short[c] if c_text >= 0 else short_company(self.fake.company())
                deal = Deal(deal_id, owner, -1, -1, q, tone, drift, created, end, closed, won, value,
                            f"{company_name} - {self.pick(P.DEAL_THEMES)}", [], stage_times, {})
                self._legacy_links(deal, c_text, company_name)
                legacy_no += 1
                deal.legacy_id = f"LD-{legacy_no:06d}"
            else:
                deal = Deal(deal_id, owner, c, -1, q, tone, drift, created, end, closed, won, value,
                            f"{self.c_short[c]} - {self.pick(P.DEAL_THEMES)}", [], stage_times, {})
                self._stakeholders(deal)
            contact_first = (self.ct_first[deal.contact] if deal.contact >= 0
                             else deal.legacy_contact[3] if deal.legacy_contact else "the team")
            deal.ctx = {"contact": contact_first, "company": self.c_short[c] if c >= 0 else "the customer",
                        "deal": deal.name, "product": self.pick(P.PRODUCTS), "feature": self.pick(P.FEATURES),
                        "competitor": self.pick(P.COMPETITORS), "weekday": "Monday",
                        "quarter": (int(self.clock.date(created)[5:7]) + 2) // 3,
                        "seats": 10 * (1 + int(rnd() * 30)),
                        "label": "meeting", "title": ""}
            if legacy:
                deal.ctx["company"] = deal.legacy_company or "the customer"
            self.deal_list.append(deal)
            self._write_deal(deal, furthest)

    def _stakeholders(self, deal: Deal) -> None:
        """The buying committee: its size, champion and decision maker follow the deal's quality."""
        rnd, gauss = self.rnd, self.gauss
        pool = list(self.c_contacts[deal.company])
        if not pool:
            return
        q = deal.q
        n = int(clamp(round(1.3 + 1.1 * q + gauss(0.0, 0.9)), 0, min(6, len(pool))))
        chosen: list[tuple[int, str, bool]] = []
        if n:
            by_rank = sorted(pool, key=lambda i: (-self.ct_rank[i], i))
            has_dm = rnd() < sigmoid(1.1 * q + 0.1)
            has_champion = rnd() < sigmoid(1.4 * q - 0.2)
            taken: set[int] = set()
            if has_dm:
                top = by_rank[: max(1, len(by_rank) // 3)]
                who = top[int(rnd() * len(top))]
                chosen.append((who, "budget_holder" if rnd() < 0.3 else "decision_maker", False))
                taken.add(who)
            rest = [i for i in pool if i not in taken]
            self.rng.shuffle(rest)
            if has_champion and len(chosen) < n and rest:
                who = rest.pop()
                chosen.append((who, "champion" if rnd() < 0.5 else self.pick(("influencer", "technical_evaluator")),
                               True))
            while len(chosen) < n and rest:
                chosen.append((rest.pop(), OTHER_ROLES.pick(rnd()), False))
            deal.stakeholders = chosen
        champions = [i for i, _, champ in chosen if champ]
        dms = [i for i, role, _ in chosen if role in ("decision_maker", "budget_holder")]
        if champions:
            deal.contact = champions[0]
        elif chosen and rnd() < 0.7:
            deal.contact = chosen[0][0]
        elif dms:
            deal.contact = dms[0]
        else:
            deal.contact = pool[int(rnd() * len(pool))]

    def _legacy_links(self, deal: Deal, c: int, company_name: str) -> None:
        """The text the old system held instead of links: name variants, sometimes a personal email."""
        rnd, pick = self.rnd, self.pick
        deal.legacy_company = company_name
        if c >= 0 and self.c_contacts[c]:
            ct = pick(self.c_contacts[c])
            first, last, email = self.ct_first[ct], self.ct_last[ct], self.ct_email[ct]
            r = rnd()
            if r < 0.2 and email:
                email = email.upper() if rnd() < 0.3 else email
            elif r < 0.45:
                email = f"{email_part(first)}.{email_part(last)}{int(rnd() * 90) + 10}@{pick(P.PERSONAL_EMAIL_DOMAINS)}"
            elif r < 0.65:
                email = None
            name_of = self.c_name[c]
        else:
            first, last = self.fake.first_name(), self.fake.last_name()
            r = rnd()
            email = (f"{email_part(first)}@{email_part(company_name)}.com" if r < 0.4
                     else f"{email_part(first)}{email_part(last)}@{pick(P.PERSONAL_EMAIL_DOMAINS)}" if r < 0.7
                     else None)
            name_of = company_name
        r = rnd()
        contact_name = (f"{first} {last}" if r < 0.6 else f"{last}, {first}" if r < 0.75
                        else f"{first} {last}".upper() if r < 0.85 else first)
        phone = (f"({201 + int(rnd() * 780)}) 555-01{int(rnd() * 100):02d}" if rnd() < 0.6 else None)
        deal.legacy_contact = (contact_name, email, phone, first)
        deal.legacy_text = name_variant(name_of, rnd, pick)

    def _write_deal(self, deal: Deal, furthest: int) -> None:
        rnd, new_id, ts, clock = self.rnd, self.new_id, self.ts, self.clock
        history = deal.stage_times
        stage_ids = [self.open_stages[i][0] for i, _ in history]
        times = [t for _, t in history]
        if deal.closed:
            stage_ids.append((self.won_stage if deal.won else self.lost_stage)[0])
            times.append(deal.end)
            status = "won" if deal.won else "lost"
            closed_at = ts(deal.end)
            expected = clock.date(deal.end + int((rnd() * 42 - 21) * DAY))
        else:
            status, closed_at = "active", NULL
            expected_t = self.now + int((rnd() * 125 - 25) * DAY)
            expected = clock.date(max(expected_t, deal.created + 14 * DAY))
        changed_at = times[-1]
        comp = self.c_id[deal.company] if deal.company >= 0 else NULL
        contact = self.ct_id[deal.contact] if deal.contact >= 0 else NULL
        competitor = {}
        if rnd() < (0.3 if deal.q > 0 else 0.45):
            names = self.rng.sample(P.COMPETITORS, 1 + int(rnd() * 2))
            competitor = {"competitors": names, "primary": names[0],
                          "threat_level": ("low", "medium", "high")[int(clamp(1 - deal.q + self.gauss(0, 0.7), 0, 2))]}
        fit = f"{clamp(0.6 + 0.15 * deal.q + self.gauss(0.0, 0.15), 0.0, 1.0):.2f}" if rnd() < 0.6 else NULL
        budget = furthest >= 2 and rnd() < sigmoid(1.0 * deal.q + 0.3)
        self.emit("deals", (
            deal.id, text(deal.name), f"{deal.value:.2f}", stage_ids[-1], deal.owner.id, expected, status,
            closed_at, ts(changed_at), comp, contact, jsonb(competitor), fit, boolean(budget),
            ts(deal.created), ts(changed_at), "1"))
        previous = NULL
        for stage_id, t in zip(stage_ids, times, strict=True):
            self.emit("deal_stage_history", (new_id(), deal.id, previous, stage_id, ts(t), deal.owner.id))
            previous = stage_id
        for contact_idx, role, champion in deal.stakeholders:
            rank = self.ct_rank[contact_idx]
            influence = ("low", "medium", "medium" if rnd() < 0.5 else "high", "high", "critical")[rank]
            if role in ("decision_maker", "budget_holder") and influence in ("low", "medium"):
                influence = "high"
            strength = (f"{clamp(0.5 + 0.15 * deal.q + self.gauss(0.0, 0.15), 0.0, 1.0):.2f}"
                        if rnd() < 0.9 else NULL)
            notes = text(self.pick(P.STAKEHOLDER_NOTES[self.mood(deal.tone)])) if rnd() < 0.4 else NULL
            at = ts(deal.created + int(rnd() * min(30 * DAY, deal.end - deal.created)))
            self.emit("deal_stakeholders", (new_id(), deal.id, self.ct_id[contact_idx], role, influence, strength,
                                            boolean(champion), notes, at, at, "1"))
        if deal.legacy_id:
            self._write_legacy_deal(deal, self.open_stages[history[-1][0]][1] if not deal.closed
                                    else (self.won_stage if deal.won else self.lost_stage)[1], expected)

    def _write_legacy_deal(self, deal: Deal, stage_name: str, expected: str) -> None:
        rnd = self.rnd
        name, email, phone, _ = deal.legacy_contact
        r = rnd()
        value = (f"{deal.value:.2f}" if r < 0.8 else f"{deal.value:,.0f}" if r < 0.9 else f"${deal.value:,.2f}")
        stage = stage_name if rnd() < 0.8 else stage_name.lower()
        owner_email = deal.owner.email if rnd() < 0.9 else deal.owner.email.upper()
        created = dt.datetime.fromtimestamp(deal.created, dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
        self.emit("legacy_deals", (
            self.new_id(), deal.legacy_id, text(deal.name), text(deal.legacy_text),
            text(name), text(email), text(phone), value, text(stage), owner_email,
            expected if rnd() < 0.95 else NULL, created, deal.id, "demo", self.ts(self.now - 2 * DAY)))

    # --- meetings ----------------------------------------------------------------------------------

    def meetings(self) -> None:
        """Deal meetings in sequence (types follow the deal's progress), then account meetings."""
        s, rnd, gauss = self.scale, self.rnd, self.gauss
        deals = self.deal_list
        budget = int(s.meetings * DEAL_MEETING_SHARE)
        weights = [math.exp(0.45 * d.q + gauss(0.0, 0.3)) * clamp((d.end - d.created) / (45 * DAY), 0.2, 3.0) ** 0.7
                   for d in deals]
        per_deal = allocate(budget, weights)
        self.meeting_activity_count = 0
        for deal, n in zip(deals, per_deal, strict=True):
            deal.n_meetings = n
            if not n:
                continue
            lo, hi = deal.created + HOUR, max(deal.created + 2 * HOUR, deal.end - HOUR)
            starts = [self.work_time(self.between(lo, hi), lo, hi) for _ in range(n)]
            future_last = not deal.closed and rnd() < 0.25 + 0.1 * deal.q
            if future_last:  # the next meeting is already in the calendar
                starts[-1] = self.work_time(self.now + int((2 + rnd() * 500) * HOUR), self.now + HOUR,
                                            self.now + 30 * DAY)
            starts.sort()
            previous = None
            for j, start in enumerate(starts):
                future = start > self.now
                frac = (start - deal.created) / max(1, deal.end - deal.created)
                mtype = self._meeting_type(j, frac)
                tone = deal.tone + (deal.drift if frac > 0.7 else 0.0)
                company = deal.company
                meeting_id, outcome, present, created = self._meeting(
                    deal.owner, company, deal.contact, deal, mtype, start, future, tone, deal.ctx)
                progression = outcome == "positive" and mtype in PROGRESS_TYPES
                self.emit("deal_meetings", (deal.id, meeting_id, outcome, boolean(progression), str(present),
                                            "direct", created))
                days = NULL if previous is None else str(max(0, (start - previous[1]) // DAY))
                self.emit("meeting_sequences", (self.new_id(), deal.id, meeting_id, str(j + 1),
                                                previous[0] if previous else NULL, days, created))
                previous = (meeting_id, start)

        # account meetings (no deal), some of them upcoming
        for _ in range(s.meetings - budget):
            c = self.company_weights.pick(rnd())
            owner = self.c_owner[c]
            pool = self.c_contacts[c]
            contact = pool[int(rnd() * len(pool))] if pool else -1
            start = self.between(max(self.start, self.c_created[c]), self.now + 21 * DAY)
            future = start > self.now
            start = self.work_time(start, self.now + HOUR if future else self.c_created[c],
                                   self.now + 30 * DAY if future else self.now - HOUR)
            ctx = self._company_ctx(c, contact)
            mtype = ACCOUNT_MEETING_TYPES.pick(rnd())
            self._meeting(owner, c, contact, None, mtype, start, future, self.c_tone[c], ctx)

    def _meeting_type(self, j: int, frac: float) -> str:
        rnd, pick = self.rnd, self.pick
        if j == 0 and rnd() < 0.8:
            return "discovery"
        if rnd() < 0.12:
            return "check_in"
        if frac < 0.35:
            return pick(("demo", "demo", "technical_review", "discovery"))
        if frac < 0.7:
            return pick(("technical_review", "stakeholder_alignment", "decision_maker_meeting", "demo"))
        if frac < 0.9:
            return pick(("proposal_presentation", "negotiation", "decision_maker_meeting"))
        return pick(("negotiation", "closing", "proposal_presentation"))

    def _company_ctx(self, c: int, contact: int) -> dict:
        pick = self.pick
        return {"contact": self.ct_first[contact] if contact >= 0 else "the team", "company": self.c_short[c],
                "deal": f"{self.c_short[c]} account", "product": pick(P.PRODUCTS), "feature": pick(P.FEATURES),
                "competitor": pick(P.COMPETITORS), "weekday": "Monday", "quarter": 1 + int(self.rnd() * 4),
                "seats": 50, "label": "meeting", "title": ""}

    def _meeting(self, owner: User, c: int, contact: int, deal: Deal | None, mtype: str, start: int,
                 future: bool, tone: float, ctx: dict) -> tuple[str, str, int, str]:
        """One meeting with attendees, action items (and their tasks), the meeting activity and the
        attendees' interactions. Returns (id, outcome, stakeholders present, created_at text)."""
        rnd, pick, gauss, new_id, ts = self.rnd, self.pick, self.gauss, self.new_id, self.ts
        meeting_id = new_id()
        ends = start + (30, 45, 60, 60, 90)[int(rnd() * 5)] * 60
        if not future and ends > self.now - 60:  # a meeting that happened is over by as_of noon
            ends = max(start, self.now - 60)
        if future:
            outcome = "pending"
        else:
            r = rnd()
            if r < 0.03:
                outcome = "cancelled"
            elif r < 0.06:
                outcome = "no_show"
            elif r < 0.11:
                outcome = "reschedule"
            else:
                u = tone + gauss(0.0, 0.8)
                outcome = "positive" if u > 0.3 else "negative" if u < -0.7 else "neutral"
        ctx["label"] = P.MEETING_TYPE_LABELS[mtype]
        title = pick(P.MEETING_TITLES[mtype]).format_map(ctx)
        ctx["title"] = title
        summary = next_steps = None
        if outcome in HELD:
            mood = outcome if rnd() < 0.85 else "neutral"
            pool = SUMMARY_POOLS[mood]
            summary = pick(pool).format_map(ctx)
            if rnd() < 0.5:
                summary += " " + pick(pool).format_map(ctx)
            if outcome != "negative" and rnd() < 0.7:
                ctx["weekday"] = pick(P.WEEKDAYS)
                next_steps = pick(P.MEETING_NEXT_STEPS).format_map(ctx)
        elif outcome == "no_show":
            summary = pick(P.NO_SHOW_SUMMARIES).format_map(ctx)
        elif outcome == "reschedule":
            summary = pick(P.RESCHEDULE_SUMMARIES).format_map(ctx)
        lo = deal.created if deal else self.c_created[c] if c >= 0 else self.start
        created_t = max(lo, start - int((1 + rnd() * 10) * DAY))
        if created_t > self.now:
            created_t = self.now - int(rnd() * DAY)
        created = ts(created_t)
        updated = ts(ends) if ends <= self.now else created

        # attendees: the owner, sometimes their manager, and the customer's people
        comp_id = self.c_id[c] if c >= 0 else NULL
        self.emit("meeting_attendees", (new_id(), meeting_id, NULL, owner.id, text(owner.name), owner.email, "f",
                                        "organizer", created, created))
        if mtype in ("negotiation", "decision_maker_meeting", "closing") and rnd() < 0.3:
            manager = self.managers[owner.team]
            self.emit("meeting_attendees", (new_id(), meeting_id, NULL, manager.id, text(manager.name),
                                            manager.email, "f", "manager", created, created))
        external: list[int] = []
        present = 0
        if deal is not None and deal.legacy_contact:
            # known only by name and email (an attendee needs a contact, a user or an email)
            name, email, _, _ = deal.legacy_contact
            if email and EMAIL_RE.match(email):
                self.emit("meeting_attendees", (new_id(), meeting_id, NULL, NULL, text(name), text(email), "t",
                                                "attendee", created, created))
        elif c >= 0 and self.c_contacts[c]:
            wanted = 1 + int(rnd() * 2) + (1 if mtype in ("stakeholder_alignment", "decision_maker_meeting") else 0)
            roles: dict[int, str] = {}
            if contact >= 0:
                external.append(contact)
            if deal is not None:
                for idx, role, _ in deal.stakeholders:
                    roles[idx] = role
                    if idx not in external and len(external) < wanted and rnd() < 0.6:
                        external.append(idx)
            pool = self.c_contacts[c]
            for _ in range(3):
                if len(external) >= min(wanted, len(pool)):
                    break
                idx = pool[int(rnd() * len(pool))]
                if idx not in external:
                    external.append(idx)
            for idx in external:
                if idx in roles:
                    present += 1
                self.emit("meeting_attendees", (
                    new_id(), meeting_id, self.ct_id[idx], NULL, text(self.ct_first[idx] + " " + self.ct_last[idx]),
                    text(self.ct_email[idx]), "t", roles.get(idx, "attendee"), created, created))

        # action items, half of them turned into (auto-generated) tasks
        follow_up_required = outcome in ("positive", "neutral") and rnd() < 0.8
        follow_up_created = False
        if outcome in HELD and (outcome != "negative" or rnd() < 0.3):
            for _ in range(ACTION_ITEM_COUNT.pick(rnd())):
                template, task_type = pick(P.ACTION_ITEMS)
                description = template.format_map(ctx)
                deadline_t = ends + int((2 + rnd() * 8) * DAY)
                done = rnd() < (0.8 if deadline_t < self.now else 0.1)
                priority = PRIORITY.pick(rnd())
                task_id = NULL
                if rnd() < 0.5:
                    task_id = new_id()
                    follow_up_created = True
                    status = "completed" if done else ("in_progress" if rnd() < 0.3 else "pending")
                    completed = NULL
                    if done:
                        completed = ts(clamp_int(ends + int(rnd() * (deadline_t - ends)), ends, self.now))
                    self.emit("tasks", (
                        task_id, text(description), NULL, ts(deadline_t - 7 * HOUR), status, priority, task_type,
                        owner.id, owner.id, deal.id if deal else NULL, comp_id,
                        self.ct_id[contact] if contact >= 0 else NULL, meeting_id, NULL, "0", "1", "t", completed,
                        ts(ends), completed if done else ts(ends), "1"))
                    self.auto_tasks += 1
                self.emit("meeting_action_items", (
                    new_id(), meeting_id, text(description), owner.id, priority, self.clock.date(deadline_t),
                    boolean(done), task_id, ts(ends), ts(ends), "1"))

        self.emit("meetings", (
            meeting_id, text(title), ts(start), ts(ends), owner.id, comp_id,
            self.ct_id[contact] if contact >= 0 else NULL, deal.id if deal else NULL, text(summary), mtype,
            outcome, boolean(follow_up_required or follow_up_created), boolean(follow_up_created),
            text(next_steps), created, updated, "1"))

        # the meeting as an activity (calendar sync), linked both ways
        if not future and outcome != "reschedule":
            status = "completed" if outcome in HELD else outcome  # no_show / cancelled
            activity_id = new_id()
            at = ts(start)
            self.emit("activities", (
                activity_id, owner.id, "meeting", status, text(title[:300]), text(summary), at, NULL, "1",
                comp_id, self.ct_id[contact] if contact >= 0 else NULL, deal.id if deal else NULL, "calendar",
                at, updated, "1"))
            self.emit("activity_meetings", (activity_id, meeting_id, at))
            if c >= 0:
                self.emit("company_activities", (comp_id, activity_id, "1.00", "direct", at))
            self.meeting_activity_count += 1
            if outcome in HELD:
                self.count_stat(owner, 2, start)
                base = MEETING_ENGAGEMENT[outcome]
                for idx in external:
                    self.emit("contact_interactions", (
                        new_id(), self.ct_id[idx], owner.id, NULL, meeting_id, "meeting", "outbound",
                        f"{clamp(base + gauss(0.0, 0.12), 0.0, 1.0):.2f}", at, NULL, at, at))
        return meeting_id, outcome, present, created

    # --- activities --------------------------------------------------------------------------------

    def activities(self) -> None:
        """Calls, emails, outbound, notes, proposals and sales: per deal (mood and volume follow the
        deal's quality), then account prospecting fills the total."""
        s, gauss = self.scale, self.gauss
        deals = self.deal_list
        n_open = len(self.open_stages)
        proposals = sum((1 if d.value < 50_000 else 2) for d in deals
                        if max(st for st, _ in d.stage_times) >= min(2, n_open - 1))
        sales = sum(1 for d in deals if d.won)
        rest = max(0, s.activities - self.meeting_activity_count - proposals - sales)
        deal_budget = int(rest * DEAL_ACTIVITY_SHARE)
        weights = [math.exp(0.35 * d.q + gauss(0.0, 0.3)) * clamp((d.end - d.created) / (45 * DAY), 0.2, 3.0) ** 0.8
                   for d in deals]
        per_deal = allocate(deal_budget, weights)
        # interactions still wanted after the meeting ones: ~85% from calls and emails, the rest logged directly
        have = self.out["contact_interactions"].rows
        want = max(0, s.interactions - have)
        # calls, emails and outbound with a contact and completed: ~60% of both deal and account activities
        contact_linked = 0.6 * rest
        self.p_interaction = clamp(0.85 * want / max(1.0, contact_linked), 0.0, 1.0)

        for deal, n in zip(deals, per_deal, strict=True):
            self._deal_activities(deal, n)
        written = self.out["activities"].rows
        self._account_activities(max(0, s.activities - written))

    def _activity(self, user: User, atype: str, status: str, subject: str, details: str | None, t: int,
                  company: int, contact: int, deal_id: str, source: str, link: str, strength: str,
                  mood: str, amount: str = NULL) -> None:
        rnd = self.rnd
        activity_id = self.new_id()
        at = self.ts(t)
        comp = self.c_id[company] if company >= 0 else NULL
        self.emit("activities", (
            activity_id, user.id, atype, status, text(subject), text(details), at, amount, "1", comp,
            self.ct_id[contact] if contact >= 0 else NULL, deal_id, source, at, at, "1"))
        if company >= 0:
            self.emit("company_activities", (comp, activity_id, strength, link, at))
        if (contact >= 0 and status == "completed" and atype in INTERACTION_TYPE
                and rnd() < self.p_interaction):
            inbound = atype == "email" and rnd() < (0.5 if mood == "positive" else 0.25)
            engagement = clamp(ENGAGEMENT[mood] + self.gauss(0.0, 0.12) + (0.1 if inbound else 0.0), 0.0, 1.0)
            self.emit("contact_interactions", (
                self.new_id(), self.ct_id[contact], user.id, activity_id, NULL, INTERACTION_TYPE[atype],
                "inbound" if inbound else "outbound", f"{engagement:.2f}", at, NULL, at, at))
        if atype == "outbound":
            self.count_stat(user, 1, t)

    def _deal_activities(self, deal: Deal, n: int) -> None:
        rnd, pick, ctx = self.rnd, self.pick, deal.ctx
        owner = deal.owner
        legacy = deal.legacy_id is not None
        c = deal.company
        contacts = [deal.contact] if deal.contact >= 0 else []
        contacts += [i for i, _, _ in deal.stakeholders if i != deal.contact]
        span = max(HOUR, deal.end - deal.created)
        link, strength = "deal", "0.90"
        future_one = not deal.closed and n and rnd() < 0.2
        for k in range(n):
            if future_one and k == 0:
                t = self.work_time(self.now + int(rnd() * 10 * DAY), self.now + HOUR, self.now + 14 * DAY)
                status = "pending"
            else:
                t = self.work_time(deal.created + int(rnd() * span), deal.created, deal.end)
                status = "completed"
            frac = (t - deal.created) / span
            atype = DEAL_ACTIVITY_TYPES.pick(rnd())
            mood = self.mood(deal.tone + (deal.drift if frac > 0.7 else 0.0))
            if atype == "outbound":
                details = pick(OUTBOUND_POOLS[mood]).format_map(ctx)
            else:
                details = self.note(mood, ctx)
            if status == "completed":
                r = rnd()
                if r < 0.01:
                    status = "cancelled"
                elif atype == "call" and r < 0.04:
                    status = "no_show"
            contact = -1
            if contacts and (atype != "note" or rnd() < 0.3):
                contact = contacts[0] if rnd() < 0.6 else contacts[int(rnd() * len(contacts))]
            source = "import" if legacy and rnd() < 0.5 else SOURCES[atype].pick(rnd())
            subject = pick(P.ACTIVITY_SUBJECTS[atype]).format_map(ctx)
            self._activity(owner, atype, status, subject, details, t, c, contact, deal.id, source, link,
                           strength, mood)

        # a proposal once the deal reached Opportunity (two for big deals); a sale just after a win
        n_open = len(self.open_stages)
        reached = [t for st, t in deal.stage_times if st >= min(2, n_open - 1)]
        if reached:
            for _ in range(1 if deal.value < 50_000 else 2):
                t = self.work_time(reached[0] + int(rnd() * max(HOUR, deal.end - reached[0])), reached[0], deal.end)
                ctx["weekday"] = pick(P.WEEKDAYS)
                self._activity(owner, "proposal", "completed", pick(P.ACTIVITY_SUBJECTS["proposal"]).format_map(ctx),
                               pick(P.PROPOSAL_DETAILS).format_map(ctx), t, c, deal.contact, deal.id, "crm", link,
                               strength, "neutral")
                self.count_stat(owner, 3, t)
        if deal.won:
            t = deal.end + 1 + int(rnd() * min(2 * DAY, max(1, self.now - deal.end - 1)))
            self._activity(owner, "sale", "completed", pick(P.ACTIVITY_SUBJECTS["sale"]).format_map(ctx),
                           pick(P.SALE_DETAILS).format_map(ctx), t, c, deal.contact, deal.id, "crm", link,
                           strength, "neutral", amount=f"{deal.value:.2f}")
            self.count_stat(owner, 0, t, deal.value)

    def _account_activities(self, total: int) -> None:
        """Prospecting and account work not tied to a deal, spread over companies (2% with no company)."""
        rnd, pick = self.rnd, self.pick
        n_companies = len(self.c_id)
        weights = [math.exp(self.gauss(0.0, 0.8)) for _ in range(n_companies)]
        without_company = total // 50
        per_company = allocate(total - without_company, weights)
        for c, n in enumerate(per_company):
            if not n:
                continue
            owner = self.c_owner[c]
            pool = self.c_contacts[c]
            ctx = self._company_ctx(c, pool[0] if pool else -1)
            tone = self.c_tone[c]
            lo = max(self.start, self.c_created[c])
            for _ in range(n):
                atype = ACCOUNT_ACTIVITY_TYPES.pick(rnd())
                contact = pool[int(rnd() * len(pool))] if pool and rnd() < 0.7 else -1
                if contact >= 0:
                    ctx["contact"] = self.ct_first[contact]
                if rnd() < 0.01:
                    t = self.work_time(self.now + int(rnd() * 14 * DAY), self.now + HOUR, self.now + 15 * DAY)
                    status = "pending"
                else:
                    t = self.work_time(self.between(lo, self.now), lo, self.now - 60)
                    status = "completed" if rnd() > 0.01 else "cancelled"
                if atype == "outbound":
                    r = rnd()
                    mood = "positive" if r < 0.08 else "negative" if r < 0.16 else "neutral"
                    details = pick(OUTBOUND_POOLS[mood]).format_map(ctx)
                else:
                    mood = self.mood(tone)
                    details = self.note(mood, ctx, next_step=0.25)
                link, strength = ("contact", "0.80") if contact >= 0 else ("direct", "1.00")
                self._activity(owner, atype, status, pick(P.ACTIVITY_SUBJECTS[atype]).format_map(ctx), details, t,
                               c, contact, NULL, SOURCES[atype].pick(rnd()), link, strength, mood)
        for _ in range(without_company):
            owner = pick(self.reps)
            t = self.work_time(self.between(self.start, self.now), self.start, self.now - 60)
            ctx = {"contact": "the team", "company": "the territory", "product": pick(P.PRODUCTS),
                   "quarter": 1 + int(rnd() * 4), "weekday": pick(P.WEEKDAYS), "feature": pick(P.FEATURES)}
            atype = "outbound" if rnd() < 0.6 else "note"
            details = (pick(P.OUTBOUND_NEUTRAL) if atype == "outbound" else pick(P.NEUTRAL_NOTES)).format_map(ctx)
            subject = "Territory campaign" if atype == "outbound" else "Planning note"
            self._activity(owner, atype, "completed", subject, details, t, -1, -1, NULL, "manual", "direct",
                           "1.00", "neutral")

    # --- interactions, tasks, legacy activities, targets ---------------------------------------------

    def direct_interactions(self) -> None:
        """Touches logged without an activity (social, texts, events) until the interaction total is met."""
        rnd, pick, gauss = self.rnd, self.pick, self.gauss
        n = max(0, self.scale.interactions - self.out["contact_interactions"].rows)
        n_contacts = len(self.ct_id)
        for _ in range(n):
            idx = int(rnd() * n_contacts)
            itype = DIRECT_INTERACTION_TYPES.pick(rnd())
            t = self.work_time(self.between(max(self.start, self.ct_created[idx]), self.now), self.ct_created[idx],
                               self.now - 60)
            c = self.ct_company[idx]
            ctx = {"product": pick(P.PRODUCTS), "company": self.c_short[c] if c >= 0 else "their company"}
            notes = pick(P.INTERACTION_NOTES[itype]).format_map(ctx) if rnd() < 0.6 else None
            tone = self.c_tone[c] if c >= 0 else 0.0
            engagement = clamp(0.45 + 0.12 * tone + gauss(0.0, 0.18), 0.0, 1.0)
            at = self.ts(t)
            self.emit("contact_interactions", (
                self.new_id(), self.ct_id[idx], self.ct_owner[idx].id, NULL, NULL, itype,
                "inbound" if rnd() < 0.5 else "outbound", f"{engagement:.2f}", at, text(notes), at, at))

    def tasks(self) -> None:
        """To-dos around deals and accounts: overdue, due soon, done; ~12% with subtasks up to depth 4."""
        rnd, pick = self.rnd, self.pick
        remaining = self.scale.tasks - self.auto_tasks
        deals = self.deal_list
        open_deals = [d for d in deals if not d.closed]
        while remaining > 0:
            r = rnd()
            deal = None
            c = contact = -1
            if r < 0.6 and deals:
                deal = pick(open_deals) if open_deals and rnd() < 0.75 else pick(deals)
                owner, c = deal.owner, deal.company
                contact = deal.contact if rnd() < 0.5 else -1
                ctx = deal.ctx
                if deal.closed:
                    due = self.between(deal.created, deal.end)
                else:
                    due = self.now + int((rnd() * 60 - 30) * DAY)
                lo = deal.created
            else:
                c = self.company_weights.pick(rnd())
                owner = self.c_owner[c]
                pool = self.c_contacts[c]
                if pool and r > 0.88:
                    contact = pool[int(rnd() * len(pool))]
                ctx = self._company_ctx(c, contact)
                due = self.now + int((rnd() * 135 - 90) * DAY)
                lo = max(self.start, self.c_created[c])
            due = self.work_time(due, lo, self.now + 60 * DAY)
            created_by = owner.id if rnd() < 0.85 else (self.managers[owner.team].id if rnd() < 0.7 else self.admin.id)
            created = clamp_int(due - int((1 + rnd() * 20) * DAY), lo, self.now - HOUR)
            ttype = TASK_TYPES.pick(rnd())
            title = pick(P.TASK_TITLES[ttype]).format_map(ctx)
            ctx_ids = (deal.id if deal else NULL, self.c_id[c] if c >= 0 else NULL,
                       self.ct_id[contact] if contact >= 0 else NULL)
            status = self._task_status(due)
            task_id = self._write_task(title, ttype, owner, created_by, ctx_ids, due, created, status, NULL, 0, 1)
            remaining -= 1
            if rnd() < 0.12 and remaining > 0:
                remaining -= self._subtasks(task_id, owner, created_by, ctx_ids, due, created, status, 2, remaining)

    def _task_status(self, due: int) -> str:
        r = self.rnd()
        if due < self.now:
            return "completed" if r < 0.7 else "cancelled" if r < 0.75 else "in_progress" if r < 0.82 else "pending"
        return "pending" if r < 0.75 else "in_progress" if r < 0.95 else "completed"

    def _subtasks(self, parent: str, owner: User, created_by: str, ctx_ids: tuple, due: int, created: int,
                  parent_status: str, depth: int, budget: int) -> int:
        """Children of a task (2-4), some with children of their own; returns how many were written."""
        rnd = self.rnd
        written = 0
        for order in range(2 + int(rnd() * 3)):
            if written >= budget:
                break
            sub_created = clamp_int(created + int(rnd() * 2 * DAY), created, self.now - HOUR)
            sub_due = max(due - int(rnd() * 5 * DAY), sub_created + HOUR)
            if parent_status == "completed":
                status = "completed" if rnd() < 0.9 else "cancelled"
            elif parent_status == "cancelled":
                status = "cancelled"
            else:
                status = self._task_status(sub_due)
            task_id = self._write_task(self.pick(P.SUBTASK_TITLES), "general", owner, created_by, ctx_ids, sub_due,
                                       sub_created, status, parent, order, depth)
            written += 1
            if depth < 4 and rnd() < (0.25 if depth == 2 else 0.2):
                written += self._subtasks(task_id, owner, created_by, ctx_ids, sub_due, sub_created, status,
                                          depth + 1, budget - written)
        return written

    def _write_task(self, title: str, ttype: str, owner: User, created_by: str, ctx_ids: tuple, due: int,
                    created: int, status: str, parent: str, order: int, depth: int) -> str:
        rnd, ts = self.rnd, self.ts
        task_id = self.new_id()
        completed = NULL
        updated = ts(created)
        if status == "completed":
            done = clamp_int(created + int(rnd() * max(HOUR, min(due + 2 * DAY, self.now) - created)), created,
                             self.now)
            completed = updated = ts(done)
        description = text(self.pick(P.TASK_DESCRIPTIONS)) if rnd() < 0.3 else NULL
        self.emit("tasks", (
            task_id, text(title), description, ts(due), status, PRIORITY.pick(rnd()), ttype, owner.id, created_by,
            *ctx_ids, NULL, parent, str(order), str(depth), "f", completed, ts(created), updated, "1"))
        return task_id

    def legacy_activities(self) -> None:
        """Old-system activity rows that point at legacy deals by their legacy id (not yet migrated)."""
        rnd, pick = self.rnd, self.pick
        number = 0
        loaded = self.ts(self.now - 2 * DAY)
        for deal in self.deal_list:
            if not deal.legacy_id:
                continue
            name, email, phone, _ = deal.legacy_contact
            for _ in range(int(rnd() * 5)):
                number += 1
                atype = pick(LEGACY_TYPES)
                t = self.work_time(self.between(deal.created, deal.end), deal.created, deal.end)
                identifier = email if email and rnd() < 0.6 else phone if phone and rnd() < 0.5 else name
                mood = self.mood(deal.tone)
                details = self.note(mood, deal.ctx, next_step=0.2)
                when = dt.datetime.fromtimestamp(t, dt.UTC).strftime("%Y-%m-%d %H:%M")
                self.emit("legacy_activities", (
                    self.new_id(), f"LA-{number:06d}", deal.owner.email, atype, "completed",
                    text(name_variant(deal.legacy_company, rnd, pick)), text(identifier), text(details), when,
                    NULL, deal.legacy_id, "demo", loaded))
            if deal.won and rnd() < 0.7:
                number += 1
                when = dt.datetime.fromtimestamp(deal.end + HOUR, dt.UTC).strftime("%Y-%m-%d %H:%M")
                self.emit("legacy_activities", (
                    self.new_id(), f"LA-{number:06d}", deal.owner.email, "sale", "completed",
                    text(deal.legacy_company), text(name), "Order signed.", when, f"{deal.value:.2f}",
                    deal.legacy_id, "demo", loaded))

    def targets(self) -> None:
        """Monthly targets for the three months up to as_of, near what each rep did lately (some beat
        them, some miss)."""
        rnd, ts = self.rnd, self.ts
        months = []
        day = self.now
        for _ in range(3):
            first = self.clock.month_start(day)
            months.append(first)
            day = int(dt.datetime.fromisoformat(first).replace(tzinfo=dt.UTC).timestamp()) - DAY
        months.reverse()
        created = ts(self.now - 100 * DAY)
        for rep in self.reps:
            revenue, outbound, meetings, proposals = (x / 3.0 for x in self.rep_stats[rep.id])
            for month in months:
                f = 0.9 + rnd() * 0.4
                self.emit("targets", (
                    self.new_id(), rep.id, month, f"{max(5_000.0, round(revenue * f, -3)):.2f}",
                    str(max(5, round(outbound * f))), str(max(2, round(meetings * f))),
                    str(max(1, round(proposals * f))), created, created, "1"))


# --- helpers and tables of choices ----------------------------------------------------------------

NOTE_POOLS = {"positive": P.POSITIVE_NOTES, "neutral": P.NEUTRAL_NOTES, "negative": P.NEGATIVE_NOTES}
OUTBOUND_POOLS = {"positive": P.OUTBOUND_POSITIVE, "neutral": P.OUTBOUND_NEUTRAL, "negative": P.OUTBOUND_NEGATIVE}
SUMMARY_POOLS = {"positive": P.MEETING_SUMMARY_POSITIVE, "neutral": P.MEETING_SUMMARY_NEUTRAL,
                 "negative": P.MEETING_SUMMARY_NEGATIVE}
TLD_WEIGHTS = [("com", 70), ("io", 8), ("co", 7), ("net", 6), ("org", 3), ("ai", 3), ("biz", 3)]
TLDS = Weighted(TLD_WEIGHTS)
OTHER_ROLES = Weighted([("influencer", 25), ("technical_evaluator", 20), ("end_user", 20), ("gatekeeper", 8),
                        ("procurement", 10), ("legal", 7), ("other", 10)])
PRIORITY = Weighted([("low", 20), ("medium", 45), ("high", 25), ("urgent", 10)])
ACTION_ITEM_COUNT = Weighted([(0, 30), (1, 35), (2, 25), (3, 10)])
ACCOUNT_MEETING_TYPES = Weighted([("check_in", 40), ("discovery", 25), ("other", 20), ("demo", 10),
                                  ("technical_review", 5)])
PROGRESS_TYPES = ("proposal_presentation", "negotiation", "closing", "decision_maker_meeting", "demo")
DEAL_ACTIVITY_TYPES = Weighted([("email", 32), ("call", 28), ("outbound", 8), ("note", 32)])
ACCOUNT_ACTIVITY_TYPES = Weighted([("outbound", 45), ("email", 25), ("call", 18), ("note", 12)])
DIRECT_INTERACTION_TYPES = Weighted([("social", 35), ("text", 15), ("other", 15), ("email", 20), ("call", 15)])
TASK_TYPES = Weighted([("follow_up", 30), ("call", 18), ("email", 18), ("meeting", 8), ("proposal", 10),
                       ("demo", 6), ("general", 10)])
SOURCES = {
    "email": Weighted([("email", 70), ("manual", 20), ("integration", 10)]),
    "call": Weighted([("manual", 60), ("integration", 40)]),
    "outbound": Weighted([("crm", 50), ("manual", 30), ("email", 20)]),
    "note": Weighted([("manual", 100)]),
}
INTERACTION_TYPE = {"email": "email", "call": "call", "outbound": "email"}
ENGAGEMENT = {"positive": 0.72, "neutral": 0.45, "negative": 0.22}
MEETING_ENGAGEMENT = {"positive": 0.8, "neutral": 0.55, "negative": 0.3}
LEGACY_TYPES = ("call", "email", "meeting", "note", "Call", "Email", "Meeting", "phone call")
_NOT_EMAIL = re.compile(r"[^a-z0-9]")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_LEGAL_SUFFIX = re.compile(
    r"(,?\s+(inc\.?|llc|ltd\.?|plc|gmbh|corp\.?|group|and sons|& sons|co\.?|limited|incorporated|corporation))+$",
    re.IGNORECASE)


def clamp_int(x: int, lo: int, hi: int) -> int:
    return lo if x < lo else hi if x > hi else x


def short_company(name: str) -> str:
    """The name without its legal suffix (``Smith and Sons`` -> ``Smith``), for text and domains."""
    return _LEGAL_SUFFIX.sub("", name).strip(" ,") or name


@functools.lru_cache(maxsize=65_536)
def email_part(name: str) -> str:
    """``O'Connor`` -> ``oconnor``: the name as it appears in an email address."""
    return _NOT_EMAIL.sub("", name.lower()) or "contact"


def name_variant(name: str, rnd: Callable[[], float], pick: Callable) -> str:
    """How a person might have typed a company name into the old system.

    ``Acme Inc.`` becomes ``ACME``, ``acme inc``, ``Acme, Inc``, ``Acme  Inc.``
    or ``Acme Incorporated``; a third of the time it is left exactly as is.
    """
    r = rnd()
    short = short_company(name)
    if r < 0.33:
        return name
    if r < 0.45:
        return short.upper()
    if r < 0.57:
        return name.lower().replace(".", "").replace(",", "")
    if r < 0.67:
        return f"{short}, {pick(('Inc', 'Inc.', 'LLC', 'Ltd'))}"
    if r < 0.75:
        return name.replace(" ", "  ", 1) + (" " if rnd() < 0.5 else "")
    if r < 0.83:
        return f"{short} {pick(('Incorporated', 'Corporation', 'Limited', 'Group'))}"
    if r < 0.9:
        return name.replace(" and ", " & ") if " and " in name else short
    return short


def password_hash(seed: int) -> str:
    """argon2id of the demo password, deterministic per seed (the salt derives from it).

    Same parameters as :mod:`dashboard.passwords` (t=3, 64 MiB, p=2) so a login
    does not rehash; computed once and shared by every demo user.
    """
    from argon2.low_level import Type, hash_secret

    salt = hashlib.sha256(f"crm-demo-salt:{seed}".encode()).digest()[:16]
    return hash_secret(DEMO_PASSWORD.encode(), salt, time_cost=3, memory_cost=65_536, parallelism=2,
                       hash_len=32, type=Type.ID).decode()
