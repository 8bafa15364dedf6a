"""The user's own account: change password (which ends every other session)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required, login_user

from dashboard.forms.account import PasswordForm
from dashboard.passwords import hash_password
from dashboard.services.saving import save

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    """Change the password; other sessions of this user stop working."""
    form = PasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        user.password_hash = hash_password(form.new_password.data)
        user.session_version += 1
        save(form, {})
        login_user(user)  # this session carries the new version
        flash("Your password was changed. Other sessions were logged out.", "success")
        return redirect(url_for("main.index"))
    return render_template("account/password.html", form=form)
