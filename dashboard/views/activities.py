"""Activities: list with search, filters (type, status, date range, company,
contact, deal) and sort; detail; create, edit (optimistic concurrency) and delete.

The database triggers keep company_activities and contact_interactions in step
with every write here (sql/functions/records.sql, sql/triggers/links.sql)."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, time, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from wtforms import DateTimeLocalField, DecimalField, IntegerField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from dashboard import htmx
from dashboard.db import db
from dashboard.forms import (
    SelectField,
    commit_or_field_error,
    is_stale,
    no_nul,
    record_choices,
    stale_response,
    text_field,
    version_field,
)
from dashboard.intelligence.scores import rescore_after_write
from dashboard.lists import Sorting, choice_arg, contains, list_args, search_text
from dashboard.models import Activity, Company, Contact, Deal
from dashboard.models.activity import ActivityDailyTotal
from dashboard.pagination import page_number, paginate
from dashboard.permissions import get_or_404, listed_owners, owned_or_404
from dashboard.views.contacts import link_to, uuid_arg

bp = Blueprint("activities", __name__, url_prefix="/activities")

TYPES = ["outbound", "meeting", "proposal", "sale", "call", "email", "note"]
STATUSES = ["pending", "completed", "cancelled", "no_show"]
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SORTING = Sorting(
    columns={"date": Activity.date, "type": Activity.type, "amount": Activity.amount},
    default="date",
    default_direction="desc",
)
LIST_ARGS = ("q", "type", "status", "from", "to", "company", "contact", "deal", "sort", "dir")
INTEGRITY_MESSAGES = {
    "check_activities_amount_non_negative": ("amount", "Enter an amount of 0 or more."),
    "check_activities_quantity_positive": ("quantity", "Enter a quantity of 1 or more."),
    "check_activities_subject_length": ("subject", "Field cannot be longer than 300 characters."),
    "check_activities_details_length": ("details", "Field cannot be longer than 20000 characters."),
    "fk_activities_company_id_companies": ("company_id", "That company no longer exists."),
    "fk_activities_contact_id_contacts": ("contact_id", "That contact no longer exists."),
    "fk_activities_deal_id_deals": ("deal_id", "That deal no longer exists."),
}


def this_minute() -> datetime:
    return datetime.now(UTC).replace(second=0, microsecond=0)


class ActivityForm(FlaskForm):
    type = SelectField("Type", choices=[(t, t.title()) for t in TYPES], default="call")
    status = SelectField("Status", choices=[(s, s.replace("_", " ").title()) for s in STATUSES], default="completed")
    subject = text_field("Subject", 300)
    details = TextAreaField("Details", validators=[Optional(), Length(max=20000), no_nul])
    date = DateTimeLocalField("Date (UTC)", validators=[InputRequired()], default=this_minute, tz=UTC,
                              format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"])  # fmt: skip
    amount = DecimalField("Amount", places=2, validators=[Optional(), NumberRange(0, 999_999_999_999)])
    quantity = IntegerField("Quantity", default=1, validators=[InputRequired(), NumberRange(1, 1_000_000)])
    company_id = SelectField("Company", choices=[], validators=[Optional()])
    contact_id = SelectField("Contact", choices=[], validators=[Optional()])
    deal_id = SelectField("Deal", choices=[], validators=[Optional()])

    def validate_amount(self, field):
        if field.data is not None and self.type.data != "sale":
            raise ValidationError("Only sales have an amount: clear it or choose the type Sale.")


class EditActivityForm(ActivityForm):
    version = version_field()


FIELDS = ("type", "status", "subject", "details", "date", "amount", "quantity")
LINKS = ("company_id", "contact_id", "deal_id")


def apply_form(form: ActivityForm, activity: Activity) -> None:
    """Copy only the declared fields; empty text becomes NULL."""
    for name in FIELDS:
        value = getattr(form, name).data
        setattr(activity, name, value if value != "" else None)
    for name in LINKS:
        value = getattr(form, name).data
        setattr(activity, name, uuid.UUID(value) if value else None)


def set_choices(form: ActivityForm, owner_id: uuid.UUID, activity: Activity | None = None) -> ActivityForm:
    """The company, contact and deal selects: the owner's records plus the current links."""
    for name, model in (("company_id", Company), ("contact_id", Contact), ("deal_id", Deal)):
        getattr(form, name).choices = record_choices(model, owner_id, getattr(activity, name, None))
    return form


def day_arg(name: str) -> date | None:
    """A YYYY-MM-DD query argument, or None when empty.

    Raises:
        ValueError: the argument is there but is not a day in that format.
    """
    value = request.args.get(name, "").strip()
    if not value:
        return None
    if not DAY.match(value):
        raise ValueError(value)
    return date.fromisoformat(value)


def date_range() -> tuple[datetime | None, datetime | None, str | None]:
    """The ``from``/``to`` days (inclusive, UTC) as [start, end) times, or a message saying why they are ignored."""
    try:
        start, end = day_arg("from"), day_arg("to")
        until = end + timedelta(days=1) if end and end < date.max else None
    except ValueError:
        return None, None, "Enter dates as YYYY-MM-DD (for example 2026-11-25); the date filter is not applied."
    if start and end and start > end:
        return None, None, "The “from” date is after the “to” date; the date filter is not applied."
    midnight = lambda day: datetime.combine(day, time(), tzinfo=UTC) if day else None  # noqa: E731
    return midnight(start), midnight(until), None


def type_date_owner(type_column, time_column, owner_column, start, end) -> list:
    """The request's type, date-range and owner conditions, on the activities or on their daily totals.

    ``start``/``end`` are what ``date_range`` gives ([start, end) times, or the
    UTC days they start, for the totals); the owners are ``listed_owners``.
    """
    conditions = [listed_owners(owner_column)]
    if kind := choice_arg("type", TYPES):
        conditions.append(type_column == kind)
    if start is not None:
        conditions.append(time_column >= start)
    if end is not None:
        conditions.append(time_column < end)
    return conditions


def filtered_activities():
    """The list query with the request's filters, the date range it used, and a message about the range."""
    start, end, range_error = date_range()
    statement = select(Activity).where(*type_date_owner(Activity.type, Activity.date, Activity.user_id, start, end))
    if q := search_text():
        statement = statement.where(contains(Activity.subject, q) | contains(Activity.details, q))
    if status := choice_arg("status", STATUSES):
        statement = statement.where(Activity.status == status)
    for name, column in (
        ("company", Activity.company_id),
        ("contact", Activity.contact_id),
        ("deal", Activity.deal_id),
    ):
        if (linked := uuid_arg(name)) is not None:
            statement = statement.where(column == linked)
    return statement, (start, end), range_error


def type_counts(statement, start, end) -> dict[str, int]:
    """How many of the filtered activities there are of each type.

    A rep has tens of thousands of activities, so counting them row by row
    is the slowest part of the page. When every filter in the request is one
    the daily totals hold (type, days, own or all readable: the totals'
    read policy is the activities' one), the counts come from there instead.
    """
    if any(request.args.get(name) for name in ("q", "status", "company", "contact", "deal")):
        filtered = statement.subquery()
        query = select(filtered.c.type, func.count()).group_by(filtered.c.type)
    else:
        days = [bound.date() if bound else None for bound in (start, end)]  # the bounds are UTC midnights
        totals = ActivityDailyTotal
        query = (
            select(totals.type, func.sum(totals.activities))
            .where(*type_date_owner(totals.type, totals.day, totals.user_id, *days))
            .group_by(totals.type)
        )
    rows = db.session.execute(query).all()
    return {kind: int(count) for kind, count in sorted(rows, key=lambda row: TYPES.index(row[0]))}


@bp.get("")
@login_required
def index():
    """Activities the user may see, searchable, filterable and sortable; rows only for htmx."""
    statement, (start, end), range_error = filtered_activities()
    counts = type_counts(statement, start, end)
    statement, sort, direction = SORTING.apply(statement, Activity.id)
    statement = statement.options(selectinload(Activity.company), selectinload(Activity.contact),
                                  selectinload(Activity.deal))  # fmt: skip
    page = page_number()
    activities, has_next = paginate(statement, page)
    context = dict(activities=activities, total=sum(counts.values()), counts=counts, page=page, has_next=has_next,
                   sort=sort, direction=direction, args=list_args(*LIST_ARGS), q=search_text(), types=TYPES,
                   statuses=STATUSES, range_error=range_error, link_to=link_to)  # fmt: skip
    return htmx.render("activities/index.html", "activities/_rows.html", **context)


def done(message: str, url: str):
    """After a successful write: flash, then a redirect (HX-Redirect and activitiesChanged for htmx)."""
    flash(message, "success")
    if htmx.wants_fragment():
        return htmx.redirect_to(url, "activitiesChanged")
    return redirect(url)


def linked_ids(activity: Activity) -> dict:
    """The rows whose scores depend on this activity (for rescore_after_write)."""
    return {"deal_ids": [activity.deal_id], "company_ids": [activity.company_id], "contact_ids": [activity.contact_id]}


def rescore(before: dict, activity: Activity, deleted: bool = False) -> None:
    """Recompute sentiment and the scores of what the activity was and is linked to, in this transaction."""
    after = {} if deleted else linked_ids(activity)
    ids = {key: [i for i in before[key] + after.get(key, []) if i] for key in before}
    rescore_after_write(db.session, activity_ids=[] if deleted else [activity.id], **ids)


def save(form: ActivityForm, activity: Activity) -> bool:
    """Write the form to the activity and rescore; a constraint violation becomes a field error (False)."""
    before = linked_ids(activity)
    apply_form(form, activity)
    db.session.add(activity)
    return commit_or_field_error(form, INTEGRITY_MESSAGES, before_commit=lambda: rescore(before, activity))


def render_form(form: ActivityForm, activity: Activity | None):
    return htmx.render("activities/form.html", "activities/_form.html", form=form, activity=activity)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Log an activity for the current user (``?company=``, ``?contact=``, ``?deal=`` preselect links)."""
    form = set_choices(ActivityForm(company_id=request.args.get("company"), contact_id=request.args.get("contact"),
                                    deal_id=request.args.get("deal")), current_user.id)  # fmt: skip
    if form.validate_on_submit():
        activity = Activity(user_id=current_user.id)
        if save(form, activity):
            return done(f"Logged {activity.subject or activity.type}.", url_for("activities.show", id=activity.id))
    return render_form(form, None)


@bp.get("/<uuid:id>")
@login_required
def show(id: uuid.UUID):
    """An activity with its company, contact and deal (and, with AI features, its scores)."""
    activity = get_or_404(Activity, id)
    return render_template("activities/show.html", activity=activity, link_to=link_to)


@bp.route("/<uuid:id>/edit", methods=["GET", "POST"])
@login_required
def update(id: uuid.UUID):
    """Edit an activity; a stale save is refused with 409."""
    activity = owned_or_404(get_or_404(Activity, id), "user_id")
    form = set_choices(EditActivityForm(obj=activity), activity.user_id, activity)
    if form.validate_on_submit():
        if is_stale(activity, form.version.data):
            return stale_response(activity, "activity", url_for("activities.update", id=id))
        if save(form, activity):
            return done(f"Saved {activity.subject or activity.type}.", url_for("activities.show", id=id))
    return render_form(form, activity)


@bp.route("/<uuid:id>/delete", methods=["GET", "POST"])
@bp.route("/<uuid:id>", methods=["DELETE"])
@login_required
def delete(id: uuid.UUID):
    """Ask for confirmation (GET), then delete; its company links and contact interaction go with it."""
    activity = owned_or_404(get_or_404(Activity, id), "user_id")
    name = activity.subject or f"{activity.type} on {activity.date:%Y-%m-%d}"
    if request.method == "GET":
        return render_template(
            "confirm_delete.html", what="activity", name=name, cancel_url=url_for("activities.show", id=id),
            consequence="Its links to companies and the interaction it recorded with its contact go too.",
        )  # fmt: skip
    before = linked_ids(activity)
    db.session.delete(activity)
    db.session.flush()
    rescore(before, activity, deleted=True)
    db.session.commit()
    return done(f"Deleted {name}.", url_for("activities.index"))
