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

from sqlalchemy.orm import selectinload

from dashboard import timezones
from dashboard.db import db
from dashboard.models import Activity, Company, Contact, Deal, Meeting, Task, User

BATCH = 1000  # rows per fetch from the server-side cursor


@dataclass(frozen=True)
class Export:
    """A list's CSV: the file name's stem, (header, value of a row) pairs, and the loads a row needs."""

    name: str
    columns: list[tuple[str, Callable]]
    loads: tuple = ()

    def header(self) -> list[str]:
        return [title for title, _ in self.columns]

    def rows(self, statement) -> Iterator[list]:
        """The rows of ``statement`` (a select of one entity) as cells, fetched BATCH at a time."""
        result = db.session.scalars(statement.options(*self.loads).execution_options(yield_per=BATCH))
        try:
            for record in result:
                yield [value(record) for _, value in self.columns]
        finally:
            result.close()

    def file_name(self) -> str:
        return f"{self.name}-{timezones.today().isoformat()}.csv"  # the user's today


def _name(record) -> str | None:
    return record.name if record is not None else None


def _person(user) -> str | None:
    return user.full_name if user is not None else None


def _day(value) -> str | None:
    """The user's calendar day of an instant (their time zone: dashboard/timezones.py)."""
    return value and timezones.local_day(value).isoformat()


def _due_day(value) -> str | None:
    """A stored due day (00:00 UTC of the day): the same calendar day in every zone."""
    return value and timezones.due_day(value).isoformat()


def _contact_name(contact) -> str | None:
    return f"{contact.first_name} {contact.last_name}".strip() if contact is not None else None


def companies(ai: bool) -> Export:
    columns = [("Name", lambda c: c.name), ("Domain", lambda c: c.domain), ("Industry", lambda c: c.industry),
               ("Size", lambda c: c.size), ("Tier", lambda c: c.account_tier),
               ("Target account", lambda c: c.is_target_account), ("Website", lambda c: c.website),
               ("Phone", lambda c: c.phone), ("Owner", lambda c: _person(c.owner)),
               ("Last engaged", lambda c: _day(c.last_engagement_date))]  # fmt: skip
    if ai:
        columns += [("Engagement score", lambda c: c.engagement_score), ("Lead score", lambda c: c.lead_score)]
    return Export("companies", columns, (selectinload(Company.owner),))


def contacts(ai: bool) -> Export:
    columns = [("First name", lambda c: c.first_name), ("Last name", lambda c: c.last_name),
               ("Email", lambda c: c.email), ("Phone", lambda c: c.phone), ("Job title", lambda c: c.title),
               ("Seniority", lambda c: c.job_seniority), ("Company", lambda c: _name(c.company)),
               ("Owner", lambda c: _person(c.owner)), ("Last interaction", lambda c: _day(c.last_interaction_date)),
               ("Updated", lambda c: _day(c.updated_at))]  # fmt: skip
    if ai:
        columns += [("Engagement score", lambda c: c.engagement_score)]
    return Export("contacts", columns, (selectinload(Contact.company), selectinload(Contact.owner)))


def deals(ai: bool) -> Export:
    columns = [("Name", lambda d: d.name), ("Company", lambda d: _name(d.company)), ("Stage", lambda d: d.stage.name),
               ("Value", lambda d: d.value), ("Close date", lambda d: d.expected_close_date),
               ("Owner", lambda d: _person(d.owner)), ("Status", lambda d: d.status),
               ("Primary contact", lambda d: _contact_name(d.primary_contact))]  # fmt: skip
    if ai:
        columns += [("Intelligence score", lambda d: d.deal_intelligence_score)]
    loads = (selectinload(Deal.stage), selectinload(Deal.company), selectinload(Deal.owner),
             selectinload(Deal.primary_contact))  # fmt: skip
    return Export("deals", columns, loads)


def activities() -> Export:
    columns = [("Date", lambda a: a.date), ("Type", lambda a: a.type), ("Subject", lambda a: a.subject),
               ("Details", lambda a: a.details), ("Status", lambda a: a.status),
               ("Company", lambda a: _name(a.company)), ("Contact", lambda a: _contact_name(a.contact)),
               ("Deal", lambda a: _name(a.deal)), ("Amount", lambda a: a.amount),
               ("User", lambda a: _person(a.user))]  # fmt: skip
    loads = (selectinload(Activity.company), selectinload(Activity.contact), selectinload(Activity.deal),
             selectinload(Activity.user))  # fmt: skip
    return Export("activities", columns, loads)


def meetings() -> Export:
    columns = [("Title", lambda m: m.title), ("Starts", lambda m: m.starts_at), ("Ends", lambda m: m.ends_at),
               ("Type", lambda m: m.meeting_type), ("Outcome", lambda m: m.meeting_outcome),
               ("Company", lambda m: _name(m.company)), ("Owner", lambda m: _person(m.owner))]  # fmt: skip
    return Export("meetings", columns, (selectinload(Meeting.company), selectinload(Meeting.owner)))


def tasks() -> Export:
    columns = [("Title", lambda t: t.title), ("Assignee", lambda t: _person(t.assignee)),
               ("Due date", lambda t: _due_day(t.due_date)), ("Priority", lambda t: t.priority),
               ("Status", lambda t: t.status), ("Completed", lambda t: _day(t.completed_at)),
               ("Parent task", lambda t: t.parent.title if t.parent is not None else None)]  # fmt: skip
    return Export("tasks", columns, (selectinload(Task.assignee), selectinload(Task.parent)))


def users() -> Export:
    columns = [("Name", lambda u: u.full_name), ("Email", lambda u: u.email), ("Role", lambda u: u.role),
               ("Team", lambda u: _name(u.team)), ("Active", lambda u: u.is_active),
               ("AI features", lambda u: u.ai_features)]  # fmt: skip
    return Export("users", columns, (selectinload(User.team),))
