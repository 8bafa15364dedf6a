"""Saved views: save a list's current filters under a name (shared with the team, the list's default),
make one the default or stop it being one, delete. Each answer goes back to the list."""

from __future__ import annotations

import uuid
from urllib.parse import parse_qsl

from flask import Blueprint, abort, flash, redirect, url_for
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from dashboard.forms.common import first_error
from dashboard.forms.saved_views import SavedViewForm
from dashboard.models import SavedView
from dashboard.permissions import get_or_404
from dashboard.services import saved_views as service
from dashboard.services.saving import save

bp = Blueprint("saved_views", __name__, url_prefix="/views")


def list_url(list_name: str, query: str) -> str:
    """The list with the view's filters (``all=1`` for a view of no filter, so that no default applies)."""
    return f"{url_for(f'{list_name}.index')}?{query or 'all=1'}"


def own_or_404(id: uuid.UUID) -> SavedView:
    """The user's own view; a teammate's shared view, like a missing one, is a 404 for writes."""
    view = get_or_404(SavedView, id)
    if view.user_id != current_user.id:
        abort(404)
    return view


@bp.post("")
@login_required
def create():
    """Save the posted filters of a list under a name; back to the list with them applied."""
    form = SavedViewForm()
    list_name = form.list.data if form.list.data in service.LISTS else "tasks"
    query = service.stored_query(MultiDict(parse_qsl(form.query.data or "")))
    if form.validate_on_submit():
        view = service.create(current_user, list_name, form.name.data, query, form.shared.data, form.is_default.data)
        if save(form, service.INTEGRITY_MESSAGES):
            flash(f"Saved the view “{view.name}”{' as your default' if view.is_default else ''}.", "success")
            return redirect(list_url(list_name, query))
    flash(first_error(form), "error")
    return redirect(list_url(list_name, query))


@bp.post("/<uuid:id>/default")
@login_required
def make_default(id: uuid.UUID):
    """Make the view the user's default for its list (or, if it is already, no default any more)."""
    view = own_or_404(id)
    now_default = service.toggle_default(view)
    flash(f"“{view.name}” is {'now' if now_default else 'no longer'} the list's default view.", "success")
    return redirect(list_url(view.list, view.query))


@bp.post("/<uuid:id>/delete")
@login_required
def delete(id: uuid.UUID):
    """Delete one of the user's views; back to the list it was of."""
    view = own_or_404(id)
    list_name, name = view.list, view.name
    service.delete(view)
    flash(f"Deleted the view “{name}”.", "success")
    return redirect(url_for(f"{list_name}.index"))
