"""The user's personal access tokens for the REST API: list, create (the token is shown once), revoke."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from dashboard.db import db, db_connection
from dashboard.forms.account import ApiTokenForm
from dashboard.services import api_tokens

bp = Blueprint("account_tokens", __name__, url_prefix="/account/tokens")


@bp.route("", methods=["GET", "POST"])
@login_required
def index():
    """The user's tokens; the form creates one and shows it once, on this page."""
    form = ApiTokenForm()
    created = None
    if form.validate_on_submit():
        try:
            _, created = api_tokens.create(db_connection(), form.name.data, form.scope.data, form.expiry())
        except api_tokens.TokenError as exc:
            form.name.errors.append(str(exc))
        else:
            db.session.commit()
            form = ApiTokenForm(formdata=None)
    tokens = api_tokens.list_for(db_connection(), current_user.id)
    return render_template("account/tokens.html", form=form, tokens=tokens, created=created)


@bp.route("/<uuid:id>/revoke", methods=["GET", "POST"])
@login_required
def revoke(id: uuid.UUID):
    """Confirm, then revoke one of the user's live tokens (404 for anyone else's)."""
    token = next((t for t in api_tokens.list_for(db_connection(), current_user.id) if t.id == id), None)
    if token is None or token.state != "live":
        abort(404)
    if request.method == "POST":  # the CSRF check (CSRFProtect) has passed
        api_tokens.revoke(db_connection(), id)
        db.session.commit()
        flash(f"The token “{token.name}” was revoked: requests with it are refused from now on.", "success")
        return redirect(url_for("account_tokens.index"))
    return render_template("account/revoke_token.html", token=token)
