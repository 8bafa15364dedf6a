"""The webhook registration form (/admin/webhooks): a URL, the events, a description. The rules are the
service's (services/webhooks.py), shared with ``crm webhooks add``."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField
from wtforms.validators import Length, Optional, ValidationError

from dashboard import vocabulary
from dashboard.forms.common import no_nul
from dashboard.services import webhooks


def _url_rule(form, field):
    try:
        field.data = webhooks.validate_url(field.data)
    except webhooks.WebhookError as error:
        raise ValidationError(str(error)) from None


def _events_rule(form, field):
    if not field.data:
        raise ValidationError("Choose at least one event.")


class EndpointForm(FlaskForm):
    url = StringField("URL", validators=[no_nul, _url_rule])
    events = SelectMultipleField("Events", choices=[(e, e) for e in vocabulary.WEBHOOK_EVENTS],
                                 validators=[_events_rule])  # fmt: skip
    description = StringField("Description", validators=[Optional(), no_nul,
                                                         Length(max=webhooks.MAX_DESCRIPTION_LENGTH)])  # fmt: skip

    def event_groups(self) -> list[tuple[str, list[str]]]:
        """The event names by entity, for the checkboxes (deal's special events with the deal's)."""
        groups = {entity: [] for entity in vocabulary.WEBHOOK_ENTITIES}
        for event in vocabulary.WEBHOOK_EVENTS:
            groups[event.split(".", 1)[0]].append(event)
        return list(groups.items())
