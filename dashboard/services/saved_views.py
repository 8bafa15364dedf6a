"""Saved views: a user's named list filters (the query string), shared with their team or not, one
default per list; and the default a list opens with when the request gives no filter.

A view's query is parsed by the list's own filters like any URL: nothing in it
reaches SQL except as bound parameters. Row-level security decides whose views
a user reads (own, and those shared with their team) and writes (own).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from sqlalchemy import func, select, update

from dashboard import vocabulary
from dashboard.db import db
from dashboard.models import SavedView, User

LISTS = vocabulary.SAVED_VIEW_LISTS
# arguments that are not filters: their presence alone still opens the list's default
NOT_FILTERS = ("page", "part", "format", "view")
# arguments a view never stores: paging, output, and ``all`` (a list without its default: a filter of none)
NOT_STORED = ("page", "part", "format", "all")
QUERY_LENGTH = 2000
INTEGRITY_MESSAGES = {
    "index_saved_views_on_user_id_list_name": ("name", "You already have a view with that name on this list."),
    "check_saved_views_name_length": ("name", "Enter a name of up to 80 characters."),
    "check_saved_views_query_length": ("name", "These filters are too long to save."),
    "check_saved_views_shared_with_a_team": ("shared", "You are in no team to share the view with."),
}
# what a list shows when the request gives no filter and the user has no default view of their own
BUILT_IN = {
    "tasks": ("status=open&sort=due&dir=asc", "open tasks by due date, overdue first"),
    "deals": ("status=active&sort=close&dir=asc", "open deals by close date"),
    "meetings": ("when=upcoming&sort=start&dir=asc", "upcoming meetings, soonest first"),
}


def stored_query(args) -> str:
    """The query string a view keeps of ``args`` (a MultiDict): every argument but paging and output."""
    pairs = [(k, v) for k, v in args.items(multi=True) if k not in NOT_STORED and v != ""]
    return urlencode(pairs)[:QUERY_LENGTH]


def has_filters(args) -> bool:
    return any(k not in NOT_FILTERS for k in args)


def default_for(list_name: str, user_id) -> tuple[str, str] | None:
    """(query, label) the list opens with: the user's own default view, else the built-in one, else None."""
    own = db.session.execute(
        select(SavedView.query, SavedView.name)
        .where(SavedView.user_id == user_id, SavedView.list == list_name, SavedView.is_default)
    ).first()  # fmt: skip
    if own is not None:
        return own.query, f"your default view “{own.name}”"
    return BUILT_IN.get(list_name)


def with_default(list_name: str, user_id, args) -> tuple[list[tuple[str, str]], str | None]:
    """The arguments a list request stands for: ``args`` when they hold a filter, else ``args`` with the
    default view's (and a label saying which default applied)."""
    if has_filters(args):
        return list(args.items(multi=True)), None
    found = default_for(list_name, user_id)
    if found is None:
        return list(args.items(multi=True)), None
    query, label = found
    return [*args.items(multi=True), *parse_qsl(query)], label


def visible(list_name: str) -> list[SavedView]:
    """The views of a list the user reads (own, then the team's shared ones), by name."""
    return list(db.session.scalars(
        select(SavedView).where(SavedView.list == list_name).order_by(func.lower(SavedView.name), SavedView.id)
    ))  # fmt: skip


def create(user: User, list_name: str, name: str, query: str, shared: bool, make_default: bool) -> SavedView:
    """A new view of the user's (shared with their current team when ``shared``), flushed; the caller saves."""
    shared = shared and user.team_id is not None
    view = SavedView(user_id=user.id, list=list_name, name=name, query=query, shared=shared,
                     team_id=user.team_id if shared else None)  # fmt: skip
    if make_default:
        clear_default(user.id, list_name)
        view.is_default = True
    db.session.add(view)
    return view


def clear_default(user_id, list_name: str) -> None:
    db.session.execute(
        update(SavedView).where(SavedView.user_id == user_id, SavedView.list == list_name, SavedView.is_default)
        .values(is_default=False)
    )  # fmt: skip


def toggle_default(view: SavedView) -> bool:
    """Make the view its owner's default for its list, or, if it already is, no default any more."""
    becomes = not view.is_default
    clear_default(view.user_id, view.list)
    db.session.flush()
    view.is_default = becomes
    db.session.commit()
    return becomes


def delete(view: SavedView) -> None:
    db.session.delete(view)
    db.session.commit()
