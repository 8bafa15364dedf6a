"""The calendar: a user's private ICS feed (``/calendar/<token>.ics``, no login: the token is the credential),
and the account page (``/account/calendar``) that issues, re-issues and revokes it and connects a CalDAV
calendar (dashboard/calendar_sync), synced by the job worker."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from dashboard.calendar_sync import connections
from dashboard.db import act_with, db
from dashboard.forms.calendar import CalendarConnectForm
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


def _raw():
    """The request's own database connection (crm_app, acting as the user)."""
    return db.session.connection().connection.driver_connection


def _page(feed_url=None, connect_form=None, status=200):
    conn = _raw()
    return render_template(
        "calendar/account.html", feed=calendar_feed.live_feed(), form=FlaskForm(), feed_url=feed_url,
        connect_form=connect_form or CalendarConnectForm(), connection=connections.status(conn, current_user.id),
        conflicts=connections.conflicts(conn, current_user.id),
    ), status  # fmt: skip


def _checked() -> None:
    if not FlaskForm().validate_on_submit():
        abort(400)


@bp.get("/account/calendar")
@login_required
def account():
    """The calendar settings: the feed (issued when, last read when) and the connected calendar's status."""
    return _page()


@bp.post("/account/calendar/feed")
@login_required
def issue_feed():
    """A new feed URL, shown once on this page (only its hash is kept); the previous URL stops working."""
    _checked()
    token = calendar_feed.issue()
    db.session.commit()
    return _page(feed_url=url_for("calendar.feed", token=token, _external=True))


@bp.post("/account/calendar/feed/revoke")
@login_required
def revoke_feed():
    """Revoke the feed: its URL answers 404 from now on."""
    _checked()
    revoked = calendar_feed.revoke()
    db.session.commit()
    flash("Your calendar feed was revoked." if revoked else "You had no calendar feed.", "success")
    return redirect(url_for("calendar.account"))


@bp.post("/account/calendar/connect")
@login_required
def connect():
    """Connect (or reconnect) a CalDAV calendar; its first sync is enqueued for the job worker."""
    form = CalendarConnectForm()
    if not form.validate_on_submit():
        return _page(connect_form=form, status=400)
    from dashboard.jobs.calendar import enqueue_sync

    conn = _raw()
    try:
        connection_id = connections.connect(conn, current_user.id, form.caldav_url.data, form.password.data,
                                            form.username.data or None)  # fmt: skip
    except connections.ConnectionProblem as problem:
        db.session.rollback()
        form.caldav_url.errors.append(str(problem))
        return _page(connect_form=form, status=400)
    enqueue_sync(conn, connection_id)
    db.session.commit()
    flash("Calendar connected: it is being synced now.", "success")
    return redirect(url_for("calendar.account"))


@bp.post("/account/calendar/sync")
@login_required
def sync_now():
    """Sync the connected calendar now (the job worker's next free moment), whatever its backoff."""
    _checked()
    from dashboard.jobs.calendar import enqueue_sync

    conn = _raw()
    connection_id = connections.mark_due(conn, current_user.id)
    if connection_id is None:
        abort(404)
    waiting = enqueue_sync(conn, connection_id)
    db.session.commit()
    flash("The calendar is being synced." if waiting else "A sync is already waiting.", "success")
    return redirect(url_for("calendar.account"))


@bp.post("/account/calendar/disconnect")
@login_required
def disconnect():
    """Forget the calendar and its password (the meetings stay)."""
    _checked()
    gone = connections.disconnect(_raw(), current_user.id)
    db.session.commit()
    flash("Calendar disconnected." if gone else "You had no calendar connected.", "success")
    return redirect(url_for("calendar.account"))
