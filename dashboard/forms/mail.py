"""The mailbox forms of /account/mail: connecting (IMAP URL and password) and the never-log list."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, Length, ValidationError

from dashboard.forms.common import no_nul, text_field
from dashboard.mail import url as mailurl
from dashboard.services import mail as service


class ConnectMailForm(FlaskForm):
    imap_url = text_field("IMAP URL", 400, required=True)
    password = PasswordField("Password", validators=[DataRequired(), Length(max=service.MAX_PASSWORD), no_nul])

    def validate_imap_url(self, field):
        try:
            mailurl.parse(field.data)
        except mailurl.MailURLError as exc:
            raise ValidationError(str(exc)) from None


class NeverLogForm(FlaskForm):
    entry = text_field("Address or domain", 320, required=True)

    def validate_entry(self, field):
        try:
            field.data = service.normalized_entry(field.data)
        except service.MailError as exc:
            raise ValidationError(str(exc)) from None
