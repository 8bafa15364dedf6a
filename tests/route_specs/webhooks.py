"""The webhook admin pages (admins only): an endpoint, and a test delivery of another endpoint."""

from tests.conftest import fetch_as
from tests.route_specs.stages import admin_row

NEW_ENDPOINT = ("insert into crm.webhook_endpoints (url, events, secret, created_by) values "
                "('https://hooks.example.com/route', '{deal.won}', '\\x01', app.active_user_id()) returning id")  # fmt: skip


def test_delivery(app, users):
    """A webhook.test delivery (the only kind the app may write) to a new endpoint, written as the admin."""
    admin = users["admin"]["id"]
    endpoint = fetch_as(app, admin, NEW_ENDPOINT)[0][0]
    event = fetch_as(app, admin, "insert into crm.webhook_events (type, payload) values ('webhook.test', '{}') "
                                 "returning id")[0][0]  # fmt: skip
    return fetch_as(app, admin, "insert into crm.webhook_deliveries (event_id, endpoint_id) values (:e, :p) returning id",
                    {"e": event, "p": endpoint})[0][0]  # fmt: skip


OBJECTS = {"webhook_endpoint": admin_row(NEW_ENDPOINT), "webhook_delivery": test_delivery}
OBJECT_ROUTES = {
    "webhooks.show": ("webhook_endpoint", {"admin"}),
    "webhooks.set_active": ("webhook_endpoint", {"admin"}),
    "webhooks.delete": ("webhook_endpoint", {"admin"}),
    "webhooks.send_test": ("webhook_endpoint", {"admin"}),
    "webhooks.replay": ("webhook_delivery", {"admin"}),
}
WRITE_ROUTES = {"webhooks.create"}
# the test delivery's endpoint and event (its delivery goes with the endpoint)
CLEANUP = [
    "delete from crm.webhook_endpoints where url = 'https://hooks.example.com/route'",
    "delete from crm.webhook_events e where e.type = 'webhook.test' and e.payload = '{}'::jsonb"
    " and not exists (select from crm.webhook_deliveries d where d.event_id = e.id)",
]
