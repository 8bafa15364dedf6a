"""CSV exports of the lists: each list's columns, and its rows read from the list's own query (its filters,
sort and row-level security: the statement the list page pages through) in batches over a server-side
cursor, so an export of 100,000 rows never holds them all (``yield_per``).

The column headers are the ones the import recognises (``services/imports/mapping.py``): an exported file
imports back without a manual mapping. Scores are exported only for users with AI features, as the lists
show them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy import case, func
from sqlalchemy.orm import aliased

from dashboard import timezones
from dashboard.db import db
from dashboard.models import Activity, Company, Contact, Deal, DealStage, Meeting, Task, Team, User

BATCH = 1000  # rows per fetch from the server-side cursor


@dataclass(frozen=True)
class Export:
    """A list's CSV: the file name's stem, its columns (header, SQL expression, how its value is written) and the
    outer joins they need. The rows are plain tuples of those columns (no ORM objects): the list's statement
    with its columns replaced, so its filters, joins and order stay as they are."""

    name: str
    columns: list[tuple[str, object, Callable | None]]
    joins: tuple = ()  # (aliased entity, on clause)

    def header(self) -> list[str]:
        return [title for title, _, _ in self.columns]

    def rows(self, statement) -> Iterator[list]:
        """The rows of ``statement`` (the list's select) as cells, fetched BATCH at a time."""
        query = statement.with_only_columns(*(expression for _, expression, _ in self.columns))
        for target, on in self.joins:
            query = query.outerjoin(target, on)
        formats = [written for _, _, written in self.columns]
        result = db.session.execute(query.execution_options(yield_per=BATCH))
        try:
            for row in result:
                yield [value if how is None else how(value) for value, how in zip(row, formats, strict=True)]
        finally:
            result.close()

    def file_name(self) -> str:
        return f"{self.name}-{timezones.today().isoformat()}.csv"  # the user's today


def _day(value) -> str | None:
    """The user's calendar day of an instant (their time zone: dashboard/timezones.py)."""
    return value and timezones.local_day(value).isoformat()


def _due_day(value) -> str | None:
    """A stored due day (00:00 UTC of the day): the same calendar day in every zone."""
    return value and timezones.due_day(value).isoformat()


def _full_name(contact):
    """A contact's "first last" (no stray space for a missing part; nothing for no contact)."""
    return func.nullif(func.btrim(func.concat_ws(" ", contact.first_name, contact.last_name)), "")


def companies(ai: bool) -> Export:
    owner = aliased(User)
    columns = [("Name", Company.name, None), ("Domain", Company.domain, None), ("Industry", Company.industry, None),
               ("Size", Company.size, None), ("Tier", Company.account_tier, None),
               ("Target account", Company.is_target_account, None), ("Website", Company.website, None),
               ("Phone", Company.phone, None), ("Owner", owner.full_name, None),
               ("Last engaged", Company.last_engagement_date, _day)]  # fmt: skip
    if ai:
        columns += [("Engagement score", Company.engagement_score, None), ("Lead score", Company.lead_score, None)]
    return Export("companies", columns, ((owner, owner.id == Company.owner_id),))


def contacts(ai: bool) -> Export:
    owner, company = aliased(User), aliased(Company)
    columns = [("First name", Contact.first_name, None), ("Last name", Contact.last_name, None),
               ("Email", Contact.email, None), ("Phone", Contact.phone, None), ("Job title", Contact.title, None),
               ("Seniority", Contact.job_seniority, None), ("Company", company.name, None),
               ("Owner", owner.full_name, None), ("Last interaction", Contact.last_interaction_date, _day),
               ("Updated", Contact.updated_at, _day)]  # fmt: skip
    if ai:
        columns += [("Engagement score", Contact.engagement_score, None)]
    joins = ((company, company.id == Contact.company_id), (owner, owner.id == Contact.owner_id))
    return Export("contacts", columns, joins)


def _forecast_category():
    """What the deal is forecast as: closed won / closed lost by its status, else its stored category."""
    return case((Deal.status == "won", "closed_won"), (Deal.status == "lost", "closed_lost"),
                else_=Deal.forecast_category)  # fmt: skip


def deals(ai: bool) -> Export:
    """The deal list's statement joins the stages already (its stage filter and sort)."""
    owner, company, contact = aliased(User), aliased(Company), aliased(Contact)
    columns = [("Name", Deal.name, None), ("Company", company.name, None), ("Stage", DealStage.name, None),
               ("Value", Deal.value, None), ("Close date", Deal.expected_close_date, None),
               ("Owner", owner.full_name, None), ("Status", Deal.status, None),
               ("Primary contact", _full_name(contact), None),
               ("Forecast category", _forecast_category(), None)]  # fmt: skip
    if ai:
        columns += [("Intelligence score", Deal.deal_intelligence_score, None)]
    joins = ((company, company.id == Deal.company_id), (owner, owner.id == Deal.owner_id),
             (contact, contact.id == Deal.primary_contact_id))  # fmt: skip
    return Export("deals", columns, joins)


def activities() -> Export:
    user, company, contact, deal = aliased(User), aliased(Company), aliased(Contact), aliased(Deal)
    columns = [("Date", Activity.date, None), ("Type", Activity.type, None), ("Subject", Activity.subject, None),
               ("Details", Activity.details, None), ("Status", Activity.status, None),
               ("Company", company.name, None), ("Contact", _full_name(contact), None), ("Deal", deal.name, None),
               ("Amount", Activity.amount, None), ("User", user.full_name, None)]  # fmt: skip
    joins = ((company, company.id == Activity.company_id), (contact, contact.id == Activity.contact_id),
             (deal, deal.id == Activity.deal_id), (user, user.id == Activity.user_id))  # fmt: skip
    return Export("activities", columns, joins)


def meetings() -> Export:
    owner, company = aliased(User), aliased(Company)
    columns = [("Title", Meeting.title, None), ("Starts", Meeting.starts_at, None), ("Ends", Meeting.ends_at, None),
               ("Type", Meeting.meeting_type, None), ("Outcome", Meeting.meeting_outcome, None),
               ("Company", company.name, None), ("Owner", owner.full_name, None)]  # fmt: skip
    joins = ((company, company.id == Meeting.company_id), (owner, owner.id == Meeting.owner_id))
    return Export("meetings", columns, joins)


def tasks() -> Export:
    assignee, parent = aliased(User), aliased(Task)
    columns = [("Title", Task.title, None), ("Assignee", assignee.full_name, None),
               ("Due date", Task.due_date, _due_day),
               ("Priority", Task.priority, None), ("Status", Task.status, None),
               ("Completed", Task.completed_at, _day), ("Parent task", parent.title, None)]  # fmt: skip
    joins = ((assignee, assignee.id == Task.assigned_to), (parent, parent.id == Task.parent_task_id))
    return Export("tasks", columns, joins)


def users() -> Export:
    team = aliased(Team)
    columns = [("Name", User.full_name, None), ("Email", User.email, None), ("Role", User.role, None),
               ("Team", team.name, None), ("Active", User.is_active, None),
               ("AI features", User.ai_features, None)]  # fmt: skip
    return Export("users", columns, ((team, team.id == User.team_id),))
