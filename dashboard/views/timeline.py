"""Timelines of companies, contacts and deals: the first page (the record pages show it), older pages
("Older", appended in place with htmx) and a kind filter. The record must be readable (else 404)."""

from __future__ import annotations

import uuid

from flask import Blueprint, render_template
from flask_login import login_required

from dashboard import htmx
from dashboard.models import Company, Contact, Deal
from dashboard.permissions import get_or_404
from dashboard.record_timeline import context

bp = Blueprint("timeline", __name__)


def answer(record: str, record_id: uuid.UUID, title: str):
    """htmx: the entries of an older page, or the whole section (a new filter, a refresh); else a page."""
    timeline = context(record, record_id)
    if htmx.wants_fragment():
        fragment = "timeline/_timeline.html" if timeline["first_page"] else "timeline/_entries.html"
        return render_template(fragment, timeline=timeline)
    return render_template("timeline/page.html", timeline=timeline, title=title)


@bp.get("/companies/<uuid:id>/timeline")
@login_required
def company(id: uuid.UUID):
    """A company's timeline (its activities, meetings, tasks and its deals' stage changes)."""
    record = get_or_404(Company, id)
    return answer("company", record.id, record.name)


@bp.get("/contacts/<uuid:id>/timeline")
@login_required
def contact(id: uuid.UUID):
    """A contact's timeline (meetings they attend included)."""
    person = get_or_404(Contact, id)
    return answer("contact", person.id, f"{person.first_name} {person.last_name or ''}".strip())


@bp.get("/deals/<uuid:id>/timeline")
@login_required
def deal(id: uuid.UUID):
    """A deal's timeline (its stage changes, and meetings linked to it as well as those it is primary of)."""
    record = get_or_404(Deal, id)
    return answer("deal", record.id, record.name)
