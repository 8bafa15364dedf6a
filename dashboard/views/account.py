"""The user's own account: change password (which ends every other session)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from dashboard.db import db
from dashboard.forms.account import PasswordForm
from dashboard.passwords import hash_password
from dashboard.services.login import change_own_password

bp = Blueprint("account", __name__, url_prefix="/account")


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
