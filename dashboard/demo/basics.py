"""What every demo generation phase shares: the scales, the tables' COPY columns, the tables of
choices, and small deterministic helpers (pure functions of their inputs and the draws passed in)."""

from __future__ import annotations

import bisect
import functools
import hashlib
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate

from dashboard import vocabulary
from dashboard.demo import phrases as P

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
              "ai_features", "time_zone", "created_at", "updated_at", "version"),
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
              "technical_fit_score", "budget_confirmed", "created_at", "updated_at", "version", "lost_reason_id"),
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

SENIORITIES = vocabulary.SENIORITIES
SIZES = vocabulary.COMPANY_SIZES
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
