"""The login form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from dashboard.forms.common import no_nul


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254), no_nul])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=128), no_nul])
