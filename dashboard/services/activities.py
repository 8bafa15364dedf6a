"""Activities: the list's filters and type counts (from the daily totals when they can answer),
and rescoring what an activity is linked to after a write.

The database triggers keep company_activities and contact_interactions in step
with every write (sql/functions/records.sql, sql/triggers/links.sql)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from dashboard import timezones, vocabulary
from dashboard.db import db
from dashboard.intelligence.scores import rescore_after_write
from dashboard.lists import DAY_HINT, Sorting, choice_arg, contains, day_arg, search_text, uuid_arg
from dashboard.models import Activity, User
from dashboard.models.activity import ActivityDailyTotal

TYPES = list(vocabulary.ACTIVITY_TYPES)
STATUSES = list(vocabulary.ACTIVITY_STATUSES)
INTEGRITY_MESSAGES = {
    "check_activities_amount_non_negative": ("amount", "Enter an amount of 0 or more."),
    "check_activities_quantity_positive": ("quantity", "Enter a quantity of 1 or more."),
    "check_activities_subject_length": ("subject", "Field cannot be longer than 300 characters."),
    "check_activities_details_length": ("details", "Field cannot be longer than 20000 characters."),
    "fk_activities_company_id_companies": ("company_id", "That company no longer exists."),
    "fk_activities_contact_id_contacts": ("contact_id", "That contact no longer exists."),
    "fk_activities_deal_id_deals": ("deal_id", "That deal no longer exists."),
}
LINK_FILTERS = (("company", Activity.company_id), ("contact", Activity.contact_id), ("deal", Activity.deal_id))


def date_range(args) -> tuple[datetime | None, datetime | None, str | None]:
    """The ``from``/``to`` days (inclusive, the user's days) as [start, end) times, or a message saying why they
    are ignored."""
    try:
        start, end = day_arg("from", args), day_arg("to", args)
    except ValueError:
        return None, None, f"{DAY_HINT}; the date filter is not applied."
    if start and end and start > end:
        return None, None, "The “from” date is after the “to” date; the date filter is not applied."
    return *timezones.day_bounds(start, end), None


def type_date_owner(args, listed_owners, columns, start, end) -> list:
    """The type, date-range and owner conditions, on the activities or on their daily totals.

    ``columns`` are the (type, time, owner) columns; ``start``/``end`` are what ``date_range`` gives
    ([start, end) times, or the viewer's days they start, for the totals); ``listed_owners(column)`` says whose.
    """
    type_column, time_column, owner_column = columns
    conditions = [listed_owners(owner_column)]
    if kind := choice_arg("type", TYPES, args):
        conditions.append(type_column == kind)
    if start is not None:
        conditions.append(time_column >= start)
    if end is not None:
        conditions.append(time_column < end)
    return conditions


def filtered_activities(args, listed_owners):
    """The list query with the filters of ``args``, the date range it used, and a message about the range."""
    start, end, range_error = date_range(args)
    columns = (Activity.type, Activity.date, Activity.user_id)
    statement = select(Activity).where(*type_date_owner(args, listed_owners, columns, start, end))
    if q := search_text(args=args):
        statement = statement.where(contains(Activity.subject, q) | contains(Activity.details, q))
    if status := choice_arg("status", STATUSES, args):
        statement = statement.where(Activity.status == status)
    for name, column in LINK_FILTERS:
        if (linked := uuid_arg(name, args)) is not None:
            statement = statement.where(column == linked)
    return statement, (start, end), range_error


def type_counts(args, listed_owners, statement, start, end) -> dict[str, int]:
    """How many of the filtered activities there are of each type.

    A rep has tens of thousands of activities, so counting them row by row
    is the slowest part of the page. When every filter in the request is one
    the daily totals hold (type, days, own or all readable: the totals' read
    policy is the activities' one), the counts come from there instead. The
    totals' days are each owner's (their time zone) and a date range is the
    viewer's: with a range they answer only when every listed owner has the
    viewer's zone (always for a rep's own list).
    """
    other_days = (start is not None or end is not None) and not same_zone_owners(listed_owners)
    if other_days or any(args.get(name) for name in ("q", "status", "company", "contact", "deal")):
        filtered = statement.subquery()
        query = select(filtered.c.type, func.count()).group_by(filtered.c.type)
    else:
        days = [timezones.local_day(bound) for bound in (start, end)]  # the bounds are the viewer's midnights
        totals = ActivityDailyTotal
        columns = (totals.type, totals.day, totals.user_id)
        query = (
            select(totals.type, func.sum(totals.activities))
            .where(*type_date_owner(args, listed_owners, columns, *days))
            .group_by(totals.type)
        )
    rows = db.session.execute(query).all()
    return {kind: int(count) for kind, count in sorted(rows, key=lambda row: TYPES.index(row[0]))}


def same_zone_owners(listed_owners) -> bool:
    """True when every user whose activities the list shows has the viewer's time zone (so their daily totals
    are on the viewer's days)."""
    others = select(User.id).where(listed_owners(User.id), func.coalesce(User.time_zone, timezones.DEFAULT)
                                   != timezones.current_name())  # fmt: skip
    return not db.session.scalar(select(others.exists()))


def linked_ids(activity: Activity) -> dict:
    """The rows whose scores depend on this activity (for rescore_after_write)."""
    return {"deal_ids": [activity.deal_id], "company_ids": [activity.company_id], "contact_ids": [activity.contact_id]}


def rescore(before: dict, activity: Activity, deleted: bool = False) -> None:
    """Recompute sentiment and the scores of what the activity was and is linked to, in this transaction."""
    after = {} if deleted else linked_ids(activity)
    ids = {key: [i for i in before[key] + after.get(key, []) if i] for key in before}
    rescore_after_write(db.session, activity_ids=[] if deleted else [activity.id], **ids)


def delete(activity: Activity) -> None:
    """Delete the activity (its company links and contact interaction go with it) and rescore what it counted for."""
    before = linked_ids(activity)
    db.session.delete(activity)
    db.session.flush()
    rescore(before, activity, deleted=True)
    db.session.commit()


# the list's sort keys (the page's and the API's)
SORTING = Sorting(
    columns={"date": Activity.date, "type": Activity.type, "amount": Activity.amount},
    default="date",
    default_direction="desc",
)
