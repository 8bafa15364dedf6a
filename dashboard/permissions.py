"""The Python side of authorization: turn what the database allows into clean
responses. Row-level security is the wall; these helpers make a forbidden
object a 404 identical to a missing one, and keep admin pages invisible."""

from __future__ import annotations

import functools
import uuid

from flask import abort
from flask_login import current_user, login_required

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


def owned_or_404(row, owner_attribute: str = "owner_id"):
    """``row`` if the current user owns it or is an admin (writes), else 404.

    Raises:
        NotFound: neither the owner nor an admin -- the same answer as a missing id.
    """
    if getattr(row, owner_attribute) != current_user.id and not is_admin():
        abort(404)
    return row
