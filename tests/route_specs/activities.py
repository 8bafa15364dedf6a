"""Activity routes."""

from tests.route_specs import READERS, WRITERS, rep_row

OBJECTS = {
    "activity": rep_row(
        "insert into crm.activities (user_id, type, subject) values (:o, 'call', 'Rep call') returning id"
    )
}
OBJECT_ROUTES = {
    "activities.show": ("activity", READERS),
    "activities.update": ("activity", WRITERS),
    "activities.delete": ("activity", WRITERS),
}
WRITE_ROUTES = {"activities.create"}
