"""The Python side of authorization: turn what the database allows into clean
responses. Row-level security is the wall; these helpers make a forbidden
object a 404 identical to a missing one, and keep admin pages invisible."""

from __future__ import annotations

import functools
import uuid

from flask import abort, g, request
from flask_login import current_user, login_required
from sqlalchemy import text, true

from dashboard.db import db


def is_admin() -> bool:
    return current_user.is_authenticated and current_user.role == "admin"


def is_manager() -> bool:
    return current_user.is_authenticated and current_user.role in ("manager", "admin")


def admin_required(view):
    """Admins only; everyone else gets the same 404 as a page that does not exist."""

    @functools.wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if not is_admin():
            abort(404)
        return view(*args, **kwargs)

    return wrapper


def get_or_404(model, object_id: uuid.UUID):
    """The row if the acting user may see it (RLS decides), else 404.

    Raises:
        NotFound: the id does not exist or row-level security hides it.
    """
    found = db.session.get(model, object_id)
    if found is None:
        abort(404)
    return found


# who writes a row besides admins (as row-level security allows): a task's assignee and creator, an
# activity's user, any other record's owner
WRITERS = {"tasks": ("assigned_to", "created_by"), "activities": ("user_id",)}


def may_write(row) -> bool:
    """Whether the acting user may change ``row``: one of its writers (WRITERS), or an admin."""
    writers = WRITERS.get(row.__tablename__, ("owner_id",))
    return current_user.id in [getattr(row, name) for name in writers] or is_admin()


def writable_or_404(row):
    """``row`` if the acting user may change it (``may_write``), else the 404 of a missing id.

    Raises:
        NotFound: the user may not write the row.
    """
    if not may_write(row):
        abort(404)
    return row


def readable_owner_ids() -> list[uuid.UUID] | None:
    """The users whose rows the acting user reads by ownership (``app.readable_user_ids()``); None for admins.

    Row-level security already limits every query to these owners. List
    queries repeat the condition with the actual ids: behind the policy the
    ids are an unknown array, so the planner guesses how many rows match and,
    for a manager's team, scans whole tables instead of the owner indexes.
    Read once per request.
    """
    if is_admin():
        return None
    if "readable_owner_ids" not in g:
        g.readable_owner_ids = db.session.scalar(text("select app.readable_user_ids()")) or []
    return g.readable_owner_ids


def owned_by_readable(column):
    """A condition on an owner column that repeats what row-level security allows (true for admins)."""
    ids = readable_owner_ids()
    return true() if ids is None else column.in_(ids)


def listed_owners(column, args=None):
    """Whose rows a list page shows: the user's own (reps, or anyone with ``?mine=1``), else the
    rows the user reads by ownership (a manager's team, everyone's for admins).

    A list never widens to rows readable only through another record (a
    contact on a team deal but owned outside the team): those open from that
    record's page. Counting them meant checking the whole reach-through union
    of the read policy on every list request. ``args``: a list's query string other than the request's
    (a bulk action on "every row matching").
    """
    if (request.args if args is None else args).get("mine") == "1" or current_user.role == "rep":
        return column == current_user.id
    return owned_by_readable(column)
