"""Everything templates get app-wide, registered once: helpers for links, money, times, who may
change a row, the navigation and the option lists (``init_app``, called by ``create_app``)."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, request

from dashboard import navigation, record_timeline, shortcuts, timezones
from dashboard.forms.common import option_tags
from dashboard.intelligence import thresholds
from dashboard.permissions import may_write
from dashboard.responses import back_to
from dashboard.services import saved_views
from dashboard.services.tasks import due_state


def money(value) -> str:
    """1234567.5 -> "1,234,568" (whole currency units; the board and lists show no cents)."""
    return f"{value or 0:,.0f}"


NOT_EXPORTED = ("page", "format", "part")  # list arguments an export leaves out


def list_query() -> str:
    """This list's query string without paging (what an export or a bulk action on "all matching" keeps)."""
    return urlencode([(k, v) for k, v in request.args.items(multi=True) if k not in NOT_EXPORTED])


def csv_url() -> str:
    """This list's URL as a CSV export: the same filters and sort, every page."""
    query = list_query()
    return f"{request.path}?{query}{'&' if query else ''}format=csv"


def bulk_options(entity: str) -> dict:
    """A list's bulk bar: its actions and values (services/bulk.options), and the list's query string."""
    from dashboard.services import bulk

    return bulk.options(entity) | {"query": list_query()}


def view_query() -> str:
    """The current list's filters as a saved view keeps them (services/saved_views.stored_query)."""
    return saved_views.stored_query(request.args)


GLOBALS = {
    "csv_url": csv_url,
    "bulk_options": bulk_options,
    "nav_items": navigation.nav_items,
    "admin_nav_items": navigation.admin_nav_items,
    "ai_enabled": navigation.ai_enabled,  # a global, so imported macros see it too
    "option_tags": option_tags,  # long option lists (a contact list offers up to 500 companies)
    "thresholds": thresholds.current,  # score cut-offs, from crm.intelligence_thresholds()
    "money": money,
    # times in the user's zone (dashboard/timezones.py): when(t) "2026-11-01 01:30", when(t, '%H:%M %Z'),
    # day(t) the user's calendar day of an instant, due_day(t) a stored due day, zone_label() the zone's name
    "when": timezones.when,
    "day": timezones.local_day,
    "due_day": timezones.due_day,
    "zone_label": timezones.label,
    "may_write": may_write,
    "due_state": due_state,
    "saved_views_of": saved_views.visible,  # a list's saved views (templates/_saved_views.html)
    "view_query": view_query,
    "palette_actions": shortcuts.palette_actions,  # the command palette's actions (templates/search/_dialogs.html)
    "shortcut_keys": lambda: shortcuts.OTHER_KEYS,  # the shortcut list (?) besides the "go to" keys
    "timeline_of": record_timeline.timeline_of,  # a record page's timeline (templates/timeline/_timeline.html)
    "back_to": back_to,  # a form's Cancel: where the action came from (?next=), else the default
}


def init_app(app: Flask) -> None:
    from dashboard import inline_edit  # (it formats money with this module)

    app.jinja_env.globals.update(GLOBALS)
    # inline(record, field): a deal's stage, close date, value, owner or a task's due date, status, editable in place
    app.jinja_env.globals["inline"] = inline_edit.inline
