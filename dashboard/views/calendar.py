"""The calendar: a user's private ICS feed (``/calendar/<token>.ics``, no login: the token is the credential)
and the account page that issues, re-issues and revokes it (``/account/calendar``)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import login_required
from flask_wtf import FlaskForm

from dashboard.db import act_with, db
from dashboard.services import calendar_feed

bp = Blueprint("calendar", __name__)


@bp.get("/calendar/<token>.ics")
def feed(token: str):
    """The feed of the token's owner, read as them under row-level security; 404 for any token that is not
    live (unknown, malformed, revoked, replaced, or its user deactivated)."""
    session_token = calendar_feed.open_feed(token)
    if session_token is None:
        db.session.rollback()
        abort(404)
    act_with(session_token)  # commits the use; what follows acts as the feed's owner
    body = calendar_feed.build(
        meeting_url=lambda id: url_for("meetings.show", id=id, _external=True),
        task_url=lambda id: url_for("tasks.show", id=id, _external=True),
    )
    calendar_feed.end_feed_session()
    db.session.commit()
    return Response(body, mimetype="text/calendar", headers={"Content-Disposition": 'inline; filename="crm.ics"'})


@bp.get("/account/calendar")
@login_required
def account():
    """The calendar settings: the feed (issued when, last read when) and its buttons."""
    return render_template("calendar/account.html", feed=calendar_feed.live_feed(), form=FlaskForm(), feed_url=None)


@bp.post("/account/calendar/feed")
@login_required
def issue_feed():
    """A new feed URL, shown once on this page (only its hash is kept); the previous URL stops working."""
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    token = calendar_feed.issue()
    db.session.commit()
    feed_url = url_for("calendar.feed", token=token, _external=True)
    return render_template("calendar/account.html", feed=calendar_feed.live_feed(), form=form, feed_url=feed_url)


@bp.post("/account/calendar/feed/revoke")
@login_required
def revoke_feed():
    """Revoke the feed: its URL answers 404 from now on."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    revoked = calendar_feed.revoke()
    db.session.commit()
    flash("Your calendar feed was revoked." if revoked else "You had no calendar feed.", "success")
    return redirect(url_for("calendar.account"))
