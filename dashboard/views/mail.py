"""The user's mailbox on /account/mail: connect (IMAP URL and password), the sync's status, sync now,
disconnect (after a confirmation), the never-log list and the addresses offered as new contacts. Each user
sees and changes only their own (row-level security; the password is never shown or returned)."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from dashboard.db import db
from dashboard.forms.mail import ConnectMailForm, NeverLogForm
from dashboard.models import MailContactSuggestion, MailNeverLog
from dashboard.permissions import get_or_404
from dashboard.responses import done
from dashboard.services import mail as service

bp = Blueprint("mail", __name__, url_prefix="/account/mail")


def own_or_404(model, object_id: uuid.UUID):
    """A row of the user's own (an admin may read others' rows of some tables, but never acts on them)."""
    row = get_or_404(model, object_id)
    if row.user_id != current_user.id:
        abort(404)
    return row


def render_page(connect_form=None, never_form=None):
    account = service.account_of(current_user.id)
    return render_template(
        "mail/account.html",
        account=account,
        connect_form=connect_form or ConnectMailForm(imap_url=account.imap_url if account else None),
        never_form=never_form or NeverLogForm(formdata=None),
        never_log=service.never_log(current_user.id),
        suggestions=service.suggestions(current_user.id),
        skipped=service.skipped(current_user.id),
        logged=service.logged_count(current_user.id),
        sync_state=service.sync_state(account.id) if account else None,
    )


@bp.route("", methods=["GET", "POST"])
@login_required
def account():
    """The mailbox page; POST connects (or reconnects) it and enqueues its first sync."""
    form = ConnectMailForm()
    if form.validate_on_submit():
        try:
            service.connect(current_user.id, form.imap_url.data, form.password.data)
        except service.MailError as exc:
            form.imap_url.errors.append(str(exc))
        else:
            db.session.commit()
            return done("Mailbox connected: the first sync is on its way.", url_for("mail.account"))
    return render_page(connect_form=form)


@bp.post("/sync")
@login_required
def sync_now():
    """Enqueue a sync of the user's mailbox now (at most one waits at a time)."""
    account = service.account_of(current_user.id)
    if account is None:
        abort(404)
    queued = service.enqueue_sync(account.id)
    db.session.commit()
    message = "A sync is on its way." if queued else "A sync is already waiting."
    return done(message, url_for("mail.account"))


@bp.route("/disconnect", methods=["GET", "POST"])
@login_required
def disconnect():
    """Ask, then forget the mailbox and its password (the activities already logged stay)."""
    account = service.account_of(current_user.id)
    if account is None:
        abort(404)
    if request.method == "GET":
        return render_template("mail/disconnect.html", account=account, logged=service.logged_count(current_user.id))
    service.disconnect(account)
    db.session.commit()
    return done("Mailbox disconnected; its password is deleted.", url_for("mail.account"))


@bp.post("/never-log")
@login_required
def add_never_log():
    """Add an address or a domain whose mail is never logged."""
    form = NeverLogForm()
    if not form.validate_on_submit():
        return render_page(never_form=form), 400
    entry = service.add_never_log(current_user.id, form.entry.data)
    db.session.commit()
    return done(f"Mail with {entry} will never be logged.", url_for("mail.account"))


@bp.post("/never-log/<uuid:id>/delete")
@login_required
def remove_never_log(id: uuid.UUID):
    entry = own_or_404(MailNeverLog, id)
    db.session.delete(entry)
    db.session.commit()
    return done(f"Mail with {entry.entry} may be logged again.", url_for("mail.account"))


@bp.post("/suggestions/<uuid:id>/accept")
@login_required
def accept_suggestion(id: uuid.UUID):
    """Create the suggested contact."""
    suggestion = own_or_404(MailContactSuggestion, id)
    if suggestion.status != "open":
        abort(404)
    try:
        contact = service.accept(suggestion, current_user.id)
    except service.MailError as exc:
        flash(str(exc), "error")
        return redirect(url_for("mail.account"))
    db.session.commit()
    return done(f"Added {contact.email} as a contact.", url_for("mail.account"))


@bp.post("/suggestions/<uuid:id>/dismiss")
@login_required
def dismiss_suggestion(id: uuid.UUID):
    """Never offer this address again."""
    suggestion = own_or_404(MailContactSuggestion, id)
    service.dismiss(suggestion)
    db.session.commit()
    return done(f"{suggestion.email} will not be offered again.", url_for("mail.account"))
