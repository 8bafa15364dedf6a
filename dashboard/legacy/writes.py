"""The write phases of a legacy import: resolve each deal row's company and contact, write the deals,
the staged legacy rows and review items, then the activities.

:class:`ImportWrites` is the part of :class:`dashboard.legacy.importer.LegacyImport`
that writes; its methods run in the import's transaction, in the order
``LegacyImport.write_phases`` calls them, and use the state the import set up
before: ``writer`` (a :class:`.writer.BackgroundWriter`), ``report``,
``progress``, ``run_id``, ``from_staging``, the validated ``valid_deals`` and
``valid_acts``, and the ``existing_deals`` and ``migrated_deals`` by legacy id.
"""

from __future__ import annotations

import datetime as dt
import uuid

from dashboard.legacy import normalize as n
from dashboard.legacy.resolve import LINK_STRENGTH, Resolution, Resolver
from dashboard.legacy.rows import ACTIVITY_COLUMNS, DEAL_COLUMNS, ActivityRow, DealRow
from dashboard.legacy.writer import INSERT_CHUNK, columns_of, insert_rows

DEAL_INSERT = ("id", "name", "value", "stage_id", "owner_id", "expected_close_date", "company_id",
               "primary_contact_id", "created_at", "stage_changed_at")  # fmt: skip
ACTIVITY_INSERT = ("id", "user_id", "type", "status", "details", "date", "amount", "company_id", "contact_id",
                   "deal_id", "activity_source")  # fmt: skip
LEGACY_DEAL_INSERT = ("id", "legacy_id", *DEAL_COLUMNS[1:], "deal_id", "source", "migrated_at", "company_link",
                      "contact_link")  # fmt: skip
LEGACY_ACTIVITY_INSERT = ("id", "legacy_id", *ACTIVITY_COLUMNS[1:], "activity_id", "source", "migrated_at")


class ImportWrites:
    """Resolution and the writes of one import (see the module docstring for the state it uses)."""

    def load_resolver(self) -> None:
        """Snapshot the companies and contacts to match against, and start the write phases' bookkeeping."""
        companies = self.writer.result("select id, name, domain from crm.companies").fetchall()
        contacts = self.writer.result(
            "select id, first_name, last_name, email, phone, company_id from crm.contacts").fetchall()
        self.resolver = Resolver(companies, contacts)
        self.now = dt.datetime.now(dt.UTC)
        # the owner of a created company or contact: the first deal owner that needed it
        self.company_owner: dict[uuid.UUID, uuid.UUID] = {}
        self.contact_owner: dict[uuid.UUID, uuid.UUID] = {}
        self.resolved: list[tuple[DealRow, Resolution]] = []
        self.matched_companies: set = set()
        self.matched_contacts: set = set()
        self.links: dict[str, int] = {}
        self.written_companies = self.written_contacts = 0
        self.deal_futures, self.stakeholder_futures, self.company_futures, self.contact_futures = [], [], [], []
        self.review_futures, self.activity_futures = [], []

    # --- deals -------------------------------------------------------------------------------------

    def resolve_deals(self) -> None:
        """Resolve every deal row and write what it resolved to in chunks, as the rows resolve."""
        # corporate emails first, then personal ones, then none: names later match what emails established;
        # among each, rows that name their company first (a company is not named after its domain when a row
        # gives its name)
        order = sorted(
            self.valid_deals,
            key=lambda d: (2 if not d.contact_email else 1 if n.company_domain(d.contact_email) is None else 0,
                           not n.company_name(d.company)),
        )  # fmt: skip
        self.resolver.prescan((d.company, d.contact_email) for d in order)
        batch: list = []
        self.progress("resolving", 0, len(order))
        for number, row in enumerate(order):
            if number % 2000 == 0:
                self.progress("resolving", number, len(order))
            if self.from_staging and row.legacy_id in self.migrated_deals:
                continue
            batch.append((row, self._resolve_deal(row)))
            if len(batch) == INSERT_CHUNK:
                self._write_batch(batch)
                batch = []
        self._write_batch(batch)
        report = self.report
        report.companies_created = len(self.resolver.new_companies)
        report.contacts_created = len(self.resolver.new_contacts)
        report.companies_matched = len(self.matched_companies)
        report.contacts_matched = len(self.matched_contacts)
        report.links = self.links
        self.progress(f"resolved {len(self.resolved)} deals")
        self.progress("resolving", len(order), len(order))

    def _resolve_deal(self, row: DealRow) -> Resolution:
        """The company and contact ``row`` means, with its owners, matches and link kinds counted."""
        r = self.resolver.resolve(row.company, row.contact_name, row.contact_email, row.contact_phone)
        if r.company is not None:
            self.company_owner.setdefault(r.company.id, row.owner_id)
            if not r.company.created:
                self.matched_companies.add(r.company.id)
        if r.contact is not None:
            self.contact_owner.setdefault(r.contact.id, row.owner_id)
            if not r.contact.created:
                self.matched_contacts.add(r.contact.id)
        for kind, link in (("company", r.company_link), ("contact", r.contact_link)):
            if link:
                self.links[f"{kind}:{link}"] = self.links.get(f"{kind}:{link}", 0) + 1
        self.resolved.append((row, r))
        return r

    def _write_batch(self, batch: list[tuple[DealRow, Resolution]]) -> None:
        """Write what the rows of ``batch`` resolved to: new companies and contacts, then deals and stakeholders."""
        self._write_new_companies_and_contacts()
        new_deals, updates, stakeholders = self._deal_rows(batch)
        self.deal_futures.extend(insert_rows(self.writer, "deals", DEAL_INSERT, new_deals))
        if updates:
            self.writer.execute(
                """update crm.deals d set company_id = coalesce(d.company_id, u.company_id),
                          primary_contact_id = coalesce(d.primary_contact_id, u.contact_id)
                   from unnest(%s::uuid[], %s::uuid[], %s::uuid[]) as u(deal_id, company_id, contact_id)
                   where d.id = u.deal_id""",
                columns_of(updates),
            )
        if stakeholders:
            self.stakeholder_futures.append(self.writer.execute(
                """insert into crm.deal_stakeholders
                     (id, deal_id, contact_id, role, influence_level, relationship_strength, notes)
                   select * from unnest(%s::uuid[], %s::uuid[], %s::uuid[], %s::text[], %s::text[],
                                        %s::numeric[], %s::text[])
                   on conflict (deal_id, contact_id) do nothing""",
                columns_of(stakeholders),
            ))  # fmt: skip

    def _write_new_companies_and_contacts(self) -> None:
        """Insert the companies and contacts the resolver created since the last batch.

        A company or contact is complete when it is created (a created company gets its domain then,
        and its owner is the first deal owner that needed it), so each can be written at once.
        """
        resolver = self.resolver
        new_companies = resolver.new_companies[self.written_companies:]
        self.written_companies = len(resolver.new_companies)
        self.company_futures.extend(insert_rows(
            self.writer, "companies", ("id", "name", "domain", "owner_id"),
            ((c.id, c.name, c.domain, self.company_owner[c.id]) for c in new_companies),
        ))  # fmt: skip
        new_contacts = resolver.new_contacts[self.written_contacts:]
        self.written_contacts = len(resolver.new_contacts)
        self.contact_futures.extend(insert_rows(
            self.writer, "contacts", ("id", "first_name", "last_name", "email", "phone", "company_id", "owner_id"),
            ((c.id, c.first_name, c.last_name, c.email, c.phone, c.company_id, self.contact_owner[c.id])
             for c in new_contacts),
        ))  # fmt: skip

    def _deal_rows(self, batch: list[tuple[DealRow, Resolution]]) -> tuple[list, list, list]:
        """New deals to insert, existing (staged) deals to link, and each primary contact as a stakeholder."""
        new_deals, updates, stakeholders = [], [], []
        for row, r in batch:
            company_id = r.company.id if r.company else None
            contact_id = r.contact.id if r.contact else None
            if row.deal_id is None:
                row.deal_id = uuid.uuid4()
                created = row.created_at or self.now
                new_deals.append((row.deal_id, row.name, row.value, row.stage_id, row.owner_id,
                                  row.expected_close_date, company_id, contact_id, created, created))  # fmt: skip
            else:
                updates.append((row.deal_id, company_id, contact_id))
            if company_id:
                self.report.deals_linked += 1
            if contact_id:
                strength = 1.0 if r.contact_link in ("email", "created") and row.contact_email else 0.8
                stakeholders.append((uuid.uuid4(), row.deal_id, contact_id, "decision_maker", "high", strength,
                                     f"legacy import: primary contact ({r.contact_link})"))  # fmt: skip
        return new_deals, updates, stakeholders

    def update_company_domains(self) -> None:
        """Existing companies that got their domain from this file."""
        for company in self.resolver.domain_updates:
            self.writer.execute(
                "update crm.companies set domain = %s where id = %s and domain is null", (company.domain, company.id)
            )

    # --- legacy rows and the review queue ------------------------------------------------------------

    def write_legacy_deals(self) -> None:
        """The staged legacy rows, inserted (files) or marked migrated (staging) with their provenance,
        and a review item for each row resolution could not settle."""
        staged_ids = self._insert_legacy_deals()
        staged_ids.update(self._mark_staged_deals())
        reviews = [
            (uuid.uuid4(), staged_ids[row.legacy_id], self.run_id, r.review_reason, r.suggestions)
            for row, r in self.resolved
            if r.review_reason
        ]
        self.review_futures = insert_rows(
            self.writer, "legacy_review_items", ("id", "legacy_deal_id", "import_run_id", "reason", "suggestions"),
            reviews,
        )  # fmt: skip

    def _insert_legacy_deals(self) -> dict[str, uuid.UUID]:
        """Stage the rows read from a file; returns their staged ids by legacy id."""
        file_rows = [(uuid.uuid4(), row, r) for row, r in self.resolved if row.staged_id is None]
        insert_rows(self.writer, "legacy_deals", LEGACY_DEAL_INSERT,
                    ((sid, row.legacy_id, *(row.raw[c] for c in DEAL_COLUMNS[1:]), row.deal_id, "csv", self.now,
                      r.company_link, r.contact_link) for sid, row, r in file_rows))  # fmt: skip
        return {row.legacy_id: sid for sid, row, _ in file_rows}

    def _mark_staged_deals(self) -> dict[str, uuid.UUID]:
        """Mark the rows taken from staging as migrated, with their deal and links; returns their staged ids."""
        marked = [(row.staged_id, row.deal_id, r.company_link, r.contact_link)
                  for row, r in self.resolved if row.staged_id]  # fmt: skip
        if not marked:
            return {}
        self.writer.execute(
            """update crm.legacy_deals l set migrated_at = now(), deal_id = m.deal_id, company_link = m.company_link,
                      contact_link = m.contact_link
               from unnest(%s::uuid[], %s::uuid[], %s::text[], %s::text[]) as m(id, deal_id, company_link, contact_link)
               where l.id = m.id""",
            columns_of(marked),
        )
        return {row.legacy_id: row.staged_id for row, _ in self.resolved if row.staged_id}

    # --- activities --------------------------------------------------------------------------------

    def write_activities(self) -> None:
        """Activities: the deal by legacy id, the contact by identifier, the company from the deal (or the
        client name); each with its legacy row (files) or marking its staged row."""
        self._load_deal_lookup()
        activity_rows, legacy_acts, link_updates, staged_acts = [], [], [], []
        for act in self.valid_acts:
            activity_id = uuid.uuid4()
            row, link_update = self._activity_row(act, activity_id)
            activity_rows.append(row)
            if link_update:
                link_updates.append(link_update)
            if act.staged_id is None:
                legacy_acts.append((uuid.uuid4(), act.legacy_id, *(act.raw[c] for c in ACTIVITY_COLUMNS[1:]),
                                    activity_id, "csv", self.now))  # fmt: skip
            else:
                staged_acts.append((act.staged_id, activity_id))
            if len(activity_rows) == INSERT_CHUNK:
                self._insert_activities(activity_rows, legacy_acts)
        self._insert_activities(activity_rows, legacy_acts)
        if link_updates:
            # the activities' trigger linked each to its company as 'direct'; record how the company was found
            self.writer.execute(
                """update crm.company_activities ca set link_source = u.source, relationship_strength = u.strength
                   from unnest(%s::uuid[], %s::uuid[], %s::text[], %s::numeric[])
                        as u(activity_id, company_id, source, strength)
                   where ca.activity_id = u.activity_id and ca.company_id = u.company_id
                     and ca.link_source = 'direct'""",
                columns_of(link_updates),
            )
        if staged_acts:
            self.writer.execute(
                """update crm.legacy_activities l set activity_id = m.activity_id, migrated_at = now()
                   from unnest(%s::uuid[], %s::uuid[]) as m(id, activity_id) where l.id = m.id""",
                columns_of(staged_acts),
            )

    def _load_deal_lookup(self) -> None:
        """Deal ids by legacy id (this import's and earlier ones') and the company of each deal."""
        self.deal_of = {legacy_id: deal_id for legacy_id, deal_id in self.existing_deals.items() if deal_id}
        self.deal_resolution = {row.legacy_id: r for row, r in self.resolved}
        self.deal_of.update({row.legacy_id: row.deal_id for row, _ in self.resolved})
        self.deal_company: dict = {}
        if not self.valid_acts:
            return
        # the deals written above have the company they resolved to; others (existing deals, staged
        # deals that may already have had a company) are read back
        for row, r in self.resolved:
            if row.staged_id is None:
                self.deal_company[row.deal_id] = r.company.id if r.company else None
        others = list({d for d in self.deal_of.values() if d not in self.deal_company})
        if others:
            self.deal_company.update(
                self.writer.result("select id, company_id from crm.deals where id = any(%s)", (others,)).fetchall()
            )

    def _activity_row(self, act: ActivityRow, activity_id: uuid.UUID) -> tuple[tuple, tuple | None]:
        """The activity to insert and, when its company was found, how (for company_activities)."""
        deal_id = self.deal_of.get(act.deal_legacy_id)
        company_id = self.deal_company.get(deal_id) if deal_id else None
        link = "deal" if company_id else None
        resolution = self.deal_resolution.get(act.deal_legacy_id)
        if deal_id and resolution is not None and resolution.company_link:
            link = resolution.company_link
        if company_id is None:
            company, how, _, _ = self.resolver.match_company_name(act.client_name)
            if company is not None and (company.id in self.company_owner or not company.created):
                company_id, link = company.id, how
        contact = self.resolver.contact_for_identifier(act.contact_identifier, company_id)
        row = (activity_id, act.owner_id, act.type, act.status, act.details or None, act.date, act.amount,
               company_id, contact.id if contact else None, deal_id, "import")  # fmt: skip
        link_update = None
        if company_id and link:
            link_update = (activity_id, company_id, _link_source(link), LINK_STRENGTH.get(link, 0.9))
        return row, link_update

    def _insert_activities(self, activity_rows: list[tuple], legacy_acts: list[tuple]) -> None:
        """Queue the activities and their legacy rows collected so far, and start collecting anew."""
        self.activity_futures.extend(insert_rows(self.writer, "activities", ACTIVITY_INSERT, activity_rows))
        insert_rows(self.writer, "legacy_activities", LEGACY_ACTIVITY_INSERT, legacy_acts)
        activity_rows.clear()
        legacy_acts.clear()


def _link_source(link: str) -> str:
    return {"created": "legacy", "contact": "contact", "deal": "deal"}.get(link, link)


def infer_deal_meetings(conn, deal_ids: list) -> int:
    """Link meetings with no deal link to ONE deal each: among the given deals that share the meeting's
    primary contact (preferred) or company, the one whose life span is closest to the meeting's date."""
    return conn.execute(
        """insert into crm.deal_meetings (deal_id, meeting_id, impact_score, outcome, link_source)
           select distinct on (m.id) d.id, m.id, null, m.meeting_outcome, 'inferred'
           from crm.meetings m
           join crm.deals d on d.id = any(%s::uuid[])
                and (d.primary_contact_id = m.primary_contact_id or d.company_id = m.company_id)
           where m.primary_deal_id is null
             and not exists (select from crm.deal_meetings dm where dm.meeting_id = m.id)
           order by m.id,
                    (d.primary_contact_id is not distinct from m.primary_contact_id) desc,
                    case when m.starts_at < d.created_at then d.created_at - m.starts_at
                         when m.starts_at > coalesce(d.closed_at, d.expected_close_date::timestamptz, m.starts_at)
                         then m.starts_at - coalesce(d.closed_at, d.expected_close_date::timestamptz)
                         else interval '0' end,
                    d.id
           on conflict do nothing""",
        (deal_ids,),
    ).rowcount
