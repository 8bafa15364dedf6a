"""Activities: list with search, filters (type, status, date range, company,
contact, deal) and sort; detail; create, edit (optimistic concurrency) and delete."""

from __future__ import annotations

import uuid

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from dashboard import csv_export, htmx
from dashboard.forms.activities import ActivityForm, EditActivityForm, apply_form
from dashboard.forms.common import prepare_records
from dashboard.lists import list_args, opens_with_default, search_text
from dashboard.models import Activity
from dashboard.pagination import page_number, paginate
from dashboard.permissions import get_or_404, listed_owners, writable_or_404
from dashboard.responses import Deletion, answers_stale, back_to, done
from dashboard.services import activities as service
from dashboard.services import exports, saving

bp = Blueprint("activities", __name__, url_prefix="/activities")

SORTING = service.SORTING
LIST_ARGS = ("q", "type", "status", "from", "to", "company", "contact", "deal", "sort", "dir")

DELETION = Deletion("activity", "activities.show", "activities.index", "activitiesChanged")


@bp.get("")
@login_required
@opens_with_default("activities")
def index():
    """Activities the user may see, searchable, filterable and sortable; rows only for htmx."""
    statement, (start, end), range_error = service.filtered_activities(request.args, listed_owners)
    if csv_export.requested():
        return csv_export.download(exports.activities(), SORTING.apply(statement, Activity.id)[0])
    counts = service.type_counts(request.args, listed_owners, statement, start, end)
    statement, sort, direction = SORTING.apply(statement, Activity.id)
    # by id after the limit: joined, a sort the index does not give would join every activity first
    statement = statement.options(selectinload(Activity.company), selectinload(Activity.contact),
                                  selectinload(Activity.deal))  # fmt: skip
    page = page_number()
    activities, has_next = paginate(statement, page)
    context = dict(activities=activities, total=sum(counts.values()), counts=counts, page=page, has_next=has_next,
                   sort=sort, direction=direction, args=list_args(*LIST_ARGS), q=search_text(), types=service.TYPES,
                   statuses=service.STATUSES, range_error=range_error)  # fmt: skip
    return htmx.render("activities/index.html", "activities/_rows.html", **context)


def write(form: ActivityForm, activity: Activity, version=None) -> bool:
    """Write the form to the activity and rescore what it was and is linked to; a constraint violation
    becomes a field error (False)."""
    before = service.linked_ids(activity)
    rescore = lambda: service.rescore(before, activity)  # noqa: E731
    return saving.write(form, activity, apply_form, service.INTEGRITY_MESSAGES, rescore, version)


def render_form(form: ActivityForm, activity: Activity | None):
    return htmx.render("activities/form.html", "activities/_form.html", form=form, activity=activity)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Log an activity for the current user (``?company=``, ``?contact=``, ``?deal=`` preselect links; ``?next=``
    is where to go after saving)."""
    form = prepare_records(ActivityForm(company_id=request.args.get("company"), contact_id=request.args.get("contact"),
                                        deal_id=request.args.get("deal")), current_user.id)  # fmt: skip
    if form.validate_on_submit():
        activity = Activity(user_id=current_user.id)
        if write(form, activity):
            shown = back_to(url_for("activities.show", id=activity.id))
            return done(f"Logged {activity.subject or activity.type}.", shown, "activitiesChanged")
    return render_form(form, None)


@bp.get("/<uuid:id>")
@login_required
def show(id: uuid.UUID):
    """An activity with its company, contact and deal (and, with AI features, its scores)."""
    return render_template("activities/show.html", activity=get_or_404(Activity, id))


@bp.route("/<uuid:id>/edit", methods=["GET", "POST"])
@login_required
@answers_stale("activity", "activities.update")
def update(id: uuid.UUID):
    """Edit an activity; a stale save is refused with 409."""
    activity = writable_or_404(get_or_404(Activity, id))
    form = prepare_records(EditActivityForm(obj=activity), activity.user_id, activity)
    if form.validate_on_submit() and write(form, activity, form.version.data):
        return done(f"Saved {activity.subject or activity.type}.", url_for("activities.show", id=id),
                    "activitiesChanged")  # fmt: skip
    return render_form(form, activity)


@bp.route("/<uuid:id>/delete", methods=["GET", "POST"])
@bp.route("/<uuid:id>", methods=["DELETE"])
@login_required
def delete(id: uuid.UUID):
    """Ask for confirmation (GET: what the database would delete and unlink), then delete."""
    activity = writable_or_404(get_or_404(Activity, id))
    name = activity.subject or f"{activity.type} on {activity.date:%Y-%m-%d}"
    return DELETION.answer(activity, name, lambda: service.delete(activity))
