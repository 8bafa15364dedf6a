"""The notification preferences form (/account/notifications): a channel per kind, and how email comes."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, TimeField
from wtforms.validators import InputRequired

from dashboard import vocabulary
from dashboard.notifications.texts import KIND_LABELS

CHANNEL_LABELS = {"in_app": "In the app", "email": "By email", "both": "In the app and by email", "off": "Off"}
MODE_LABELS = {"each": "One email per notification, as it happens", "digest": "One daily digest"}


class PreferencesForm(FlaskForm):
    """One select per kind (its choices: the channels), the email mode and the digest's time."""

    email_mode = RadioField("Email", choices=[(m, MODE_LABELS[m]) for m in vocabulary.NOTIFICATION_EMAIL_MODES],
                            validators=[InputRequired()])  # fmt: skip
    digest_time = TimeField("Send the digest at", validators=[InputRequired("Enter a time such as 08:00.")])

    @classmethod
    def for_user(cls, is_admin: bool, **data) -> PreferencesForm:
        """The form as a user gets it: webhook failures are admins' only."""
        form = cls(**data)
        if not is_admin:
            del form["channel_webhook_failing"]
        return form

    def kind_fields(self):
        return [self[f"channel_{kind}"] for kind in vocabulary.NOTIFICATION_KINDS if f"channel_{kind}" in self]

    def channels(self) -> dict[str, str]:
        return {field.name.removeprefix("channel_"): field.data for field in self.kind_fields()}


for _kind in vocabulary.NOTIFICATION_KINDS:
    setattr(PreferencesForm, f"channel_{_kind}", SelectField(
        KIND_LABELS[_kind], choices=[(c, CHANNEL_LABELS[c]) for c in vocabulary.NOTIFICATION_CHANNELS],
        validators=[InputRequired()]))  # fmt: skip
