"""Notifications: the list (/notifications, paginated, mark read, mark all read), the preferences
(/account/notifications), the unsubscribe link from an email (/unsubscribe?token=..., no login), and the bell's
count (the ``unread_notifications()`` template global, shown in the top navigation of every page)."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from dashboard import pagination
from dashboard.db import db
from dashboard.forms.notifications import PreferencesForm
from dashboard.notifications import smtp, tokens
from dashboard.notifications.texts import KIND_LABELS
from dashboard.services import notifications as service

bp = Blueprint("notifications", __name__)
PAGE_SIZE = 25


@bp.app_template_global()
def unread_notifications() -> int:
    """The bell's count: the acting user's unread notices (up to service.BELL_CAP)."""
    return service.unread_count() if current_user.is_authenticated else 0


@bp.get("/notifications")
@login_required
def index():
    number = pagination.page_number()
    notices, has_next = service.page(number, PAGE_SIZE)
    return render_template("notifications/index.html", notices=notices, page=number, has_next=has_next)


@bp.post("/notifications/<uuid:id>/read")
@login_required
def read(id: uuid.UUID):
    """Mark one notice read; ``open=1`` goes on to its record (the list's links post here)."""
    link = service.mark_read(id)
    if link is None:
        abort(404)
    db.session.commit()
    if request.form.get("open") == "1" and link:
        return redirect(link)
    return redirect(url_for("notifications.index", page=request.args.get("page", type=int) or None))


@bp.post("/notifications/read-all")
@login_required
def read_all():
    count = service.mark_all_read()
    db.session.commit()
    flash(f"Marked {count} notification{'s' if count != 1 else ''} read.", "success")
    return redirect(url_for("notifications.index"))


@bp.route("/account/notifications", methods=["GET", "POST"])
@login_required
def preferences():
    chosen = service.preferences()
    data = {f"channel_{kind}": channel for kind, channel in chosen.channels.items()}
    form = PreferencesForm.for_user(current_user.role == "admin", email_mode=chosen.email_mode,
                                    digest_time=chosen.digest_time, **data)  # fmt: skip
    if form.validate_on_submit():
        service.save_preferences(current_user.id, form.channels(), form.email_mode.data,
                                 form.digest_time.data.replace(second=0, microsecond=0))  # fmt: skip
        db.session.commit()
        flash("Your notification preferences were saved.", "success")
        return redirect(url_for("notifications.preferences"))
    return render_template("notifications/preferences.html", form=form, smtp_configured=smtp.configured())


@bp.get("/unsubscribe")
def unsubscribe():
    """Turn off one kind's email for the user a signed link names; no login needed (docs/security.md)."""
    checked = tokens.read(current_app.config["SECRET_KEY"], request.args.get("token", ""))
    channel = service.unsubscribe(*checked) if checked else None
    if channel is None:
        return render_template("notifications/unsubscribe.html", ok=False), 400
    db.session.commit()
    return render_template("notifications/unsubscribe.html", ok=True, kind=KIND_LABELS[checked[1]], channel=channel)
