"""Connecting a CalDAV calendar on /account/calendar (the URL itself is checked by
dashboard.calendar_sync.connections, which the CLI shares)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length, Optional

from dashboard.calendar_sync.connections import PASSWORD_MAX, URL_MAX


class CalendarConnectForm(FlaskForm):
    caldav_url = StringField("Calendar address (CalDAV URL)", validators=[DataRequired(), Length(max=URL_MAX)],
                             filters=[lambda v: v.strip() if isinstance(v, str) else v])  # fmt: skip
    username = StringField("User name", validators=[Optional(), Length(max=320)],
                           filters=[lambda v: v.strip() if isinstance(v, str) else v])  # fmt: skip
    password = PasswordField("Password", validators=[DataRequired(), Length(max=PASSWORD_MAX)])
