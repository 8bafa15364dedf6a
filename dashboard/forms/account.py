"""The user's own account forms: the time zone, changing the password, API tokens."""

from __future__ import annotations

from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import AnyOf, DataRequired, EqualTo, Length, ValidationError

from dashboard import vocabulary
from dashboard.forms.common import SelectField
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


class ApiTokenForm(FlaskForm):
    """A new personal access token: a name to recognise it, its scope and when it expires."""

    name = StringField("Name", validators=[DataRequired("Give the token a name, e.g. the tool that uses it."),
                                           Length(max=100)])  # fmt: skip
    scope = SelectField(
        "Access",
        choices=[("read", "Read only"), ("write", "Read and write")],
        default="read",
        validators=[AnyOf(vocabulary.API_TOKEN_SCOPES)],
    )
    expires_days = SelectField(
        "Expires",
        choices=[("30", "In 30 days"), ("90", "In 90 days"), ("365", "In a year"), ("", "Never")],
        default="90",
    )

    def expiry(self) -> int | None:
        return int(self.expires_days.data) if self.expires_days.data else None
