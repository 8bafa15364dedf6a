"""The user's own account forms: the time zone, changing the password."""

from __future__ import annotations

from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from dashboard.forms.time_fields import TimeZoneField
from dashboard.passwords import password_problem
from dashboard.services.login import password_matches


class PasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired(), Length(max=128)])
    new_password = PasswordField("New password", validators=[DataRequired()])
    confirm = PasswordField("Repeat the new password", validators=[EqualTo("new_password", "The passwords differ.")])

    def validate_current_password(self, field):
        if not password_matches(current_user.email, field.data):
            raise ValidationError("That is not your current password.")

    def validate_new_password(self, field):
        problem = password_problem(field.data)
        if problem:
            raise ValidationError(problem)


class TimeZoneForm(FlaskForm):
    """The user's time zone: every time is shown and entered in it (dashboard/timezones.py)."""

    time_zone = TimeZoneField("Time zone")
