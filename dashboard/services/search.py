"""Global search (``/search``, the command palette) and the record pickers' matches.

What a query matches and how matches rank is SQL's (``sql/functions/search.sql``), in one place
for both:

* a query is trimmed, its runs of white space made one space, and lower-cased
  (``crm.search_query``); under ``MIN_LENGTH`` characters nothing is searched;
* a record matches when its name (a contact's full name, a meeting's or task's title) contains the
  query (three characters or more), starts with it or has a word starting with it (two
  characters), or, when fewer than asked for match so, is similar to it by trigrams (pg_trgm's
  word similarity of at least 0.5, 3 to 32 characters: what finds typos such as "Blankenshp");
* rank (``crm.search_rank``) = a tier + word similarity (0 to 1), so a better tier always wins:
  4 the whole name is the query, 3 the name starts with it, 2 a later word starts with it,
  1 it is somewhere inside, 0 only similar (a typo). Ties: name (or a meeting's newest start,
  a task's earliest due time), then id.

Search runs as the signed-in user (``crm_app`` under row-level security, no definer function), so
it finds only rows the user may see: those of the user and their team (admins: everyone's).
Companies and contacts a user sees only through a deal are left out (the deal is found, and links
them); of a very unspecific query's matches (more than 200 of a kind), 200 are ranked. Groups are
ordered by their best match, so the strongest hit of any kind comes first (what Enter opens in the
palette).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, literal_column, or_, select, text

from dashboard.db import db
from dashboard.models import Company, Contact, Deal
from dashboard.models.contact import FULL_NAME

MIN_LENGTH = 2  # characters; shorter queries search nothing
MAX_LENGTH = 100  # characters kept of a query
PAGE_PER_KIND = 10  # matches per kind on /search
PALETTE_PER_KIND = 5  # matches per kind in the command palette
PICKER_LIMIT = 20  # options a picker offers

# kind -> (group heading, singular)
KINDS = {
    "company": ("Companies", "company"),
    "contact": ("Contacts", "contact"),
    "deal": ("Deals", "deal"),
    "meeting": ("Meetings", "meeting"),
    "task": ("Tasks", "task"),
}


@dataclass
class Hit:
    kind: str
    id: uuid.UUID
    label: str
    detail: str | None
    amount: Decimal | None
    at: datetime | None
    day: date | None
    rank: float


@dataclass
class Group:
    kind: str
    title: str
    hits: list[Hit] = field(default_factory=list)


def clean(query: str | None) -> str:
    """The query as typed, trimmed and cut to ``MAX_LENGTH`` (NUL bytes dropped: text cannot hold them)."""
    return (query or "").replace("\x00", "").strip()[:MAX_LENGTH]


def searchable(query: str) -> bool:
    return len(" ".join(query.split())) >= MIN_LENGTH


def search(query: str, per_kind: int = PAGE_PER_KIND) -> list[Group]:
    """The user's matches for ``query`` grouped by kind, the group with the best match first."""
    query = clean(query)
    if not searchable(query):
        return []
    rows = db.session.execute(
        text("select * from crm.search_records(:query, :per_kind)"), {"query": query, "per_kind": per_kind}
    ).all()
    groups: dict[str, Group] = {}
    for row in rows:
        hit = Hit(*row)
        groups.setdefault(hit.kind, Group(hit.kind, KINDS[hit.kind][0])).hits.append(hit)
    return sorted(groups.values(), key=lambda g: (-max(h.rank for h in g.hits), list(KINDS).index(g.kind)))


# --- pickers ----------------------------------------------------------------------------

PICKER_MODELS = {"companies": Company, "contacts": Contact, "deals": Deal}


def _label(model):
    return FULL_NAME if model is Contact else model.name


def pick(kind: str, query: str, owner_id, company_id=None, limit: int = PICKER_LIMIT) -> list[tuple[str, str, str]]:
    """A picker's options: (id, label, context) of ``owner_id``'s records of ``kind`` matching ``query``
    (the rules of global search, and a contact's email; an empty query lists them by name), contacts
    only at ``company_id`` when one is given. What a form accepts is still the form's check
    (``OwnedRecord``)."""
    model = PICKER_MODELS[kind]
    name = func.lower(_label(model))
    query = clean(query)
    statement = select(model.id, _label(model), *_context(model)).where(model.owner_id == owner_id)
    if company_id is not None and model is Contact:
        statement = statement.where(Contact.company_id == company_id)
    if searchable(query):
        q = func.crm.search_query(query)
        matched = [name.like(func.crm.search_like(q)), name.like(func.crm.search_like(q, True)),
                   func.crm.word_similarity(func.crm.search_fuzzy(q), name) >= literal_column("0.5")]  # fmt: skip
        if model is Contact:
            matched.append(func.lower(Contact.email).like(func.crm.search_like(q)))
        statement = statement.where(or_(*matched)).order_by(func.crm.search_rank(name, q).desc())
    rows = db.session.execute(statement.order_by(name, model.id).limit(limit)).all()
    return [(str(row[0]), row[1], row[2] or "") for row in rows]


def _context(model) -> list:
    """What a picker shows beside a name: a company's domain, a contact's email, a deal's stage."""
    if model is Company:
        return [Company.domain]
    if model is Contact:
        return [Contact.email]
    from dashboard.models import DealStage

    return [select(DealStage.name).where(DealStage.id == Deal.stage_id).scalar_subquery()]
