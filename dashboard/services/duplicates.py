"""The duplicate scan: likely duplicate companies and contacts across the whole database, scored and explained.

It never compares every pair. Each record gets a few *blocking keys* computed with the shared matching module
(``dashboard.matching``): its normalised name, the name with one word masked (a typo in that word still
meets), the organisation's domain, the mailbox, the phone number; PostgreSQL groups the keys and returns the
pairs that share one (``PAIRS``: a hash aggregate, blocks larger than ``MAX_BLOCK`` skipped as too common to
mean anything). Each candidate pair is then compared in Python (``compare_companies``, ``compare_people``)
and kept when it could be one record: pairs whose names differ in a word ("Acme Logistics" / "Acme
Financial") score at most ``SIBLING_CAP``, below ``LISTED_SCORE``, and are not stored.

Pairs are stored in ``crm.duplicate_pairs`` (upserted; a dismissed pair keeps its status; open pairs the
scan no longer finds are dropped). ``scan`` runs on any SQLAlchemy session or connection: the app's session
as an admin (row-level security shows admins every record) or the owner's connection (``crm duplicates scan``).
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field

from sqlalchemy import text

from dashboard import matching

MAX_BLOCK = 40  # records sharing one key beyond this are not a duplicate signal (a common word, a switchboard)
LISTED_SCORE = 0.6  # pairs below are not stored
SIBLING_CAP = 0.5  # names that differ in a word: never above this, whatever else they share
LIKELY_SCORE = 0.7  # the page lists pairs from here by default ("likely"); from LISTED_SCORE with "possible" too
OTHER_DOMAINS_CAP = 0.65  # one name under two company domains: only possibly one company
PHONE_BONUS = 0.05
DIGITS = re.compile(r"\D+")

# the records sharing each key (blocks), by their position; :lines holds one "position<TAB>key" per line (one
# text parameter: binding an array of 300,000 strings costs seconds, splitting a text does not)
BLOCKS = """
with keyed as (
  select split_part(line, E'\\t', 1)::int as n, substr(line, strpos(line, E'\\t') + 1) as key
  from string_to_table(:lines, E'\\n') as line
)
select split_part(key, ':', 1), array_agg(n) from keyed group by key having count(*) between 2 and :max_block
"""
COMPANIES = "select id::text, name, domain, website, phone from crm.companies"
CONTACTS = """select c.id::text, c.first_name || ' ' || c.last_name, c.email, c.phone, c.company_id::text, co.name,
                     co.domain
              from crm.contacts c left join crm.companies co on co.id = c.company_id"""
UPSERT = """
insert into crm.duplicate_pairs (kind, first_id, second_id, score, reasons, found_at)
select :kind, p.a, p.b, p.score, p.reasons, :now
from jsonb_to_recordset(cast(:pairs as jsonb)) as p(a uuid, b uuid, score numeric, reasons jsonb)
on conflict (kind, first_id, second_id) do update
  set score = excluded.score, reasons = excluded.reasons, found_at = excluded.found_at
"""
DROP_STALE = "delete from crm.duplicate_pairs where kind = :kind and status = 'open' and found_at < :now"


@dataclass
class ScanResult:
    """What one kind's scan did: records read, candidate pairs compared, pairs listed, seconds."""

    kind: str
    records: int = 0
    candidates: int = 0
    listed: int = 0
    seconds: float = 0.0
    pairs: list = field(default_factory=list)  # (first id, second id, score, reasons), best first

    @property
    def likely(self) -> int:
        """Pairs the page lists by default (score >= LIKELY_SCORE)."""
        return sum(1 for p in self.pairs if p[2] >= LIKELY_SCORE)


def phone_key(phone: str | None) -> str | None:
    """The last 10 digits of a phone number (7 at least), so "+1 (555) 010-0100" meets "555.010.0100"."""
    digits = DIGITS.sub("", phone or "")
    return digits[-10:] if len(digits) >= 7 else None


def host(url: str | None) -> str | None:
    """The host of a website address."""
    if not url:
        return None
    return url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].lower() or None


def typo_parts(word: str) -> list[str]:
    """Parts of a word that one edit (a letter changed, added, dropped, or two neighbours swapped, mostly)
    leaves whole in one of them, for two spellings of it to meet on. With k a third of its length: its first
    2k letters (an edit after them), its last 2k (an edit before them), or its first k and last k (an edit in
    the middle); k rounded both ways so that lengths L and L+1 share one. A word under 6 letters: itself and
    its one-letter deletions."""
    if len(word) < 6:
        return [f"~{word}"] + [f"~{word[:i]}{word[i + 1:]}" for i in range(len(word))]
    parts = []
    for k in {len(word) // 3, (len(word) + 1) // 3}:
        parts += [f"<{k}{word[: 2 * k]}", f">{k}{word[-2 * k :]}", f"={k}{word[:k]}|{word[-k:]}"]
    return parts


def word_keys(tokens: tuple[str, ...]) -> list[str]:
    """Keys two names share when they differ by a typo in one word: the other words, and the part of the
    word the typo left whole (``typo_parts``). A one-word name: its one-letter deletions."""
    if len(tokens) == 1:
        word = tokens[0]
        if len(word) < 4:
            return []
        return [f"typo:{word}"] + [f"typo:{word[:i]}{word[i + 1:]}" for i in range(len(word))]
    keys = []
    for i, word in enumerate(tokens):
        rest = " ".join(tokens[:i] + tokens[i + 1 :])
        keys += [f"word:{i}{part}:{rest}" for part in typo_parts(word)]
    return keys


def company_keys(name: str, domain: str | None, website: str | None, phone: str | None) -> set[str]:
    """The blocking keys of one company."""
    tokens = matching.company_tokens(name)
    keys = {f"name:{''.join(tokens)}"} if tokens else set()
    keys.update(word_keys(tokens) if tokens else [])
    keys.update(f"domain:{d}" for d in {matching.org_domain(domain), matching.org_domain(host(website))} if d)
    if phone_key(phone):
        keys.add(f"phone:{phone_key(phone)}")
    return keys


def contact(row) -> tuple:
    """A contact as the scan reads it (id, name, email, phone, company id, company name, company domain), with
    its mailbox key and its organisations appended: its company, the company's domain, its email's company
    domain (not a personal provider's), each computed once."""
    mailbox = matching.email_key(row[2])
    domains = {matching.org_domain(row[6]), mailbox.rsplit("@", 1)[1] if mailbox else None}
    places = {d for d in domains if d and not matching.is_personal_domain(d)} | ({f"id {row[4]}"} if row[4] else set())
    return (*row, mailbox, frozenset(places))


def organisations(row: tuple) -> frozenset[str]:
    return row[8]


def contact_keys(row: tuple) -> set[str]:
    """The blocking keys of one contact (see ``contact``): the mailbox, the phone, its initials at each of its
    organisations (the same person's name typed twice keeps them), and its name (``person``: checked hard when
    scored)."""
    name, phone, mailbox = row[1], row[3], row[7]
    keys = {f"email:{mailbox}"} if mailbox else set()
    if phone_key(phone):
        keys.add(f"phone:{phone_key(phone)}")
    first, last = matching.person_parts(name)
    if first:
        initials = "".join(sorted(first[0] + last[:1]))
        keys.update(f"initials:{where}:{initials}" for where in organisations(row))
    if first and last:
        keys.add(f"person:{first} {last}")
    return keys


def candidate_pairs(conn, keyed: list[set[str]]) -> dict[tuple[int, int], set[str]]:
    """The pairs of records (positions in ``keyed``) sharing a key, with the kinds of keys they share: the
    blocks come from SQL, each block's pairs are spelled out here."""
    lines = "\n".join(f"{n}\t{key}" for n, keys in enumerate(keyed) for key in keys if "\n" not in key)
    pairs: dict[tuple[int, int], set[str]] = {}
    for kind, members in conn.execute(text(BLOCKS), {"lines": lines, "max_block": MAX_BLOCK}).all():
        members = sorted(set(members))
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                pairs.setdefault((a, b), set()).add(kind)
    return pairs


def score_companies(a: tuple, b: tuple, kinds: set[str]) -> tuple[float, list[str]] | None:
    """(score, reasons) of two companies (id, name, domain, website, phone), or None when not alike. Names that
    differ in a word are two companies whatever else they share (their score would be SIBLING_CAP at most)."""
    if matching.compare_company_names(a[1], b[1]).verdict == matching.DIFFERENT:
        return None
    domains = a[2] or host(a[3]), b[2] or host(b[3])
    match = matching.compare_companies(a[1], b[1], *domains)
    reasons, score = list(match.reasons), match.score
    if "domain" in kinds and "same domain" not in reasons:
        reasons.append("same website domain")
    if "phone" in kinds:
        reasons.append("same phone")
        score = min(1.0, score + PHONE_BONUS)
    if all(domains) and matching.org_domain(domains[0]) != matching.org_domain(domains[1]):
        score = min(score, OTHER_DOMAINS_CAP)
    return (round(score, 3), reasons) if match.plausible and score >= LISTED_SCORE else None


def score_contacts(a: tuple, b: tuple, kinds: set[str]) -> tuple[float, list[str]] | None:
    """(score, reasons) of two contacts (id, name, email, phone, company id, company name, company domain), or
    None. The same name alone (kind ``person``) is a possible pair only when nothing tells them apart: not
    two organisations, not two mailboxes; it stays below LIKELY_SCORE."""
    if "email" not in kinds and matching.compare_person_names(a[1], b[1]).verdict == matching.DIFFERENT:
        return None  # two names at one company or with one phone: two people
    same_place = organisations(a) & organisations(b)
    name_only = kinds <= {"person"}
    if name_only and ((organisations(a) and organisations(b) and not same_place) or (a[2] and b[2])):
        return None  # the same name at two organisations, or under two addresses: two people
    match = matching.compare_people(a[1], b[1], a[2], b[2])
    reasons, score = list(match.reasons), match.score
    if a[4] and a[4] == b[4]:
        reasons.append(f"same company ({a[5]})")
    elif same_place:
        reasons.append(f"same company domain ({sorted(same_place)[0]})")
    if name_only:
        reasons.append("nothing else in common is known (one has no company or email)")
        score = min(score, OTHER_DOMAINS_CAP)
    if "phone" in kinds:
        reasons.append("same phone")
        score = min(1.0, score + PHONE_BONUS)
    return (round(score, 3), reasons) if match.plausible and score >= LISTED_SCORE else None


KINDS = {  # kind -> (read, prepare a row, its keys, score a pair)
    "companies": (COMPANIES, tuple, lambda r: company_keys(r[1], r[2], r[3], r[4]), score_companies),
    "contacts": (CONTACTS, contact, contact_keys, score_contacts),
}


def scan_kind(conn, kind: str) -> ScanResult:
    """Find, score and store one kind's likely duplicates (in the caller's transaction)."""
    started, result = time.perf_counter(), ScanResult(kind)
    read, prepare, keys_of, score = KINDS[kind]
    records = [prepare(row) for row in conn.execute(text(read)).all()]
    result.records = len(records)
    candidates = candidate_pairs(conn, [keys_of(row) for row in records])
    result.candidates = len(candidates)
    for (a, b), kinds in candidates.items():
        scored = score(records[a], records[b], kinds)
        if scored:
            first, second = sorted((records[a][0], records[b][0]))
            result.pairs.append((first, second, *scored))
    result.pairs.sort(key=lambda p: -p[2])
    store(conn, kind, result.pairs)
    result.listed, result.seconds = len(result.pairs), time.perf_counter() - started
    return result


def store(conn, kind: str, pairs: list) -> None:
    """Upsert the pairs found (a dismissed pair stays dismissed) and drop the open ones not found again."""
    now = conn.execute(text("select clock_timestamp()")).scalar()
    # one JSON text: binding four arrays of 30,000 values each costs seconds
    found = json.dumps([{"a": a, "b": b, "score": score, "reasons": reasons} for a, b, score, reasons in pairs])
    conn.execute(text(UPSERT), {"kind": kind, "now": now, "pairs": found})
    conn.execute(text(DROP_STALE), {"kind": kind, "now": now})


def scan(conn, kinds=tuple(KINDS)) -> list[ScanResult]:
    """Scan each kind (not committed: the caller commits)."""
    return [scan_kind(conn, kind) for kind in kinds]
