"""Writing a batch of synced messages, as the mailbox's user (crm_app under row-level security, on a
SQLAlchemy connection): which contacts they concern, the ``email`` activities they become, the record of
each message (its direction, or why it was skipped) and the addresses offered as new contacts.

An activity is written as the activity form writes one: the row (trigger ``activities_maintain_links``
adds its company links and the contact interaction), then ``rescore_after_write`` for its sentiment and
the scores of its contact, company and deal (one call per batch). The interaction of an inbound message
is marked inbound. Contacts, companies and deals are those the user can see.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field

from sqlalchemy import text

from dashboard.intelligence.scores import rescore_after_write
from dashboard.mail.parse import Parsed, Skipped
from dashboard.matching import company_domain


@dataclass
class Item:
    """One message of a folder, parsed or skipped, with where it came from."""

    folder: str
    uid: int
    message: Parsed | Skipped
    outbound_folder: bool = False


@dataclass
class Counts:
    logged: int = 0
    skipped: int = 0
    no_contact: int = 0
    never_logged: int = 0
    already: int = 0
    suggested: set = field(default_factory=set)
    skip_reasons: list = field(default_factory=list)
    # where a sync's time goes: waiting for the server, parsing, writing (of which: rescoring)
    seconds: dict = field(default_factory=lambda: {"imap": 0.0, "parse": 0.0, "store": 0.0, "rescore": 0.0})


@dataclass
class Mailbox:
    """What a batch needs to know about the mailbox: its user, their own addresses, their never-log list."""

    user_id: uuid.UUID
    own: set[str]
    never: set[str]

    def excluded(self, address: str) -> bool:
        domain = address.rsplit("@", 1)[-1]
        return address in self.never or any(domain == e or domain.endswith("." + e) for e in self.never if "@" not in e)


def load_mailbox(conn, user_id, login: str) -> Mailbox:
    """The user's addresses (their CRM email and the IMAP login, when it is an address) and never-log list."""
    email = conn.execute(text("select lower(email) from crm.users where id = :u"), {"u": user_id}).scalar()
    own = {address for address in (email, login.lower()) if address and "@" in address}
    never = set(conn.execute(text("select entry from crm.mail_never_log where user_id = :u"), {"u": user_id}).scalars())
    return Mailbox(user_id, own, never)


def store(conn, mailbox: Mailbox, items: list[Item], counts: Counts) -> None:
    """Record ``items`` (one folder's batch) in the caller's transaction."""
    known = _known_ids(conn, mailbox.user_id, [item.message.message_id for item in items])
    rows, skips, seen = [], [], set(known)
    parsed = []
    for item in items:
        message = item.message
        if message.message_id in seen:
            counts.already += 1
            continue
        seen.add(message.message_id)
        if isinstance(message, Skipped):
            skips.append(item)
            continue
        others = [a for a in [message.sender, *message.recipients] if a not in mailbox.own]
        if any(mailbox.excluded(address) for address in others):
            counts.never_logged += 1
            continue
        parsed.append((item, others))
    contacts = _contacts(conn, {a for _, others in parsed for a in others})
    deals = _open_deals(conn, {c["id"] for c in contacts.values()})
    unknown = set()
    for item, others in parsed:
        row = _activity_row(mailbox, item, others, contacts, deals)
        unknown.update(a for a in others if a not in contacts)
        if row is None:
            counts.no_contact += 1
        else:
            rows.append(row)
    _insert(conn, mailbox.user_id, rows, skips, counts)
    _suggest(conn, mailbox.user_id, unknown, parsed, counts)


def _known_ids(conn, user_id, message_ids: list[str]) -> set[str]:
    known = text("select message_id from crm.mail_messages where user_id = :u and message_id = any(:ids)")
    return set(conn.execute(known, {"u": user_id, "ids": message_ids}).scalars())


def _contacts(conn, addresses: set[str]) -> dict[str, dict]:
    found = text("select id, lower(email) as email, company_id from crm.contacts where lower(email) = any(:a)")
    rows = conn.execute(found, {"a": sorted(addresses)}).mappings()
    return {row["email"]: dict(row) for row in rows}


def _open_deals(conn, contact_ids: set) -> dict:
    """contact id -> the one open deal (visible to the user) it is the primary contact or a stakeholder of;
    absent when there are none or several."""
    if not contact_ids:
        return {}
    rows = conn.execute(text(
        """select c.contact_id, min(d.id::text)::uuid as deal_id, count(distinct d.id) as deals
             from unnest(cast(:ids as uuid[])) c(contact_id)
             join crm.deals d on d.status = 'active'
              and (d.primary_contact_id = c.contact_id
                   or exists (select from crm.deal_stakeholders s
                               where s.deal_id = d.id and s.contact_id = c.contact_id))
            group by c.contact_id"""), {"ids": [str(i) for i in contact_ids]}).all()  # fmt: skip
    return {row.contact_id: row.deal_id for row in rows if row.deals == 1}


def _activity_row(mailbox: Mailbox, item: Item, others: list[str], contacts: dict, deals: dict) -> dict | None:
    message = item.message
    outbound = item.outbound_folder or message.sender in mailbox.own
    order = message.recipients if outbound else [message.sender, *message.recipients]
    contact = next((contacts[a] for a in order if a in contacts and a not in mailbox.own), None)
    if contact is None:
        return None
    return {
        "id": str(uuid.uuid4()), "user_id": str(mailbox.user_id), "subject": message.subject, "details": message.body,
        "date": message.date, "company_id": contact["company_id"], "contact_id": contact["id"],
        "deal_id": deals.get(contact["id"]), "direction": "outbound" if outbound else "inbound",
        "message_id": message.message_id, "folder": item.folder, "uid": item.uid,
    }  # fmt: skip


def _insert(conn, user_id, rows: list[dict], skips: list[Item], counts: Counts) -> None:
    if rows:
        conn.execute(text(
            """insert into crm.activities (id, user_id, type, status, subject, details, date, company_id, contact_id,
                                          deal_id, activity_source)
               select r.id, r.user_id, 'email', 'completed', r.subject, nullif(r.details, ''), r.date, r.company_id,
                      r.contact_id, r.deal_id, 'email'
                 from jsonb_to_recordset(cast(:rows as jsonb)) as r(id uuid, user_id uuid, subject text, details text,
                      date timestamptz, company_id uuid, contact_id uuid, deal_id uuid)"""),
            {"rows": json.dumps(rows, default=str)})  # fmt: skip
        inbound = [row["id"] for row in rows if row["direction"] == "inbound"]
        conn.execute(text("""update crm.contact_interactions set direction = 'inbound'
                              where activity_id = any(cast(:ids as uuid[]))"""), {"ids": inbound})  # fmt: skip
        column = lambda name: [row[name] for row in rows]  # noqa: E731
        started = time.perf_counter()
        rescore_after_write(conn, activity_ids=column("id"), contact_ids=column("contact_id"),
                            company_ids=column("company_id"), deal_ids=column("deal_id"))  # fmt: skip
        counts.seconds["rescore"] += time.perf_counter() - started
    records = [{"message_id": r["message_id"], "folder": r["folder"], "uid": r["uid"], "direction": r["direction"],
                "activity_id": r["id"], "contact_id": r["contact_id"], "skip_reason": None} for r in rows]  # fmt: skip
    records += [{"message_id": i.message.message_id, "folder": i.folder, "uid": i.uid, "direction": None,
                 "activity_id": None, "contact_id": None, "skip_reason": i.message.reason} for i in skips]  # fmt: skip
    if records:
        conn.execute(text(
            """insert into crm.mail_messages
                      (user_id, message_id, folder, uid, direction, activity_id, contact_id, skip_reason)
               select :u, r.message_id, r.folder, r.uid, r.direction, r.activity_id, r.contact_id, r.skip_reason
                 from jsonb_to_recordset(cast(:rows as jsonb)) as r(message_id text, folder text, uid bigint,
                      direction text, activity_id uuid, contact_id uuid, skip_reason text)
               on conflict (user_id, message_id) do nothing"""),
            {"u": user_id, "rows": json.dumps(records, default=str)})  # fmt: skip
    counts.logged += len(rows)
    counts.skipped += len(skips)
    counts.skip_reasons += [(i.folder, i.uid, i.message.reason) for i in skips]


def _suggest(conn, user_id, unknown: set[str], parsed: list, counts: Counts) -> None:
    """Unknown addresses at the domain of a company the user can see: offered as new contacts (an open
    suggestion counts the messages; a dismissed one stays dismissed)."""
    by_domain = {}
    for address in unknown:
        host = address.rsplit("@", 1)[-1]
        if company_domain(address):
            by_domain.setdefault(host, []).append(address)
            by_domain.setdefault(company_domain(address), []).append(address)
    if not by_domain:
        return
    companies = dict(conn.execute(text("select lower(domain), id from crm.companies where lower(domain) = any(:d)"),
                                  {"d": sorted(by_domain)}).all())  # fmt: skip
    names, seen = {}, {}
    for item, _ in parsed:
        names.update(item.message.names)
        for address in [item.message.sender, *item.message.recipients]:
            seen[address] = seen.get(address, 0) + 1
    offers = {}
    for domain, company_id in companies.items():
        for address in by_domain.get(domain, []):
            offers.setdefault(address, {"email": address, "company_id": str(company_id),
                                        "display_name": names.get(address),
                                        "messages": seen.get(address, 1)})  # fmt: skip
    if offers:
        conn.execute(text(
            """insert into crm.mail_contact_suggestions (user_id, email, display_name, company_id, messages)
               select :u, r.email, r.display_name, r.company_id, r.messages
                 from jsonb_to_recordset(cast(:rows as jsonb))
                      as r(email text, display_name text, company_id uuid, messages int)
               on conflict (user_id, email) do update
                  set messages = crm.mail_contact_suggestions.messages + excluded.messages, last_seen_at = now(),
                      display_name = coalesce(crm.mail_contact_suggestions.display_name, excluded.display_name)"""),
            {"u": user_id, "rows": json.dumps(list(offers.values()))})  # fmt: skip
        counts.suggested.update(offers)
