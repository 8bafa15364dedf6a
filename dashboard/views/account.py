"""The user's own account: change password (which ends every other session)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required, login_user
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from dashboard.db import db
from dashboard.passwords import hash_password, password_problem, verify_password

bp = Blueprint("account", __name__, url_prefix="/account")


class PasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired(), Length(max=128)])
    new_password = PasswordField("New password", validators=[DataRequired()])
    confirm = PasswordField("Repeat the new password", validators=[EqualTo("new_password", "The passwords differ.")])

    def validate_current_password(self, field):
        if not verify_password(current_user.password_hash, field.data):
            raise ValidationError("That is not your current password.")

    def validate_new_password(self, field):
        problem = password_problem(field.data)
        if problem:
            raise ValidationError(problem)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    """Change the password; other sessions of this user stop working."""
    form = PasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        user.password_hash = hash_password(form.new_password.data)
        user.session_version += 1
        db.session.commit()
        login_user(user)  # this session carries the new version
        flash("Your password was changed. Other sessions were logged out.", "success")
        return redirect(url_for("main.index"))
    return render_template("account/password.html", form=form)
