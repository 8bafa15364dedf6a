"""The user's own account: the time zone (set once from the browser at the first login, then chosen
here) and changing the password (which ends every other session)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from dashboard import timezones
from dashboard.db import db
from dashboard.forms.account import PasswordForm, TimeZoneForm
from dashboard.passwords import hash_password
from dashboard.services import accounts
from dashboard.services.login import change_own_password

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.route("", methods=["GET", "POST"])
@login_required
def index():
    """The account page: the time zone every time is shown and entered in."""
    form = TimeZoneForm(time_zone=current_user.time_zone or timezones.DEFAULT)
    if form.validate_on_submit():
        try:
            accounts.set_time_zone(current_user, form.time_zone.data)
        except IntegrityError:  # the database does not know the name (trigger check_time_zone)
            db.session.rollback()
            form.time_zone.errors.append(timezones.problem(None).replace("“”", f"“{form.time_zone.data}”"))
        else:
            db.session.commit()
            flash(f"Times are now shown in {form.time_zone.data}.", "success")
            return redirect(url_for("account.index"))
    return render_template("account/index.html", form=form, now=datetime.now(UTC))


@bp.post("/time-zone/detected")
@login_required
def detected_time_zone():
    """The browser's zone (static/timezone.js posts it once): adopted only while the user has none."""
    name = request.form.get("time_zone", "").strip()
    if message := timezones.problem(name):
        return jsonify(error=message), 400
    adopted = accounts.adopt_browser_time_zone(name)
    db.session.commit()
    return jsonify(time_zone=name if adopted else current_user.time_zone, adopted=adopted)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    """Change the password; other sessions of this user stop working, this one goes on."""
    form = PasswordForm()
    if form.validate_on_submit():
        new_encoded = hash_password(form.new_password.data)
        if change_own_password(current_user.email, form.current_password.data, new_encoded):
            db.session.commit()
            flash("Your password was changed. Other sessions were logged out.", "success")
            return redirect(url_for("main.index"))
        form.current_password.errors.append("That is not your current password.")
    return render_template("account/password.html", form=form)
