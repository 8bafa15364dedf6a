"""Search: ``/search`` (a page, its results as a fragment for htmx, the command palette's options with
``palette=1``) and the record pickers' options (``/pick/companies|contacts|deals``). The rules are
services/search.py's."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required

from dashboard import htmx
from dashboard.lists import uuid_arg
from dashboard.services import search as service

bp = Blueprint("search", __name__)

# a hit's page, by kind
ENDPOINTS = {"company": "companies.show", "contact": "contacts.show", "deal": "deals.show",
             "meeting": "meetings.show", "task": "tasks.show"}  # fmt: skip


@bp.get("/search")
@login_required
def index():
    """Everything the user may see matching ``q``, grouped by kind."""
    q = service.clean(request.args.get("q"))
    palette = request.args.get("palette") == "1" and htmx.wants_fragment()
    per_kind = service.PALETTE_PER_KIND if palette else service.PAGE_PER_KIND
    context = dict(q=q, groups=service.search(q, per_kind), searchable=service.searchable(q),
                   min_length=service.MIN_LENGTH, endpoints=ENDPOINTS)  # fmt: skip
    if palette:
        return render_template("search/_palette.html", **context)
    return htmx.render("search/index.html", "search/_results.html", **context)


@bp.get("/pick/companies", defaults={"kind": "companies"})
@bp.get("/pick/contacts", defaults={"kind": "contacts"})
@bp.get("/pick/deals", defaults={"kind": "deals"})
@login_required
def pick(kind: str):
    """A picker's options: ``owner``'s records (default: the user's; row-level security applies)
    matching ``q``, contacts at ``company_id`` when given. ``field`` names the form field the options
    are for (their ids)."""
    field = request.args.get("field") or "pick"
    if not field.replace("_", "").isalnum() or len(field) > 40:
        abort(400)
    owner = uuid_arg("owner") or current_user.id
    company = uuid_arg("company_id") if kind == "contacts" else None
    options = service.pick(kind, request.args.get("q", ""), owner, company)
    return htmx.render("search/pick.html", "search/_pick.html", options=options, field=field, kind=kind)
